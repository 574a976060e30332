import { ID_TYPES, columnsOf, type ColumnDefinition, type ColumnKind } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import type { CellValue, CheckedRow, SheetRow } from '../types'
import { cellText, isBlank } from './cell-text'
import {
  checkGender,
  checkIdType,
  checkPhotoName,
  checkText,
  checkTitleLevel,
  checkVocationalLevel,
  splitQualification,
} from './column-checks'
import { checkRelations } from './cross-checks'
import { checkBirthMonth, checkFullDate } from './dates'
import { toIssue, type CellCheck, type Finding } from './findings'
import { mapHeaders, type HeaderMap } from './headers'
import { checkIdNumberCell } from './id-column'

export interface RowCheckerOptions {
  family: Family
  /** The clerk's today: dates after it are refused. */
  today: Date
  /** ID types the administrator added to ID_TYPES (settings `applications.extraIdTypes`). */
  extraIdTypes: string[]
}

/** The checks of one workbook's rows, each row on its own; the header row comes first. */
export interface RowChecker {
  /** Maps the header row; throws AppError VALIDATION when the workbook is not this family's format. */
  header(row: SheetRow): void
  /** Checks one data row; null for a row with nothing in any of the family's columns. */
  check(row: SheetRow): CheckedRow | null
}

interface Context {
  columns: ColumnDefinition[]
  columnByKey: Map<string, ColumnDefinition>
  family: Family
  today: Date
  idTypes: ReadonlySet<string>
}

/** Creates the checker for one workbook of `family`, in the unified data format of clause 5. */
export function createRowChecker(options: RowCheckerOptions): RowChecker {
  const columns = columnsOf(options.family)
  const context: Context = {
    columns,
    columnByKey: new Map(columns.map((column) => [column.key, column])),
    family: options.family,
    today: options.today,
    idTypes: new Set([...ID_TYPES, ...options.extraIdTypes.map((type) => type.trim()).filter(Boolean)]),
  }
  let headers: HeaderMap | null = null
  return {
    header(row) {
      headers = mapHeaders(options.family, row)
    },
    check(row) {
      if (!headers) throw new Error('RowChecker.check() before header()')
      return checkRow(context, headers, row)
    },
  }
}

function checkRow(context: Context, headers: HeaderMap, row: SheetRow): CheckedRow | null {
  const cells = headers.map((index) => (index === -1 ? undefined : row.cells[index]))
  if (cells.every(isBlank)) return null
  const checked: CheckedRow = { rowNumber: row.rowNumber, fields: {}, original: cells.map(cellText), issues: [] }
  // Keys whose cell passed its check, so the relations between cells compare only sound values.
  const sound = new Set<string>()
  const report = (column: ColumnDefinition, finding: Finding) => checked.issues.push(toIssue(row.rowNumber, column.header, finding))

  context.columns.forEach((column, index) => {
    const cell = cells[index]
    const text = cellText(cell).trim()
    checked.fields[column.key] = text
    if (cell === undefined || isBlank(cell)) {
      if (column.required) report(column, { code: 'REQUIRED_MISSING', detail: '必填，不能为空' })
      return
    }
    const unreadable = unreadableCell(cell)
    if (unreadable) return report(column, unreadable)
    // Template order puts 证件类型 before 证件号码, so the type is known when the number is checked.
    const idType = sound.has('idType') ? checked.fields.idType : null
    const result = KIND_CHECKS[column.kind](cell, text, column, context, idType)
    if (!result.ok) return report(column, result.finding)
    checked.fields[column.key] = result.value
    sound.add(column.key)
    for (const finding of result.findings ?? []) report(column, finding)
  })

  if (context.family === 'vocational')
    splitQualificationOf(checked, sound, (finding) => report(context.columnByKey.get('qualificationName')!, finding))
  for (const [key, finding] of checkRelations(context.family, checked.fields, sound, context.today))
    report(context.columnByKey.get(key)!, finding)
  return checked
}

/** 资格名称 without its 执业资格/职业资格 suffix, which sets `qualificationKind` instead. */
function splitQualificationOf(checked: CheckedRow, sound: ReadonlySet<string>, report: (finding: Finding) => void): void {
  const split = splitQualification(checked.fields.qualificationName)
  Object.assign(checked.fields, split)
  if (sound.has('qualificationName') && split.qualificationName === '') {
    report({ code: 'REQUIRED_MISSING', detail: '只写了“执业资格”或“职业资格”，缺少资格的名称，如 建造师执业资格' })
  }
}

/**
 * A cell whose content is not a value the clerk typed: a formula (its result could change, and
 * the batch must store what the clerk saw) or an error value such as #N/A.
 */
function unreadableCell(cell: CellValue): Finding | null {
  if (cell.kind === 'formula') return { code: 'FORMULA_CELL', sentence: true, detail: '是公式，请改为直接填写内容' }
  if (cell.kind === 'error') return { code: 'CELL_ERROR', sentence: true, detail: `是错误值 ${cell.text}，请改为直接填写内容` }
  return null
}

type KindCheck = (cell: CellValue, text: string, column: ColumnDefinition, context: Context, idType: string | null) => CellCheck

const KIND_CHECKS: Record<ColumnKind, KindCheck> = {
  text: (_cell, text, column) => checkText(text, column),
  gender: (_cell, text) => checkGender(text),
  birthMonth: (cell, text, _column, context) => checkBirthMonth(cell, text, context.today),
  idType: (_cell, text, _column, context) => checkIdType(text, context.idTypes),
  idNumber: (cell, text, _column, context, idType) => checkIdNumberCell(cell, text, idType, context.today),
  titleLevel: (_cell, text) => checkTitleLevel(text),
  vocationalLevel: (_cell, text) => checkVocationalLevel(text),
  date: (cell, text, _column, context) => checkFullDate(cell, text, context.today),
  photoName: (_cell, text) => checkPhotoName(text),
}
