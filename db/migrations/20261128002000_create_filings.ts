import type { Knex } from 'knex'

/** Filing (备案) of the paper production list and notice for an approved batch. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('filings', (table) => {
    table.increments('id').primary()
    table.integer('batch_id').unsigned().notNullable().unique().references('id').inTable('application_batches')
    table.string('received_on', 10).notNullable()
    table.string('scan_hash', 64).nullable().references('hash').inTable('files')
    table.integer('paper_count').notNullable()
    table.integer('electronic_count').notNullable()
    table.text('discrepancy').nullable()
    // Clause 4's exception: an offline review entered by the clerk, with the bureau's consent.
    table.boolean('offline').notNullable().defaultTo(false)
    table.string('consent_reference', 100).nullable()
    table.integer('recorded_by').unsigned().notNullable().references('id').inTable('users')
    table.string('created_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('filings')
}
