import type { Knex } from 'knex'
import type { BatchState } from '../../../contract/applications'
import { decisionEvent, enqueue } from '../../registry/outbox'
import type { Actor } from '../../users/access'
import type { BatchRow } from './batch-rows'
import { numberBatch, type NumberingSettings } from './final-approval'
import type { NextStage } from './stages'

/** A decision being taken: who, on which batch (as read inside the transaction), at which stage. */
export interface DecisionContext {
  user: Actor
  batch: BatchRow
  stage: NextStage
  /** Approving this stage is the final approval (a title's only stage, a vocational batch's second). */
  final: boolean
  now: string
}

export type Verdict = { decision: 'approved'; reason: null; numbering: NumberingSettings } | { decision: 'returned'; reason: string }

/** What the review service records in the audit log for the decision. */
export interface DecisionEntry {
  action: string
  details: Record<string, unknown>
  before?: unknown
  after?: unknown
}

/**
 * Approves or returns the batch at its current stage, in the caller's write transaction: the new
 * state, the batch_reviews row, and on final approval the numbered certificates. Returns the audit
 * entry, which carries the batch, stage and numbers — never names or ID numbers, and the free-text
 * reason only as a digest.
 */
export async function writeDecision(trx: Knex.Transaction, context: DecisionContext, verdict: Verdict): Promise<DecisionEntry> {
  const { batch, stage, now } = context
  const numbered = verdict.decision === 'approved' && context.final ? await numberBatch(trx, batch, verdict.numbering, now) : null
  const state: BatchState = verdict.decision === 'returned' ? 'returned' : context.final ? 'approved' : 'first_approved'
  const decided = state !== 'first_approved'
  await trx('application_batches')
    .where({ id: batch.id })
    .update({ state, updated_at: now, ...(decided ? { decided_at: now } : {}) })
  await trx('batch_reviews').insert({
    batch_id: batch.id,
    stage: stage.stage,
    reviewer_id: context.user.userId,
    organisation_id: stage.organisationId,
    decision: verdict.decision,
    reason: verdict.reason,
    decided_at: now,
  })
  // A batch from the online platform gets its decision back, through the outbox, with the decision itself.
  if (decided && batch.source === 'registry' && batch.external_ref) {
    const decision = decisionEvent({
      applicationId: batch.external_ref,
      decision: verdict.decision,
      reason: verdict.reason,
      firstNumber: numbered?.first ?? null,
      lastNumber: numbered?.last ?? null,
      decidedAt: now,
    })
    await enqueue(trx, [decision], now)
  }
  const common = { batchId: Number(batch.id), stage: stage.stage, organisationId: stage.organisationId }
  if (verdict.decision === 'returned') {
    return { action: 'batch.return', before: { state: batch.state }, after: { state, reason: verdict.reason }, details: common }
  }
  return {
    action: 'batch.approve',
    before: { state: batch.state },
    after: { state, numbers: numbered },
    details: {
      ...common,
      final: context.final,
      count: numbered?.count ?? 0,
      firstNumber: numbered?.first ?? null,
      lastNumber: numbered?.last ?? null,
    },
  }
}
