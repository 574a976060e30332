import { PHOTO_FIELD } from '../../../contract/corrections'
import type { Finding } from '../../applications/checks/findings'
import { CORRECTION_HEADERS as HEADER } from './row-cells'
import { checkNewValue, columnOf } from './field-values'
import { failed, report, type CertificateFacts, type CorrectionRow } from './types'

export interface NewValueOptions {
  today: Date
  /** The notice's ID types and the administrator's (settings `applications.extraIdTypes`). */
  idTypes: ReadonlySet<string>
}

/** The rows that got as far as their certificate and field, grouped by certificate. */
export function rowsByCertificate(rows: CorrectionRow[]): Map<CertificateFacts, CorrectionRow[]> {
  const groups = new Map<CertificateFacts, CorrectionRow[]>()
  for (const row of rows) {
    if (failed(row) || !row.certificate || !row.field) continue
    groups.set(row.certificate, [...(groups.get(row.certificate) ?? []), row])
  }
  return groups
}

/**
 * 更正内容 of every row through the intake's check of its column. 证件号码 is judged by the
 * certificate's 证件类型 after the table, so a table correcting both checks the number by the new
 * type. A value equal to the current one is refused: there is nothing to correct.
 */
export function checkNewValues(rows: CorrectionRow[], options: NewValueOptions): void {
  for (const [certificate, group] of rowsByCertificate(rows)) {
    const typeRows = group.filter((row) => row.field === 'idType')
    for (const row of typeRows) checkOne(row, certificate, options, certificate.fields.idType ?? '')
    const typeRow = typeRows.find((row) => row.newValue !== undefined)
    const idType = typeRows.length === 0 ? (certificate.fields.idType ?? '') : (typeRow?.newValue ?? null)
    // A 证件类型 row that failed leaves the type unknown: the number is not judged by a guess.
    for (const row of group) if (row.field !== 'idType' && row.field !== PHOTO_FIELD) checkOne(row, certificate, options, idType)
  }
}

function checkOne(row: CorrectionRow, certificate: CertificateFacts, options: NewValueOptions, idType: string | null): void {
  const column = columnOf(certificate.family, row.field!)!
  const cell = row.cells.newValue!
  const result =
    row.field === 'idNumber' && idType === null
      ? null
      : checkNewValue(column, cell, row.text.newValue, certificate.fields, { ...options, idType: idType ?? '' })
  if (!result) return
  if (!result.ok) return reportFinding(row, result.finding)
  if (result.value === row.oldValue) {
    return report(row, HEADER.newValue, 'NEW_VALUE_SAME', '与原内容相同，没有需要更正的内容，请删除该行')
  }
  row.newValue = result.value
}

/** A finding of an intake check, addressed to 更正内容 the way the intake addresses its cells. */
export function reportFinding(row: CorrectionRow, finding: Omit<Finding, 'code'> & { code: string }): void {
  if (finding.severity === 'warning') return
  const where = `第 ${row.rowNumber} 行「${HEADER.newValue}」${finding.sentence ? '' : '：'}`
  row.issues.push({ rowNumber: row.rowNumber, column: HEADER.newValue, code: finding.code, message: `${where}${finding.detail}` })
}
