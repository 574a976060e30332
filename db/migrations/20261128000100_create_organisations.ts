import type { Knex } from 'knex'

/** Organisations of the notice: the bureau, supervising departments, review bodies, exam institutions… */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisations', (table) => {
    table.increments('id').primary()
    table.string('name', 100).notNullable().unique()
    table.string('kind', 32).notNullable()
    // Bureau-assigned code of a review body or exam project (clause 6); part of certificate numbers.
    table.string('code', 12).nullable().unique()
    table.integer('parent_id').unsigned().nullable().references('id').inTable('organisations').onDelete('RESTRICT')
    table.string('organising_unit', 100).nullable()
    table.boolean('active').notNullable().defaultTo(true)
    table.string('created_at', 32).notNullable()
    table.string('updated_at', 32).notNullable()
    table.index(['kind'])
    table.index(['parent_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  // DROP TABLE deletes the rows first, and the RESTRICT self-reference would refuse that.
  await knex('organisations').update({ parent_id: null })
  await knex.schema.dropTable('organisations')
}
