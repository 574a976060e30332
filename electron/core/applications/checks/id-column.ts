import { RESIDENT_ID_TYPE } from '../../../contract/application-format'
import { normaliseIdNumber, validateIdNumber } from '../id-number'
import type { CellValue } from '../types'
import { failed, passed, type CellCheck, type Finding } from './findings'

/**
 * The 证件号码 cell, judged by the row's 证件类型. Messages never quote the number: they end up
 * in the issue list, the error workbook and logs, where a whole ID number does not belong.
 */

// From 1e15 on a number has 16 digits, and Excel keeps 15 significant ones: the tail is gone.
const FIRST_LOST_NUMBER = 1e15
const OTHER_ID_FORMAT = /^[A-Z0-9()-]{5,32}$/

const STORED_AS_NUMBER: Finding = {
  code: 'ID_STORED_AS_NUMBER',
  sentence: true,
  detail: '被存成了数字，末几位已丢失（Excel 只保留 15 位有效数字）。请把该列设为文本格式后重新输入证件号码',
}

// The same loss seen as text: the cell was copied from a number cell or a CSV export.
const SCIENTIFIC_TEXT: Finding = {
  code: 'ID_STORED_AS_NUMBER',
  detail: '是科学计数法形式（如 3.10101E+17），说明它曾被 Excel 存成数字，末几位已丢失。请把该列设为文本格式后重新输入证件号码',
}

/**
 * @param idType the row's checked 证件类型, or null when that cell failed its own check (then the
 *   number is only normalised: judging it by a guessed type would add noise to a real mistake).
 */
export function checkIdNumberCell(cell: CellValue, text: string, idType: string | null, today: Date): CellCheck {
  if (cell.kind === 'number' && Math.abs(cell.value) >= FIRST_LOST_NUMBER) {
    return { ok: false, finding: STORED_AS_NUMBER }
  }
  if (idType === RESIDENT_ID_TYPE) return checkResidentId(cell, text, today)
  if (idType === null) return passed(normaliseIdNumber(text))
  return checkOtherId(text, idType)
}

function checkResidentId(cell: CellValue, text: string, today: Date): CellCheck {
  const result = validateIdNumber(cell.kind === 'number' ? cell.value : text, { today })
  if (result.ok) {
    const converted: Finding = { code: 'ID_CONVERTED_15', severity: 'warning', detail: '15 位旧证件号码已自动转换为 18 位，请核对' }
    return passed(result.value, result.converted ? [converted] : [])
  }
  if (result.code === 'ID_EXCEL_NUMBER') return { ok: false, finding: SCIENTIFIC_TEXT }
  // Only spaces or zero-width characters: empty for every purpose.
  if (result.code === 'ID_EMPTY') return failed('REQUIRED_MISSING', '必填，不能为空')
  // The column is already named before the colon; “证件号码中的…” still needs its subject.
  return failed(result.code, result.message.replace(/^证件号码(?!中)/, ''))
}

function checkOtherId(text: string, idType: string): CellCheck {
  const value = normaliseIdNumber(text).replace(/（/g, '(').replace(/）/g, ')').toUpperCase()
  if (!OTHER_ID_FORMAT.test(value)) return failed('ID_FORMAT', `${idType}号码应为 5 至 32 位字母、数字、括号或连字符`)
  return passed(value)
}
