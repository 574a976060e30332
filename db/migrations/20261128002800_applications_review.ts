import type { Knex } from 'knex'

/**
 * What the review desk and the import need beyond the first schema: single applicants excluded
 * with a reason, the batch's declaration year, source file name and error workbook, and photo packs (one file
 * holding a whole batch's photos, made durable with one fsync instead of ten thousand).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applicants', (table) => {
    table.text('excluded_reason').nullable()
    table.integer('excluded_by').unsigned().nullable().references('id').inTable('users')
    table.string('excluded_at', 32).nullable()
  })
  await knex.schema.alterTable('application_batches', (table) => {
    table.integer('declaration_year').nullable()
    table.string('file_name', 200).nullable()
    table.integer('excluded_count').notNullable().defaultTo(0)
    // The original rows with an error column, written at import when the checks found errors.
    table.string('error_workbook_hash', 64).nullable().references('hash').inTable('files')
  })
  await knex.schema.alterTable('certificates', (table) => {
    // The review page looks a batch's numbers up by batch.
    table.index(['batch_id'])
  })
  await knex.schema.alterTable('files', (table) => {
    // Set when the bytes live inside a pack file (files.path) at this offset, `size` bytes long.
    table.bigInteger('pack_offset').nullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('files', (table) => table.dropColumn('pack_offset'))
  await knex.schema.alterTable('certificates', (table) => table.dropIndex(['batch_id']))
  await knex.schema.alterTable('application_batches', (table) => {
    table.dropForeign(['error_workbook_hash'])
    table.dropColumn('error_workbook_hash')
    table.dropColumn('declaration_year')
    table.dropColumn('file_name')
    table.dropColumn('excluded_count')
  })
  await knex.schema.alterTable('applicants', (table) => {
    table.dropForeign(['excluded_by'])
    table.dropColumn('excluded_reason')
    table.dropColumn('excluded_by')
    table.dropColumn('excluded_at')
  })
}
