import { columnsOf } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import { sheetText } from './escape-cell'
import { templateSheetName } from './template'
import { STYLE, writeSheetXlsx, type SheetCell } from './xlsx-writer'

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

/**
 * The original rows with an error column, through our own small writer: a 100,000-row error
 * workbook must not double the import's memory (exceljs's streaming writer took over 100 MB and
 * five seconds for it).
 */
export async function writeErrorWorkbook(family: Family, rows: ErrorRow[], options: ErrorWorkbookOptions = {}): Promise<Buffer> {
  const columns = columnsOf(family)
  const columnIndex = new Map(columns.map((column, index) => [column.header, index + 1]))
  const header: SheetCell[] = [
    { value: ROW_NUMBER_HEADER, style: STYLE.header },
    ...columns.map((column) => ({ value: column.header, style: STYLE.header })),
    { value: ERROR_HEADER, style: STYLE.errorHeader },
  ]
  function* body(): Generator<Array<SheetCell | null>> {
    yield header
    for (const item of [...rows].sort((a, b) => a.rowNumber - b.rowNumber)) {
      const faulty = new Set((item.columns ?? []).map((name) => (name === null ? undefined : columnIndex.get(name))))
      yield [
        { value: item.rowNumber },
        ...columns.map((_column, index) => ({
          value: sheetText(item.original[index] ?? ''),
          style: faulty.has(index + 1) ? STYLE.faultyCell : STYLE.text,
        })),
        { value: sheetText(item.messages.join(MESSAGE_SEPARATOR)), style: STYLE.errorText },
      ]
    }
  }
  return writeSheetXlsx({
    name: options.sheetName ?? templateSheetName(family),
    widths: [8, ...columns.map((column) => column.width), 60],
    rows: body(),
  })
}
