import type { Knex } from 'knex'

/**
 * What issuing a slip needs beyond the first schema: the reason the holder gave (clause 9: “经说明
 * 理由”), and the look-ups the desks make — the verifier finds a slip by its file's hash, the
 * re-check queue by its state, a record's page its slips. The column has no constraint, so `down`
 * drops it without rebuilding the table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('query_slips', (table) => {
    table.text('reason').nullable()
    table.index(['pdf_hash'])
    table.index(['recheck_state'])
    table.index(['certificate_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('query_slips', (table) => {
    table.dropIndex(['certificate_id'])
    table.dropIndex(['recheck_state'])
    table.dropIndex(['pdf_hash'])
  })
  await knex.raw('alter table query_slips drop column reason')
}
