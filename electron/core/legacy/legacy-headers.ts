import type { Family } from '../../contract/roles'
import { cellText } from '../applications/checks/cell-text'
import { normaliseHeader } from '../applications/checks/headers'
import type { SheetRow } from '../applications/types'
import { AppError } from '../util/app-error'
import { LEGACY_KIND_LABELS, legacyColumnsOf } from './legacy-format'

/** For each legacy column (legacyColumnsOf order), the index of its cell in the sheet's rows, or -1. */
export type LegacyHeaderMap = number[]

// Columns clerks add to a list, and those of our error workbook, so a corrected error workbook imports as it is.
const IGNORED_HEADERS = new Set(['序号', '编号', '备注', '原行号', '错误说明'])
// Headers only the production application's unified format has: the clerk picked the wrong template.
const APPLICATION_ONLY = new Set(['出生年月', '照片文件名'])

/**
 * Maps the header row to the legacy columns of `family`, in whatever order they stand and under
 * any accepted alias. The whole workbook is refused for the other kind's template, a production
 * application's workbook, a column given twice, an unknown column or a missing required one.
 */
export function mapLegacyHeaders(family: Family, row: SheetRow): LegacyHeaderMap {
  const columns = legacyColumnsOf(family)
  const position = new Map<string, number>()
  columns.forEach((column, index) => {
    for (const header of [column.header, ...(column.aliases ?? [])]) position.set(normaliseHeader(header), index)
  })
  const map: LegacyHeaderMap = columns.map(() => -1)
  const unknown: string[] = []
  const twice: string[] = []
  const shown = row.cells.map((cell) => cellText(cell).trim())
  refuseOtherFormat(family, shown.map(normaliseHeader), position)
  shown.forEach((text, index) => {
    if (text === '') return
    const at = position.get(normaliseHeader(text))
    if (at === undefined && IGNORED_HEADERS.has(normaliseHeader(text))) return
    if (at === undefined) unknown.push(`${columnLetter(index)} 列「${text}」`)
    else if (map[at] !== -1) twice.push(`「${columns[at].header}」（${columnLetter(map[at])} 列和 ${columnLetter(index)} 列）`)
    else map[at] = index
  })
  const missing = columns.filter((column, index) => column.required && map[index] === -1).map((column) => `「${column.header}」`)
  const problems = [
    missing.length > 0 ? `缺少必填列 ${missing.join('、')}` : '',
    twice.length > 0 ? `列重复：${twice.join('、')}` : '',
    unknown.length > 0 ? `有无法识别的列：${unknown.join('、')}` : '',
  ].filter(Boolean)
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION',
      `第 ${row.rowNumber} 行的表头不符合${LEGACY_KIND_LABELS[family]}的导入格式：${problems.join('；')}。请使用系统提供的模板`,
    )
  }
  return map
}

function refuseOtherFormat(family: Family, headers: string[], own: ReadonlyMap<string, number>): void {
  const application = headers.find((header) => APPLICATION_ONLY.has(header))
  if (application) {
    throw new AppError(
      'VALIDATION',
      `这是制证申请的统一格式名单（表头中有「${application}」），不是历史记录：请下载并使用${LEGACY_KIND_LABELS[family]}的导入模板`,
    )
  }
  const other: Family = family === 'title' ? 'vocational' : 'title'
  const foreign = new Set(
    legacyColumnsOf(other)
      .flatMap((column) => [column.header, ...(column.aliases ?? [])])
      .map(normaliseHeader)
      .filter((header) => !own.has(header)),
  )
  const found = headers.find((header) => foreign.has(header))
  if (found === undefined) return
  throw new AppError(
    'VALIDATION',
    `这是${LEGACY_KIND_LABELS[other]}的工作簿（表头中有「${found}」），不能作为${LEGACY_KIND_LABELS[family]}导入：请选择正确的记录类别`,
  )
}

/** Excel's column name of a 0-based index: A…Z, AA… */
function columnLetter(index: number): string {
  let name = ''
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) name = String.fromCharCode(65 + ((rest - 1) % 26)) + name
  return name
}
