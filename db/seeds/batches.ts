import type { BatchState, IssueSeverity } from '../../electron/contract/applications'
import { issueCodeLabel } from '../../electron/contract/issue-codes'
import type { Family } from '../../electron/contract/roles'
import type { Core } from '../../electron/core/app'
import { checkCharacter } from '../../electron/core/applications/id-number'
import { insertReturningId } from '../../electron/core/db/insert'
import { writeTransaction } from '../../electron/core/db/transaction'
import { isoNow } from '../../electron/core/util/clock'

/**
 * Application batches written straight into the tables, in the shape the import stores them:
 * the demo's sample batches, and review and sealing tests that should not depend on the
 * workbook reader and the checks.
 */

export interface IssueSpec {
  severity: IssueSeverity
  code: string
  /** The column's header, e.g. 证件号码; none for a whole-row finding. */
  column?: string
}

export interface ApplicantSpec {
  /** TitleCertificateFields / VocationalCertificateFields keys plus photoName, title level as its code. */
  fields: Record<string, string>
  issues?: IssueSpec[]
  photo?: Buffer
}

export interface BatchSpec {
  organisationCode: string
  family: Family
  state?: BatchState
  /** Username of the submitter. */
  createdBy: string
  applicants: ApplicantSpec[]
  declarationYear?: number
  notice?: Buffer
  errorWorkbook?: Buffer
  /** Findings about the batch itself (applicant_id null), e.g. NOTICE_MISSING. */
  batchIssues?: IssueSpec[]
}

export interface InsertedBatch {
  id: number
  /** The applicants' ids in row order. */
  applicantIds: number[]
}

/** A valid synthetic resident ID number (GB 11643 check character), different for every index up to ten million. */
export function residentIdNumber(index: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + (index % 10_000) * 86_400_000)
  const day = birth.toISOString().slice(0, 10).replaceAll('-', '')
  const body = `310101${day}${String(Math.floor(index / 10_000) % 1000).padStart(3, '0')}`
  return body + checkCharacter(body)
}

function person(index: number): Record<string, string> {
  const idNumber = residentIdNumber(index)
  return {
    name: `申请人${index}`,
    gender: Number(idNumber[16]) % 2 === 1 ? '男' : '女',
    birthMonth: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}`,
    idType: '居民身份证',
    idNumber,
  }
}

/** The stored fields of a title applicant (a senior nurse of the WSHL board unless overridden). */
export function titleFields(index: number, overrides: Record<string, string> = {}): Record<string, string> {
  const base = person(index)
  return {
    ...base,
    employer: '上海市第一人民医院',
    level: 'senior',
    titleName: '副主任护师',
    specialty: '护理学',
    reviewBody: '上海市卫生系列护理专业高级职称评审委员会',
    obtainedOn: '2025-12-20',
    photoName: `${base.idNumber}.jpg`,
    ...overrides,
  }
}

/** The stored fields of a vocational applicant (a first-class constructor unless overridden). */
export function vocationalFields(index: number, overrides: Record<string, string> = {}): Record<string, string> {
  const base = person(index)
  return {
    ...base,
    qualificationName: '建造师',
    qualificationKind: '执业',
    category: '建筑工程',
    level: '一级',
    approvedOn: '2025-11-30',
    photoName: `${base.idNumber}.jpg`,
    ...overrides,
  }
}

/** `count` clean applicants of the family, indexes from `from`. */
export function applicants(family: Family, count: number, from = 1): ApplicantSpec[] {
  const fields = family === 'title' ? titleFields : vocationalFields
  return Array.from({ length: count }, (_, offset) => ({ fields: fields(from + offset) }))
}

/** knex writes a multi-row insert for SQLite as a compound SELECT, capped at 500 terms. */
const CHUNK = 400

/** Inserts a batch with its applicants and issues in one transaction, like the import's storeBatch. */
export async function insertBatch(core: Core, spec: BatchSpec): Promise<InsertedBatch> {
  return writeTransaction(core.db, async (trx) => {
    const organisation = (await trx('organisations').where({ code: spec.organisationCode }).first('id')) as { id: number } | undefined
    if (!organisation) throw new Error(`no organisation with code ${spec.organisationCode}`)
    const creator = (await trx('users').where({ username: spec.createdBy }).first('id')) as { id: number } | undefined
    if (!creator) throw new Error(`no user ${spec.createdBy}`)
    const now = isoNow(core.clock)
    const put = async (bytes: Buffer | undefined, mediaType: string) => (bytes ? (await core.files.put(trx, bytes, mediaType)).hash : null)
    const allIssues = [...(spec.batchIssues ?? []), ...spec.applicants.flatMap((applicant) => applicant.issues ?? [])]
    const levels = new Set(spec.applicants.map((applicant) => applicant.fields.level ?? ''))
    const batchId = await insertReturningId(trx, 'application_batches', {
      organisation_id: organisation.id,
      family: spec.family,
      level: levels.size === 1 ? [...levels][0] || null : null,
      state: spec.state ?? 'submitted',
      source: 'import',
      notice_file_hash: await put(spec.notice, 'application/pdf'),
      error_workbook_hash: await put(spec.errorWorkbook, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      declaration_year: spec.declarationYear ?? 2026,
      file_name: '制证名单.xlsx',
      applicant_count: spec.applicants.length,
      error_count: allIssues.filter((issue) => issue.severity === 'error').length,
      warning_count: allIssues.filter((issue) => issue.severity === 'warning').length,
      created_by: creator.id,
      submitted_at: now,
      created_at: now,
      updated_at: now,
    })
    // One after the other: FileStore writes the same photo twice through the same temporary name.
    const photos: Array<string | null> = []
    for (const applicant of spec.applicants) photos.push(await put(applicant.photo, 'image/jpeg'))
    const rows = spec.applicants.map((applicant, index) => ({
      batch_id: batchId,
      row_number: index + 2,
      name: applicant.fields.name ?? '',
      id_type: applicant.fields.idType ?? '',
      id_number: applicant.fields.idNumber ?? '',
      fields: JSON.stringify(applicant.fields),
      photo_hash: photos[index],
    }))
    for (let start = 0; start < rows.length; start += CHUNK) await trx('applicants').insert(rows.slice(start, start + CHUNK))
    const applicantIds = (
      (await trx('applicants').where({ batch_id: batchId }).orderBy('row_number').select('id')) as Array<{ id: number }>
    ).map((row) => Number(row.id))
    const issue = (item: IssueSpec, applicantId: number | null, rowNumber: number | null) => ({
      batch_id: batchId,
      applicant_id: applicantId,
      row_number: rowNumber,
      column_name: item.column ?? null,
      severity: item.severity,
      code: item.code,
      message: `${rowNumber ? `第 ${rowNumber} 行：` : ''}${issueCodeLabel(item.code)}`,
    })
    const issues = [
      ...(spec.batchIssues ?? []).map((item) => issue(item, null, null)),
      ...spec.applicants.flatMap((applicant, index) => (applicant.issues ?? []).map((item) => issue(item, applicantIds[index], index + 2))),
    ]
    for (let start = 0; start < issues.length; start += CHUNK) await trx('batch_issues').insert(issues.slice(start, start + CHUNK))
    return { id: batchId, applicantIds }
  })
}
