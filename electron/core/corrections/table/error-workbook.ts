import { CORRECTION_TABLE_COLUMNS } from '../../../contract/corrections'
import { writeErrorSheet, type ErrorRow } from '../../applications/exports/error-workbook'
import type { CorrectionRow } from '../checks/types'

export const CORRECTION_SHEET = '证书信息勘误汇总表'

/** The refused rows of a correction table as read, through the intake's error workbook. */
export async function writeCorrectionErrorWorkbook(rows: CorrectionRow[]): Promise<Buffer> {
  return writeErrorSheet({ name: CORRECTION_SHEET, columns: CORRECTION_TABLE_COLUMNS, rows: refusedRows(rows) })
}

function* refusedRows(rows: CorrectionRow[]): Generator<ErrorRow> {
  for (const row of rows) {
    if (row.issues.length === 0) continue
    yield {
      rowNumber: row.rowNumber,
      original: row.original,
      messages: row.issues.map((issue) => issue.message),
      columns: row.issues.map((issue) => issue.column),
    }
  }
}
