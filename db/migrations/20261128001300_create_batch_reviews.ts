import type { Knex } from 'knex'

/** Review decisions: one row per stage (a vocational batch has two, by two different people). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('batch_reviews', (table) => {
    table.increments('id').primary()
    table.integer('batch_id').unsigned().notNullable().references('id').inTable('application_batches').onDelete('CASCADE')
    table.integer('stage').notNullable()
    table.integer('reviewer_id').unsigned().notNullable().references('id').inTable('users')
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.string('decision', 16).notNullable()
    table.text('reason').nullable()
    table.string('decided_at', 32).notNullable()
    table.index(['batch_id', 'stage'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('batch_reviews')
}
