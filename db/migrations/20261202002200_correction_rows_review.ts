import type { Knex } from 'knex'

const COLUMNS = ['proofs', 'photo_consent', 'base_version']

/**
 * What the review of a correction row needs beyond the first schema: the proofs it names (a JSON
 * list of file names in correction_documents), the bureau's explicit consent to a new photo, and
 * the certificate version the row was checked against (applying it to any other version would
 * overwrite a change nobody reviewed). Constraint-free columns, so `down` drops them in place.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('correction_rows', (table) => {
    table.text('proofs').nullable()
    table.boolean('photo_consent').notNullable().defaultTo(false)
    table.integer('base_version').nullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  // SQLite's own DROP COLUMN (3.35+): no index or key uses these columns.
  for (const column of COLUMNS) await knex.raw(`alter table correction_rows drop column ${column}`)
}
