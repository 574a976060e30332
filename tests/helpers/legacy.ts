import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Family } from '../../electron/contract/roles'
import type { LegacyImportResult } from '../../electron/contract/legacy'
import type { Core } from '../../electron/core/app'
import { legacyColumnsOf } from '../../electron/core/legacy/legacy-format'
import type { Actor } from '../../electron/core/users/access'
import { residentId } from '../fixtures/applications/generate'

/** A cell as the test writes it: text, a number cell, a formula, or empty. */
export type TestCell = string | number | { formula: string } | null

/** The headers of a kind's import template, in order. */
export function legacyHeaders(family: Family): string[] {
  return legacyColumnsOf(family).map((column) => column.header)
}

/** A valid historical title record (a 2015 senior nurse by default), by column key. */
export function titleRecord(index: number, overrides: Record<string, TestCell> = {}): Record<string, TestCell> {
  const gender = index % 2 === 0 ? '女' : '男'
  return {
    name: `历史${index + 1}`,
    gender,
    idType: '居民身份证',
    idNumber: residentId(index, '19750312', gender),
    employer: '上海市第一人民医院',
    level: '高级',
    titleName: '副主任护师',
    specialty: '护理学',
    reviewBody: '上海市卫生系列护理专业高级职称评审委员会',
    obtainedOn: '2015-12-20',
    number: `HL2015${String(index + 1).padStart(4, '0')}`,
    ...overrides,
  }
}

/** A valid historical exam record (a 2016 constructor, 一级), by column key. */
export function examRecord(index: number, overrides: Record<string, TestCell> = {}): Record<string, TestCell> {
  const gender = index % 2 === 0 ? '男' : '女'
  return {
    name: `考生${index + 1}`,
    gender,
    idType: '居民身份证',
    idNumber: residentId(index, '19800605', gender),
    qualificationName: '建造师执业资格',
    level: '一级',
    category: '建筑工程',
    examYear: '2016',
    approvedOn: '2017-01-20',
    number: `JZ2016${String(index + 1).padStart(5, '0')}`,
    ...overrides,
  }
}

/** Records as rows in template order. */
export function rowsOf(family: Family, records: Array<Record<string, TestCell>>): TestCell[][] {
  const keys = legacyColumnsOf(family).map((column) => column.key)
  return records.map((record) => keys.map((key) => record[key] ?? null))
}

/** Writes a real .xlsx with exceljs: the header row, then the rows (numbers as number cells, formulas as formulas). */
export async function writeLegacyWorkbook(path: string, headers: string[], rows: TestCell[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('名单')
  sheet.addRow(headers)
  for (const row of rows) {
    sheet.addRow(row.map((cell) => (cell !== null && typeof cell === 'object' ? { formula: cell.formula, result: '' } : cell)))
  }
  await workbook.xlsx.writeFile(path)
}

let written = 0

/** Writes the records of `family` into `dir` and imports them for the organisation as `actor`. */
export async function importLegacy(
  core: Core,
  actor: Actor,
  family: Family,
  organisationId: number,
  records: Array<Record<string, TestCell>>,
  dir: string,
  name = `${family}-${(written += 1)}.xlsx`,
): Promise<LegacyImportResult> {
  const path = join(dir, name)
  await writeLegacyWorkbook(path, legacyHeaders(family), rowsOf(family, records))
  return core.legacy.imports.importFile(actor, { family, organisationId, workbookPath: path, fileName: name })
}

/** Rows in a table right now. */
export async function countOf(core: Core, table: string): Promise<number> {
  return Number(((await core.db(table).count({ n: '*' })) as Array<{ n: number | string }>)[0].n)
}
