import type ExcelJS from 'exceljs'
import { columnsOf } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import { sheetText } from './escape-cell'
import { templateSheetName } from './template'
import { BOLD, solidFill, streamingWorkbook, TEXT_FORMAT, THIN_BORDER } from './workbook-support'

export const ROW_NUMBER_HEADER = '原行号'
export const ERROR_HEADER = '错误说明'
export const MESSAGE_SEPARATOR = '；'

/** One refused row of an imported workbook. */
export interface ErrorRow {
  /** The row's number in the imported workbook (Excel's, 1-based). */
  rowNumber: number
  /** The cell texts as read, one per template column. */
  original: string[]
  messages: string[]
  /** Headers of the cells at fault, highlighted like the error column (optional). */
  columns?: Array<string | null>
}

export interface ErrorWorkbookOptions {
  /** The sheet's name; by default the template's (e.g. 职称证书制证名单). */
  sheetName?: string
}

const ERROR_FILL = solidFill('FFFFC7CE')
const ERROR_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } }
const HEADER_FILL = solidFill('FFEDEDED')
const ERROR_HEADER_FILL = solidFill('FFFF9999')

/**
 * The original rows with an error column, for the applicant to correct: 原行号, the template's
 * columns as read, 错误说明. Streams (exceljs WorkbookWriter), so 100,000 rows never build a
 * workbook in memory; every text goes through escapeCell.
 */
export async function writeErrorWorkbook(family: Family, rows: ErrorRow[], options: ErrorWorkbookOptions = {}): Promise<Buffer> {
  const columns = columnsOf(family)
  const { workbook, finish } = streamingWorkbook()
  const sheet = workbook.addWorksheet(options.sheetName ?? templateSheetName(family), {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
  })
  sheet.columns = [
    { width: 8 },
    ...columns.map((column) => ({ width: column.width, style: { numFmt: TEXT_FORMAT } })),
    { width: 60, style: { numFmt: TEXT_FORMAT } },
  ]
  const header = sheet.addRow([ROW_NUMBER_HEADER, ...columns.map((column) => column.header), ERROR_HEADER])
  header.eachCell((cell, index) => {
    cell.font = BOLD
    cell.border = THIN_BORDER
    cell.fill = index === columns.length + 2 ? ERROR_HEADER_FILL : HEADER_FILL
  })
  header.commit()
  const errorColumn = columns.length + 2
  const columnIndex = new Map(columns.map((column, index) => [column.header, index + 2]))
  for (const item of [...rows].sort((a, b) => a.rowNumber - b.rowNumber)) {
    const row = sheet.addRow([])
    row.getCell(1).value = item.rowNumber
    columns.forEach((_column, index) => {
      const text = item.original[index] ?? ''
      if (text !== '') row.getCell(index + 2).value = sheetText(text)
    })
    const errorCell = row.getCell(errorColumn)
    errorCell.value = sheetText(item.messages.join(MESSAGE_SEPARATOR))
    errorCell.fill = ERROR_FILL
    errorCell.font = ERROR_FONT
    errorCell.alignment = { wrapText: true, vertical: 'top' }
    for (const name of item.columns ?? []) {
      const index = name === null ? undefined : columnIndex.get(name)
      if (index !== undefined) row.getCell(index).fill = ERROR_FILL
    }
    row.commit()
  }
  sheet.commit()
  return finish()
}
