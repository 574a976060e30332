import type { Knex } from 'knex'
import { PHOTO_FIELD } from '../../contract/corrections'
import type { AuditRecord } from '../audit/audit-log'
import { AppError } from '../util/app-error'
import { applyValue } from './checks/field-values'

const CHUNK = 400

interface ApprovedRow {
  id: number
  certificate_id: number
  field: string
  new_value: string
  base_version: number | null
}

interface CurrentVersion {
  id: number
  number: string
  status: string
  current_version: number
  version: number
  fields: string
  photo_hash: string | null
  latest: number
  pending: number
}

/**
 * The institute's re-making of the certificates of an approved request, inside the caller's write
 * transaction: for each certificate with approved rows, version n+1 with the corrected snapshot
 * (and photo), status pending, linked to its correction row. Nothing is overwritten: the current
 * version stays active until the new one has every seal, when sealing supersedes it. A certificate
 * revoked meanwhile is skipped; one that moved on otherwise refuses the whole request. Returns one
 * audit record per certificate, naming its number and new version, and the numbers skipped.
 */
export async function writeNewVersions(
  trx: Knex.Transaction,
  requestId: number,
  now: string,
): Promise<{ records: AuditRecord[]; skipped: string[] }> {
  const approved = (await trx('correction_rows')
    .where({ request_id: requestId, decision: 'approved' })
    .orderBy('id')
    .select('id', 'certificate_id', 'field', 'new_value', 'base_version')) as ApprovedRow[]
  const byCertificate = new Map<number, ApprovedRow[]>()
  for (const row of approved) byCertificate.set(Number(row.certificate_id), [...(byCertificate.get(Number(row.certificate_id)) ?? []), row])
  const ids = [...byCertificate.keys()]
  const records: AuditRecord[] = []
  const skipped: string[] = []
  for (let start = 0; start < ids.length; start += CHUNK) {
    const current = await currentVersions(trx, ids.slice(start, start + CHUNK))
    // A certificate revoked since the approval is not re-made: a revocation is final.
    skipped.push(...current.filter((version) => version.status === 'revoked').map((version) => version.number))
    const versions = current
      .filter((version) => version.status !== 'revoked')
      .map((version) => newVersion(version, byCertificate.get(Number(version.id))!, now))
    if (versions.length > 0) await trx('certificate_versions').insert(versions.map((item) => item.row))
    records.push(...versions.map((item) => item.audit(requestId)))
  }
  return { records, skipped }
}

async function currentVersions(trx: Knex.Transaction, ids: number[]): Promise<CurrentVersion[]> {
  return (await trx('certificates as c')
    .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
    .whereIn('c.id', ids)
    .select('c.id', 'c.number', 'c.status', 'c.current_version', 'v.version', 'v.fields', 'v.photo_hash')
    .select(trx.raw('(select max(x.version) from certificate_versions x where x.certificate_id = c.id) as latest'))
    .select(
      trx.raw("(select count(*) from certificate_versions x where x.certificate_id = c.id and x.status = 'pending') as pending"),
    )) as CurrentVersion[]
}

function newVersion(current: CurrentVersion, rows: ApprovedRow[], now: string) {
  const stale = rows.find((row) => row.base_version !== null && Number(row.base_version) !== Number(current.version))
  if (current.status !== 'active' || Number(current.pending) > 0 || stale) {
    // The submit checks keep one open correction per certificate, so this means data changed by hand.
    const why = current.status !== 'active' ? '不是有效状态' : '在本申请审核期间已有新的版本'
    throw new AppError('INVALID_STATE', `证书 ${current.number} ${why}，不能按本申请更正，请联系系统管理员核查`)
  }
  const fields = JSON.parse(current.fields) as Record<string, string>
  let photoHash = current.photo_hash
  for (const row of rows) {
    if (row.field === PHOTO_FIELD) photoHash = row.new_value
    else applyValue(fields, row.field, row.new_value)
  }
  const version = Number(current.latest) + 1
  return {
    row: {
      certificate_id: Number(current.id),
      version,
      status: 'pending',
      fields: JSON.stringify(fields),
      photo_hash: photoHash,
      correction_row_id: Number(rows[0].id),
      created_at: now,
    },
    // The number and version, never the holder: the audit log carries no personal data.
    audit: (requestId: number): AuditRecord => ({
      action: 'certificate.correct',
      objectType: 'certificate',
      objectId: Number(current.id),
      before: { version: Number(current.version), fields: current.fields, photo: current.photo_hash },
      after: { version, fields, photo: photoHash },
      details: { number: current.number, version, requestId, fields: rows.map((row) => row.field), correctionRowId: Number(rows[0].id) },
    }),
  }
}
