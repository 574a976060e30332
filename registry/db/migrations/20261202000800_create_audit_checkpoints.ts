import type { Knex } from 'knex'

/** Checkpoints of each client's audit chain, in the order they arrived. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_checkpoints', (table) => {
    table.increments('id').primary()
    table.string('client_id', 64).notNullable().references('clients.client_id')
    table.bigInteger('length').notNullable()
    table.string('head_hash', 64).notNullable()
    table.string('at', 32).notNullable()
    table.integer('arrival_sequence').notNullable().unique().references('effects.sequence')
    table.string('accepted_at', 32).notNullable()
    table.index(['client_id', 'id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_checkpoints')
}
