import type { Knex } from 'knex'

/** Every published version of a certificate, as sent (payload), with the effect that brought it. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('certificate_versions', (table) => {
    table.string('number', 32).notNullable().references('certificates.number')
    table.integer('version').notNullable()
    table.text('payload').notNullable()
    table.string('verification_code', 8).notNullable()
    table.string('pdf_sha256', 64).notNullable().references('files.sha256')
    table.string('organisation_code', 32).notNullable()
    table.string('issued_at', 32).notNullable()
    // The sequence of its arrival (its effect): versions of all certificates in the order applied.
    table.integer('arrival_sequence').notNullable().unique().references('effects.sequence')
    table.string('client_id', 64).notNullable().references('clients.client_id')
    table.string('accepted_at', 32).notNullable()
    table.primary(['number', 'version'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('certificate_versions')
}
