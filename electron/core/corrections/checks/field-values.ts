import { columnsOf, type ColumnDefinition } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import { foldFullWidth, withoutSpaces } from '../../applications/checks/cell-text'
import { checkGender, checkIdType, checkText, splitQualification } from '../../applications/checks/column-checks'
import { checkBirthMonth, checkFullDate } from '../../applications/checks/dates'
import { failed, passed, type CellCheck } from '../../applications/checks/findings'
import { checkIdNumberCell } from '../../applications/checks/id-column'
import { normaliseIdNumber } from '../../applications/id-number'
import type { CellValue } from '../../applications/types'

/**
 * The values of one certificate field as a correction table writes them: the current value in its
 * stored form, an 原内容 compared with it, and an 更正内容 checked exactly as the intake checks
 * that column (the same functions), then stored in the form the snapshot keeps.
 */

/** Fields the checks treat as personal data: messages never quote their values. */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set(['name', 'idNumber', 'birthMonth'])

export interface ValueContext {
  today: Date
  idTypes: ReadonlySet<string>
  /** The 证件类型 the certificate will have after the table (its own, or a row's correction). */
  idType: string
}

export function columnOf(family: Family, key: string): ColumnDefinition | undefined {
  return columnsOf(family).find((column) => column.key === key)
}

/** The field's current value in the form a correction stores (资格名称 with its 职业/执业 suffix). */
export function currentValue(key: string, fields: Record<string, string>): string {
  if (key === 'qualificationName') return `${fields.qualificationName ?? ''}${fields.qualificationKind ?? '职业'}资格`
  return fields[key] ?? ''
}

/** Whether 原内容 says what the certificate says, after the folding the intake would apply. */
export function sameAsCurrent(
  column: ColumnDefinition,
  cell: CellValue | undefined,
  text: string,
  fields: Record<string, string>,
  today: Date,
): boolean {
  const current = fields[column.key] ?? ''
  switch (column.kind) {
    case 'text':
      if (column.key === 'qualificationName') return sameQualification(text, fields)
      return foldFullWidth(text).trim() === foldFullWidth(current).trim()
    case 'gender':
    case 'idType':
      return withoutSpaces(text) === current
    case 'idNumber':
      return normaliseIdNumber(text) === current.toUpperCase()
    case 'birthMonth':
    case 'date': {
      if (!cell) return current === ''
      const read = column.kind === 'date' ? checkFullDate(cell, text, today) : checkBirthMonth(cell, text, today)
      return read.ok ? read.value === current : text === current
    }
    default:
      return text === current
  }
}

function sameQualification(text: string, fields: Record<string, string>): boolean {
  const written = splitQualification(text.trim())
  if (written.qualificationName !== (fields.qualificationName ?? '')) return false
  // Without its suffix the old name is still the same name; with one, the kind must agree too.
  const suffixed = /(执业|职业)资格$/.test(text.trim())
  return !suffixed || written.qualificationKind === (fields.qualificationKind ?? '职业')
}

/** 更正内容 through the intake's check of its column; the value is in the stored form. */
export function checkNewValue(
  column: ColumnDefinition,
  cell: CellValue,
  text: string,
  fields: Record<string, string>,
  context: ValueContext,
): CellCheck {
  switch (column.kind) {
    case 'text':
      return column.key === 'qualificationName' ? checkQualification(column, text, fields) : checkText(text, column)
    case 'gender':
      return checkGender(text)
    case 'idType':
      return checkIdType(text, context.idTypes)
    case 'idNumber':
      return checkIdNumberCell(cell, text, context.idType, context.today)
    case 'birthMonth':
      return checkBirthMonth(cell, text, context.today)
    case 'date':
      return checkFullDate(cell, text, context.today)
    default:
      return failed('REQUIRED_MISSING', '该项目不能勘误')
  }
}

/** 资格名称: the intake's split of the 执业资格/职业资格 suffix; no suffix keeps the certificate's kind. */
function checkQualification(column: ColumnDefinition, text: string, fields: Record<string, string>): CellCheck {
  const suffixed = /(执业|职业)资格$/.test(text)
  const split = splitQualification(text)
  if (split.qualificationName === '') return failed('REQUIRED_MISSING', '只写了“执业资格”或“职业资格”，缺少资格的名称，如 建造师执业资格')
  const length = checkText(split.qualificationName, column)
  if (!length.ok) return length
  const kind = suffixed ? split.qualificationKind : (fields.qualificationKind ?? '职业')
  return passed(`${split.qualificationName}${kind}资格`)
}

/** Writes a stored correction value into a field snapshot (资格名称 sets its kind as well). */
export function applyValue(fields: Record<string, string>, key: string, value: string): void {
  if (key !== 'qualificationName') {
    fields[key] = value
    return
  }
  const split = splitQualification(value)
  fields.qualificationName = split.qualificationName
  fields.qualificationKind = split.qualificationKind
}
