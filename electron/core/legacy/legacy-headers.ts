import type { Family } from '../../contract/roles'
import { cellText } from '../applications/checks/cell-text'
import { headerProblems, matchHeaders, normaliseHeader } from '../applications/checks/headers'
import type { SheetRow } from '../applications/types'
import { AppError } from '../util/app-error'
import { LEGACY_KIND_LABELS, legacyColumnsOf } from './legacy-format'

/** For each legacy column (legacyColumnsOf order), the index of its cell in the sheet's rows, or -1. */
export type LegacyHeaderMap = number[]

// Headers only the production application's unified format has: the clerk picked the wrong template.
const APPLICATION_ONLY = new Set(['出生年月', '照片文件名'])

/**
 * Maps the header row to the legacy columns of `family`, in whatever order they stand and under
 * any accepted alias. The whole workbook is refused for the other kind's template, a production
 * application's workbook, a column given twice, an unknown column or a missing required one.
 */
export function mapLegacyHeaders(family: Family, row: SheetRow): LegacyHeaderMap {
  refuseOtherFormat(
    family,
    row.cells.map((cell) => normaliseHeader(cellText(cell).trim())),
  )
  const match = matchHeaders(legacyColumnsOf(family), row)
  const problems = headerProblems(match)
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION',
      `第 ${row.rowNumber} 行的表头不符合${LEGACY_KIND_LABELS[family]}的导入格式：${problems.join('；')}。请使用系统提供的模板`,
    )
  }
  return match.map
}

/** Every header and alias of a kind's columns, as compared. */
function headersOf(family: Family): Set<string> {
  return new Set(legacyColumnsOf(family).flatMap((column) => [column.header, ...(column.aliases ?? [])].map(normaliseHeader)))
}

function refuseOtherFormat(family: Family, headers: string[]): void {
  const application = headers.find((header) => APPLICATION_ONLY.has(header))
  if (application) {
    throw new AppError(
      'VALIDATION',
      `这是制证申请的统一格式名单（表头中有「${application}」），不是历史记录：请下载并使用${LEGACY_KIND_LABELS[family]}的导入模板`,
    )
  }
  const other: Family = family === 'title' ? 'vocational' : 'title'
  const own = headersOf(family)
  const foreign = new Set([...headersOf(other)].filter((header) => !own.has(header)))
  const found = headers.find((header) => foreign.has(header))
  if (found === undefined) return
  throw new AppError(
    'VALIDATION',
    `这是${LEGACY_KIND_LABELS[other]}的工作簿（表头中有「${found}」），不能作为${LEGACY_KIND_LABELS[family]}导入：请选择正确的记录类别`,
  )
}
