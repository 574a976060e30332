import type { Knex } from 'knex'

/**
 * What a filing (备案, clauses 4–5) keeps beside the scanned paper production list of
 * `filings.scan_hash`: the scanned formal notice (评审/考试结果通知) when it came as a separate
 * document, and for an offline review (clause 4's exception) the bureau's consent document.
 * A new table rather than new columns: `filings` keeps its shape, and `down` rebuilds nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('filing_documents', (table) => {
    table.integer('filing_id').unsigned().primary().references('id').inTable('filings')
    table.string('notice_hash', 64).nullable().references('hash').inTable('files')
    table.string('consent_hash', 64).nullable().references('hash').inTable('files')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('filing_documents')
}
