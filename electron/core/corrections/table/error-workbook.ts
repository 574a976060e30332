import { CORRECTION_TABLE_COLUMNS } from '../../../contract/corrections'
import { ERROR_HEADER, MESSAGE_SEPARATOR, ROW_NUMBER_HEADER } from '../../applications/exports/error-workbook'
import { sheetText } from '../../applications/exports/escape-cell'
import { STYLE, writeSheetXlsx, type SheetCell } from '../../applications/exports/xlsx-writer'
import type { CorrectionRow } from '../checks/types'

export const CORRECTION_SHEET = '证书信息勘误汇总表'

/**
 * The refused rows of a correction table as read, with 原行号 and 错误说明 columns and the faulty
 * cells highlighted, through the intake's own small writer; every text is escaped against formula
 * injection. The table's header mapping ignores the two extra columns, so the department can
 * correct this workbook and import it as it is.
 */
export async function writeCorrectionErrorWorkbook(rows: CorrectionRow[]): Promise<Buffer> {
  const header: SheetCell[] = [
    { value: ROW_NUMBER_HEADER, style: STYLE.header },
    ...CORRECTION_TABLE_COLUMNS.map((column) => ({ value: column.header, style: STYLE.header })),
    { value: ERROR_HEADER, style: STYLE.errorHeader },
  ]
  function* body(): Generator<Array<SheetCell | null>> {
    yield header
    for (const row of rows) {
      if (row.issues.length === 0) continue
      const faulty = new Set(row.issues.map((issue) => issue.column))
      yield [
        { value: row.rowNumber },
        ...CORRECTION_TABLE_COLUMNS.map((column, index) => ({
          value: sheetText(row.original[index] ?? ''),
          style: faulty.has(column.header) ? STYLE.faultyCell : STYLE.text,
        })),
        { value: sheetText(row.issues.map((issue) => issue.message).join(MESSAGE_SEPARATOR)), style: STYLE.errorText },
      ]
    }
  }
  return writeSheetXlsx({
    name: CORRECTION_SHEET,
    widths: [8, ...CORRECTION_TABLE_COLUMNS.map((column) => column.width), 60],
    rows: body(),
  })
}
