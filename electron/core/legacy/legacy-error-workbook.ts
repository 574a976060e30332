import type { Family } from '../../contract/roles'
import { writeErrorSheet, type ErrorRow } from '../applications/exports/error-workbook'
import type { CheckedRow } from '../applications/types'
import { legacyColumnsOf, legacySheetName } from './legacy-format'

/** The refused rows of a legacy workbook, each with its errors only (warnings do not refuse a row). */
export async function writeLegacyErrorWorkbook(family: Family, rows: CheckedRow[]): Promise<Buffer> {
  return writeErrorSheet({ name: legacySheetName(family), columns: legacyColumnsOf(family), rows: errorRows(rows) })
}

function* errorRows(rows: CheckedRow[]): Generator<ErrorRow> {
  for (const row of rows) {
    const errors = row.issues.filter((issue) => issue.severity === 'error')
    yield {
      rowNumber: row.rowNumber,
      original: row.original,
      messages: errors.map((issue) => issue.message),
      columns: errors.map((issue) => issue.column),
    }
  }
}
