import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'

/** The workbook's creator property, and who last modified it. */
export const WORKBOOK_CREATOR = 'CertDesk'

export const TEXT_FORMAT = '@'
export const BOLD: Partial<ExcelJS.Font> = { bold: true }
export const THIN_BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
}

export function solidFill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } }
}

// Every template marks its required columns alike: red on yellow, the others black on grey.
const REQUIRED_FILL = 'FFFFF2CC'
const OPTIONAL_FILL = 'FFEDEDED'
const REQUIRED_FONT_COLOUR = 'FFC00000'

/** A template's header cell: the exact header the importer matches, styled as required or not. */
export function writeHeaderCell(cell: ExcelJS.Cell, header: string, required: boolean): void {
  cell.value = header
  cell.font = required ? { ...BOLD, color: { argb: REQUIRED_FONT_COLOUR } } : BOLD
  cell.fill = solidFill(required ? REQUIRED_FILL : OPTIONAL_FILL)
  cell.border = THIN_BORDER
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
}

/** A data validation as exceljs writes it; its typings leave out `Worksheet.dataValidations` and type 'any'. */
export interface ValidationModel {
  type: 'list' | 'any'
  formulae?: string[]
  allowBlank?: boolean
  showErrorMessage?: boolean
  errorStyle?: 'stop' | 'warning' | 'information'
  errorTitle?: string
  error?: string
  showInputMessage?: boolean
  promptTitle?: string
  prompt?: string
}

/**
 * A template column's validation: its hint (必填 or 选填, and its note), and with `list` (a list
 * formula) a drop-down that refuses anything else. Excel caps the hint's title at 32 characters
 * and its text at 255.
 */
export function columnValidation(column: { header: string; required: boolean; note: string }, list: string | null): ValidationModel {
  const prompt: ValidationModel = {
    type: 'any',
    showInputMessage: true,
    promptTitle: `${column.header}（${column.required ? '必填' : '选填'}）`.slice(0, 32),
    prompt: column.note.slice(0, 255),
  }
  if (list === null) return prompt
  return {
    ...prompt,
    type: 'list',
    allowBlank: true,
    formulae: [list],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: `${column.header}不正确`,
    error: `请从下拉列表中选择${column.header}`,
  }
}

/** Adds a validation over an explicit range such as `C2:C100001` (exceljs writes it as one sqref). */
export function addValidation(sheet: ExcelJS.Worksheet, range: string, validation: ValidationModel): void {
  ;(sheet as unknown as { dataValidations: { add(address: string, model: ValidationModel): void } }).dataValidations.add(range, validation)
}

/**
 * exceljs's streaming writer, writing into memory: rows are zipped as they are committed, so only
 * the compressed bytes accumulate, never the workbook's object model.
 */
export function streamingWorkbook(): { workbook: ExcelJS.stream.xlsx.WorkbookWriter; finish: () => Promise<Buffer> } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve)
    stream.on('error', reject)
  })
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false })
  workbook.creator = WORKBOOK_CREATOR
  workbook.lastModifiedBy = WORKBOOK_CREATOR
  return {
    workbook,
    finish: async () => {
      await workbook.commit()
      await ended
      return Buffer.concat(chunks)
    },
  }
}
