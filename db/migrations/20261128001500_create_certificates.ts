import type { Knex } from 'knex'

/** A certificate: its number never changes; its content lives in certificate_versions. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('certificates', (table) => {
    table.increments('id').primary()
    table.string('number', 32).notNullable().unique()
    table.string('family', 16).notNullable()
    table.string('level', 16).nullable()
    table.string('status', 16).notNullable()
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.integer('batch_id').unsigned().nullable().references('id').inTable('application_batches')
    table.integer('applicant_id').unsigned().nullable().references('id').inTable('applicants')
    table.string('holder_name', 64).notNullable()
    table.string('holder_id_number', 32).notNullable()
    // Paper or 2019-edition records imported into the register (clause 9).
    table.boolean('legacy').notNullable().defaultTo(false)
    table.integer('current_version').notNullable().defaultTo(1)
    table.string('issued_at', 32).nullable()
    table.string('created_at', 32).notNullable()
    table.string('updated_at', 32).notNullable()
    table.index(['holder_id_number', 'holder_name'])
    table.index(['organisation_id', 'family', 'level', 'issued_at'])
    table.index(['status'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('certificates')
}
