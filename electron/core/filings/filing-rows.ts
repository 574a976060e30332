import type { Knex } from 'knex'
import type { BatchSource, BatchState } from '../../contract/applications'
import type { FilingDocument, FilingSummary, UnfiledBatch } from '../../contract/filings'
import type { Family } from '../../contract/roles'

export type Db = Knex | Knex.Transaction

const DAY_MS = 24 * 60 * 60 * 1000
/** Batches that must be filed: finally approved, and those already sealed and issued. */
export const FILABLE_STATES: BatchState[] = ['approved', 'issued']

/** When a batch's wait for filing began: its final approval (older rows without one: their last change). */
const DECIDED = 'coalesce(b.decided_at, b.updated_at)'

/** The instant before which a batch decided is overdue: `days` whole days before `now`. */
export function overdueCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString()
}

/** Approved or issued batches without a filing, oldest decision first. */
export function unfiledQuery(db: Db): Knex.QueryBuilder {
  return db('application_batches as b')
    .join('organisations as o', 'o.id', 'b.organisation_id')
    .leftJoin('filings as f', 'f.batch_id', 'b.id')
    .leftJoin('users as u', 'u.id', 'b.created_by')
    .leftJoin('organisations as uo', 'uo.id', 'u.organisation_id')
    .whereIn('b.state', FILABLE_STATES)
    .whereNull('f.id')
}

/** How many batches wait for filing, and how many of them for `days` days or more (the dashboard's card). */
export async function unfiledCounts(db: Db, now: Date, days: number): Promise<{ unfiled: number; overdue: number }> {
  const row = (await unfiledQuery(db)
    .select(
      db.raw('count(*) as unfiled'),
      db.raw(`sum(case when ${DECIDED} <= ? then 1 else 0 end) as overdue`, [overdueCutoff(now, days)]),
    )
    .first()) as { unfiled: number | string; overdue: number | string | null }
  return { unfiled: Number(row.unfiled), overdue: Number(row.overdue ?? 0) }
}

interface UnfiledRow {
  id: number
  organisation_name: string
  organisation_code: string | null
  family: Family
  level: string | null
  state: BatchState
  source: BatchSource
  decided: string
  decided_at: string | null
  creator_kind: string | null
  electronic_count: number | string
}

/** The unfiled batches with their age in whole days; `overdueOnly` keeps those waiting `days` days or more. */
export async function unfiledBatches(
  db: Db,
  now: Date,
  days: number,
  options: { overdueOnly: boolean; limit: number },
): Promise<UnfiledBatch[]> {
  const query = unfiledQuery(db)
    .select(
      'b.id',
      'o.name as organisation_name',
      'o.code as organisation_code',
      'b.family',
      'b.level',
      'b.state',
      'b.source',
      'b.decided_at',
      'uo.kind as creator_kind',
      db.raw(`${DECIDED} as decided`),
      db.raw('(select count(*) from certificates as c where c.batch_id = b.id) as electronic_count'),
    )
    .orderByRaw(`${DECIDED} asc, b.id asc`)
    .limit(options.limit)
  if (options.overdueOnly) query.whereRaw(`${DECIDED} <= ?`, [overdueCutoff(now, days)])
  const rows = (await query) as UnfiledRow[]
  return rows.map((row) => {
    const ageDays = Math.max(0, Math.floor((now.getTime() - Date.parse(row.decided)) / DAY_MS))
    return {
      batchId: Number(row.id),
      organisationName: row.organisation_name,
      organisationCode: row.organisation_code,
      family: row.family,
      level: row.level,
      state: row.state,
      source: row.source,
      decidedAt: row.decided_at,
      ageDays,
      overdue: ageDays >= days,
      electronicCount: Number(row.electronic_count),
      offlineEligible: isOfflineEligible(row),
    }
  })
}

/**
 * Clause 4's exception covers review bodies (title batches) that had the bureau's consent to
 * review offline and handed their materials to the institute, whose clerk entered the batch: so
 * a title batch entered by the institute, not one that came from the online platform.
 */
export function isOfflineEligible(batch: { family: Family; source: BatchSource; creator_kind: string | null }): boolean {
  return batch.family === 'title' && batch.source !== 'registry' && batch.creator_kind === 'institute'
}

/** The base query of filings: `f` the filing, `b` its batch, `d` its further documents. */
export function filingQuery(db: Db): Knex.QueryBuilder {
  return db('filings as f')
    .join('application_batches as b', 'b.id', 'f.batch_id')
    .join('organisations as o', 'o.id', 'b.organisation_id')
    .join('users as u', 'u.id', 'f.recorded_by')
    .leftJoin('filing_documents as d', 'd.filing_id', 'f.id')
    .select(
      'f.*',
      'b.family',
      'b.organisation_id',
      'o.name as organisation_name',
      'u.display_name as recorded_by_name',
      'd.notice_hash',
      'd.consent_hash',
    )
}

export interface FilingRow {
  id: number
  batch_id: number
  received_on: string
  scan_hash: string | null
  paper_count: number
  electronic_count: number
  discrepancy: string | null
  offline: number | boolean
  consent_reference: string | null
  created_at: string
  family: Family
  organisation_name: string
  recorded_by_name: string
  notice_hash: string | null
  consent_hash: string | null
}

/** The stored file of one of the filing's documents, or null when it has none of that kind. */
export function documentHash(row: FilingRow, kind: FilingDocument): string | null {
  return kind === 'list' ? row.scan_hash : kind === 'notice' ? row.notice_hash : row.consent_hash
}

export function filingSummary(row: FilingRow): FilingSummary {
  const kinds: FilingDocument[] = ['list', 'notice', 'consent']
  return {
    id: Number(row.id),
    batchId: Number(row.batch_id),
    organisationName: row.organisation_name,
    family: row.family,
    receivedOn: row.received_on,
    paperCount: Number(row.paper_count),
    electronicCount: Number(row.electronic_count),
    discrepancy: row.discrepancy,
    offline: Boolean(row.offline),
    consentReference: row.consent_reference,
    documents: kinds.filter((kind) => documentHash(row, kind) !== null),
    recordedByName: row.recorded_by_name,
    recordedAt: row.created_at,
  }
}
