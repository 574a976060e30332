import type { Knex } from 'knex'

/** Electronic seals: a key on a USB token, its certificate (by fingerprint) and appearance. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('seals', (table) => {
    table.increments('id').primary()
    table.integer('organisation_id').unsigned().notNullable().references('id').inTable('organisations')
    table.string('name', 100).notNullable()
    table.string('purpose', 100).notNullable()
    table.string('certificate_fingerprint', 64).notNullable()
    table.text('certificate_pem').notNullable()
    table.string('appearance_hash', 64).nullable().references('hash').inTable('files')
    // Which certificates it applies to (families and levels), as JSON.
    table.text('applies_to').notNullable()
    table.boolean('active').notNullable().defaultTo(true)
    table.string('created_at', 32).notNullable()
    table.string('updated_at', 32).notNullable()
    table.unique(['certificate_fingerprint'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('seals')
}
