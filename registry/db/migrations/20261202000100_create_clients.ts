import type { Knex } from 'knex'

/** CertDesk installations: a client id bound to one organisation (or `*`, the bureau) and its Ed25519 public key. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clients', (table) => {
    table.string('client_id', 64).primary()
    table.string('organisation_code', 32).notNullable()
    table.text('public_key_pem').notNullable()
    table.boolean('active').notNullable().defaultTo(true)
    table.string('created_at', 32).notNullable()
    table.string('updated_at', 32).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('clients')
}
