import { CORRECTION_TABLE_COLUMNS, type CorrectionColumnKey } from '../../../contract/corrections'
import { cellText } from '../../applications/checks/cell-text'
import { headerProblems, normaliseHeader } from '../../applications/checks/headers'
import type { SheetRow } from '../../applications/types'
import { columnLetters } from '../../applications/xlsx/cells'
import { AppError } from '../../util/app-error'

/** For each column key, the index of its cell in the sheet's rows; absent when the table lacks it. */
export type CorrectionHeaderMap = Partial<Record<CorrectionColumnKey, number>>

/** Columns of our error workbook and clerks' own notes: a corrected error workbook imports as it is. */
const IGNORED = new Set(['原行号', '错误说明', '备注'])
/** Headers a table must have; 序号 and 证明材料 may be left out. */
const REQUIRED_HEADERS: ReadonlySet<CorrectionColumnKey> = new Set(['number', 'name', 'idNumber', 'item', 'oldValue', 'newValue', 'reason'])

/**
 * Maps the header row to the table's columns, in whatever order they stand. The whole table is
 * refused for an unknown column, a column given twice or a missing one: each would put values
 * under the wrong heading for every row. A production-application workbook is named as such.
 */
export function mapCorrectionHeaders(row: SheetRow): CorrectionHeaderMap {
  const byHeader = new Map(CORRECTION_TABLE_COLUMNS.map((column) => [column.header, column.key]))
  const map: CorrectionHeaderMap = {}
  const unknown: string[] = []
  const twice: string[] = []
  row.cells.forEach((cell, index) => {
    const header = normaliseHeader(cellText(cell).trim())
    if (header === '' || IGNORED.has(header)) return
    const key = byHeader.get(header)
    if (key === undefined) unknown.push(`${columnLetters(index)} 列「${cellText(cell).trim()}」`)
    else if (map[key] !== undefined) twice.push(`「${header}」（${columnLetters(map[key])} 列和 ${columnLetters(index)} 列）`)
    else map[key] = index
  })
  const missing = CORRECTION_TABLE_COLUMNS.filter((column) => REQUIRED_HEADERS.has(column.key) && map[column.key] === undefined)
  if (missing.length > 0 && unknown.some((text) => /制证|职称级别|资格名称|照片文件名/.test(text))) {
    throw new AppError('VALIDATION', '这是制证申请的名单，不是《证书信息勘误汇总表》：请下载勘误汇总表模板填写后再导入')
  }
  const problems = headerProblems({ missing: missing.map((column) => column.header), twice, unknown }, '缺少列')
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION',
      `第 ${row.rowNumber} 行的表头不符合《证书信息勘误汇总表》的格式：${problems.join('；')}。请使用系统提供的勘误汇总表模板`,
    )
  }
  return map
}
