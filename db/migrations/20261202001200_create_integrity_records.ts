import type { Knex } from 'knex'

/**
 * Integrity records (诚信档案, clause 10): a finding of forgery, tampering, lending (挂证) or
 * abuse, against a certificate (certificate_id set) or a person only. The subject's ID number and
 * name are kept on the record either way, so a person's records are found by ID number whichever
 * way they were recorded. Rows are never updated or deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('integrity_records', (table) => {
    table.increments('id').primary()
    table.string('kind', 16).notNullable()
    table.integer('certificate_id').unsigned().nullable().references('id').inTable('certificates')
    table.string('subject_id_number', 32).notNullable()
    table.string('subject_name', 64).notNullable()
    table.string('found_on', 10).notNullable()
    table.text('description').notNullable()
    // The recorder's organisation: what decides who else sees a record against a person only.
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.integer('recorded_by').unsigned().notNullable().references('id').inTable('users')
    table.string('recorded_at', 32).notNullable()
    table.index(['certificate_id'])
    table.index(['subject_id_number', 'subject_name'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('integrity_records')
}
