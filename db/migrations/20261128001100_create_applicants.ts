import type { Knex } from 'knex'

/** One person of a batch, with the family's fields as a JSON snapshot and the photo by hash. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('applicants', (table) => {
    table.increments('id').primary()
    table.integer('batch_id').unsigned().notNullable().references('id').inTable('application_batches').onDelete('CASCADE')
    table.integer('row_number').notNullable()
    table.string('name', 64).notNullable()
    table.string('id_type', 32).notNullable()
    table.string('id_number', 32).notNullable()
    table.text('fields').notNullable()
    table.string('photo_hash', 64).nullable().references('hash').inTable('files')
    table.unique(['batch_id', 'row_number'])
    table.index(['id_number'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('applicants')
}
