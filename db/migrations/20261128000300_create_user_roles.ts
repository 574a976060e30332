import type { Knex } from 'knex'

/** A user may hold several of reviewer, clerk, sealer, admin. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_roles', (table) => {
    table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE')
    table.string('role', 16).notNullable()
    table.primary(['user_id', 'role'])
    table.index(['role'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_roles')
}
