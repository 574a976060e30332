import type { Knex } from 'knex'

/** Every made version of a certificate; a correction adds one, nothing is overwritten. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('certificate_versions', (table) => {
    table.increments('id').primary()
    table.integer('certificate_id').unsigned().notNullable().references('id').inTable('certificates').onDelete('RESTRICT')
    table.integer('version').notNullable()
    table.string('status', 16).notNullable()
    table.text('fields').notNullable()
    table.string('photo_hash', 64).nullable().references('hash').inTable('files')
    table.string('pdf_hash', 64).nullable().references('hash').inTable('files')
    table.string('pdf_path', 255).nullable()
    table.integer('correction_row_id').unsigned().nullable()
    table.string('created_at', 32).notNullable()
    table.string('issued_at', 32).nullable()
    table.string('superseded_at', 32).nullable()
    table.unique(['certificate_id', 'version'])
    table.index(['status'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('certificate_versions')
}
