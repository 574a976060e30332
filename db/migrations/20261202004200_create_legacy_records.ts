import type { Knex } from 'knex'

/**
 * Where a legacy certificate (certificates.legacy) came from: its import and its row in that
 * workbook. A new table rather than columns on certificates, which every other table references.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('legacy_records', (table) => {
    table.integer('certificate_id').unsigned().primary().references('id').inTable('certificates')
    table.integer('import_id').unsigned().notNullable().references('id').inTable('legacy_imports')
    table.integer('row_number').notNullable()
    table.index(['import_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('legacy_records')
}
