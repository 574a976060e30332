/**
 * Page planning of the PDF production list, apart from drawing: how each row's cells wrap and
 * which rows go on which page. All lengths in PDF points.
 */

/** The width of a text at the body size. */
export type Measure = (text: string) => number

/** One table row, its cells cut into lines that fit their columns. */
export interface PlannedRow {
  /** Position in the list, from 0. */
  index: number
  lines: string[][]
  height: number
}

export interface PlannedPage {
  rows: PlannedRow[]
  /** Whether the summary and signature area follow the rows on this page (the last page). */
  closing: boolean
}

/**
 * The lines of a cell: the text as is when it fits, else cut character by character (Chinese
 * text breaks anywhere, and an ID or certificate number must never be shortened).
 */
export function wrapText(text: string, width: number, measure: Measure): string[] {
  if (measure(text) <= width) return [text]
  const lines: string[] = []
  let current = ''
  let used = 0
  for (const character of text) {
    const advance = measure(character)
    if (current !== '' && used + advance > width) {
      lines.push(current)
      current = ''
      used = 0
    }
    current += character
    used += advance
  }
  if (current !== '') lines.push(current)
  return lines
}

/**
 * Rows onto pages: `firstSpace` and `space` are the heights left for rows below the header row
 * of the first and of the later pages, `closingHeight` the height of the summary and signature
 * area. The signature never stands on a page of its own: when it does not fit under the last
 * row, that row moves to the next page with it, so the signed page shows part of the list.
 */
export function planPages(rows: PlannedRow[], firstSpace: number, space: number, closingHeight: number): PlannedPage[] {
  const pages: PlannedPage[] = []
  let current: PlannedRow[] = []
  let used = 0
  let room = firstSpace
  const turn = () => {
    pages.push({ rows: current, closing: false })
    current = []
    used = 0
    room = space
  }
  for (const row of rows) {
    if (current.length > 0 && used + row.height > room) turn()
    current.push(row)
    used += row.height
  }
  if (used + closingHeight > room) {
    const moved = current.length > 1 ? current.pop() : undefined
    turn()
    if (moved) current.push(moved)
  }
  pages.push({ rows: current, closing: true })
  return pages
}
