import type { Knex } from 'knex'

/**
 * The files a correction request came with, kept as submitted: the correction summary table
 * itself and each proof (证明材料) the rows name, by file name. The explanation (情况说明) has its
 * column on correction_requests already; it is listed here too, so one table serves downloads.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('correction_documents', (table) => {
    table.increments('id').primary()
    table.integer('request_id').unsigned().notNullable().references('id').inTable('correction_requests').onDelete('CASCADE')
    // table | explanation | proof
    table.string('kind', 16).notNullable()
    table.string('file_name', 200).notNullable()
    table.string('file_hash', 64).notNullable().references('hash').inTable('files')
    table.unique(['request_id', 'kind', 'file_name'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('correction_documents')
}
