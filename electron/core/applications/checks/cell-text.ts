import type { CellValue } from '../types'
import { excelSerialToIso } from './excel-dates'

/**
 * The text of a cell as the clerk sees it in Excel, for the field snapshot of a failed check and
 * for the error workbook. Never evaluates a formula: its cached result is shown, or the formula.
 */
export function cellText(cell: CellValue | undefined): string {
  if (!cell) return ''
  switch (cell.kind) {
    case 'string':
      return cell.text
    case 'number':
      return numberText(cell)
    case 'boolean':
      return cell.value ? 'TRUE' : 'FALSE'
    case 'error':
      return cell.text
    case 'formula':
      return cell.cached ?? `=${cell.formula}`
  }
}

/** Whether the clerk put anything in the cell (spaces alone do not count). */
export function isBlank(cell: CellValue | undefined): boolean {
  return cell === undefined || (cell.kind === 'string' && cell.text.trim() === '')
}

function numberText(cell: Extract<CellValue, { kind: 'number' }>): string {
  // A date-formatted cell shows a date in Excel; the clerk would not recognise 45646.
  if (cell.dateFormat) {
    const iso = excelSerialToIso(cell.value)
    if (iso) return iso
  }
  // Plain digits below 1e21, where String() would switch to exponent notation; beyond that the
  // reader's own text of the value is as good as anything.
  return Number.isFinite(cell.value) && Math.abs(cell.value) < 1e21 ? String(cell.value) : cell.raw
}

// Full-width ASCII (！ to ～) and the ideographic space: what a Chinese input method types when
// left in full-width mode.
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g
const FULL_WIDTH_OFFSET = 0xfee0

/** Folds full-width digits, letters and punctuation to ASCII and the ideographic space to a space. */
export function foldFullWidth(text: string): string {
  return text
    .replace(FULL_WIDTH_ASCII, (character) => String.fromCharCode(character.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .replace(/\u3000/g, ' ')
}

// \s covers the ideographic space, NBSP and the BOM; zero-width characters come with text pasted
// from web pages and Word, and an enumerated value never contains a space.
const ANY_SPACE = /[\s\u200B-\u200D\u2060]/g

/** The text without any spaces, for comparing with an enumerated value such as 居民身份证. */
export function withoutSpaces(text: string): string {
  return text.replace(ANY_SPACE, '')
}

/** Length in characters as a clerk counts them (a CJK extension character is one, not two). */
export function characterCount(text: string): number {
  let count = 0
  for (const _character of text) count += 1
  return count
}
