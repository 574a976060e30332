/**
 * Formula injection (CSV/DDE injection): a cell whose text begins with one of these characters
 * is taken for a formula when a clerk re-enters it (F2, Enter), pastes it elsewhere or saves the
 * sheet as CSV. Leading spaces do not protect it (Excel skips them), and a Chinese input method
 * left in full-width mode types ＝＋－＠, which WPS accepts as formula starters too.
 */
const FORMULA_START = /^[\s\u00A0\u3000\uFEFF]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/** Excel refuses to open a workbook holding a longer cell text. */
export const MAX_CELL_CHARACTERS = 32_767

/**
 * The text to write for a user-supplied value: prefixed with an apostrophe when it could be read
 * as a formula, unchanged otherwise. Write the result as a plain string value (exceljs:
 * `cell.value = text`), never as a formula object.
 */
export function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** escapeCell, cut to what a cell can hold (the cut keeps a surrogate pair whole). */
export function sheetText(value: string): string {
  const escaped = escapeCell(value)
  if (escaped.length <= MAX_CELL_CHARACTERS) return escaped
  const end = /[\uD800-\uDBFF]/.test(escaped[MAX_CELL_CHARACTERS - 1]) ? MAX_CELL_CHARACTERS - 1 : MAX_CELL_CHARACTERS
  return escaped.slice(0, end)
}
