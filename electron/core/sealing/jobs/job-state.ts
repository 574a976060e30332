import type { Knex } from 'knex'
import type { AuditActor, AuditLog } from '../../audit/audit-log'
import { writeTransaction } from '../../db/transaction'
import { isoNow, type Clock } from '../../util/clock'
import type { RunChange } from './job-run'

/**
 * Persists a run's state change with its audit entry; a job whose every certificate got its
 * last seal also moves its batch to 'issued'. States a run passes through often (running after
 * a resume) are audited like the others: who signed what, and when it stopped, is the record.
 */
export async function persistJobState(
  db: Knex,
  audit: AuditLog,
  clock: Clock,
  actor: AuditActor,
  job: { id: number; batchId: number },
  change: RunChange,
): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const now = isoNow(clock)
    const finished = change.state === 'completed' || change.state === 'cancelled'
    await trx('signing_jobs')
      .where({ id: job.id })
      .update({
        state: change.state,
        paused_reason: change.reason,
        last_error: change.error,
        updated_at: now,
        ...(finished ? { finished_at: now } : {}),
      })
    const counts = (await trx('signing_jobs').where({ id: job.id }).first('done', 'failed', 'total')) as {
      done: number
      failed: number
      total: number
    }
    await audit.record(trx, actor, {
      action: `signing_job.${change.state}`,
      objectType: 'signing_job',
      objectId: job.id,
      details: { job: job.id, batch: job.batchId, reason: change.reason, error: change.error, ...counts },
    })
    if (change.state === 'completed') await markBatchIssued(trx, audit, actor, job.batchId, now)
  })
}

async function markBatchIssued(trx: Knex.Transaction, audit: AuditLog, actor: AuditActor, batchId: number, now: string): Promise<void> {
  const pending = await trx('certificates').where({ batch_id: batchId, status: 'pending' }).first('id')
  const batch = (await trx('application_batches').where({ id: batchId }).first('state')) as { state: string } | undefined
  if (pending || batch?.state !== 'approved') return
  await trx('application_batches').where({ id: batchId }).update({ state: 'issued', updated_at: now })
  await audit.record(trx, actor, {
    action: 'batch.issue',
    objectType: 'application_batch',
    objectId: batchId,
    before: { state: 'approved' },
    after: { state: 'issued' },
    details: { batch: batchId },
  })
}
