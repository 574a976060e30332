import type { Knex } from 'knex'

/** One row every write transaction touches first (see core/db/transaction.ts for why). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('write_lock', (table) => {
    table.integer('id').primary()
    table.bigInteger('generation').notNullable().defaultTo(0)
  })
  await knex('write_lock').insert({ id: 1, generation: 0 })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('write_lock')
}
