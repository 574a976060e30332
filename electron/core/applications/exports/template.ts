import ExcelJS from 'exceljs'
import { columnsOf, FAMILY_LABELS, type ColumnDefinition, type ColumnKind } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import { allowedValuesOf } from './allowed-values'
import { sheetText } from './escape-cell'
import { INSTRUCTIONS_SHEET, writeInstructions } from './template-instructions'
import { addValidation, columnValidation, TEXT_FORMAT, WORKBOOK_CREATOR, writeHeaderCell } from './workbook-support'

export interface TemplateOptions {
  /** ID types the administrator added to the notice's five (setting applications.extraIdTypes). */
  extraIdTypes: string[]
}

export const FIRST_DATA_ROW = 2
/**
 * Rows 2…this carry the drop-down lists and hints, and a text format cell by cell on the columns
 * Excel would turn into numbers or dates: an explicit range, never a whole column (Excel, WPS and
 * exceljs's reader then handle 10,000 cells per column, not a million). Every column also has the
 * text format as its column format, which covers rows typed or pasted further down.
 */
export const LAST_TEMPLATE_ROW = 10_001
/** The veryHidden sheet holding the drop-down lists too long (or too odd) to write inline. */
export const LIST_SHEET = '下拉选项'

/** An 18-digit ID number typed into a General cell keeps 15 digits; 1985-03 becomes a date. */
const CELL_TEXT_KINDS: ReadonlySet<ColumnKind> = new Set(['idNumber', 'photoName', 'date', 'birthMonth'])
/** Excel's limit on the text of an inline list ("a,b,c" with its quotes). */
const INLINE_LIST_LIMIT = 255

export function templateSheetName(family: Family): string {
  return `${FAMILY_LABELS[family]}制证名单`
}

/**
 * The unified-format template (统一数据格式) of a family: the name sheet with its header row and
 * drop-down lists, the 填表说明 sheet, and when needed a hidden sheet with the longer lists.
 */
export async function writeTemplate(family: Family, options: TemplateOptions): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = WORKBOOK_CREATOR
  workbook.lastModifiedBy = WORKBOOK_CREATOR
  const columns = columnsOf(family)
  const sheet = workbook.addWorksheet(templateSheetName(family), { views: [{ state: 'frozen', ySplit: 1 }] })
  writeHeader(sheet, columns)
  formatTextCells(sheet, columns)
  // The importer reads the first sheet, so the instructions and the lists come after it.
  writeInstructions(workbook.addWorksheet(INSTRUCTIONS_SHEET), family, options.extraIdTypes)
  const lists = new ListSource(workbook)
  columns.forEach((column, index) => {
    const letter = sheet.getColumn(index + 1).letter
    const range = `${letter}${FIRST_DATA_ROW}:${letter}${LAST_TEMPLATE_ROW}`
    const values = allowedValuesOf(column, options.extraIdTypes)
    addValidation(sheet, range, columnValidation(column, values ? lists.formulaOf(values) : null))
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** The header row: the exact headers the importer matches; required ones in red on yellow. */
function writeHeader(sheet: ExcelJS.Worksheet, columns: ColumnDefinition[]): void {
  const header = sheet.getRow(1)
  header.height = 24
  columns.forEach((column, index) => {
    sheet.getColumn(index + 1).width = column.width
    writeHeaderCell(header.getCell(index + 1), column.header, column.required)
  })
}

function formatTextCells(sheet: ExcelJS.Worksheet, columns: ColumnDefinition[]): void {
  columns.forEach((column, index) => {
    const sheetColumn = sheet.getColumn(index + 1)
    // Before any data cell exists, so the header keeps its own style and new cells inherit this.
    sheetColumn.numFmt = TEXT_FORMAT
    if (!CELL_TEXT_KINDS.has(column.kind)) return
    for (let row = FIRST_DATA_ROW; row <= LAST_TEMPLATE_ROW; row++) sheet.getCell(row, index + 1).numFmt = TEXT_FORMAT
  })
}

/** Where a drop-down list's values come from: inline when short and plain, else a hidden range. */
class ListSource {
  private sheet: ExcelJS.Worksheet | undefined
  private used = 0

  constructor(private readonly workbook: ExcelJS.Workbook) {}

  formulaOf(rawValues: string[]): string {
    const values = rawValues.map(sheetText)
    const inline = `"${values.join(',')}"`
    // A comma would split a value and a quote would end the list early.
    if (inline.length <= INLINE_LIST_LIMIT && !values.some((value) => /[,"]/.test(value))) return inline
    this.sheet ??= this.workbook.addWorksheet(LIST_SHEET, { state: 'veryHidden' })
    const column = this.sheet.getColumn(++this.used)
    values.forEach((value, index) => {
      this.sheet!.getCell(index + 1, this.used).value = value
    })
    return `'${LIST_SHEET}'!$${column.letter}$1:$${column.letter}$${values.length}`
  }
}
