import type { Knex } from 'knex'
import type { SealSlot } from '../../../contract/sealing'
import type { Family } from '../../../contract/roles'
import type { DocumentTasks } from '../../certificates/document-task'
import { appliesTo, type SealRecord } from '../../seals/seal-records'

type Db = Knex | Knex.Transaction

export interface BatchRef {
  id: number
  organisation_id: number
  family: Family
}

/** Certificates of a batch, of one level, at one slot: what a seal can sign in it. */
export interface SealTarget {
  level: string | null
  slot: SealSlot
  total: number
}

/** The levels present among a batch's certificates, with how many of each. */
async function levelsOf(db: Db, batchId: number): Promise<Array<{ level: string | null; n: number }>> {
  const rows = (await db('certificates').where({ batch_id: batchId }).groupBy('level').select('level').count({ n: '*' })) as Array<{
    level: string | null
    n: number | string
  }>
  return rows.map((row) => ({ level: row.level, n: Number(row.n) }))
}

/**
 * Where this seal goes on the batch's certificates under clause 3: for each level, the slot whose
 * required organisation is the seal's, when the seal applies to that family and level.
 */
export async function sealTargets(db: Db, tasks: DocumentTasks, batch: BatchRef, seal: SealRecord): Promise<SealTarget[]> {
  const targets: SealTarget[] = []
  for (const { level, n } of await levelsOf(db, batch.id)) {
    if (!appliesTo(seal, batch.family, level)) continue
    const plan = await tasks.sealPlan({ organisation_id: batch.organisation_id, family: batch.family, level })
    const slot = plan.find((required) => required.organisationId === seal.organisationId)?.slot
    if (slot) targets.push({ level, slot, total: n })
  }
  return targets
}

/**
 * The versions of a batch's certificates of one level still waiting to be issued and unsigned at
 * the slot: first issues, and the new versions that corrections made (the certificate stays active
 * on its old version until the new one has every seal). Never those of a revoked certificate.
 */
export function unsignedVersions(db: Db, batchId: number, target: Pick<SealTarget, 'level' | 'slot'>): Knex.QueryBuilder {
  const query = db('certificates as c')
    .join('certificate_versions as v', 'v.certificate_id', 'c.id')
    .where('c.batch_id', batchId)
    .where('v.status', 'pending')
    .whereNot('c.status', 'revoked')
    .whereNotExists((exists) =>
      exists.select(db.raw('1')).from('version_seals as s').whereRaw('s.certificate_version_id = v.id').andWhere('s.slot', target.slot),
    )
  return target.level === null ? query.whereNull('c.level') : query.where('c.level', target.level)
}

/** How many certificates of the batch still miss this seal. */
export async function remainingFor(db: Db, batchId: number, targets: SealTarget[]): Promise<number> {
  let remaining = 0
  for (const target of targets) {
    const row = (await unsignedVersions(db, batchId, target).count({ n: '*' }).first()) as { n: number | string }
    remaining += Number(row.n)
  }
  return remaining
}
