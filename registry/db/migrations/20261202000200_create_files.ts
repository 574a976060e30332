import type { Knex } from 'knex'

/** Files stored by their SHA-256 under the data directory (signed PDFs, notices, workbooks, photo archives). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('files', (table) => {
    table.string('sha256', 64).primary()
    table.bigInteger('size').notNullable()
    table.string('path', 255).notNullable()
    // The client that stored it first (null for the admin's seeds): it may fetch it back.
    table.string('stored_by', 64).nullable()
    table.string('created_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('files')
}
