import type { Knex } from 'knex'

/** One row per certificate number: who issued it and which version is current. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('certificates', (table) => {
    table.string('number', 32).primary()
    table.string('organisation_code', 32).notNullable()
    table.string('family', 16).notNullable()
    table.integer('current_version').notNullable()
    table.string('created_at', 32).notNullable()
    table.string('updated_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('certificates')
}
