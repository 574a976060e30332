import type { Knex } from 'knex'
import { WORKFLOW_STATES, type DashboardCount, type DashboardGroup } from '../../contract/dashboard'
import { unfiledCounts } from '../filings/filing-rows'
import type { SettingsService } from '../settings/settings-service'
import { requireSignedIn, type Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import type { Clock } from '../util/clock'

/** Counts per state, with every known state of the workflow present (zero when empty). */
async function countByState(workflow: keyof typeof WORKFLOW_STATES, query: Knex.QueryBuilder, column = 'state'): Promise<DashboardCount[]> {
  const rows = (await query.select(`${column} as key`).count({ count: '*' }).groupBy(column).orderBy(column)) as Array<{
    key: string
    count: number | string
  }>
  const found = new Map(rows.map((row) => [String(row.key), Number(row.count)]))
  const known: readonly string[] = WORKFLOW_STATES[workflow]
  return [...known, ...[...found.keys()].filter((key) => !known.includes(key))].map((key) => ({ key, count: found.get(key) ?? 0 }))
}

/** Counts per workflow state, for the roles the user holds, within their organisation's reach. */
export class DashboardService {
  constructor(
    private readonly db: Knex,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  async summary(actor: Actor | null): Promise<DashboardGroup[]> {
    const user = requireSignedIn(actor)
    const db = this.db
    const groups: DashboardGroup[] = []
    const has = (role: string) => user.roles.includes(role as never)
    if (has('reviewer') || has('clerk')) {
      groups.push({
        key: 'applications',
        counts: await countByState('applications', scopeToOrganisation(db, db('application_batches'), user, 'organisation_id')),
      })
    }
    if (has('sealer')) {
      const jobs = db('signing_jobs as j').join('seals as s', 's.id', 'j.seal_id')
      groups.push({
        key: 'signing',
        counts: await countByState('signing', scopeToOrganisation(db, jobs, user, 's.organisation_id'), 'j.state'),
      })
    }
    if (has('clerk')) {
      // Overdue: unfiled for the days of filing.reminderDays or more since final approval.
      const { unfiled, overdue } = await unfiledCounts(db, this.clock.now(), await this.settings.value('filing.reminderDays'))
      const filed = (await db('filings').count({ count: '*' }).first()) as { count: number | string }
      groups.push({
        key: 'filing',
        counts: [
          { key: 'unfiled', count: unfiled },
          { key: 'overdue', count: overdue },
          { key: 'filed', count: Number(filed.count) },
        ],
      })
    }
    if (has('reviewer') || has('clerk')) {
      groups.push({
        key: 'corrections',
        counts: await countByState('corrections', scopeToOrganisation(db, db('correction_requests'), user, 'organisation_id')),
      })
      groups.push({
        key: 'revocations',
        counts: await countByState('revocations', scopeToOrganisation(db, db('revocations'), user, 'organisation_id')),
      })
    }
    if (has('admin') || has('clerk')) groups.push({ key: 'sync', counts: await countByState('sync', db('outbox')) })
    if (has('admin')) {
      const count = async (table: string, where: Record<string, unknown> = {}) =>
        Number(((await db(table).where(where).count({ count: '*' }).first()) as { count: number | string }).count)
      groups.push({
        key: 'administration',
        counts: [
          { key: 'organisations', count: await count('organisations', { active: true }) },
          { key: 'users', count: await count('users', { active: true }) },
          { key: 'auditEntries', count: await count('audit_log') },
        ],
      })
    }
    return groups
  }
}
