import type { CorrectionColumnKey } from '../../../contract/corrections'
import type { Family } from '../../../contract/roles'
import type { CellValue } from '../../applications/types'

/** One finding of the checks, addressed to a row (Excel's number) and a column of the table. */
export interface CorrectionIssue {
  rowNumber: number
  /** The column's header (e.g. 原内容), or null for the row as a whole. */
  column: string | null
  code: string
  message: string
}

/** The current version of a certificate a table names, as the checks compare against it. */
export interface CertificateFacts {
  id: number
  number: string
  family: Family
  status: string
  legacy: boolean
  organisationId: number
  /** The department that supervises the certificate's organisation (its parent, else the bureau). */
  supervisorId: number | null
  version: number
  fields: Record<string, string>
  photoHash: string | null
  /** Another correction still open on it, or a version already waiting for its seals. */
  busy: string | null
}

/** A data row of the table as read, then as the checks fill it in. */
export interface CorrectionRow {
  rowNumber: number
  /** The cells by column key; undefined where the table has no such column or the cell is empty. */
  cells: Partial<Record<CorrectionColumnKey, CellValue>>
  /** The cell texts as read, in template column order, for the error workbook. */
  original: string[]
  /** Trimmed cell texts by column key. */
  text: Record<CorrectionColumnKey, string>
  issues: CorrectionIssue[]
  /** Set once the certificate is found and the row may go on to the value checks. */
  certificate?: CertificateFacts
  /** The field key the row corrects (see correctableFields), once 勘误项目 is understood. */
  field?: string
  /** The stored form of the current and the corrected value (for 照片: the photos' hashes). */
  oldValue?: string
  newValue?: string
  /** The proof files the row names, as written. */
  proofNames: string[]
}

/** Whether the row has an error already (later checks skip what would only add noise). */
export function failed(row: CorrectionRow): boolean {
  return row.issues.length > 0
}

/**
 * Adds a finding to the row, in the words of the intake: “第 N 行「列」：…”; a `sentence` detail
 * continues the sentence instead (“第 N 行「列」是公式…”).
 */
export function report(row: CorrectionRow, column: string | null, code: string, detail: string, sentence = false): void {
  const joint = sentence ? '' : '：'
  const where = column === null ? `第 ${row.rowNumber} 行${joint}` : `第 ${row.rowNumber} 行「${column}」${joint}`
  row.issues.push({ rowNumber: row.rowNumber, column, code, message: `${where}${detail}` })
}
