import type { Knex } from 'knex'

/** Serial counters per year + body/project code prefix (clause 6): numbers are never reused. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('number_sequences', (table) => {
    table.string('prefix', 24).primary()
    table.bigInteger('next_serial').notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('number_sequences')
}
