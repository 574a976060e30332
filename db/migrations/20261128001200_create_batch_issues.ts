import type { Knex } from 'knex'

/** The automatic checks' findings: errors block approval, warnings need acknowledgement. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('batch_issues', (table) => {
    table.increments('id').primary()
    table.integer('batch_id').unsigned().notNullable().references('id').inTable('application_batches').onDelete('CASCADE')
    table.integer('applicant_id').unsigned().nullable().references('id').inTable('applicants').onDelete('CASCADE')
    table.integer('row_number').nullable()
    table.string('column_name', 32).nullable()
    table.string('severity', 8).notNullable()
    table.string('code', 48).notNullable()
    table.text('message').notNullable()
    table.integer('acknowledged_by').unsigned().nullable().references('id').inTable('users')
    table.string('acknowledged_at', 32).nullable()
    table.index(['batch_id', 'severity'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('batch_issues')
}
