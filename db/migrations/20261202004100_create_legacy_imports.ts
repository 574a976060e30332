import type { Knex } from 'knex'

/**
 * One import of historical (paper) title or exam records into the register (clause 9): which
 * organisation's records, the workbook kept by its hash as the evidence they came from, who
 * imported them and when. A refused workbook leaves no row: an import is whole or nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('legacy_imports', (table) => {
    table.increments('id').primary()
    table.string('family', 16).notNullable()
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.string('file_name', 200).notNullable()
    table.string('workbook_hash', 64).notNullable().references('hash').inTable('files')
    table.integer('record_count').notNullable()
    table.integer('imported_by').unsigned().notNullable().references('id').inTable('users')
    table.string('imported_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('legacy_imports')
}
