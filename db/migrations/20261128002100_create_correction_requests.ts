import type { Knex } from 'knex'

/** A correction summary table (勘误汇总表) submitted with its explanation (情况说明). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('correction_requests', (table) => {
    table.increments('id').primary()
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.string('state', 16).notNullable()
    table.string('explanation_hash', 64).nullable().references('hash').inTable('files')
    table.integer('submitted_by').unsigned().notNullable().references('id').inTable('users')
    table.integer('decided_by').unsigned().nullable().references('id').inTable('users')
    table.integer('applied_by').unsigned().nullable().references('id').inTable('users')
    table.text('decision_reason').nullable()
    table.string('submitted_at', 32).notNullable()
    table.string('decided_at', 32).nullable()
    table.string('applied_at', 32).nullable()
    table.index(['state'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('correction_requests')
}
