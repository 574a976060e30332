import type { Knex } from 'knex'

/** Local accounts; the password is stored only as a scrypt hash with its parameters. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.increments('id').primary()
    table.string('username', 64).notNullable().unique()
    table.string('display_name', 64).notNullable()
    table.string('password_hash', 255).notNullable()
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations').onDelete('RESTRICT')
    table.boolean('active').notNullable().defaultTo(true)
    table.boolean('must_change_password').notNullable().defaultTo(false)
    table.integer('failed_logins').notNullable().defaultTo(0)
    table.string('last_failed_at', 32).nullable()
    table.string('last_login_at', 32).nullable()
    table.string('created_at', 32).notNullable()
    table.string('updated_at', 32).notNullable()
    table.index(['organisation_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users')
}
