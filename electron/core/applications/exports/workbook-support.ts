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
