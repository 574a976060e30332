import type { Knex } from 'knex'
import type { TitleCertificateFields, VocationalCertificateFields } from '../../contract/certificates'
import type { Family } from '../../contract/roles'
import type { CheckedRow } from '../applications/types'
import { insertReturningId } from '../db/insert'

/** Rows per multi-row insert: 13 columns each stays far below SQLite's bound-parameter limit. */
const CHUNK = 200

export interface LegacyStoreRequest {
  family: Family
  organisationId: number
  fileName: string
  /** The workbook's hash in the file store. */
  hash: string
  userId: number
  now: string
  rows: CheckedRow[]
}

/**
 * The field snapshot of a paper record, in the family's shape (TitleCertificateFields /
 * VocationalCertificateFields). Paper archives lack some items: 出生年月 is empty unless a resident
 * ID number gives it, 工作单位 and 批准日期 may be empty; an exam record keeps its 考试年度 too.
 */
export function legacyFields(
  family: Family,
  fields: Record<string, string>,
): TitleCertificateFields | (VocationalCertificateFields & { examYear: string }) {
  const person = {
    name: fields.name,
    gender: fields.gender as '男' | '女',
    birthMonth: fields.birthMonth,
    idType: fields.idType,
    idNumber: fields.idNumber,
  }
  if (family === 'title') {
    return {
      ...person,
      employer: fields.employer,
      level: fields.level as TitleCertificateFields['level'],
      titleName: fields.titleName,
      specialty: fields.specialty,
      reviewBody: fields.reviewBody,
      obtainedOn: fields.obtainedOn,
    }
  }
  return {
    ...person,
    qualificationName: fields.qualificationName,
    qualificationKind: fields.qualificationKind === '执业' ? '执业' : '职业',
    category: fields.category,
    level: fields.level,
    approvedOn: fields.approvedOn,
    examYear: fields.examYear,
  }
}

/**
 * Stores checked rows as legacy certificates in the caller's transaction: the import, then per
 * row an active certificate without batch or PDF under its paper number, its version 1 with the
 * field snapshot, and where it came from. Returns the import's id.
 */
export async function storeLegacyRecords(trx: Knex.Transaction, request: LegacyStoreRequest): Promise<number> {
  const importId = await insertReturningId(trx, 'legacy_imports', {
    family: request.family,
    organisation_id: request.organisationId,
    file_name: request.fileName,
    workbook_hash: request.hash,
    record_count: request.rows.length,
    imported_by: request.userId,
    imported_at: request.now,
  })
  for (let start = 0; start < request.rows.length; start += CHUNK) {
    await storeChunk(trx, request, importId, request.rows.slice(start, start + CHUNK))
  }
  return importId
}

async function storeChunk(trx: Knex.Transaction, request: LegacyStoreRequest, importId: number, rows: CheckedRow[]): Promise<void> {
  const issuedOf = (row: CheckedRow) => (request.family === 'title' ? row.fields.obtainedOn : row.fields.approvedOn) || null
  await trx('certificates').insert(
    rows.map((row) => ({
      number: row.fields.number,
      family: request.family,
      level: row.fields.level,
      status: 'active',
      organisation_id: request.organisationId,
      batch_id: null,
      applicant_id: null,
      holder_name: row.fields.name,
      holder_id_number: row.fields.idNumber,
      legacy: true,
      current_version: 1,
      issued_at: issuedOf(row),
      created_at: request.now,
      updated_at: request.now,
    })),
  )
  const ids = (await trx('certificates')
    .whereIn(
      'number',
      rows.map((row) => row.fields.number),
    )
    .select('id', 'number')) as Array<{ id: number; number: string }>
  const idOf = new Map(ids.map((row) => [row.number, row.id]))
  await trx('certificate_versions').insert(
    rows.map((row) => ({
      certificate_id: idOf.get(row.fields.number),
      version: 1,
      status: 'active',
      fields: JSON.stringify(legacyFields(request.family, row.fields)),
      photo_hash: null,
      pdf_hash: null,
      created_at: request.now,
      issued_at: issuedOf(row),
    })),
  )
  await trx('legacy_records').insert(
    rows.map((row) => ({ certificate_id: idOf.get(row.fields.number), import_id: importId, row_number: row.rowNumber })),
  )
}
