import { BATCH_STATE_LABELS, type BatchDetail } from '../../../contract/applications'
import type { Actor } from '../../users/access'
import { AppError } from '../../util/app-error'
import type { BatchRow, Db } from './batch-rows'

/** Who decides a batch next: stage 1 the supervising department, stage 2 (vocational only) the bureau. */
export type NextStage = NonNullable<BatchDetail['nextStage']>

/** Where a batch stands: who decides next, and who decided before. */
export interface StageContext {
  next: NextStage | null
  /** Whether approving this stage is the final approval that numbers the certificates. */
  final: boolean
  /** Who approved stage 1 of a vocational batch: never the stage-2 reviewer. */
  firstReviewerId: number | null
  /** Who made the last decision, to tell “you already decided” from “someone else did”. */
  lastReviewerId: number | null
}

const OPEN_STATES = ['submitted', 'first_approved'] as const

export function isOpen(row: BatchRow): boolean {
  return (OPEN_STATES as readonly string[]).includes(row.state)
}

/** The bureau (市人社局): the stage-2 reviewer of vocational batches and the default supervisor. */
export async function bureau(db: Db): Promise<{ id: number; name: string } | null> {
  const row = (await db('organisations').where({ kind: 'bureau' }).orderBy('id').first('id', 'name')) as
    { id: number; name: string } | undefined
  return row ? { id: Number(row.id), name: row.name } : null
}

/**
 * Stage 1 belongs to the parent of the applying organisation (the department a review body or
 * exam institution reports to), or the bureau when it has none; stage 2 to the bureau.
 */
export async function stageContext(db: Db, row: BatchRow): Promise<StageContext> {
  const reviews = (await db('batch_reviews')
    .where({ batch_id: row.id })
    .orderBy('id')
    .select('stage', 'reviewer_id', 'decision')) as Array<{ stage: number; reviewer_id: number; decision: string }>
  const first = reviews.find((review) => Number(review.stage) === 1 && review.decision === 'approved')
  const last = reviews.at(-1)
  const context = {
    firstReviewerId: first ? Number(first.reviewer_id) : null,
    lastReviewerId: last ? Number(last.reviewer_id) : null,
  }
  const stage = row.state === 'submitted' ? 1 : row.state === 'first_approved' && row.family === 'vocational' ? 2 : null
  if (stage === null) return { next: null, final: false, ...context }
  const decider =
    stage === 1 && row.organisation_parent_id !== null
      ? ((await db('organisations').where({ id: row.organisation_parent_id }).first('id', 'name')) as { id: number; name: string })
      : await bureau(db)
  // Without a bureau in the database nobody can take the stage; the batch simply waits.
  if (!decider) return { next: null, final: false, ...context }
  return {
    next: { stage, organisationId: Number(decider.id), organisationName: decider.name },
    final: row.family === 'title' || stage === 2,
    ...context,
  }
}

/** 审核 for a title batch, 初审 / 复核 for the two stages of a vocational batch. */
export function stageName(row: BatchRow, stage: number): string {
  if (row.family === 'title') return '审核'
  return stage === 1 ? '初审' : '复核'
}

/**
 * Refuses, in Chinese, a decision on a batch that is no longer open. Tells the reviewer who
 * already decided it apart from one who was beaten to it by a colleague.
 */
export function assertOpen(actor: Actor, row: BatchRow, context: StageContext): void {
  if (isOpen(row) && context.next) return
  if (isOpen(row)) throw new AppError('INVALID_STATE', '系统中没有市人社局，无法确定由谁审核该批次，请联系系统管理员')
  const state = BATCH_STATE_LABELS[row.state]
  if (context.lastReviewerId === actor.userId) throw new AppError('INVALID_STATE', `您已审核过该批次（${state}），不能再次审核`)
  throw new AppError('INVALID_STATE', `该批次已由他人处理（${state}），不能再次审核`)
}

/**
 * Why the actor may not decide the batch's next stage, or null when they may: only a reviewer of
 * the stage's organisation, never the submitter, and for stage 2 never the stage-1 reviewer.
 */
export function decisionRefusal(actor: Actor, row: BatchRow, context: StageContext): string | null {
  const next = context.next
  if (!next) return null
  if (!actor.roles.includes('reviewer')) return '只有主管部门审核员可以审核制证申请'
  if (actor.organisationId !== next.organisationId) {
    if (next.stage === 2) return `该批次已通过初审，须由${next.organisationName}复核，您所在的机构不能复核`
    const after = row.family === 'vocational' ? '，通过后再由市人社局复核' : ''
    return `该批次须由${next.organisationName}${stageName(row, 1)}${after}；您所在的机构不能${stageName(row, 1)}`
  }
  if (row.created_by !== null && Number(row.created_by) === actor.userId) return '不能审核自己提交的批次，请由本机构的其他审核员审核'
  if (next.stage === 2 && context.firstReviewerId === actor.userId) return '复核须由另一位审核员进行：您已完成本批次的初审'
  return null
}

/** Throws FORBIDDEN with the refusal, if any. */
export function assertMayDecide(actor: Actor, row: BatchRow, context: StageContext): void {
  const refusal = decisionRefusal(actor, row, context)
  if (refusal) throw new AppError('FORBIDDEN', refusal)
}
