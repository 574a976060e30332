import type { Knex } from 'knex'

/**
 * Content-addressed files (photos, notices, scans, signed PDFs): stored once under the data
 * directory by their SHA-256, referenced from everywhere else by that hash.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('files', (table) => {
    table.string('hash', 64).primary()
    table.bigInteger('size').notNullable()
    table.string('media_type', 100).notNullable()
    table.string('path', 255).notNullable()
    table.string('original_name', 255).nullable()
    table.string('created_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('files')
}
