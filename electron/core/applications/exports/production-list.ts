import { FAMILY_LABELS, VOCATIONAL_LEVELS } from '../../../contract/application-format'
import { TITLE_LEVEL_LABELS, TITLE_LEVELS } from '../../../contract/certificates'
import type { Family } from '../../../contract/roles'
import { shanghaiIso } from '../../util/shanghai-time'

/**
 * The paper production list (纸质制证名单) of an approved batch: what the applying organisation's
 * head signs and stamps and sends with the result material to the institute for filing
 * (clauses 4 and 5). Written as xlsx (production-list-xlsx.ts) and PDF (production-list-pdf.ts).
 */
export interface ProductionList {
  organisationName: string
  family: Family
  /** The level shared by every row, or null when the batch mixes levels. */
  levelLabel: string | null
  declarationYear: number
  batchId: number
  /** ISO timestamp of the final approval. */
  approvedAt: string
  approvals: ProductionListApproval[]
  rows: ProductionListRow[]
}

export interface ProductionListApproval {
  stage: number
  organisationName: string
  reviewerName: string
  decidedAt: string
}

export interface ProductionListRow {
  /** The certificate number. */
  number: string
  name: string
  gender: string
  idType: string
  idNumber: string
  /** 职称名称 or 资格名称. */
  title: string
  /** 专业名称 or 专业类别. */
  specialty: string
  /** The level's label (高级, 二级…). */
  level: string
  /** 取得职称时间 or 批准日期, YYYY-MM-DD. */
  date: string
}

export const SIGNATURE_LINE = '单位负责人（签字）：________________    日期：______年____月____日'
export const STAMP_LABEL = '（单位公章）'

export function productionListTitle(list: ProductionList): string {
  return `${list.organisationName} ${list.declarationYear} 年度${FAMILY_LABELS[list.family]}纸质制证名单`
}

export function productionListHeaders(family: Family): string[] {
  return family === 'title'
    ? ['序号', '证书编号', '姓名', '性别', '证件类型', '证件号码', '职称名称', '专业名称', '级别', '取得职称时间']
    : ['序号', '证书编号', '姓名', '性别', '证件类型', '证件号码', '资格名称', '专业类别', '级别', '批准日期']
}

/** One row's cells in header order; 序号 counts from 1. */
export function productionListCells(row: ProductionListRow, index: number): string[] {
  return [String(index + 1), row.number, row.name, row.gender, row.idType, row.idNumber, row.title, row.specialty, row.level, row.date]
}

/** The calendar day of an instant in Shanghai (UTC+8, no daylight saving), YYYY-MM-DD. */
export function shanghaiDay(iso: string): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return iso
  return shanghaiIso(time).slice(0, 10)
}

/** The lines under the title: the batch and its approvals, oldest first. */
export function productionListDetails(list: ProductionList): string[] {
  const batch = [`批次号：${list.batchId}`, `审核通过日期：${shanghaiDay(list.approvedAt)}`]
  if (list.levelLabel) batch.push(`级别：${list.levelLabel}`)
  const approvals = [...list.approvals]
    .sort((a, b) => a.stage - b.stage)
    .map(
      (approval) =>
        `第 ${approval.stage} 级审核：${approval.organisationName} ${approval.reviewerName}（${shanghaiDay(approval.decidedAt)} 通过）`,
    )
  return [batch.join('    '), ...approvals]
}

const LEVEL_ORDER: Record<Family, readonly string[]> = {
  title: TITLE_LEVELS.map((level) => TITLE_LEVEL_LABELS[level]),
  vocational: VOCATIONAL_LEVELS,
}

/** Head count per level, the family's levels in their usual order, others as first met. */
export function levelCounts(family: Family, rows: readonly ProductionListRow[]): Array<{ level: string; count: number }> {
  const order = LEVEL_ORDER[family]
  const counts = new Map<string, number>()
  for (const row of rows) {
    const level = row.level.trim() || '未注明级别'
    counts.set(level, (counts.get(level) ?? 0) + 1)
  }
  const rank = (level: string) => {
    const index = order.indexOf(level)
    return index === -1 ? order.length : index
  }
  // Array.prototype.sort is stable: unknown levels keep the order they were met in.
  return [...counts].map(([level, count]) => ({ level, count })).sort((a, b) => rank(a.level) - rank(b.level))
}

/** “共 N 人，其中 高级 80 人、中级 40 人”. */
export function summaryLine(list: ProductionList): string {
  const total = `共 ${list.rows.length} 人`
  const levels = levelCounts(list.family, list.rows)
  if (levels.length === 0) return total
  return `${total}，其中 ${levels.map(({ level, count }) => `${level} ${count} 人`).join('、')}`
}
