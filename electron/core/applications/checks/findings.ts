import type { IssueSeverity } from '../../../contract/applications'
import type { IssueCode } from '../../../contract/issue-codes'
import type { RowIssue } from '../types'

/**
 * What a check of one cell found, before it is addressed to a row. `detail` follows
 * “第 N 行「列」：”; a `sentence` finding continues the sentence instead (“第 N 行「列」是公式…”).
 */
export interface Finding {
  code: IssueCode
  detail: string
  severity?: IssueSeverity
  sentence?: boolean
}

/** A cell's check: its normalised value, or what is wrong with it. */
export type CellCheck = { ok: true; value: string; findings?: Finding[] } | { ok: false; finding: Finding }

export function passed(value: string, findings?: Finding[]): CellCheck {
  return findings && findings.length > 0 ? { ok: true, value, findings } : { ok: true, value }
}

export function failed(code: IssueCode, detail: string): CellCheck {
  return { ok: false, finding: { code, detail } }
}

/** Addresses a finding to a row and column, in the words the clerk reads next to their workbook. */
export function toIssue(rowNumber: number, column: string, finding: Finding): RowIssue {
  const joint = finding.sentence ? '' : '：'
  return {
    column,
    severity: finding.severity ?? 'error',
    code: finding.code,
    message: `第 ${rowNumber} 行「${column}」${joint}${finding.detail}`,
  }
}
