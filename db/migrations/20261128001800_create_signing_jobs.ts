import type { Knex } from 'knex'

/** A batch-signing run of one seal over one batch: the journal that makes it resumable. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signing_jobs', (table) => {
    table.increments('id').primary()
    table.integer('batch_id').unsigned().notNullable().references('id').inTable('application_batches')
    table.integer('seal_id').unsigned().notNullable().references('id').inTable('seals')
    table.string('state', 16).notNullable()
    table.integer('total').notNullable().defaultTo(0)
    table.integer('done').notNullable().defaultTo(0)
    table.integer('failed').notNullable().defaultTo(0)
    table.integer('created_by').unsigned().notNullable().references('id').inTable('users')
    table.text('last_error').nullable()
    table.string('created_at', 32).notNullable()
    table.string('updated_at', 32).notNullable()
    table.string('finished_at', 32).nullable()
    table.index(['state'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signing_jobs')
}
