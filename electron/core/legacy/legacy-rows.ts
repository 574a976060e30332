import { ID_TYPES, RESIDENT_ID_TYPE } from '../../contract/application-format'
import type { Family } from '../../contract/roles'
import { cellText, isBlank } from '../applications/checks/cell-text'
import {
  checkGender,
  checkIdType,
  checkText,
  checkTitleLevel,
  checkVocationalLevel,
  splitQualification,
} from '../applications/checks/column-checks'
import { checkFullDate } from '../applications/checks/dates'
import { toIssue, type CellCheck } from '../applications/checks/findings'
import { checkIdNumberCell } from '../applications/checks/id-column'
import type { RowChecker } from '../applications/checks/row-checker'
import { birthAndGenderMatch } from '../applications/id-number'
import type { CellValue, CheckedRow, RowIssue, SheetRow } from '../applications/types'
import { checkApprovalDate, checkExamYear, checkObtainedOn } from './legacy-dates'
import { mapLegacyHeaders, type LegacyHeaderMap } from './legacy-headers'
import { legacyColumnsOf, type LegacyColumn, type LegacyColumnKind } from './legacy-format'
import { checkLegacyNumber, type LegacyCheck } from './legacy-number'

export interface LegacyRowCheckerOptions {
  family: Family
  today: Date
  /** ID types the administrator added (settings `applications.extraIdTypes`). */
  extraIdTypes: string[]
}

/** The intake's checks of one historical record's cells, with the legacy rules (dates, paper numbers). */
export type LegacyRowChecker = RowChecker

interface Context {
  family: Family
  columns: LegacyColumn[]
  today: Date
  idTypes: ReadonlySet<string>
}

type Outcome = { ok: true; value: string; issues: RowIssue[] } | { ok: false; issues: RowIssue[] }

/** Creates the checker for one workbook of historical records of `family`. */
export function createLegacyRowChecker(options: LegacyRowCheckerOptions): LegacyRowChecker {
  const context: Context = {
    family: options.family,
    columns: legacyColumnsOf(options.family),
    today: options.today,
    idTypes: new Set([...ID_TYPES, ...options.extraIdTypes.map((type) => type.trim()).filter(Boolean)]),
  }
  let headers: LegacyHeaderMap | null = null
  return {
    header(row) {
      headers = mapLegacyHeaders(options.family, row)
    },
    check(row) {
      if (!headers) throw new Error('LegacyRowChecker.check() before header()')
      return checkRow(context, headers, row)
    },
  }
}

function checkRow(context: Context, headers: LegacyHeaderMap, row: SheetRow): CheckedRow | null {
  const cells = headers.map((index) => (index === -1 ? undefined : row.cells[index]))
  if (cells.every(isBlank)) return null
  const checked: CheckedRow = { rowNumber: row.rowNumber, fields: {}, original: cells.map(cellText), issues: [] }
  // Keys whose cell passed its own check: the checks between cells compare only sound values.
  const sound = new Set<string>()
  context.columns.forEach((column, index) => {
    const cell = cells[index]
    const text = cellText(cell).trim()
    checked.fields[column.key] = text
    const outcome = checkCell(context, column, row.rowNumber, cell, text, sound.has('idType') ? checked.fields.idType : null)
    checked.issues.push(...outcome.issues)
    if (!outcome.ok) return
    checked.fields[column.key] = outcome.value
    if (outcome.value !== '') sound.add(column.key)
  })
  if (context.family === 'vocational') Object.assign(checked.fields, splitQualification(checked.fields.qualificationName))
  checked.issues.push(...checkAcrossCells(context, checked, sound))
  checked.fields.birthMonth = birthMonthOf(checked.fields, sound)
  return checked
}

