import type { Knex } from 'knex'

/** Which family and level an organisation may apply for; checked at import. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisation_grants', (table) => {
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations').onDelete('CASCADE')
    table.string('family', 16).notNullable()
    table.string('level', 16).notNullable()
    // The organisation whose seal an intermediate/primary title of this review body carries (clause 3).
    table.integer('seal_organisation_id').unsigned().nullable().references('id').inTable('organisations')
    table.primary(['organisation_id', 'family', 'level'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('organisation_grants')
}
