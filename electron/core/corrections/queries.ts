import type { Knex } from 'knex'
import {
  fieldLabel,
  type CorrectionDocument,
  type CorrectionQueue,
  type CorrectionRowView,
  type CorrectionState,
  type CorrectionSummary,
  type RowDecision,
} from '../../contract/corrections'
import type { Family } from '../../contract/roles'
import type { Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'

export type Db = Knex | Knex.Transaction

/** A correction request as the queries read it. */
export interface RequestRecord {
  id: number
  organisation_id: number
  organisation_name: string
  state: CorrectionState
  explanation_hash: string | null
  submitted_by: number
  submitted_by_name: string | null
  decided_by_name: string | null
  applied_by_name: string | null
  decision_reason: string | null
  submitted_at: string
  decided_at: string | null
  applied_at: string | null
}

export function requestQuery(db: Db): Knex.QueryBuilder {
  return db('correction_requests as q')
    .join('organisations as o', 'o.id', 'q.organisation_id')
    .leftJoin('users as s', 's.id', 'q.submitted_by')
    .leftJoin('users as d', 'd.id', 'q.decided_by')
    .leftJoin('users as a', 'a.id', 'q.applied_by')
    .select('q.id', 'q.organisation_id', 'o.name as organisation_name', 'q.state', 'q.explanation_hash', 'q.submitted_by')
    .select('s.display_name as submitted_by_name', 'd.display_name as decided_by_name', 'a.display_name as applied_by_name')
    .select('q.decision_reason', 'q.submitted_at', 'q.decided_at', 'q.applied_at')
}

/** Narrows requestQuery to a queue, within what the actor's organisation oversees. */
export function queueQuery(db: Db, queue: CorrectionQueue, actor: Actor): Knex.QueryBuilder | null {
  const query = scopeToOrganisation(db, requestQuery(db), actor, 'q.organisation_id')
  switch (queue) {
    case 'to_review':
      if (!actor.roles.includes('reviewer') || actor.organisationKind !== 'bureau') return null
      return query.where('q.state', 'submitted').whereNot('q.submitted_by', actor.userId)
    case 'to_apply':
      if (!actor.roles.includes('clerk') || actor.organisationKind !== 'institute') return null
      return query.where('q.state', 'approved')
    case 'open':
      return query.whereIn('q.state', ['submitted', 'approved'])
    case 'returned':
    case 'applied':
      return query.where('q.state', queue)
    case 'submitted_by_me':
      return query.where('q.submitted_by', actor.userId)
    case 'all':
      return query
  }
}

/** The request if the actor's organisation oversees it; NOT_FOUND otherwise (ids are not to be probed). */
export async function loadVisibleRequest(db: Db, actor: Actor, id: number): Promise<RequestRecord> {
  const row = (await scopeToOrganisation(db, requestQuery(db), actor, 'q.organisation_id').where('q.id', id).first()) as
    RequestRecord | undefined
  if (!row) throw new AppError('NOT_FOUND', `勘误申请 ${id} 不存在，或不在您的管理范围内`)
  return row
}

/** Summaries with their row counts and table file name, a few grouped queries for the whole page. */
export async function summarise(db: Db, records: RequestRecord[]): Promise<CorrectionSummary[]> {
  const ids = records.map((record) => Number(record.id))
  const counts = (await db('correction_rows')
    .whereIn('request_id', ids)
    .groupBy('request_id')
    .select('request_id')
    .count({ rows: '*' })
    .countDistinct({ certificates: 'certificate_id' })
    .select(db.raw("sum(case when decision = 'approved' then 1 else 0 end) as approved"))
    .select(db.raw("sum(case when decision = 'returned' then 1 else 0 end) as returned"))) as Array<Record<string, number | string>>
  const byId = new Map(counts.map((row) => [Number(row.request_id), row]))
  const tables = (await db('correction_documents')
    .whereIn('request_id', ids)
    .where('kind', 'table')
    .select('request_id', 'file_name')) as Array<{
    request_id: number
    file_name: string
  }>
  const names = new Map(tables.map((row) => [Number(row.request_id), row.file_name]))
  return records.map((record) => {
    const count = byId.get(Number(record.id))
    return {
      id: Number(record.id),
      organisationId: Number(record.organisation_id),
      organisationName: record.organisation_name,
      state: record.state,
      fileName: names.get(Number(record.id)) ?? null,
      rowCount: Number(count?.rows ?? 0),
      certificateCount: Number(count?.certificates ?? 0),
      approvedRows: Number(count?.approved ?? 0),
      returnedRows: Number(count?.returned ?? 0),
      hasExplanation: record.explanation_hash !== null,
      submittedByName: record.submitted_by_name,
      submittedAt: record.submitted_at,
      decidedByName: record.decided_by_name,
      decidedAt: record.decided_at,
      appliedByName: record.applied_by_name,
      appliedAt: record.applied_at,
    }
  })
}

interface RowRecord {
  id: number
  seq: number
  certificate_id: number
  number: string
  family: Family
  holder_name: string
  field: string
  old_value: string
  new_value: string
  reason: string
  proofs: string | null
  decision: RowDecision | null
  decision_reason: string | null
  photo_consent: number | boolean
}

/** Every row of a request in table order, with the version its correction made once applied. */
export async function rowsOf(db: Db, requestId: number): Promise<CorrectionRowView[]> {
  const rows = (await db('correction_rows as r')
    .join('certificates as c', 'c.id', 'r.certificate_id')
    .where('r.request_id', requestId)
    .orderBy('r.seq')
    .select('r.id', 'r.seq', 'r.certificate_id', 'c.number', 'c.family', 'c.holder_name', 'r.field', 'r.old_value', 'r.new_value')
    .select('r.reason', 'r.proofs', 'r.decision', 'r.decision_reason', 'r.photo_consent')) as RowRecord[]
  const made = (await db('certificate_versions as v')
    .join('correction_rows as r', 'r.id', 'v.correction_row_id')
    .where('r.request_id', requestId)
    .select('v.certificate_id', 'v.version')) as Array<{ certificate_id: number; version: number }>
  const versions = new Map(made.map((row) => [Number(row.certificate_id), Number(row.version)]))
  return rows.map((row) => ({
    id: Number(row.id),
    rowNumber: Number(row.seq),
    certificateNumber: row.number,
    family: row.family,
    holderName: row.holder_name,
    field: row.field,
    fieldLabel: fieldLabel(row.family, row.field),
    oldValue: row.old_value,
    newValue: row.new_value,
    reason: row.reason,
    proofs: row.proofs ? (JSON.parse(row.proofs) as string[]) : [],
    decision: row.decision,
    decisionReason: row.decision_reason,
    photoConsent: Boolean(row.photo_consent),
    newVersion: row.decision === 'approved' ? (versions.get(Number(row.certificate_id)) ?? null) : null,
  }))
}

export async function documentsOf(db: Db, requestId: number): Promise<CorrectionDocument[]> {
  const rows = (await db('correction_documents').where('request_id', requestId).orderBy('id').select('kind', 'file_name')) as Array<{
    kind: CorrectionDocument['kind']
    file_name: string
  }>
  return rows.map((row) => ({ kind: row.kind, fileName: row.file_name }))
}
