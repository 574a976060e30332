import type { Knex } from 'knex'
import { entryHash, type AuditRow } from '../../electron/core/audit/audit-log'
import { canonicalJson } from '../../electron/core/util/canonical'

/**
 * What someone with the database file could do: change entry `id`'s details and recompute every
 * hash after it, so that the log verifies on its own. Only a published checkpoint gives it away.
 */
export async function rewriteAuditEntry(db: Knex, id: number, details: Record<string, unknown>): Promise<void> {
  await db.raw('drop trigger if exists audit_log_no_update')
  const rows = (await db('audit_log').orderBy('id')) as AuditRow[]
  let previous = rows[0].prev_hash
  for (const row of rows) {
    const changed = { ...row, prev_hash: previous }
    if (Number(row.id) === id) changed.details = canonicalJson(details)
    const { hash: _old, ...rest } = changed
    changed.hash = entryHash(rest)
    await db('audit_log').where({ id: row.id }).update({ details: changed.details, prev_hash: changed.prev_hash, hash: changed.hash })
    previous = changed.hash
  }
}
