import type { Knex } from 'knex'

const OLD_SCOPE = ['organisation_id', 'family', 'level', 'issued_at']
const SCOPE = ['organisation_id', 'family', 'level', 'issued_at', 'status', 'legacy']

/**
 * Indexes the certificate register needs with a million certificates: the organisation index
 * widened by status and legacy, so a page filtered by organisation (or a department's scope) and
 * status is read from the index alone; the holder's name alone; the issue date alone, for a
 * period searched across the whole city; and the level alone (a rare vocational level would
 * otherwise be looked for through every row). The widened index starts with the old one's
 * columns and serves every query that one did, so the old one goes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('certificates', (table) => {
    table.dropIndex(OLD_SCOPE)
    table.index(SCOPE, 'certificates_register_scope_index')
    table.index(['holder_name'])
    table.index(['issued_at'])
    table.index(['level'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('certificates', (table) => {
    table.dropIndex(['level'])
    table.dropIndex(['issued_at'])
    table.dropIndex(['holder_name'])
    table.dropIndex(SCOPE, 'certificates_register_scope_index')
    table.index(OLD_SCOPE)
  })
}
