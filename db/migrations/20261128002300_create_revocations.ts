import type { Knex } from 'knex'

/** Revocation (注销): recorded by the department, approved by the bureau, executed by a clerk. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('revocations', (table) => {
    table.increments('id').primary()
    table.integer('certificate_id').unsigned().notNullable().references('id').inTable('certificates')
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.string('document_number', 100).notNullable()
    table.string('document_date', 10).notNullable()
    table.string('document_hash', 64).nullable().references('hash').inTable('files')
    table.string('reason_kind', 16).notNullable()
    table.text('reason_text').nullable()
    table.string('state', 16).notNullable()
    table.integer('recorded_by').unsigned().notNullable().references('id').inTable('users')
    table.integer('approved_by').unsigned().nullable().references('id').inTable('users')
    table.integer('executed_by').unsigned().nullable().references('id').inTable('users')
    table.string('created_at', 32).notNullable()
    table.string('approved_at', 32).nullable()
    table.string('executed_at', 32).nullable()
    table.index(['certificate_id'])
    table.index(['state'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('revocations')
}
