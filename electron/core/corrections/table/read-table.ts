import { basename } from 'node:path'
import { CORRECTION_TABLE_COLUMNS, MAX_CORRECTION_ROWS, type CorrectionColumnKey } from '../../../contract/corrections'
import { cellText, isBlank } from '../../applications/checks/cell-text'
import type { CellValue } from '../../applications/types'
import { readFirstSheet } from '../../applications/xlsx/reader'
import { AppError } from '../../util/app-error'
import type { CorrectionRow } from '../checks/types'
import { mapCorrectionHeaders, type CorrectionHeaderMap } from './headers'

/**
 * Reads the first sheet of a correction summary table with the intake's safe streaming reader
 * (zip bombs, macro workbooks, CSV renamed .xlsx… are refused before any row) into its data rows.
 * Refuses the whole file for a bad header, no data, or more rows than a table may hold.
 */
export async function readCorrectionTable(path: string, fileName: string): Promise<CorrectionRow[]> {
  let headers: CorrectionHeaderMap | null = null
  const rows: CorrectionRow[] = []
  // The row cap is the reader's too, so a table declaring a million rows is refused unread.
  for await (const sheetRow of readFirstSheet(path, { maxRows: MAX_CORRECTION_ROWS + 1 })) {
    if (!headers) {
      headers = mapCorrectionHeaders(sheetRow)
      continue
    }
    const map = headers
    const cells: Partial<Record<CorrectionColumnKey, CellValue>> = {}
    for (const column of CORRECTION_TABLE_COLUMNS) {
      const index = map[column.key]
      const cell = index === undefined ? undefined : sheetRow.cells[index]
      if (cell !== undefined && !isBlank(cell)) cells[column.key] = cell
    }
    // 序号 alone (a numbered but unfilled template line) is not a row.
    if (CORRECTION_TABLE_COLUMNS.every((column) => column.key === 'seq' || cells[column.key] === undefined)) continue
    const text = Object.fromEntries(CORRECTION_TABLE_COLUMNS.map((column) => [column.key, cellText(cells[column.key]).trim()])) as Record<
      CorrectionColumnKey,
      string
    >
    rows.push({
      rowNumber: sheetRow.rowNumber,
      cells,
      original: CORRECTION_TABLE_COLUMNS.map((column) => cellText(cells[column.key])),
      text,
      issues: [],
      proofNames: [],
    })
  }
  const name = basename(fileName)
  if (!headers) throw new AppError('VALIDATION', `勘误汇总表 ${name} 是空的：第一个工作表中没有表头`)
  if (rows.length === 0) throw new AppError('VALIDATION', `勘误汇总表 ${name} 中没有需要勘误的行`)
  return rows
}
