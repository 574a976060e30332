import type { Knex } from 'knex'

/** Registry events written in the same transaction as the change they publish. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox', (table) => {
    table.bigIncrements('id').primary()
    // Delivery is ordered per key (a certificate's number), so a revocation never overtakes its issue.
    table.string('ordering_key', 64).notNullable()
    table.string('event_type', 48).notNullable()
    table.text('payload').notNullable()
    table.string('idempotency_key', 64).notNullable().unique()
    table.string('state', 16).notNullable()
    table.integer('attempts').notNullable().defaultTo(0)
    table.string('next_attempt_at', 32).nullable()
    table.text('last_error').nullable()
    table.string('created_at', 32).notNullable()
    table.string('delivered_at', 32).nullable()
    table.index(['state', 'next_attempt_at'])
    table.index(['ordering_key', 'id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox')
}
