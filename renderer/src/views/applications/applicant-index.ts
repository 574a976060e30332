import type { ApplicantRow, BatchIssue } from '@contract/applications'
import { ISSUE_CODES } from '@contract/issue-codes'

/** 全部 / 有错误 / 有警告 / 无问题, or one issue code (`code:ID_CHECK_CHARACTER`). */
export type IssueFilter = 'all' | 'errors' | 'warnings' | 'clean' | `code:${string}`
export type ExclusionFilter = 'all' | 'included' | 'excluded'

export interface ApplicantFilter {
  issue: IssueFilter
  exclusion: ExclusionFilter
  /** Part of a name or an ID number; case does not matter (x and X alike). */
  search: string
}

export const EMPTY_FILTER: ApplicantFilter = { issue: 'all', exclusion: 'all', search: '' }

/**
 * A batch's applicants and issues prepared once for filtering: the rows of every issue filter
 * as a list of positions, and each row's searchable text. A filter then walks one short list
 * instead of every row's issues, so ten thousand rows filter in a few milliseconds.
 */
export interface ApplicantIndex {
  rows: readonly ApplicantRow[]
  /** Lower-cased `name \n idNumber` per row, in row order. */
  searchText: readonly string[]
  /** Row positions per issue filter other than 'all'. */
  byIssue: ReadonlyMap<IssueFilter, readonly number[]>
  /** The codes present, in the order of the filter list, with how many applicants have each. */
  codeCounts: ReadonlyArray<{ code: string; count: number }>
  issuesByApplicant: ReadonlyMap<number, readonly BatchIssue[]>
  /** Issues of the batch as a whole (no applicant), such as a missing result notice. */
  batchIssues: readonly BatchIssue[]
  /** Warnings on applicants that no reviewer has acknowledged yet. */
  openWarningCount: number
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Known codes in the order of ISSUE_CODE_LABELS, then any unknown ones alphabetically. */
function codeOrder(codes: Iterable<string>): string[] {
  const known = new Map<string, number>(ISSUE_CODES.map((code, position) => [code, position]))
  return [...codes].sort((a, b) => (known.get(a) ?? Infinity) - (known.get(b) ?? Infinity) || a.localeCompare(b))
}

export function buildApplicantIndex(rows: readonly ApplicantRow[], issues: readonly BatchIssue[]): ApplicantIndex {
  const issuesByApplicant = new Map<number, BatchIssue[]>()
  const batchIssues: BatchIssue[] = []
  let openWarningCount = 0
  for (const issue of issues) {
    if (issue.applicantId === null) batchIssues.push(issue)
    else {
      push(issuesByApplicant, issue.applicantId, issue)
      if (issue.severity === 'warning' && !issue.acknowledged) openWarningCount += 1
    }
  }
  const byIssue = new Map<IssueFilter, number[]>([
    ['errors', []],
    ['warnings', []],
    ['clean', []],
  ])
  const searchText: string[] = new Array(rows.length)
  rows.forEach((row, position) => {
    searchText[position] = `${row.name}\n${row.idNumber}`.toLowerCase()
    const own = issuesByApplicant.get(row.id) ?? []
    const errors = row.errorCount > 0 || own.some((issue) => issue.severity === 'error')
    const warnings = row.warningCount > 0 || own.some((issue) => issue.severity === 'warning')
    if (errors) byIssue.get('errors')!.push(position)
    if (warnings) byIssue.get('warnings')!.push(position)
    if (!errors && !warnings) byIssue.get('clean')!.push(position)
    for (const code of new Set([...row.issueCodes, ...own.map((issue) => issue.code)])) push(byIssue, `code:${code}`, position)
  })
  const present = [...byIssue.keys()].filter((key) => key.startsWith('code:')).map((key) => key.slice(5))
  const codeCounts = codeOrder(present).map((code) => ({ code, count: byIssue.get(`code:${code}`)!.length }))
  return { rows, searchText, byIssue, codeCounts, issuesByApplicant, batchIssues, openWarningCount }
}

/** The rows a filter shows, in row order. */
export function filterApplicants(index: ApplicantIndex, filter: ApplicantFilter): ApplicantRow[] {
  const needle = filter.search.trim().toLowerCase()
  const positions = filter.issue === 'all' ? null : (index.byIssue.get(filter.issue) ?? [])
  const count = positions ? positions.length : index.rows.length
  const shown: ApplicantRow[] = []
  for (let at = 0; at < count; at += 1) {
    const position = positions ? positions[at] : at
    const row = index.rows[position]
    if (filter.exclusion === 'included' && row.excluded) continue
    if (filter.exclusion === 'excluded' && !row.excluded) continue
    if (needle && !index.searchText[position].includes(needle)) continue
    shown.push(row)
  }
  return shown
}

/** Warnings not yet acknowledged among the given applicants' issues. */
export function openWarningIds(index: ApplicantIndex, applicantIds: Iterable<number>): number[] {
  const ids: number[] = []
  for (const applicantId of applicantIds) {
    for (const issue of index.issuesByApplicant.get(applicantId) ?? []) {
      if (issue.severity === 'warning' && !issue.acknowledged) ids.push(issue.id)
    }
  }
  return ids
}
