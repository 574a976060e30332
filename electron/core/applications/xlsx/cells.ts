import type { CellValue } from '../types'

/**
 * Cell references, row numbers and numbers as Excel writes them, checked character by character:
 * Number() alone would accept spaces, hex and signs that no well-formed sheet contains.
 */

export function isBlank(cell: CellValue): boolean {
  return cell.kind === 'string' && cell.text.trim() === ''
}

/** A decimal integer, or NaN: no signs, spaces or exponents (row numbers, indexes, style ids). */
export function parseDigits(text: string): number {
  if (text.length === 0 || text.length > 15) return Number.NaN
  let value = 0
  for (let index = 0; index < text.length; index += 1) {
    const digit = text.charCodeAt(index) - 48
    if (digit < 0 || digit > 9) return Number.NaN
    value = value * 10 + digit
  }
  return value
}

/** Whether `text` is an xsd:double as Excel writes it: digits, sign, point, exponent; no hex, no spaces. */
export function isXmlNumber(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index)
    // 0-9 + - . E e
    if (!((code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46 || code === 69 || code === 101)) return false
  }
  return true
}

/** The 0-based column of a cell reference such as `AB12`, or -1 when it is not one. */
export function columnIndex(reference: string): number {
  let column = 0
  let index = 0
  for (; index < reference.length && index < 4; index += 1) {
    const code = reference.charCodeAt(index) | 0x20 // lower-case ASCII letters
    if (code < 97 || code > 122) break
    column = column * 26 + (code - 96)
  }
  if (index === 0 || index > 3 || Number.isNaN(parseDigits(reference.slice(index)))) return -1
  return column - 1
}

/** `0` → `A`, `26` → `AA`. */
export function columnLetters(column: number): string {
  let letters = ''
  for (let rest = column + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters
  }
  return letters
}
