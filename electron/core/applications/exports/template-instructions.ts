import type ExcelJS from 'exceljs'
import { columnsOf, FAMILY_LABELS, MAX_BATCH_ROWS, PHOTO_LIMITS } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import { allowedValuesOf } from './allowed-values'
import { sheetText } from './escape-cell'
import { BOLD, solidFill, THIN_BORDER } from './workbook-support'

export const INSTRUCTIONS_SHEET = '填表说明'
export const INSTRUCTION_HEADERS = ['列名', '是否必填', '最多字数', '填写说明', '可选值']
const WIDTHS = [16, 10, 10, 70, 48]
const HEADER_FILL = 'FFD9E1F2'

/** The general rules under the column table, numbered. */
export function generalRules(family: Family): string[] {
  const columns = columnsOf(family)
  const listed = columns.filter((column) => allowedValuesOf(column, []) !== null).map((column) => column.header)
  const megabytes = PHOTO_LIMITS.maxBytes / (1024 * 1024)
  return [
    '每行填写一人。第 1 行为表头，请勿修改、删除或调换表头，也不要在表头上方插入行；名单须在第一个工作表中。',
    '红色表头的列为必填项，灰色表头的列可以留空。',
    '本表各列均已设为文本格式，证件号码须以文本保存：请勿改为数字、日期或“常规”格式，否则 18 位证件号码的末几位会丢失、日期会被改写；从其他表格复制时请用“选择性粘贴 → 数值”。',
    '日期按 YYYY-MM-DD 填写（如 2025-12-20），出生年月按 YYYY-MM 填写（如 1985-03）。',
    `${listed.join('、')}请从下拉列表中选择，不要手工输入其他写法。`,
    `照片为本人证件照，JPEG 或 PNG 格式，不超过 ${megabytes} MB，宽 ${PHOTO_LIMITS.minWidth}–${PHOTO_LIMITS.maxWidth} 像素、高 ${PHOTO_LIMITS.minHeight}–${PHOTO_LIMITS.maxHeight} 像素。照片文件按“照片文件名”列命名，该列留空时以证件号码命名（如 310101198503120022.jpg），打包为 ZIP 与本表一同上传。`,
    '不要使用公式、合并单元格或隐藏的行列；单元格中只填写值本身，前后不要加空格。',
    `一个文件最多 ${MAX_BATCH_ROWS.toLocaleString('en-US')} 行（不含表头），人数更多时请分批提交。`,
  ]
}

/** The 填表说明 sheet: one line per column of the template, then the general rules. */
export function writeInstructions(sheet: ExcelJS.Worksheet, family: Family, extraIdTypes: string[]): void {
  WIDTHS.forEach((width, index) => {
    sheet.getColumn(index + 1).width = width
  })
  const title = sheet.addRow([sheetText(`《${FAMILY_LABELS[family]}制证名单》填表说明`)])
  title.font = { bold: true, size: 14 }
  sheet.addRow([])
  const header = sheet.addRow(INSTRUCTION_HEADERS)
  header.eachCell((cell) => {
    cell.font = BOLD
    cell.fill = solidFill(HEADER_FILL)
    cell.border = THIN_BORDER
  })
  for (const column of columnsOf(family)) {
    const values = allowedValuesOf(column, extraIdTypes)
    const row = sheet.addRow(
      [column.header, column.required ? '必填' : '选填', String(column.maxLength), column.note, values ? values.join('、') : ''].map(
        sheetText,
      ),
    )
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = THIN_BORDER
      cell.alignment = { vertical: 'top', wrapText: true }
    })
  }
  sheet.addRow([])
  sheet.addRow(['通用规则']).font = BOLD
  generalRules(family).forEach((rule, index) => {
    const row = sheet.addRow([sheetText(`${index + 1}. ${rule}`)])
    sheet.mergeCells(row.number, 1, row.number, INSTRUCTION_HEADERS.length)
    row.getCell(1).alignment = { vertical: 'top', wrapText: true }
    // Merged cells do not grow with their text: give the longer rules a second or third line.
    row.height = 15 * Math.max(1, Math.ceil(rule.length / 75))
  })
}
