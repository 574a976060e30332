import type { Knex } from 'knex'

/** Key/value settings; values are JSON text validated by the contract's per-key schema. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (table) => {
    table.string('key', 64).primary()
    table.text('value').notNullable()
    table.string('updated_at', 32).notNullable()
    table.integer('updated_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('settings')
}
