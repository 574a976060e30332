import type { Knex } from 'knex'

/** One row of a correction table: which field of which certificate, old and new value, why. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('correction_rows', (table) => {
    table.increments('id').primary()
    table.integer('request_id').unsigned().notNullable().references('id').inTable('correction_requests').onDelete('CASCADE')
    table.integer('seq').notNullable()
    table.integer('certificate_id').unsigned().notNullable().references('id').inTable('certificates')
    table.string('field', 32).notNullable()
    table.text('old_value').notNullable()
    table.text('new_value').notNullable()
    table.text('reason').notNullable()
    table.string('proof_hash', 64).nullable().references('hash').inTable('files')
    table.string('decision', 16).nullable()
    table.text('decision_reason').nullable()
    table.unique(['request_id', 'seq'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('correction_rows')
}
