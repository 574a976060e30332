import ExcelJS from 'exceljs'
import {
  CORRECTION_TABLE_COLUMNS,
  MAX_CORRECTION_ROWS,
  PHOTO_LABEL,
  PHOTO_REASON_MIN,
  correctableFields,
} from '../../../contract/corrections'
import { FAMILY_LABELS } from '../../../contract/application-format'
import { FAMILIES } from '../../../contract/roles'
import { sheetText } from '../../applications/exports/escape-cell'
import {
  addValidation,
  BOLD,
  TEXT_FORMAT,
  THIN_BORDER,
  WORKBOOK_CREATOR,
  writeHeaderCell,
} from '../../applications/exports/workbook-support'
import { CORRECTION_SHEET } from './error-workbook'

const LAST_TEMPLATE_ROW = 1_001
const INSTRUCTIONS = '填表说明'
const ITEMS = [...new Set(FAMILIES.flatMap((family) => correctableFields(family).map((field) => field.label)))]

/** The numbered rules of the 填表说明 sheet, under its column table. */
export function correctionRules(): string[] {
  const perFamily = FAMILIES.map(
    (family) =>
      `${FAMILY_LABELS[family]}可勘误：${correctableFields(family)
        .map((field) => field.label)
        .join('、')}`,
  )
  return [
    '电子证书一旦制成，原则上不进行勘误；确需勘误的，由评审机构或考试机构的主管部门查实并收集证明材料，连同情况说明和本表报市人社局审核。',
    '每行只勘误一张证书的一个项目；同一证书的多个项目分行填写。第 1 行为表头，请勿修改；本表须在第一个工作表中。',
    '“姓名”“证件号码”填写证书上现有的内容，用于核对；“原内容”须与证书现有内容一致；“更正内容”按制证申请模板的要求填写（日期如 2025-12-20，出生年月如 1985-03）。',
    ...perFamily,
    '证书编号不能勘误；职称级别和级别决定证书样式和所需印章，也不能勘误，确有错误的请注销后重新申请制证。',
    `照片原则上使用居民身份证照片，无特殊原因不作更换：勘误“${PHOTO_LABEL}”须在“勘误原因”中写明特殊原因（至少 ${PHOTO_REASON_MIN} 个字），在“证明材料”中列出新照片的文件名（JPEG 或 PNG），并须经市人社局审核时明确同意。`,
    '更正证件号码时，性别和出生年月须与新号码一致；如也有误，请在同一表中一并勘误。',
    '证明材料写文件名，多个用顿号分隔；文件放在一个文件夹或 ZIP 中与本表一同上传。',
    `整张表全部通过检查才会提交；有任何一行有误，整张表不提交，并给出错误清单。一张表最多 ${MAX_CORRECTION_ROWS.toLocaleString('en-US')} 行。`,
  ]
}

/** The template of 《证书信息勘误汇总表》: the table with its drop-down of 勘误项目, and 填表说明. */
export async function writeCorrectionTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = WORKBOOK_CREATOR
  workbook.lastModifiedBy = WORKBOOK_CREATOR
  const sheet = workbook.addWorksheet(CORRECTION_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] })
  const header = sheet.getRow(1)
  header.height = 24
  CORRECTION_TABLE_COLUMNS.forEach((column, index) => {
    const sheetColumn = sheet.getColumn(index + 1)
    sheetColumn.width = column.width
    // Text everywhere: an ID number or a date must reach us as typed.
    sheetColumn.numFmt = TEXT_FORMAT
    writeHeaderCell(header.getCell(index + 1), column.header, column.required)
    const letter = sheetColumn.letter
    const range = `${letter}2:${letter}${LAST_TEMPLATE_ROW}`
    const prompt = { showInputMessage: true, promptTitle: column.header.slice(0, 32), prompt: column.note.slice(0, 255) }
    if (column.key === 'item') {
      const list = `"${ITEMS.map(sheetText).join(',')}"`
      addValidation(sheet, range, {
        ...prompt,
        type: 'list',
        allowBlank: true,
        formulae: [list],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '勘误项目不正确',
        error: '请从下拉列表中选择勘误项目',
      })
    } else addValidation(sheet, range, { ...prompt, type: 'any' })
  })
  writeInstructions(workbook.addWorksheet(INSTRUCTIONS))
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

function writeInstructions(sheet: ExcelJS.Worksheet): void {
  ;[14, 10, 10, 80].forEach((width, index) => {
    sheet.getColumn(index + 1).width = width
  })
  sheet.addRow(['《证书信息勘误汇总表》填表说明']).font = { bold: true, size: 14 }
  sheet.addRow([])
  const head = sheet.addRow(['列名', '是否必填', '最多字数', '填写说明'])
  head.eachCell((cell) => {
    cell.font = BOLD
    cell.border = THIN_BORDER
  })
  for (const column of CORRECTION_TABLE_COLUMNS) {
    const row = sheet.addRow([column.header, column.required ? '必填' : '选填', String(column.maxLength), column.note].map(sheetText))
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = THIN_BORDER
      cell.alignment = { vertical: 'top', wrapText: true }
    })
  }
  sheet.addRow([])
  sheet.addRow(['通用规则']).font = BOLD
  correctionRules().forEach((rule, index) => {
    const row = sheet.addRow([sheetText(`${index + 1}. ${rule}`)])
    sheet.mergeCells(row.number, 1, row.number, 4)
    row.getCell(1).alignment = { vertical: 'top', wrapText: true }
    row.height = 15 * Math.max(1, Math.ceil(rule.length / 60))
  })
}
