import type { Knex } from 'knex'

/** Review decisions pushed back for pulled applications; the latest one is the application's state. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('decisions', (table) => {
    table.increments('id').primary()
    table.string('application_id', 128).notNullable().references('applications.id')
    table.string('decision', 16).notNullable()
    table.text('reason').nullable()
    table.string('first_number', 32).nullable()
    table.string('last_number', 32).nullable()
    table.string('decided_at', 32).notNullable()
    table.integer('arrival_sequence').notNullable().unique().references('effects.sequence')
    table.string('client_id', 64).notNullable().references('clients.client_id')
    table.string('accepted_at', 32).notNullable()
    table.index(['application_id', 'id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('decisions')
}
