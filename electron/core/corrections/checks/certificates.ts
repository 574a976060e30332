import type { Knex } from 'knex'
import { FAMILY_LABELS } from '../../../contract/application-format'
import { correctableFields, PHOTO_FIELD } from '../../../contract/corrections'
import type { Family } from '../../../contract/roles'
import { foldFullWidth, withoutSpaces } from '../../applications/checks/cell-text'
import { normaliseIdNumber } from '../../applications/id-number'
import { CORRECTION_HEADERS as HEADER } from './row-cells'
import { columnOf, currentValue, PERSONAL_FIELDS, sameAsCurrent } from './field-values'
import { failed, report, type CertificateFacts, type CorrectionRow } from './types'

type Db = Knex | Knex.Transaction

/** SQLite allows 999 bound values per statement by default; 500 numbers leave room. */
const CHUNK = 500

interface CertificateRecord {
  id: number
  number: string
  family: Family
  status: string
  legacy: number | boolean
  organisation_id: number
  parent_id: number | null
  version: number
  fields: string
  photo_hash: string | null
}

/**
 * The certificates a table names, by number, each with its current version and whether it is
 * busy (a correction still open on it, or a version already waiting for its seals): a handful of
 * indexed queries per 500 numbers, so a 5,000-row table costs a few dozen statements.
 */
export async function loadCertificates(db: Db, numbers: string[], bureauId: number | null): Promise<Map<string, CertificateFacts>> {
  const found = new Map<string, CertificateFacts>()
  const unique = [...new Set(numbers)]
  for (let start = 0; start < unique.length; start += CHUNK) {
    const records = (await db('certificates as c')
      .join('organisations as o', 'o.id', 'c.organisation_id')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .whereIn('c.number', unique.slice(start, start + CHUNK))
      .select(
        'c.id',
        'c.number',
        'c.family',
        'c.status',
        'c.legacy',
        'c.organisation_id',
        'o.parent_id',
        'v.version',
        'v.fields',
        'v.photo_hash',
      )) as CertificateRecord[]
    const busy = await busyCertificates(
      db,
      records.map((record) => Number(record.id)),
    )
    for (const record of records) {
      found.set(record.number, {
        id: Number(record.id),
        number: record.number,
        family: record.family,
        status: record.status,
        legacy: Boolean(record.legacy),
        organisationId: Number(record.organisation_id),
        supervisorId: record.parent_id === null ? bureauId : Number(record.parent_id),
        version: Number(record.version),
        fields: JSON.parse(record.fields) as Record<string, string>,
        photoHash: record.photo_hash,
        busy: busy.get(Number(record.id)) ?? null,
      })
    }
  }
  return found
}

/** Why each of these certificates cannot take another correction now, by id. */
async function busyCertificates(db: Db, ids: number[]): Promise<Map<number, string>> {
  const busy = new Map<number, string>()
  if (ids.length === 0) return busy
  const pending = (await db('certificate_versions')
    .whereIn('certificate_id', ids)
    .where('status', 'pending')
    .select('certificate_id', 'version')) as Array<{
    certificate_id: number
    version: number
  }>
  for (const row of pending) {
    busy.set(Number(row.certificate_id), `已有尚未签章发证的第 ${row.version} 版，请待其发证后再勘误`)
  }
  const open = (await db('correction_rows as r')
    .join('correction_requests as q', 'q.id', 'r.request_id')
    .whereIn('r.certificate_id', ids)
    .where((where) =>
      where.where('q.state', 'submitted').orWhere((approved) => approved.where('q.state', 'approved').where('r.decision', 'approved')),
    )
    .distinct('r.certificate_id', 'q.id')) as Array<{ certificate_id: number; id: number }>
  for (const row of open) {
    busy.set(Number(row.certificate_id), `已在勘误申请 ${row.id} 中，尚未办结；一张证书同时只能有一份勘误申请`)
  }
  return busy
}

/**
 * The checks of a row against its certificate: it exists within the submitter's supervision, is
 * issued and active (not legacy, not busy), the holder's name and ID number match it, 勘误项目 is
 * a field of its family, and 原内容 is what the certificate says now.
 */
export function checkAgainstCertificate(
  row: CorrectionRow,
  certificate: CertificateFacts | undefined,
  supervisorId: number,
  today: Date,
): void {
  if (failed(row)) return
  const number = row.text.number
  if (!certificate || certificate.supervisorId !== supervisorId) {
    return report(row, HEADER.number, 'CERTIFICATE_NOT_FOUND', `证书 ${number} 不存在，或不在您所在机构的主管范围内`)
  }
  const refusal = certificateRefusal(certificate)
  if (refusal) return report(row, HEADER.number, 'CERTIFICATE_NOT_ACTIVE', `证书 ${number} ${refusal}`)
  const fields = certificate.fields
  if (comparableName(row.text.name) !== comparableName(fields.name ?? '')) {
    report(row, HEADER.name, 'HOLDER_MISMATCH', `与证书 ${number} 上的姓名不一致，请核对证书编号和姓名`)
  }
  if (normaliseIdNumber(row.text.idNumber) !== (fields.idNumber ?? '').toUpperCase()) {
    report(row, HEADER.idNumber, 'HOLDER_MISMATCH', `与证书 ${number} 上的证件号码不一致，请核对证书编号和证件号码`)
  }
  const field = correctableFields(certificate.family).find((candidate) => candidate.label === row.text.item)
  if (!field) {
    const allowed = correctableFields(certificate.family).map((candidate) => candidate.label)
    return report(
      row,
      HEADER.item,
      'ITEM_UNKNOWN',
      `「${row.text.item}」不是${FAMILY_LABELS[certificate.family]}的项目，可勘误的项目为：${allowed.join('、')}`,
    )
  }
  if (failed(row)) return
  row.certificate = certificate
  row.field = field.key
  if (field.key === PHOTO_FIELD) return
  checkOldValue(row, certificate, field.key, today)
}

function certificateRefusal(certificate: CertificateFacts): string | null {
  if (certificate.legacy) return '是旧版（纸质）证书的登记记录，不能勘误重制'
  if (certificate.status === 'revoked') return '已注销，不能勘误'
  if (certificate.status !== 'active') return '尚未签章发证，不能勘误：发证前的错误请在制证申请中更正'
  return certificate.busy
}

function checkOldValue(row: CorrectionRow, certificate: CertificateFacts, key: string, today: Date): void {
  const column = columnOf(certificate.family, key)!
  const current = currentValue(key, certificate.fields)
  if (!sameAsCurrent(column, row.cells.oldValue, row.text.oldValue, certificate.fields, today)) {
    // Personal data is not quoted back: the department has the certificate in front of it.
    const shown = PERSONAL_FIELDS.has(key) ? '' : `（证书现为「${current}」）`
    report(
      row,
      HEADER.oldValue,
      'OLD_VALUE_MISMATCH',
      `与证书 ${certificate.number} 现有的${column.header}不一致${shown}，请照证书现有内容填写`,
    )
    return
  }
  row.oldValue = current
}

/** A name as compared: full-width folded, without spaces (a foreign name may be typed either way). */
function comparableName(name: string): string {
  return withoutSpaces(foldFullWidth(name)).normalize('NFC')
}
