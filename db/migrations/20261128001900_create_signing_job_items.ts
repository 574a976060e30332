import type { Knex } from 'knex'

/** Per-certificate state of a signing job (pending → rendered → signed → verified | failed). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signing_job_items', (table) => {
    table.increments('id').primary()
    table.integer('job_id').unsigned().notNullable().references('id').inTable('signing_jobs').onDelete('CASCADE')
    table.integer('certificate_version_id').unsigned().notNullable().references('id').inTable('certificate_versions')
    table.string('state', 16).notNullable()
    table.string('pdf_hash', 64).nullable()
    table.text('error').nullable()
    table.string('updated_at', 32).notNullable()
    table.unique(['job_id', 'certificate_version_id'])
    table.index(['job_id', 'state'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signing_job_items')
}
