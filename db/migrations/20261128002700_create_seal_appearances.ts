import type { Knex } from 'knex'

/**
 * The uploaded appearance of an organisation's seal (PNG with transparency), used wherever that
 * organisation's seal is placed; without one the app draws the round seal itself.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('seal_appearances', (table) => {
    table.integer('organisation_id').unsigned().primary().references('id').inTable('organisations').onDelete('CASCADE')
    table.string('image_hash', 64).notNullable().references('hash').inTable('files')
    table.integer('width').notNullable()
    table.integer('height').notNullable()
    table.integer('updated_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
    table.string('updated_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('seal_appearances')
}
