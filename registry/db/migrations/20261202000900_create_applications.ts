import type { Knex } from 'knex'

/**
 * Production applications submitted on the online platform (clause 8). The sequence only grows:
 * it is the cursor of GET /v1/applications, so a page never repeats what an earlier one gave.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('applications', (table) => {
    table.increments('sequence').primary()
    table.string('id', 128).notNullable().unique()
    table.string('organisation_code', 32).notNullable()
    table.string('family', 16).notNullable()
    table.string('submitted_at', 32).notNullable()
    table.string('workbook_sha256', 64).notNullable().references('files.sha256')
    table.string('workbook_name', 255).notNullable()
    table.string('photos_sha256', 64).nullable().references('files.sha256')
    table.string('notice_sha256', 64).nullable().references('files.sha256')
    table.string('created_at', 32).notNullable()
    table.index(['organisation_code', 'sequence'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('applications')
}
