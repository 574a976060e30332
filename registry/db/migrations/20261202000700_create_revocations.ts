import type { Knex } from 'knex'

/** The revocation (注销) of a certificate: at most one, of the version current when it came. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('revocations', (table) => {
    table.string('number', 32).primary().references('certificates.number')
    table.integer('version').notNullable()
    table.string('reason', 16).notNullable()
    table.text('reason_text').nullable()
    table.string('document_number', 128).notNullable()
    table.string('document_date', 10).notNullable()
    table.string('document_sha256', 64).nullable().references('files.sha256')
    table.string('revoked_at', 32).notNullable()
    table.text('payload').notNullable()
    table.integer('arrival_sequence').notNullable().unique().references('effects.sequence')
    table.string('client_id', 64).notNullable().references('clients.client_id')
    table.string('accepted_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('revocations')
}
