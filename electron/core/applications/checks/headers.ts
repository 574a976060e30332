import { FAMILY_LABELS, columnsOf } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import { AppError } from '../../util/app-error'
import type { SheetRow } from '../types'
import { columnLetters } from '../xlsx/cells'
import { cellText, foldFullWidth, withoutSpaces } from './cell-text'

/** For each template column (columnsOf order), the index of its cell in the sheet's rows, or -1. */
export type HeaderMap = number[]

// Templates and clerks mark required columns as 姓名*, *姓名 or 姓名（必填）.
/** Columns clerks add to a list (序号, 备注) and those of our error workbook, so a corrected error workbook imports as it is. */
const IGNORED_HEADERS = new Set(['序号', '编号', '备注', '原行号', '错误说明'])
const REQUIRED_MARK = /^\*+|\*+$|\(必填\)$/g

/** A header as compared: full-width folded, without spaces or a required-column mark. */
export function normaliseHeader(text: string): string {
  return withoutSpaces(foldFullWidth(text)).replace(REQUIRED_MARK, '')
}

/** A header row laid against a format's columns: where each column stands, and what did not fit. */
export interface HeaderMatch {
  /** For each column, the index of its cell, or -1. */
  map: number[]
  /** Required columns not found, by header. */
  missing: string[]
  /** Columns given twice, and cells matching no column, as the messages name them. */
  twice: string[]
  unknown: string[]
}

/**
 * Lays the header row against `columns`, in whatever order they stand and under any alias:
 * shared by the imports of applications and of historical records, which read headers alike.
 */
export function matchHeaders(
  columns: ReadonlyArray<{ header: string; required: boolean; aliases?: string[] }>,
  row: SheetRow,
): HeaderMatch {
  const position = new Map<string, number>()
  columns.forEach((column, index) => {
    for (const header of [column.header, ...(column.aliases ?? [])]) position.set(normaliseHeader(header), index)
  })
  const map = columns.map(() => -1)
  const unknown: string[] = []
  const twice: string[] = []
  row.cells.forEach((cell, index) => {
    const shown = cellText(cell).trim()
    if (shown === '') return
    const at = position.get(normaliseHeader(shown))
    if (at === undefined && IGNORED_HEADERS.has(normaliseHeader(shown))) return
    if (at === undefined) unknown.push(`${columnLetters(index)} 列「${shown}」`)
    else if (map[at] !== -1) twice.push(`「${columns[at].header}」（${columnLetters(map[at])} 列和 ${columnLetters(index)} 列）`)
    else map[at] = index
  })
  const missing = columns.filter((column, index) => column.required && map[index] === -1).map((column) => column.header)
  return { map, missing, twice, unknown }
}

/** What is wrong with a header row, in the words every import uses; empty when nothing is. */
export function headerProblems({ missing, twice, unknown }: Omit<HeaderMatch, 'map'>, missingText = '缺少必填列'): string[] {
  return [
    missing.length > 0 ? `${missingText} ${missing.map((header) => `「${header}」`).join('、')}` : '',
    twice.length > 0 ? `列重复：${twice.join('、')}` : '',
    unknown.length > 0 ? `有无法识别的列：${unknown.join('、')}` : '',
  ].filter(Boolean)
}

/**
 * Maps the header row to the family's columns, in whatever order they stand. The whole workbook
 * is refused (VALIDATION) for another family's template, a column given twice, an unknown column
 * or a missing required one: each would put values under the wrong field for every row.
 */
export function mapHeaders(family: Family, row: SheetRow): HeaderMap {
  const match = matchHeaders(columnsOf(family), row)
  refuseOtherFamily(family, row)
  const problems = headerProblems(match)
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION',
      `第 ${row.rowNumber} 行的表头不符合${FAMILY_LABELS[family]}的统一数据格式：${problems.join('；')}。请使用系统提供的模板`,
    )
  }
  return match.map
}

/** A header only the other family has means the clerk picked the wrong workbook or family. */
function refuseOtherFamily(family: Family, row: SheetRow): void {
  const other: Family = family === 'title' ? 'vocational' : 'title'
  const own = new Set(columnsOf(family).map((column) => column.header))
  const foreign = new Set(
    columnsOf(other)
      .map((column) => column.header)
      .filter((header) => !own.has(header)),
  )
  const found = row.cells.map((cell) => normaliseHeader(cellText(cell))).find((header) => foreign.has(header))
  if (found === undefined) return
  throw new AppError(
    'VALIDATION',
    `这是${FAMILY_LABELS[other]}的工作簿（表头中有「${found}」），不能作为${FAMILY_LABELS[family]}导入：请选择正确的证书类别，或使用${FAMILY_LABELS[family]}的模板`,
  )
}
