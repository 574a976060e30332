import type { Knex } from 'knex'
import type { CertificateFields } from '../../contract/certificates'
import type {
  CertificateDetail,
  CertificateRecord,
  CorrectionInfo,
  RevocationInfo,
  VersionInfo,
  VersionSealInfo,
} from '../../contract/register'
import { recordsAbout } from '../integrity/integrity-records'
import type { Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'
import { identityOf, type IdentityRow } from './certificate-identity'

type Db = Knex | Knex.Transaction

export interface CertificateRow extends IdentityRow {
  organisation_id: number
  organisation_name: string
  organisation_code: string | null
  legacy: number | boolean
  current_version: number
  batch_id: number | null
  applicant_id: number | null
  issued_at: string | null
  created_at: string
}

/** A certificate within the actor's reach; one outside it is reported exactly like a missing one. */
export async function findCertificate(db: Db, actor: Actor, number: string): Promise<CertificateRow> {
  const query = db('certificates as c')
    .join('organisations as o', 'o.id', 'c.organisation_id')
    .where('c.number', number)
    .first('c.*', 'o.name as organisation_name', 'o.code as organisation_code')
  scopeToOrganisation(db, query, actor, 'c.organisation_id')
  const row = (await query) as CertificateRow | undefined
  if (!row) throw new AppError('NOT_FOUND', `证书 ${number} 不存在或不在您的管理范围内`)
  return row
}

function recordOf(row: CertificateRow): CertificateRecord {
  return {
    ...identityOf(row),
    holderIdNumber: row.holder_id_number,
    organisationId: Number(row.organisation_id),
    organisationName: row.organisation_name,
    organisationCode: row.organisation_code,
    legacy: Boolean(row.legacy),
    currentVersion: Number(row.current_version),
    batchId: row.batch_id === null ? null : Number(row.batch_id),
    issuedAt: row.issued_at,
    createdAt: row.created_at,
  }
}

async function versionsOf(db: Db, certificateId: number): Promise<VersionInfo[]> {
  const versions = (await db('certificate_versions')
    .where({ certificate_id: certificateId })
    .orderBy('version', 'desc')
    .select('id', 'version', 'status', 'fields', 'pdf_hash', 'correction_row_id', 'created_at', 'issued_at', 'superseded_at')) as Array<
    Record<string, unknown>
  >
  const seals = (await db('version_seals as vs')
    .join('seals as s', 's.id', 'vs.seal_id')
    .join('organisations as so', 'so.id', 's.organisation_id')
    .leftJoin('users as u', 'u.id', 'vs.signed_by')
    .whereIn(
      'vs.certificate_version_id',
      versions.map((version) => Number(version.id)),
    )
    .orderBy('vs.signed_at')
    .select(
      'vs.certificate_version_id',
      'vs.slot',
      'vs.seal_id',
      's.name',
      'so.name as organisation_name',
      'vs.signed_at',
      'u.display_name',
    )) as Array<Record<string, unknown>>
  return versions.map((version) => ({
    version: Number(version.version),
    status: String(version.status),
    fields: JSON.parse(String(version.fields)) as CertificateFields,
    createdAt: String(version.created_at),
    issuedAt: (version.issued_at as string | null) ?? null,
    supersededAt: (version.superseded_at as string | null) ?? null,
    sealed: version.pdf_hash !== null,
    pdfSha256: (version.pdf_hash as string | null) ?? null,
    correctionRowId: version.correction_row_id === null ? null : Number(version.correction_row_id),
    seals: seals
      .filter((seal) => Number(seal.certificate_version_id) === Number(version.id))
      .map((seal): VersionSealInfo => ({
        slot: String(seal.slot),
        sealId: Number(seal.seal_id),
        sealName: String(seal.name),
        sealOrganisationName: String(seal.organisation_name),
        signedAt: String(seal.signed_at),
        signedByName: (seal.display_name as string | null) ?? null,
      })),
  }))
}

/** Per certificate the revocations table has a row; the request it came with holds the decision. */
async function revocationsOf(db: Db, certificateId: number): Promise<RevocationInfo[]> {
  const rows = (await db('revocations as r')
    .leftJoin('revocation_requests as q', 'q.id', 'r.request_id')
    .where('r.certificate_id', certificateId)
    .orderBy('r.id', 'desc')
    .select(
      'r.id',
      db.raw('coalesce(q.state, r.state) as state'),
      'r.document_number',
      'r.document_date',
      'r.reason_kind',
      'r.reason_text',
      'r.created_at',
      db.raw('coalesce(q.decided_at, r.approved_at) as approved_at'),
      db.raw('coalesce(q.executed_at, r.executed_at) as executed_at'),
    )) as Array<Record<string, unknown>>
  return rows.map((row) => ({
    id: Number(row.id),
    state: String(row.state),
    documentNumber: String(row.document_number),
    documentDate: String(row.document_date),
    reasonKind: String(row.reason_kind),
    reasonText: (row.reason_text as string | null) ?? null,
    createdAt: String(row.created_at),
    approvedAt: (row.approved_at as string | null) ?? null,
    executedAt: (row.executed_at as string | null) ?? null,
  }))
}

async function correctionsOf(db: Db, certificateId: number): Promise<CorrectionInfo[]> {
  const rows = (await db('correction_rows as r')
    .join('correction_requests as q', 'q.id', 'r.request_id')
    .where('r.certificate_id', certificateId)
    .orderBy([
      { column: 'q.id', order: 'desc' },
      { column: 'r.seq', order: 'asc' },
    ])
    .select(
      'r.request_id',
      'q.state',
      'r.seq',
      'r.field',
      'r.old_value',
      'r.new_value',
      'r.reason',
      'r.decision',
      'q.submitted_at',
      'q.applied_at',
    )) as Array<Record<string, unknown>>
  return rows.map((row) => ({
    requestId: Number(row.request_id),
    requestState: String(row.state),
    seq: Number(row.seq),
    field: String(row.field),
    oldValue: String(row.old_value),
    newValue: String(row.new_value),
    reason: String(row.reason),
    decision: (row.decision as string | null) ?? null,
    submittedAt: String(row.submitted_at),
    appliedAt: (row.applied_at as string | null) ?? null,
  }))
}

/** Everything the register knows of one certificate the actor can see. */
export async function certificateDetail(db: Db, actor: Actor, number: string): Promise<CertificateDetail> {
  const row = await findCertificate(db, actor, number)
  const id = Number(row.id)
  return {
    certificate: recordOf(row),
    versions: await versionsOf(db, id),
    revocations: await revocationsOf(db, id),
    corrections: await correctionsOf(db, id),
    integrity: await recordsAbout(db, actor, { idNumber: row.holder_id_number }),
  }
}
