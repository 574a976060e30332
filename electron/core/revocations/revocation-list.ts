import { basename } from 'node:path'
import { MAX_REVOCATION_CERTIFICATES, type RevocationList } from '../../contract/revocations'
import { cellText, foldFullWidth, isBlank, withoutSpaces } from '../applications/checks/cell-text'
import type { SheetRow } from '../applications/types'
import { columnLetters } from '../applications/xlsx/cells'
import { readFirstSheet } from '../applications/xlsx/reader'
import type { UploadStore } from '../uploads/upload-store'
import type { Actor } from '../users/access'
import { AppError } from '../util/app-error'

/** The header of the one column a revocation list workbook needs. */
export const NUMBER_HEADER = '证书编号'

/** One certificate number as the list gives it, with where it stands (for the messages). */
export interface ListedNumber {
  number: string
  /** 第 3 行, or 第 3 行 A 列（证书编号） in a workbook. */
  where: string
}

/** A finding about one entry of the list; any finding refuses the whole list. */
export interface ListProblem {
  where: string
  message: string
}

/** The list read, and what is wrong with its entries as written (before any database check). */
export interface ReadList {
  entries: ListedNumber[]
  problems: ListProblem[]
}

const NUMBER_FORMAT = /^[A-Z0-9]{4,32}$/
// Typed or pasted lists separate numbers by lines, and within a line by commas, semicolons, 、 or spaces.
const SEPARATORS = /[\s,;、]+/

/** A number as typed: full-width letters and digits folded, upper-cased; shown cut short when absurdly long. */
function normalised(text: string): string {
  return foldFullWidth(text).trim().toUpperCase()
}

function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

function entryOf(text: string, where: string, read: ReadList): void {
  const number = normalised(text)
  if (NUMBER_FORMAT.test(number)) read.entries.push({ number, where })
  else read.problems.push({ where, message: `“${shown(number)}”不是有效的证书编号：证书编号由 4–32 位大写字母和数字组成` })
}

/** Numbers typed or pasted into the dialog, one or more per line. */
export function readTextList(text: string): ReadList {
  const read: ReadList = { entries: [], problems: [] }
  foldFullWidth(text)
    .split(/\r\n|\r|\n/)
    .forEach((line, index) => {
      for (const token of line.split(SEPARATORS)) if (token !== '') entryOf(token, `第 ${index + 1} 行`, read)
    })
  return read
}

/** The 0-based column headed 证书编号 in the first row, or a refusal of the whole file. */
function numberColumn(header: SheetRow, name: string): number {
  const column = header.cells.findIndex((cell) => cell !== undefined && withoutSpaces(cellText(cell)) === NUMBER_HEADER)
  if (column < 0) throw new AppError('VALIDATION', `工作簿 ${name} 第 ${header.rowNumber} 行（表头）中没有“${NUMBER_HEADER}”列`)
  return column
}

/** The 证书编号 column of the first sheet of an uploaded workbook, read with the intake's safe reader. */
export async function readWorkbookList(uploads: UploadStore, actor: Actor, uploadId: string): Promise<ReadList> {
  const upload = await uploads.resolve(actor, uploadId, 'workbook')
  if (upload.files.length !== 1) throw new AppError('VALIDATION', '请只选择一个 Excel 工作簿')
  const name = basename(upload.files[0].name)
  const read: ReadList = { entries: [], problems: [] }
  let column = -1
  for await (const row of readFirstSheet(upload.files[0].path)) {
    if (column < 0) {
      column = numberColumn(row, name)
      continue
    }
    const where = `第 ${row.rowNumber} 行 ${columnLetters(column)} 列（${NUMBER_HEADER}）`
    const cell = row.cells[column]
    if (isBlank(cell)) read.problems.push({ where, message: '证书编号为空' })
    else if (cell!.kind === 'formula') read.problems.push({ where, message: '是公式，请填写证书编号本身' })
    else entryOf(cellText(cell), where, read)
    if (read.entries.length + read.problems.length > MAX_REVOCATION_CERTIFICATES) break
  }
  if (column < 0) throw new AppError('VALIDATION', `工作簿 ${name} 是空的：第一个工作表中没有表头`)
  return read
}

/** Reads the list the caller gave, refusing an empty or over-long one as a whole. */
export async function readRevocationList(list: RevocationList, uploads: UploadStore, actor: Actor): Promise<ReadList> {
  const read = list.kind === 'text' ? readTextList(list.text) : await readWorkbookList(uploads, actor, list.uploadId)
  const count = read.entries.length + read.problems.length
  if (count === 0) throw new AppError('VALIDATION', '注销名单中没有证书编号')
  if (count > MAX_REVOCATION_CERTIFICATES) {
    throw new AppError('VALIDATION', `一次最多注销 ${MAX_REVOCATION_CERTIFICATES} 本证书，请把名单分成几份，分别登记`)
  }
  return read
}
