import type { Knex } from 'knex'

/**
 * Every applied operation, once, in the order it was applied: what the tests read to prove that
 * a retried write changed nothing twice and that one certificate's effects kept their order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('effects', (table) => {
    table.increments('sequence').primary()
    table.string('ordering_key', 140).notNullable()
    table.string('operation_type', 32).notNullable()
    table.string('idempotency_key', 64).notNullable()
    table.string('client_id', 64).notNullable().references('clients.client_id')
    table.string('applied_at', 32).notNullable()
    table.index(['ordering_key', 'sequence'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('effects')
}
