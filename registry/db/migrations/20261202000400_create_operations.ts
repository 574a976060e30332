import type { Knex } from 'knex'

/**
 * The stored answer per idempotency key and client. Only applied operations are kept: a refused
 * one (too early, file missing…) leaves no row, so the same key applies once resent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operations', (table) => {
    table.string('client_id', 64).notNullable().references('clients.client_id')
    table.string('idempotency_key', 64).notNullable()
    table.string('type', 32).notNullable()
    // SHA-256 of the canonical JSON of { type, payload }: the same key with another body is refused.
    table.string('body_hash', 64).notNullable()
    table.integer('status').notNullable()
    table.text('response').notNullable()
    table.string('ordering_key', 140).notNullable()
    table.integer('effect_sequence').notNullable().unique().references('effects.sequence')
    table.string('accepted_at', 32).notNullable()
    table.primary(['client_id', 'idempotency_key'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('operations')
}
