import type { Knex } from 'knex'

/** Applications pulled from the registry, each taken exactly once, and the pull cursors. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inbox', (table) => {
    table.bigIncrements('id').primary()
    table.string('external_id', 128).notNullable().unique()
    table.string('kind', 32).notNullable()
    table.integer('batch_id').unsigned().nullable().references('id').inTable('application_batches')
    table.string('received_at', 32).notNullable()
  })
  await knex.schema.createTable('sync_cursors', (table) => {
    table.string('name', 64).primary()
    table.string('cursor', 255).notNullable()
    table.string('updated_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sync_cursors')
  await knex.schema.dropTable('inbox')
}
