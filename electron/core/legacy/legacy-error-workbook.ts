import type { Family } from '../../contract/roles'
import { ERROR_HEADER, MESSAGE_SEPARATOR, ROW_NUMBER_HEADER } from '../applications/exports/error-workbook'
import { sheetText } from '../applications/exports/escape-cell'
import { STYLE, writeSheetXlsx, type SheetCell } from '../applications/exports/xlsx-writer'
import type { CheckedRow } from '../applications/types'
import { legacyColumnsOf, legacySheetName } from './legacy-format'

/**
 * The refused rows of a legacy workbook with 原行号 in front and 错误说明 behind, the faulty cells
 * highlighted, through the intake's streaming writer. The importer ignores those two columns, so
 * the corrected workbook imports as it is.
 */
export async function writeLegacyErrorWorkbook(family: Family, rows: CheckedRow[]): Promise<Buffer> {
  const columns = legacyColumnsOf(family)
  const header: SheetCell[] = [
    { value: ROW_NUMBER_HEADER, style: STYLE.header },
    ...columns.map((column) => ({ value: column.header, style: STYLE.header })),
    { value: ERROR_HEADER, style: STYLE.errorHeader },
  ]
  function* body(): Generator<Array<SheetCell | null>> {
    yield header
    for (const row of rows) {
      const errors = row.issues.filter((issue) => issue.severity === 'error')
      const faulty = new Set(errors.map((issue) => issue.column))
      yield [
        { value: row.rowNumber },
        ...columns.map((column, index) => ({
          value: sheetText(row.original[index] ?? ''),
          style: faulty.has(column.header) ? STYLE.faultyCell : STYLE.text,
        })),
        { value: sheetText(errors.map((issue) => issue.message).join(MESSAGE_SEPARATOR)), style: STYLE.errorText },
      ]
    }
  }
  return writeSheetXlsx({ name: legacySheetName(family), widths: [8, ...columns.map((column) => column.width), 60], rows: body() })
}
