import type { Knex } from 'knex'
import type { AuditRecord } from '../audit/audit-log'
import { enqueue, revocationEvent } from '../registry/outbox'
import { AppError } from '../util/app-error'
import { executionTargets, type RequestRow } from './revocation-rows'

const CHUNK = 400

/**
 * Executes an approved revocation inside the caller's write transaction: every certificate it
 * names becomes revoked (its versions stay exactly as they are: nothing is deleted or
 * re-rendered), the per-certificate rows and the request become executed, and one revocation per
 * certificate is queued for the registry in this same transaction, so the register and the
 * registry never disagree about what was revoked. Returns the audit entries: the request's, and
 * one per revoked certificate (its history in the register).
 */
export async function executeRevocation(trx: Knex.Transaction, row: RequestRow, executorId: number, now: string): Promise<AuditRecord[]> {
  const targets = await executionTargets(trx, row.id)
  const inactive = targets.filter((target) => target.status !== 'active')
  if (inactive.length > 0) {
    throw new AppError('INVALID_STATE', `证书 ${inactive.map((target) => target.number).join('、')} 已不是现行有效状态，不能执行该注销`)
  }
  const ids = targets.map((target) => target.id)
  for (let start = 0; start < ids.length; start += CHUNK) {
    await trx('certificates')
      .whereIn('id', ids.slice(start, start + CHUNK))
      .update({ status: 'revoked', updated_at: now })
  }
  await trx('revocations').where({ request_id: row.id }).update({ state: 'executed', executed_by: executorId, executed_at: now })
  await trx('revocation_requests').where({ id: row.id }).update({ state: 'executed', executed_by: executorId, executed_at: now })
  await enqueue(
    trx,
    targets.map((target) =>
      revocationEvent({
        number: target.number,
        version: target.version,
        reason: row.reason_kind,
        ...(row.reason_text ? { reasonText: row.reason_text } : {}),
        documentNumber: row.document_number,
        documentDate: row.document_date,
        documentSha256: row.document_hash,
        revokedAt: now,
      }),
    ),
    now,
  )
  const request: AuditRecord = {
    action: 'revocation.execute',
    objectType: 'revocation_request',
    objectId: row.id,
    before: { state: row.state },
    after: { state: 'executed' },
    details: { count: targets.length, documentHash: row.document_hash },
  }
  const certificates = targets.map((target): AuditRecord => ({
    action: 'certificate.revoke',
    objectType: 'certificate',
    objectId: target.id,
    before: { status: 'active' },
    after: { status: 'revoked' },
    details: { number: target.number, version: target.version, revocationId: row.id, reason: row.reason_kind },
  }))
  return [request, ...certificates]
}
