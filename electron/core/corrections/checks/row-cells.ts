import {
  CORRECTION_TABLE_COLUMNS,
  NUMBER_LABEL,
  PHOTO_LABEL,
  correctableFields,
  type CorrectionColumnKey,
} from '../../../contract/corrections'
import { characterCount, foldFullWidth, withoutSpaces } from '../../applications/checks/cell-text'
import { FAMILIES } from '../../../contract/roles'
import { report, type CorrectionRow } from './types'

const HEADER = Object.fromEntries(CORRECTION_TABLE_COLUMNS.map((column) => [column.key, column.header])) as Record<
  CorrectionColumnKey,
  string
>
/** Every 勘误项目 either family knows, for the message that lists them. */
const KNOWN_ITEMS = [...new Set(FAMILIES.flatMap((family) => correctableFields(family).map((field) => field.label)))]
const NEVER_CORRECTED: Record<string, string> = {
  [NUMBER_LABEL]: '证书编号不能勘误：编号一经制证永不改变，勘误后的证书沿用原编号',
  职称级别: '职称级别决定证书的样式和所需印章，不能勘误；确有错误的，请注销后重新申请制证',
  级别: '级别决定证书的样式和所需印章，不能勘误；确有错误的，请注销后重新申请制证',
  照片文件名: `勘误照片时请填写「${PHOTO_LABEL}」，新照片的文件名写在「证明材料」中`,
}
const NUMBER_FORMAT = /^[A-Z0-9]{4,32}$/
// Proof names in one cell: 、 is what a Chinese clerk types; commas, semicolons and new lines too.
const PROOF_SEPARATORS = /[、，,；;\n\r]+/
const BARE_NAME = /^(?!\.)[^/\\:*?"<>|\0]+$/
// Excel keeps 15 significant digits: a number this large has lost its tail.
const FIRST_LOST_NUMBER = 1e15

/**
 * The checks of one row on its own, before any certificate is looked up: cells that are values
 * (not formulas or errors), required cells, lengths, the certificate number's form, whether
 * 勘误项目 is something a table may correct, and the proof file names.
 */
export function checkRowCells(row: CorrectionRow): void {
  for (const column of CORRECTION_TABLE_COLUMNS) {
    const cell = row.cells[column.key]
    if (!cell) continue
    if (cell.kind === 'formula') report(row, column.header, 'FORMULA_CELL', '是公式，请改为直接填写内容', true)
    else if (cell.kind === 'error') report(row, column.header, 'CELL_ERROR', `是错误值 ${cell.text}，请改为直接填写内容`, true)
    else if (characterCount(row.text[column.key]) > column.maxLength) {
      report(row, column.header, 'TOO_LONG', `内容有 ${characterCount(row.text[column.key])} 个字，超过上限 ${column.maxLength} 个字`)
    }
  }
  const photo = withoutSpaces(row.text.item) === PHOTO_LABEL
  for (const key of ['number', 'name', 'idNumber', 'item', 'reason'] as const) requireCell(row, key)
  if (!photo) requireCell(row, 'newValue')
  checkNumber(row)
  checkIdCell(row)
  checkItem(row)
  if (row.text.reason !== '' && characterCount(row.text.reason) < 2) {
    report(row, HEADER.reason, 'REASON_TOO_SHORT', '请写明勘误的原因（至少 2 个字）')
  }
  row.proofNames = proofNamesOf(row)
}

function requireCell(row: CorrectionRow, key: CorrectionColumnKey): void {
  if (row.text[key] === '') report(row, HEADER[key], 'REQUIRED_MISSING', '必填，不能为空')
}

function checkNumber(row: CorrectionRow): void {
  const number = withoutSpaces(foldFullWidth(row.text.number)).toUpperCase()
  if (number === '') return
  if (!NUMBER_FORMAT.test(number)) {
    report(row, HEADER.number, 'NUMBER_FORMAT', '证书编号只能由 4 至 32 位大写字母和数字组成，请照证书上的编号填写')
  }
  row.text.number = number
}

/** 证件号码 typed into a General cell: the last digits are gone, so it can match nothing. */
function checkIdCell(row: CorrectionRow): void {
  const cell = row.cells.idNumber
  if (cell?.kind === 'number' && Math.abs(cell.value) >= FIRST_LOST_NUMBER) {
    report(row, HEADER.idNumber, 'ID_STORED_AS_NUMBER', '被存成了数字，末几位已丢失。请把该列设为文本格式后重新输入证件号码')
  }
}

function checkItem(row: CorrectionRow): void {
  const item = withoutSpaces(row.text.item)
  if (item === '') return
  row.text.item = item
  const never = NEVER_CORRECTED[item]
  if (never) return report(row, HEADER.item, 'ITEM_NOT_CORRECTABLE', never)
  if (!KNOWN_ITEMS.includes(item)) {
    report(row, HEADER.item, 'ITEM_UNKNOWN', `「${row.text.item}」不是可以勘误的项目，应为以下之一：${KNOWN_ITEMS.join('、')}`)
  }
}

function proofNamesOf(row: CorrectionRow): string[] {
  const names = row.text.proofs
    .split(PROOF_SEPARATORS)
    .map((name) => name.trim())
    .filter(Boolean)
  const bad = names.filter((name) => !BARE_NAME.test(name))
  if (bad.length > 0) {
    report(row, HEADER.proofs, 'PROOF_NAME_INVALID', `应只写文件名（不含文件夹路径），多个文件用顿号分隔：${bad.join('、')}`)
  }
  // Only bare names are looked up: a path is reported above, not searched for.
  return [...new Set(names.filter((name) => BARE_NAME.test(name)))]
}

export { HEADER as CORRECTION_HEADERS }
