import { foldFullWidth } from '../applications/checks/cell-text'

/**
 * How a paper certificate's number is kept in the register. The numbering rules of clause 6 do
 * not apply to old paper numbers, but the register, the contract's number schemas, the QR links
 * and the registry protocol all use clause 6's alphabet (upper-case letters and digits), so a
 * paper number is folded into it: full-width characters to ASCII, letters upper-cased, and the
 * separators printed between its parts (spaces, - / . _ ·) dropped. That never merges two records
 * silently: uniqueness is checked after folding, so two numbers that differ only by a separator
 * are refused as duplicates, by row.
 */
const SEPARATORS = /[\s\u200B-\u200D\u2060\-/._·・]/g
const ONLY_ALLOWED = /^[A-Z0-9]*$/
const MIN_LENGTH = 4
const MAX_LENGTH = 32

/** A legacy check's outcome: the stored value, or what is wrong (after “第 N 行「列」：”). */
export type LegacyCheck = { ok: true; value: string } | { ok: false; code: string; detail: string }

/** The stored form of a paper number as typed, or why it cannot be one. */
export function checkLegacyNumber(text: string): LegacyCheck {
  const folded = foldFullWidth(text).replace(SEPARATORS, '').toUpperCase()
  if (!ONLY_ALLOWED.test(folded)) {
    return { ok: false, code: 'NUMBER_INVALID', detail: '只能由字母和数字组成（可用连字符、斜杠、点或空格分隔），不能含汉字或其他符号' }
  }
  if (folded.length < MIN_LENGTH || folded.length > MAX_LENGTH) {
    return {
      ok: false,
      code: 'NUMBER_INVALID',
      detail: `去掉分隔符后有 ${folded.length} 位，应为 ${MIN_LENGTH}–${MAX_LENGTH} 位字母和数字`,
    }
  }
  return { ok: true, value: folded }
}
