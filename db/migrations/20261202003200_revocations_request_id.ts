import type { Knex } from 'knex'

/**
 * Each certificate's revocation row names the request (revocation_requests) it was recorded
 * with. The column carries no foreign key, as in 20261201000100_sealing_journal: SQLite can add
 * a plain column in place, where a constrained one would make knex rebuild the table; the
 * service writes both rows in one transaction and never deletes either.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('revocations', (table) => {
    table.integer('request_id').nullable()
    table.index(['request_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('revocations', (table) => table.dropIndex(['request_id']))
  // SQLite's own DROP COLUMN (3.35+): the column has no constraint, nothing is rebuilt.
  await knex.raw('alter table revocations drop column request_id')
}
