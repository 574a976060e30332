import type { Knex } from 'knex'
import type { BatchSource } from '../../../contract/applications'
import type { Family } from '../../../contract/roles'
import { insertReturningId } from '../../db/insert'
import type { CheckedRow, RowIssue } from '../types'

export interface NewBatch {
  organisationId: number
  family: Family
  source: BatchSource
  declarationYear: number
  fileName: string | null
  noticeHash: string | null
  errorWorkbookHash: string | null
  /** Null for a batch pulled from the registry: the online platform submitted it. */
  createdBy: number | null
  now: string
  rows: CheckedRow[]
  photos: Map<number, string>
  /** Findings about the batch as a whole (e.g. no notice attached). */
  batchIssues: RowIssue[]
}

/** SQLite allows 999 bound variables in old builds; 8 columns × 100 rows stays well under. */
const CHUNK = 100

/** The level shared by every row, or null when the batch mixes levels. */
function commonLevel(rows: CheckedRow[]): string | null {
  const levels = new Set(rows.map((row) => row.fields.level ?? ''))
  return levels.size === 1 ? [...levels][0] || null : null
}

function count(rows: CheckedRow[], batchIssues: RowIssue[], severity: RowIssue['severity']): number {
  return (
    rows.reduce((sum, row) => sum + row.issues.filter((item) => item.severity === severity).length, 0) +
    batchIssues.filter((item) => item.severity === severity).length
  )
}

/**
 * Inserts the batch, its applicants and its issue list in the caller's transaction: all of it
 * or, when anything fails, none of it.
 */
export async function storeBatch(trx: Knex.Transaction, batch: NewBatch): Promise<number> {
  const batchId = await insertReturningId(trx, 'application_batches', {
    organisation_id: batch.organisationId,
    family: batch.family,
    level: commonLevel(batch.rows),
    state: 'submitted',
    source: batch.source,
    notice_file_hash: batch.noticeHash,
    error_workbook_hash: batch.errorWorkbookHash,
    declaration_year: batch.declarationYear,
    file_name: batch.fileName,
    applicant_count: batch.rows.length,
    error_count: count(batch.rows, batch.batchIssues, 'error'),
    warning_count: count(batch.rows, batch.batchIssues, 'warning'),
    created_by: batch.createdBy,
    submitted_at: batch.now,
    created_at: batch.now,
    updated_at: batch.now,
  })
  for (let start = 0; start < batch.rows.length; start += CHUNK) {
    await trx('applicants').insert(
      batch.rows.slice(start, start + CHUNK).map((row) => ({
        batch_id: batchId,
        row_number: row.rowNumber,
        name: (row.fields.name ?? '').slice(0, 64),
        id_type: (row.fields.idType ?? '').slice(0, 32),
        id_number: (row.fields.idNumber ?? '').slice(0, 32),
        fields: JSON.stringify(row.fields),
        photo_hash: batch.photos.get(row.rowNumber) ?? null,
      })),
    )
  }
  const ids = new Map(
    ((await trx('applicants').where({ batch_id: batchId }).select('id', 'row_number')) as Array<{ id: number; row_number: number }>).map(
      (row) => [row.row_number, row.id],
    ),
  )
  // Inserted as they are gathered: 100,000 rows with a finding each need no second list in memory.
  let pending: Array<Record<string, unknown>> = []
  const add = async (item: RowIssue, rowNumber: number | null, applicantId: number | null): Promise<void> => {
    pending.push({
      batch_id: batchId,
      applicant_id: applicantId,
      row_number: rowNumber,
      column_name: item.column,
      severity: item.severity,
      code: item.code,
      message: item.message,
    })
    if (pending.length < CHUNK) return
    await trx('batch_issues').insert(pending)
    pending = []
  }
  for (const item of batch.batchIssues) await add(item, null, null)
  for (const row of batch.rows) for (const item of row.issues) await add(item, row.rowNumber, ids.get(row.rowNumber)!)
  if (pending.length > 0) await trx('batch_issues').insert(pending)
  return batchId
}
