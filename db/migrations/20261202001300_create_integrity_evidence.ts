import type { Knex } from 'knex'

/** The evidence of an integrity record: stored files (by SHA-256) with the names they were given. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('integrity_evidence', (table) => {
    table.increments('id').primary()
    table.integer('record_id').unsigned().notNullable().references('id').inTable('integrity_records')
    table.string('file_hash', 64).notNullable().references('hash').inTable('files')
    table.string('file_name', 200).notNullable()
    table.unique(['record_id', 'file_hash'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('integrity_evidence')
}
