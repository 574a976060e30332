import type { Knex } from 'knex'

/**
 * Corrections by certificate: a new table is checked against the open corrections of each of its
 * certificates (one certificate, one correction at a time), and the register lists a certificate's
 * corrections. Without the index each of those is a scan of every correction row ever made.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('correction_rows', (table) => {
    table.index(['certificate_id'], 'correction_rows_certificate_id_index')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('correction_rows', (table) => {
    table.dropIndex(['certificate_id'], 'correction_rows_certificate_id_index')
  })
}
