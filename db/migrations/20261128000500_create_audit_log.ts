import type { Knex } from 'knex'

/** The hash-chained audit log: each entry carries the hash of the one before it. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (table) => {
    // Explicit ids (not autoincrement) so a deleted entry leaves a visible gap in the chain.
    table.bigInteger('id').primary()
    table.string('at', 32).notNullable()
    table.integer('actor_id').nullable()
    table.string('actor_name', 64).notNullable()
    table.string('action', 64).notNullable()
    table.string('object_type', 64).notNullable()
    table.string('object_id', 64).nullable()
    table.string('before_digest', 64).nullable()
    table.string('after_digest', 64).nullable()
    table.text('details').notNullable()
    table.string('prev_hash', 64).notNullable()
    table.string('hash', 64).notNullable().unique()
    table.index(['object_type', 'object_id'])
    table.index(['action'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log')
}
