import type { Knex } from 'knex'
import type { JobItemInfo, SealableBatch } from '../../../contract/sealing'
import type { DocumentTasks } from '../../certificates/document-task'
import type { SealRecord } from '../../seals/seal-records'
import { batchLabel, OPEN_JOB_STATES, SEALABLE_BATCH_STATES } from './job-store'
import { remainingFor, sealTargets, type BatchRef } from './seal-targets'

/** Approved (or corrected issued) batches with certificates still missing one of these seals, seal by seal. */
export async function sealableBatches(db: Knex, tasks: DocumentTasks, seals: SealRecord[]): Promise<SealableBatch[]> {
  const batches = (await db('application_batches as b')
    .join('organisations as o', 'o.id', 'b.organisation_id')
    // Issued batches too: a correction's new versions are sealed under the batch the certificate came from.
    .whereIn('b.state', SEALABLE_BATCH_STATES)
    // Only batches with something to seal or a job still open: issued batches accumulate, and the
    // checks below cost several queries per batch and seal; a batch without either is skipped by them anyway.
    .where((scope) =>
      scope
        .whereExists((pending) =>
          pending
            .select(db.raw('1'))
            .from('certificates as c')
            .join('certificate_versions as v', 'v.certificate_id', 'c.id')
            .whereRaw('c.batch_id = b.id')
            .where('v.status', 'pending')
            .whereNot('c.status', 'revoked'),
        )
        .orWhereExists((open) =>
          open.select(db.raw('1')).from('signing_jobs as j').whereRaw('j.batch_id = b.id').whereIn('j.state', OPEN_JOB_STATES),
        ),
    )
    .orderBy('b.id')
    .select('b.id', 'b.organisation_id', 'b.family', 'b.level', 'b.declaration_year', 'o.name as organisation_name')) as Array<
    BatchRef & { level: string | null; declaration_year: number | null; organisation_name: string }
  >
  const result: SealableBatch[] = []
  for (const seal of seals) {
    for (const batch of batches) {
      const targets = await sealTargets(db, tasks, batch, seal)
      if (targets.length === 0) continue
      const open = (await db('signing_jobs')
        .where({ batch_id: batch.id, seal_id: seal.id })
        .whereIn('state', OPEN_JOB_STATES)
        .first('id')) as { id: number } | undefined
      const remaining = await remainingFor(db, batch.id, targets)
      // A batch this seal is done with (the other seal may still be missing) is no longer this desk's.
      if (remaining === 0 && !open) continue
      result.push({
        batchId: batch.id,
        batchLabel: batchLabel(batch.id, batch.organisation_name, batch.declaration_year),
        organisationName: batch.organisation_name,
        family: batch.family,
        level: batch.level,
        remaining,
        total: targets.reduce((sum, target) => sum + target.total, 0),
        sealId: seal.id,
        sealName: seal.name,
        openJobId: open?.id ?? null,
      })
    }
  }
  return result
}

/** A job's items in one state (failed, still to do, done), in certificate order. */
export async function jobItemsOf(db: Knex, jobId: number, state: 'failed' | 'pending' | 'done', limit: number): Promise<JobItemInfo[]> {
  const states = { failed: ['failed'], pending: ['pending', 'rendered'], done: ['verified'] }[state]
  const rows = (await db('signing_job_items as i')
    .join('certificate_versions as v', 'v.id', 'i.certificate_version_id')
    .join('certificates as c', 'c.id', 'v.certificate_id')
    .where('i.job_id', jobId)
    .whereIn('i.state', states)
    .orderBy('c.id')
    .limit(limit)
    .select('c.number', 'c.holder_name', 'i.state', 'i.error')) as Array<{
    number: string
    holder_name: string
    state: string
    error: string | null
  }>
  return rows.map((row) => ({ number: row.number, holderName: row.holder_name, state: row.state, error: row.error }))
}
