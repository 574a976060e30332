import type { Knex } from 'knex'

/**
 * A revocation as the supervising department records it (注销, clause 7): the formal document
 * cancelling the review or exam result, its reason, and the bureau's decision on it, for one
 * certificate or a whole list at once. Each certificate it names keeps its own row in
 * `revocations` (what the register reads per certificate); this row is what is approved,
 * rejected and executed as one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('revocation_requests', (table) => {
    table.increments('id').primary()
    // The supervising department that verified the case and issued the document.
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.string('document_number', 100).notNullable()
    table.string('document_date', 10).notNullable()
    table.string('document_hash', 64).notNullable().references('hash').inTable('files')
    table.string('reason_kind', 16).notNullable()
    table.text('reason_text').nullable()
    table.string('state', 16).notNullable()
    table.integer('certificate_count').notNullable()
    table.integer('recorded_by').unsigned().notNullable().references('id').inTable('users')
    table.integer('decided_by').unsigned().nullable().references('id').inTable('users')
    table.text('rejection_reason').nullable()
    table.integer('executed_by').unsigned().nullable().references('id').inTable('users')
    table.string('created_at', 32).notNullable()
    table.string('decided_at', 32).nullable()
    table.string('executed_at', 32).nullable()
    table.index(['state'])
    table.index(['organisation_id', 'state'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('revocation_requests')
}
