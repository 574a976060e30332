import type { Knex } from 'knex'

/** Production applications (制证申请): one batch per import or registry pull. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('application_batches', (table) => {
    table.increments('id').primary()
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.string('family', 16).notNullable()
    table.string('level', 16).nullable()
    table.string('state', 24).notNullable()
    table.string('source', 16).notNullable()
    table.string('external_ref', 128).nullable().unique()
    table.string('notice_file_hash', 64).nullable().references('hash').inTable('files')
    table.integer('applicant_count').notNullable().defaultTo(0)
    table.integer('error_count').notNullable().defaultTo(0)
    table.integer('warning_count').notNullable().defaultTo(0)
    table.integer('created_by').unsigned().nullable().references('id').inTable('users')
    table.string('submitted_at', 32).nullable()
    table.string('decided_at', 32).nullable()
    table.string('created_at', 32).notNullable()
    table.string('updated_at', 32).notNullable()
    table.index(['state'])
    table.index(['organisation_id', 'state'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('application_batches')
}
