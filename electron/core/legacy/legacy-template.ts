import ExcelJS from 'exceljs'
import { MAX_BATCH_ROWS } from '../../contract/application-format'
import type { Family } from '../../contract/roles'
import { allowedValuesOf } from '../applications/exports/allowed-values'
import { sheetText } from '../applications/exports/escape-cell'
import { INSTRUCTION_HEADERS, INSTRUCTIONS_SHEET } from '../applications/exports/template-instructions'
import {
  addValidation,
  BOLD,
  columnValidation,
  solidFill,
  TEXT_FORMAT,
  THIN_BORDER,
  WORKBOOK_CREATOR,
  writeHeaderCell,
} from '../applications/exports/workbook-support'
import { ELECTRONIC_FROM, LEGACY_EARLIEST, LEGACY_KIND_LABELS, legacyColumnsOf, legacySheetName, type LegacyColumn } from './legacy-format'

const FIRST_DATA_ROW = 2
/** Rows carrying the drop-downs, hints and text format cell by cell (an explicit range, as the intake's template). */
const LAST_TEMPLATE_ROW = 10_001
const INSTRUCTION_WIDTHS = [16, 10, 10, 70, 48]

/** The general rules under the column table of the 填表说明 sheet. */
export function legacyRules(family: Family): string[] {
  const period =
    family === 'title'
      ? `只导入 ${LEGACY_EARLIEST} 至 ${ELECTRONIC_FROM} 前取得的职称：2010 年以前的职称不提供查询验证，2024 年 9 月 1 日起的职称以电子证书制发。`
      : '只导入 2010 年起、2024 年 9 月 1 日前的考试合格记录：此后的证书以电子证书制发。'
  return [
    '每行填写一条历史（纸质证书）记录。第 1 行为表头，请勿修改、删除或调换；名单须在第一个工作表中。',
    '红色表头的列为必填项，灰色表头的列在档案中没有时可以留空。',
    period,
    '证件号码须以文本保存，请勿改为数字或“常规”格式；日期按 YYYY-MM-DD 填写。',
    '证书编号照纸质证书填写：字母转为大写，连字符、斜杠、点和空格会被去掉；编号不能与证书库中已有的编号重复。',
    '整个文件一起检查：只要有一行有错，整个文件都不导入，并生成错误说明工作簿；改正后可直接导入该工作簿。',
    `不要使用公式或合并单元格；一个文件最多 ${MAX_BATCH_ROWS.toLocaleString('en-US')} 行。`,
  ]
}

/** The import template of a kind: the list sheet with its header and drop-downs, then 填表说明. */
export async function writeLegacyTemplate(family: Family, options: { extraIdTypes: string[] }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = WORKBOOK_CREATOR
  workbook.lastModifiedBy = WORKBOOK_CREATOR
  const columns = legacyColumnsOf(family)
  const sheet = workbook.addWorksheet(legacySheetName(family), { views: [{ state: 'frozen', ySplit: 1 }] })
  writeHeader(sheet, columns)
  columns.forEach((column, index) => {
    const letter = sheet.getColumn(index + 1).letter
    addValidation(
      sheet,
      `${letter}${FIRST_DATA_ROW}:${letter}${LAST_TEMPLATE_ROW}`,
      validationOf(column, allowedValuesOf(column, options.extraIdTypes)),
    )
  })
  writeInstructions(workbook.addWorksheet(INSTRUCTIONS_SHEET), family, options.extraIdTypes)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** The hint of a column, and its drop-down when its values fit Excel's inline list (255 characters, no commas or quotes). */
function validationOf(column: LegacyColumn, values: string[] | null) {
  const inline = values ? `"${values.map(sheetText).join(',')}"` : ''
  const fits = values !== null && inline.length <= 255 && !values.some((value) => /[,"]/.test(value))
  return columnValidation(column, fits ? inline : null)
}

function writeHeader(sheet: ExcelJS.Worksheet, columns: LegacyColumn[]): void {
  const header = sheet.getRow(1)
  header.height = 24
  columns.forEach((column, index) => {
    const sheetColumn = sheet.getColumn(index + 1)
    sheetColumn.width = column.width
    // Every column is text: an ID number or a paper number typed into a General cell loses digits.
    sheetColumn.numFmt = TEXT_FORMAT
    writeHeaderCell(header.getCell(index + 1), column.header, column.required)
  })
  for (let row = FIRST_DATA_ROW; row <= LAST_TEMPLATE_ROW; row++) {
    columns.forEach((column, index) => {
      if (column.kind === 'idNumber' || column.kind === 'number' || column.kind === 'date')
        sheet.getCell(row, index + 1).numFmt = TEXT_FORMAT
    })
  }
}

function writeInstructions(sheet: ExcelJS.Worksheet, family: Family, extraIdTypes: string[]): void {
  INSTRUCTION_WIDTHS.forEach((width, index) => {
    sheet.getColumn(index + 1).width = width
  })
  sheet.addRow([`《${LEGACY_KIND_LABELS[family]}导入名单》填表说明`]).font = { bold: true, size: 14 }
  sheet.addRow([])
  const header = sheet.addRow(INSTRUCTION_HEADERS)
  header.eachCell((cell) => {
    cell.font = BOLD
    cell.fill = solidFill('FFD9E1F2')
    cell.border = THIN_BORDER
  })
  for (const column of legacyColumnsOf(family)) {
    const values = allowedValuesOf(column, extraIdTypes)
    const note = column.aliases ? `${column.note}（表头也可写作 ${column.aliases.join('、')}）` : column.note
    const row = sheet.addRow(
      [column.header, column.required ? '必填' : '选填', String(column.maxLength), note, values ? values.join('、') : ''].map(sheetText),
    )
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = THIN_BORDER
      cell.alignment = { vertical: 'top', wrapText: true }
    })
  }
  sheet.addRow([])
  sheet.addRow(['通用规则']).font = BOLD
  legacyRules(family).forEach((rule, index) => {
    const row = sheet.addRow([sheetText(`${index + 1}. ${rule}`)])
    sheet.mergeCells(row.number, 1, row.number, INSTRUCTION_HEADERS.length)
    row.getCell(1).alignment = { vertical: 'top', wrapText: true }
    row.height = 15 * Math.max(1, Math.ceil(rule.length / 75))
  })
}