function checkCell(
  context: Context,
  column: LegacyColumn,
  rowNumber: number,
  cell: CellValue | undefined,
  text: string,
  idType: string | null,
): Outcome {
  if (cell === undefined || isBlank(cell)) {
    if (!column.required) return { ok: true, value: '', issues: [] }
    return toOutcome({ ok: false, finding: { code: 'REQUIRED_MISSING', detail: '必填，不能为空' } }, rowNumber, column)
  }
  if (cell.kind === 'formula') {
    return toOutcome(
      { ok: false, finding: { code: 'FORMULA_CELL', sentence: true, detail: '是公式，请改为直接填写内容' } },
      rowNumber,
      column,
    )
  }
  if (cell.kind === 'error') {
    const detail = `是错误值 ${cell.text}，请改为直接填写内容`
    return toOutcome({ ok: false, finding: { code: 'CELL_ERROR', sentence: true, detail } }, rowNumber, column)
  }
  return toOutcome(KIND_CHECKS[column.kind](cell, text, column, context, idType), rowNumber, column)
}

/** The intake's CellCheck and the legacy checks agree on success; their failures are worded apart. */
function toOutcome(check: CellCheck | LegacyCheck, rowNumber: number, column: LegacyColumn): Outcome {
  if (check.ok) {
    const findings = 'findings' in check ? (check.findings ?? []) : []
    return { ok: true, value: check.value, issues: findings.map((finding) => toIssue(rowNumber, column.header, finding)) }
  }
  if ('finding' in check) return { ok: false, issues: [toIssue(rowNumber, column.header, check.finding)] }
  return { ok: false, issues: [legacyIssue(rowNumber, column.header, check.code, check.detail)] }
}

/** A legacy finding addressed to its row and column, worded like the intake's. */
export function legacyIssue(rowNumber: number, header: string, code: string, detail: string): RowIssue {
  return { column: header, severity: 'error', code, message: `第 ${rowNumber} 行「${header}」：${detail}` }
}

type KindCheck = (cell: CellValue, text: string, column: LegacyColumn, context: Context, idType: string | null) => CellCheck | LegacyCheck

const KIND_CHECKS: Record<LegacyColumnKind, KindCheck> = {
  text: (_cell, text, column) => checkText(text, { ...column, kind: 'text' }),
  gender: (_cell, text) => checkGender(text),
  idType: (_cell, text, _column, context) => checkIdType(text, context.idTypes),
  idNumber: (cell, text, _column, context, idType) => checkIdNumberCell(cell, text, idType, context.today),
  titleLevel: (_cell, text) => checkTitleLevel(text),
  vocationalLevel: (_cell, text) => checkVocationalLevel(text),
  date: (cell, text, column, context) => {
    const date = checkFullDate(cell, text, context.today)
    if (!date.ok) return date
    return column.key === 'obtainedOn' ? checkObtainedOn(date.value) : checkApprovalDate(date.value)
  },
  year: (cell, text, _column, context) => checkExamYear(cell, text, context.today),
  number: (_cell, text) => checkLegacyNumber(text),
}

/** 性别 against a resident ID number; 批准日期 not before the exam year. */
function checkAcrossCells(context: Context, checked: CheckedRow, sound: ReadonlySet<string>): RowIssue[] {
  const { fields, rowNumber } = checked
  const issues: RowIssue[] = []
  if (sound.has('idNumber') && sound.has('gender') && fields.idType === RESIDENT_ID_TYPE) {
    for (const mismatch of birthAndGenderMatch(fields.idNumber, { gender: fields.gender as '男' | '女' }, { today: context.today })) {
      const detail = mismatch.message.replace(/^性别/, '')
      issues.push({ column: '性别', severity: 'error', code: 'GENDER_MISMATCH', message: `第 ${rowNumber} 行「性别」：${detail}` })
    }
  }
  if (sound.has('approvedOn') && sound.has('examYear') && fields.approvedOn.slice(0, 4) < fields.examYear) {
    issues.push(legacyIssue(rowNumber, '批准日期', 'DATE_INVALID', `${fields.approvedOn} 早于考试年度 ${fields.examYear} 年`))
  }
  return issues
}

/** Paper records have no 出生年月: a resident ID number gives it, any other ID leaves it empty. */
function birthMonthOf(fields: Record<string, string>, sound: ReadonlySet<string>): string {
  if (!sound.has('idNumber') || fields.idType !== RESIDENT_ID_TYPE) return ''
  return `${fields.idNumber.slice(6, 10)}-${fields.idNumber.slice(10, 12)}`
}
