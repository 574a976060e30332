import type { Knex } from 'knex'

/** Query slips (职称评审结果查询单) and pass certificates (考试合格成绩单) of clause 9. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('query_slips', (table) => {
    table.increments('id').primary()
    table.string('kind', 16).notNullable()
    table.string('number', 32).notNullable().unique()
    table.integer('certificate_id').unsigned().nullable().references('id').inTable('certificates')
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.text('fields').notNullable()
    table.string('pdf_hash', 64).nullable().references('hash').inTable('files')
    // Senior-title slips go to the institute for re-check (复核).
    table.string('recheck_state', 16).nullable()
    table.integer('issued_by').unsigned().notNullable().references('id').inTable('users')
    table.string('issued_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('query_slips')
}
