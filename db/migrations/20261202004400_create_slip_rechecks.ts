import type { Knex } from 'knex'

/**
 * The institute's re-check (复核) of a senior title's query slip (clause 9): confirmed against
 * the record, or refused with a reason. One per slip; query_slips.recheck_state mirrors it for
 * the queue, and a refused slip keeps its number (numbers are never reused).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('slip_rechecks', (table) => {
    table.integer('slip_id').unsigned().primary().references('id').inTable('query_slips')
    table.string('decision', 16).notNullable()
    table.text('reason').nullable()
    table.integer('rechecked_by').unsigned().notNullable().references('id').inTable('users')
    table.string('rechecked_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('slip_rechecks')
}
