import type { BatchReview } from '../../../contract/applications'
import type { Db } from './batch-rows'

/** The batch's decisions in order, with the reviewer's display name and organisation. */
export async function reviewsOf(db: Db, batchId: number): Promise<BatchReview[]> {
  const rows = (await db('batch_reviews as r')
    .join('users as u', 'u.id', 'r.reviewer_id')
    .join('organisations as o', 'o.id', 'r.organisation_id')
    .where('r.batch_id', batchId)
    .orderBy('r.id')
    .select('r.stage', 'r.decision', 'r.reason', 'u.display_name', 'o.name as organisation_name', 'r.decided_at')) as Array<{
    stage: number
    decision: BatchReview['decision']
    reason: string | null
    display_name: string
    organisation_name: string
    decided_at: string
  }>
  return rows.map((row) => ({
    stage: Number(row.stage),
    decision: row.decision,
    reason: row.reason,
    reviewerName: row.display_name,
    organisationName: row.organisation_name,
    decidedAt: row.decided_at,
  }))
}
