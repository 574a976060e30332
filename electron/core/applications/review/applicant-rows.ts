import type { ApplicantRow, BatchIssue, IssueSeverity } from '../../../contract/applications'
import type { BatchRow, Db } from './batch-rows'

interface ApplicantRecord {
  id: number
  row_number: number
  name: string
  id_type: string
  id_number: string
  fields: string
  has_photo: number | boolean
  excluded_reason: string | null
  excluded_at: string | null
}

interface IssueTally {
  errorCount: number
  warningCount: number
  issueCodes: string[]
}

/** Issue counts and codes per applicant: one grouped query, whatever the size of the batch. */
async function tallyIssues(db: Db, batchId: number): Promise<Map<number, IssueTally>> {
  const rows = (await db('batch_issues')
    .where({ batch_id: batchId })
    .whereNotNull('applicant_id')
    .groupBy('applicant_id', 'severity', 'code')
    .select('applicant_id', 'severity', 'code')
    .count({ n: '*' })) as Array<{ applicant_id: number; severity: IssueSeverity; code: string; n: number | string }>
  const tallies = new Map<number, IssueTally>()
  for (const row of rows) {
    const id = Number(row.applicant_id)
    let tally = tallies.get(id)
    if (!tally) {
      tally = { errorCount: 0, warningCount: 0, issueCodes: [] }
      tallies.set(id, tally)
    }
    if (row.severity === 'error') tally.errorCount += Number(row.n)
    else tally.warningCount += Number(row.n)
    if (!tally.issueCodes.includes(row.code)) tally.issueCodes.push(row.code)
  }
  return tallies
}

/**
 * The certificates numbered for a batch, by applicant. Only an approved or issued batch has any.
 * Filtering on the organisation and family first lets SQLite use the certificates index on them.
 */
export async function certificatesOfBatch(db: Db, batch: BatchRow): Promise<Array<{ applicant_id: number | null; number: string }>> {
  if (batch.state !== 'approved' && batch.state !== 'issued') return []
  return (await db('certificates')
    .where({ organisation_id: batch.organisation_id, family: batch.family, batch_id: batch.id })
    .select('applicant_id', 'number')) as Array<{ applicant_id: number | null; number: string }>
}

/**
 * Every applicant of the batch in row order, with their issue codes and certificate number:
 * three queries (applicants, grouped issues, certificates), never one per applicant.
 */
export async function applicantRows(db: Db, batch: BatchRow): Promise<ApplicantRow[]> {
  const records = (await db('applicants')
    .where({ batch_id: batch.id })
    .orderBy('row_number')
    .select(
      'id',
      'row_number',
      'name',
      'id_type',
      'id_number',
      'fields',
      db.raw('photo_hash is not null as has_photo'),
      'excluded_reason',
      'excluded_at',
    )) as ApplicantRecord[]
  const tallies = await tallyIssues(db, batch.id)
  const numbers = new Map((await certificatesOfBatch(db, batch)).map((row) => [Number(row.applicant_id), row.number]))
  return records.map((record) => {
    const id = Number(record.id)
    const tally = tallies.get(id)
    return {
      id,
      rowNumber: Number(record.row_number),
      name: record.name,
      idType: record.id_type,
      idNumber: record.id_number,
      fields: JSON.parse(record.fields) as Record<string, string>,
      hasPhoto: Boolean(Number(record.has_photo)),
      excluded: record.excluded_at !== null,
      exclusionReason: record.excluded_reason,
      errorCount: tally?.errorCount ?? 0,
      warningCount: tally?.warningCount ?? 0,
      issueCodes: tally?.issueCodes ?? [],
      certificateNumber: numbers.get(id) ?? null,
    }
  })
}

/** The batch's issue list: batch-level findings first, then by row. */
export async function batchIssues(db: Db, batchId: number): Promise<BatchIssue[]> {
  const rows = (await db('batch_issues')
    .where({ batch_id: batchId })
    .orderByRaw('coalesce(row_number, 0), id')
    .select('id', 'applicant_id', 'row_number', 'column_name', 'severity', 'code', 'message', 'acknowledged_at')) as Array<{
    id: number
    applicant_id: number | null
    row_number: number | null
    column_name: string | null
    severity: IssueSeverity
    code: string
    message: string
    acknowledged_at: string | null
  }>
  return rows.map((row) => ({
    id: Number(row.id),
    applicantId: row.applicant_id === null ? null : Number(row.applicant_id),
    rowNumber: row.row_number === null ? null : Number(row.row_number),
    column: row.column_name,
    severity: row.severity,
    code: row.code,
    message: row.message,
    acknowledged: row.acknowledged_at !== null,
  }))
}

/** The first and last number given to the batch, and how many; null before final approval. */
export async function numberRange(db: Db, batch: BatchRow): Promise<{ first: string; last: string; count: number } | null> {
  if (batch.state !== 'approved' && batch.state !== 'issued') return null
  const row = (await db('certificates')
    .where({ organisation_id: batch.organisation_id, family: batch.family, batch_id: batch.id })
    .min({ first: 'number' })
    .max({ last: 'number' })
    .count({ n: '*' })
    .first()) as { first: string | null; last: string | null; n: number | string }
  return row.first && row.last && Number(row.n) > 0 ? { first: row.first, last: row.last, count: Number(row.n) } : null
}
