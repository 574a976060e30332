import { basename } from 'node:path'
import { AppError } from '../../util/app-error'
import type { CheckedRow } from '../types'
import { readFirstSheet } from '../xlsx/reader'
import type { RowChecker } from './row-checker'

/**
 * Streams the first sheet of a workbook through a checker: the first row is the header, each
 * later row is checked on its own (rows with nothing in the format's columns left out). A bad
 * header, no header or no data row refuses the whole file, named by `fileName`.
 */
export async function readCheckedRows(path: string, fileName: string, checker: RowChecker): Promise<CheckedRow[]> {
  const rows: CheckedRow[] = []
  let header = false
  for await (const row of readFirstSheet(path)) {
    if (!header) {
      checker.header(row)
      header = true
      continue
    }
    const checked = checker.check(row)
    if (checked) rows.push(checked)
  }
  const name = basename(fileName)
  if (!header) throw new AppError('VALIDATION', `工作簿 ${name} 是空的：第一个工作表中没有表头`)
  if (rows.length === 0) throw new AppError('VALIDATION', `工作簿 ${name} 中没有数据行`)
  return rows
}
