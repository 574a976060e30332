import type { Knex } from 'knex'
import type { CertificateStatus } from '../../contract/certificates'
import type { RevocationCertificate, RevocationReason, RevocationState, RevocationSummary } from '../../contract/revocations'
import type { Family } from '../../contract/roles'
import type { Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'

export type Db = Knex | Knex.Transaction

/** One revocation request with its department and the names of who acted on it. */
export interface RequestRow {
  id: number
  organisation_id: number
  organisation_name: string
  document_number: string
  document_date: string
  document_hash: string
  reason_kind: RevocationReason
  reason_text: string | null
  state: RevocationState
  certificate_count: number
  recorded_by: number
  recorded_by_name: string
  decided_by: number | null
  decided_by_name: string | null
  rejection_reason: string | null
  executed_by_name: string | null
  created_at: string
  decided_at: string | null
  executed_at: string | null
  first_number: string | null
}

/** The base query of every request read: `q` the request, `o` the recording department. */
export function requestQuery(db: Db): Knex.QueryBuilder {
  return db('revocation_requests as q')
    .join('organisations as o', 'o.id', 'q.organisation_id')
    .join('users as ru', 'ru.id', 'q.recorded_by')
    .leftJoin('users as du', 'du.id', 'q.decided_by')
    .leftJoin('users as eu', 'eu.id', 'q.executed_by')
    .select(
      'q.*',
      'o.name as organisation_name',
      'ru.display_name as recorded_by_name',
      'du.display_name as decided_by_name',
      'eu.display_name as executed_by_name',
      db.raw(
        '(select min(c.number) from revocations as r join certificates as c on c.id = r.certificate_id where r.request_id = q.id) as first_number',
      ),
    )
}

/** A request the actor may see (their department's, or any for the bureau, the institute and admins). */
export async function loadVisibleRequest(db: Db, actor: Actor, id: number): Promise<RequestRow> {
  const query = scopeToOrganisation(db, requestQuery(db).where('q.id', id), actor, 'q.organisation_id')
  const row = (await query.first()) as RequestRow | undefined
  if (!row) throw new AppError('NOT_FOUND', `注销申请 ${id} 不存在，或不在您的管理范围内`)
  return row
}

export function summaryOf(row: RequestRow): RevocationSummary {
  return {
    id: Number(row.id),
    organisationId: Number(row.organisation_id),
    organisationName: row.organisation_name,
    documentNumber: row.document_number,
    documentDate: row.document_date,
    reason: row.reason_kind,
    reasonText: row.reason_text,
    state: row.state,
    certificateCount: Number(row.certificate_count),
    firstNumber: row.first_number,
    recordedByName: row.recorded_by_name,
    recordedAt: row.created_at,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at,
    rejectionReason: row.rejection_reason,
    executedByName: row.executed_by_name,
    executedAt: row.executed_at,
  }
}

/** The certificates a request names, by number, with their status now. */
export async function requestCertificates(db: Db, requestId: number): Promise<RevocationCertificate[]> {
  const rows = (await db('revocations as r')
    .join('certificates as c', 'c.id', 'r.certificate_id')
    .join('organisations as o', 'o.id', 'c.organisation_id')
    .where('r.request_id', requestId)
    .orderBy('c.number')
    .select('c.number', 'c.holder_name', 'c.family', 'c.level', 'c.status', 'c.current_version', 'o.name as organisation_name')) as Array<
    Record<string, unknown>
  >
  return rows.map((row) => ({
    number: String(row.number),
    holderName: String(row.holder_name),
    family: row.family as Family,
    level: (row.level as string | null) ?? null,
    organisationName: String(row.organisation_name),
    status: row.status as CertificateStatus,
    version: Number(row.current_version),
  }))
}

/** What an execution needs of each certificate: its id, number, status and the version it revokes. */
export interface ExecutionTarget {
  id: number
  number: string
  status: string
  version: number
}

export async function executionTargets(trx: Knex.Transaction, requestId: number): Promise<ExecutionTarget[]> {
  const rows = (await trx('revocations as r')
    .join('certificates as c', 'c.id', 'r.certificate_id')
    .where('r.request_id', requestId)
    .orderBy('c.id')
    .select('c.id', 'c.number', 'c.status', 'c.current_version')) as Array<{
    id: number
    number: string
    status: string
    current_version: number
  }>
  return rows.map((row) => ({ id: Number(row.id), number: row.number, status: row.status, version: Number(row.current_version) }))
}
