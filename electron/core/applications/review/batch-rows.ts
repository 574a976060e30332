import type { Knex } from 'knex'
import type { BatchSource, BatchState, BatchSummary } from '../../../contract/applications'
import type { Family } from '../../../contract/roles'
import type { Actor } from '../../users/access'
import { scopeToOrganisation } from '../../users/scope'
import { AppError } from '../../util/app-error'

export type Db = Knex | Knex.Transaction

/** One application batch as the review desk reads it, with its organisation and submitter. */
export interface BatchRow {
  id: number
  organisation_id: number
  organisation_name: string
  organisation_code: string | null
  organisation_parent_id: number | null
  family: Family
  level: string | null
  state: BatchState
  source: BatchSource
  /** The online platform's application id, for a batch pulled from the registry. */
  external_ref: string | null
  declaration_year: number | null
  file_name: string | null
  applicant_count: number
  excluded_count: number
  error_count: number
  warning_count: number
  created_by: number | null
  created_by_name: string | null
  submitted_at: string | null
  decided_at: string | null
  created_at: string
  notice_file_hash: string | null
  error_workbook_hash: string | null
}

/** The base query of every batch read: `b` the batch, `o` its organisation. */
export function batchQuery(db: Db): Knex.QueryBuilder {
  return db('application_batches as b')
    .join('organisations as o', 'o.id', 'b.organisation_id')
    .leftJoin('users as u', 'u.id', 'b.created_by')
    .select(
      'b.id',
      'b.organisation_id',
      'o.name as organisation_name',
      'o.code as organisation_code',
      'o.parent_id as organisation_parent_id',
      'b.family',
      'b.level',
      'b.state',
      'b.source',
      'b.external_ref',
      'b.declaration_year',
      'b.file_name',
      'b.applicant_count',
      'b.excluded_count',
      'b.error_count',
      'b.warning_count',
      'b.created_by',
      'u.display_name as created_by_name',
      'b.submitted_at',
      'b.decided_at',
      'b.created_at',
      'b.notice_file_hash',
      'b.error_workbook_hash',
    )
}

/** The batches of the actor's reach (their organisation and the units directly under it, or the city). */
export function scopedBatchQuery(db: Db, actor: Actor): Knex.QueryBuilder {
  return scopeToOrganisation(db, batchQuery(db), actor, 'b.organisation_id')
}

/**
 * The batch when the actor may see it. A batch out of reach is NOT_FOUND, exactly like one that
 * does not exist, so its existence is not revealed.
 */
export async function loadVisibleBatch(db: Db, actor: Actor, batchId: number): Promise<BatchRow> {
  const row = (await scopedBatchQuery(db, actor).where('b.id', batchId).first()) as BatchRow | undefined
  if (!row) throw new AppError('NOT_FOUND', `制证申请批次 ${batchId} 不存在，或不在您的管理范围内`)
  return row
}

/**
 * Warnings still open per batch: on applicants left in the batch (or on the batch itself) and
 * acknowledged by nobody. One grouped query for any number of batches.
 */
async function unacknowledgedWarnings(db: Db, batchIds: number[]): Promise<Map<number, number>> {
  if (batchIds.length === 0) return new Map()
  const rows = (await db('batch_issues as i')
    .leftJoin('applicants as a', 'a.id', 'i.applicant_id')
    .whereIn('i.batch_id', batchIds)
    .where('i.severity', 'warning')
    .whereNull('i.acknowledged_at')
    .whereNull('a.excluded_at')
    .groupBy('i.batch_id')
    .select('i.batch_id')
    .count({ n: '*' })) as Array<{ batch_id: number; n: number | string }>
  return new Map(rows.map((row) => [Number(row.batch_id), Number(row.n)]))
}

function toSummary(row: BatchRow, openWarnings: number): BatchSummary {
  return {
    id: Number(row.id),
    organisationId: Number(row.organisation_id),
    organisationName: row.organisation_name,
    organisationCode: row.organisation_code,
    family: row.family,
    level: row.level,
    state: row.state,
    source: row.source,
    declarationYear: Number(row.declaration_year ?? Number(row.created_at.slice(0, 4))),
    fileName: row.file_name,
    applicantCount: Number(row.applicant_count),
    excludedCount: Number(row.excluded_count),
    errorCount: Number(row.error_count),
    warningCount: Number(row.warning_count),
    unacknowledgedWarnings: openWarnings,
    createdByName: row.created_by_name,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
  }
}

/** Summaries of loaded batch rows, in the same order. */
export async function summarise(db: Db, rows: BatchRow[]): Promise<BatchSummary[]> {
  const open = await unacknowledgedWarnings(
    db,
    rows.map((row) => Number(row.id)),
  )
  return rows.map((row) => toSummary(row, open.get(Number(row.id)) ?? 0))
}
