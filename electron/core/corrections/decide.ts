import type { Knex } from 'knex'
import { PHOTO_FIELD, type CorrectionState, type RowDecision } from '../../contract/corrections'
import type { AuditRecord } from '../audit/audit-log'
import { AppError } from '../util/app-error'

export interface RowDecisionInput {
  rowId: number
  decision: RowDecision
  reason?: string
  photoConsent: boolean
}

const CHUNK = 400

/**
 * The bureau's decision on a submitted request, inside the caller's write transaction: every row
 * approved or returned (a returned row with its reason), a photo row approved only with explicit
 * consent. The request is approved when any row is, returned when all are. Returns its audit record.
 */
export async function writeDecision(
  trx: Knex.Transaction,
  request: { id: number; userId: number; now: string },
  decisions: RowDecisionInput[],
  reason: string | null,
): Promise<AuditRecord> {
  const rows = (await trx('correction_rows').where('request_id', request.id).select('id', 'seq', 'field')) as Array<{
    id: number
    seq: number
    field: string
  }>
  const byId = new Map(decisions.map((decision) => [decision.rowId, decision]))
  if (byId.size !== decisions.length) throw new AppError('VALIDATION', '同一行只能有一个审核决定')
  const missing = rows.filter((row) => !byId.has(Number(row.id)))
  if (missing.length > 0 || rows.length !== decisions.length) {
    const seqs = missing.map((row) => `第 ${row.seq} 行`).slice(0, 10)
    throw new AppError('VALIDATION', seqs.length > 0 ? `须对每一行作出决定：${seqs.join('、')}尚未决定` : '审核决定中有不属于本申请的行')
  }
  for (const row of rows) {
    const decision = byId.get(Number(row.id))!
    if (row.field === PHOTO_FIELD && decision.decision === 'approved' && !decision.photoConsent) {
      throw new AppError('VALIDATION', `第 ${row.seq} 行更换照片：须明确同意更换照片（勾选“同意更换照片”）后才能通过，否则请退回该行`)
    }
    if (decision.decision === 'returned' && !decision.reason?.trim()) throw new AppError('VALIDATION', `第 ${row.seq} 行退回须写明原因`)
  }
  await updateRows(trx, rows, byId)
  const approved = decisions.filter((decision) => decision.decision === 'approved').length
  const state: CorrectionState = approved > 0 ? 'approved' : 'returned'
  await trx('correction_requests').where({ id: request.id }).update({
    state,
    decided_by: request.userId,
    decided_at: request.now,
    decision_reason: reason,
  })
  const consents = rows.filter((row) => row.field === PHOTO_FIELD && byId.get(Number(row.id))!.decision === 'approved').length
  // Reasons are free text and may name someone: the entry keeps their digest only.
  return {
    action: 'correction.decide',
    objectType: 'correction_request',
    objectId: request.id,
    after: { decisions, reason },
    details: { requestId: request.id, state, approved, returned: decisions.length - approved, photoConsents: consents },
  }
}

/** Few statements for thousands of rows: one per decision and reason, in chunks of ids. */
async function updateRows(
  trx: Knex.Transaction,
  rows: Array<{ id: number; field: string }>,
  byId: Map<number, RowDecisionInput>,
): Promise<void> {
  const groups = new Map<string, { values: Record<string, unknown>; ids: number[] }>()
  for (const row of rows) {
    const decision = byId.get(Number(row.id))!
    const consent = row.field === PHOTO_FIELD && decision.decision === 'approved' && decision.photoConsent
    const reason = decision.decision === 'returned' ? decision.reason!.trim() : null
    const key = JSON.stringify([decision.decision, reason, consent])
    const group = groups.get(key) ?? { values: { decision: decision.decision, decision_reason: reason, photo_consent: consent }, ids: [] }
    group.ids.push(Number(row.id))
    groups.set(key, group)
  }
  for (const { values, ids } of groups.values()) {
    for (let start = 0; start < ids.length; start += CHUNK)
      await trx('correction_rows')
        .whereIn('id', ids.slice(start, start + CHUNK))
        .update(values)
  }
}
