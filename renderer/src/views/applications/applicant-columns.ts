import type { Column } from 'element-plus'
import type { ApplicantRow, IssueSeverity } from '@contract/applications'
import { columnsOf } from '@contract/application-format'
import { WARNING_ISSUE_CODES } from '@contract/issue-codes'
import type { Family } from '@contract/roles'
import { labelOr } from '@renderer/locales'
import type { ApplicantIndex } from './applicant-index'
import { issueLabel } from './batch-labels'

type Translate = (key: string) => string

/** The family's fields worth a column in the list; the side panel shows every field. */
const MAIN_FIELDS: Record<Family, string[]> = {
  title: ['level', 'titleName', 'specialty', 'employer'],
  vocational: ['qualificationName', 'category', 'level'],
}

const FIELD_WIDTHS: Record<string, number> = {
  level: 90,
  titleName: 120,
  specialty: 110,
  employer: 200,
  qualificationName: 180,
  category: 120,
}

/** Columns of the applicant table (a selection box first for whoever may act on rows); headers of the family's fields are the workbook's own headers. */
export function applicantColumns(family: Family, t: Translate, selectable: boolean): Column<ApplicantRow>[] {
  const headers = new Map(columnsOf(family).map((column) => [column.key, column.header]))
  const select: Column<ApplicantRow>[] = selectable ? [{ key: 'select', width: 44, align: 'center' }] : []
  const columns: Column<ApplicantRow>[] = [
    ...select,
    { key: 'rowNumber', title: t('applications.rowNumber'), width: 64, align: 'right' },
    { key: 'name', title: headers.get('name') ?? 'name', width: 100 },
    { key: 'idNumber', title: headers.get('idNumber') ?? 'idNumber', width: 186, mono: true },
    ...MAIN_FIELDS[family].map((key) => ({ key, title: headers.get(key) ?? key, width: FIELD_WIDTHS[key] ?? 120 })),
    { key: 'photo', title: t('applications.photo'), width: 56, align: 'center' },
    { key: 'issues', title: t('applications.issues'), width: 220, flexGrow: 1 },
    { key: 'certificateNumber', title: t('applications.certificateNumber'), width: 150, mono: true },
    { key: 'status', title: t('applications.status'), width: 90 },
  ]
  // A narrow window (or the side panel) scrolls the table sideways rather than squeezing every cell.
  return columns.map((column) => ({ flexShrink: 0, ...column }))
}

/** What a cell shows: the row's own properties, else the field snapshot (title levels labelled). */
export function fieldText(row: ApplicantRow, key: string, family: Family): string {
  switch (key) {
    case 'rowNumber':
      return String(row.rowNumber)
    case 'name':
      return row.name
    case 'idNumber':
      return row.idNumber
    case 'certificateNumber':
      return row.certificateNumber ?? ''
    case 'level':
      return family === 'title' ? labelOr('certificates.titleLevels', row.fields.level ?? '') : (row.fields.level ?? '')
    default:
      return row.fields[key] ?? ''
  }
}

export interface IssueTag {
  code: string
  label: string
  severity: IssueSeverity
  acknowledged: boolean
}

/** One tag per issue code of the row, errors first; a warning every reviewer acknowledged is shown plain. */
export function issueTags(row: ApplicantRow, index: ApplicantIndex): IssueTag[] {
  const tags = new Map<string, IssueTag>()
  for (const issue of index.issuesByApplicant.get(row.id) ?? []) {
    const known = tags.get(issue.code)
    if (known) known.acknowledged &&= issue.acknowledged
    else
      tags.set(issue.code, { code: issue.code, label: issueLabel(issue.code), severity: issue.severity, acknowledged: issue.acknowledged })
  }
  // A code the row lists without an issue loaded (never expected) still shows.
  for (const code of row.issueCodes) {
    if (tags.has(code)) continue
    const severity = (WARNING_ISSUE_CODES as readonly string[]).includes(code) ? 'warning' : 'error'
    tags.set(code, { code, label: issueLabel(code), severity, acknowledged: false })
  }
  return [...tags.values()].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
}
