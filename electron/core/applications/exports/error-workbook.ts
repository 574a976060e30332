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

/** An error workbook's one sheet: the imported format's columns and its refused rows. */
export interface ErrorSheet {
  name: string
  columns: ReadonlyArray<{ header: string; width: number }>
  /** In the order written; read lazily, so a generator keeps a large refusal out of memory. */
  rows: Iterable<ErrorRow>
}

/**
 * The original rows with 原行号 in front and 错误说明 behind, the faulty cells highlighted, through
 * our own small writer: a 100,000-row error workbook must not double the import's memory
 * (exceljs's streaming writer took over 100 MB and five seconds for it). Every import's header
 * mapping ignores the two extra columns, so a corrected error workbook imports as it is.
 */
export async function writeErrorSheet({ name, columns, rows }: ErrorSheet): Promise<Buffer> {
  const header: SheetCell[] = [
    { value: ROW_NUMBER_HEADER, style: STYLE.header },
    ...columns.map((column) => ({ value: column.header, style: STYLE.header })),
    { value: ERROR_HEADER, style: STYLE.errorHeader },
  ]
  function* body(): Generator<Array<SheetCell | null>> {
    yield header
    for (const item of rows) {
      const faulty = new Set(item.columns ?? [])
      yield [
        { value: item.rowNumber },
        ...columns.map((column, index) => ({
          value: sheetText(item.original[index] ?? ''),
          style: faulty.has(column.header) ? STYLE.faultyCell : STYLE.text,
        })),
        { value: sheetText(item.messages.join(MESSAGE_SEPARATOR)), style: STYLE.errorText },
      ]
    }
  }
  return writeSheetXlsx({ name, widths: [8, ...columns.map((column) => column.width), 60], rows: body() })
}

/** The error workbook of a production-application import, its rows in workbook order. */
export async function writeErrorWorkbook(family: Family, rows: ErrorRow[], options: ErrorWorkbookOptions = {}): Promise<Buffer> {
  return writeErrorSheet({
    name: options.sheetName ?? templateSheetName(family),
    columns: columnsOf(family),
    rows: [...rows].sort((a, b) => a.rowNumber - b.rowNumber),
  })
}
