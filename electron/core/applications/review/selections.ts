import type { Knex } from 'knex'
import { AppError } from '../../util/app-error'

/** Ids per `where id in (…)`: far below the bound-variable limit of SQLite and PostgreSQL. */
const IDS_PER_STATEMENT = 5_000

/** The audit entry lists the ids up to this many; beyond, the count says enough. */
const AUDITED_IDS = 500

function chunks(ids: number[]): number[][] {
  const unique = [...new Set(ids)]
  const result: number[][] = []
  for (let start = 0; start < unique.length; start += IDS_PER_STATEMENT) result.push(unique.slice(start, start + IDS_PER_STATEMENT))
  return result
}

/** The ids for the audit details, or null when there are too many to list. */
export function auditedIds(ids: number[]): number[] | null {
  const unique = [...new Set(ids)]
  return unique.length <= AUDITED_IDS ? unique.sort((a, b) => a - b) : null
}

/**
 * Runs `work` on the batch's rows of `table` among `ids`, one chunk of ids at a time, and
 * returns the chunks' results.
 */
async function eachChunk<T>(
  trx: Knex.Transaction,
  table: 'applicants' | 'batch_issues',
  batchId: number,
  ids: number[],
  work: (rows: Knex.QueryBuilder) => Promise<T>,
): Promise<T[]> {
  const results: T[] = []
  for (const chunk of chunks(ids)) results.push(await work(trx(table).where({ batch_id: batchId }).whereIn('id', chunk)))
  return results
}

function sum(counts: number[]): number {
  return counts.reduce((total, count) => total + count, 0)
}

async function countRows(rows: Knex.QueryBuilder): Promise<number> {
  const row = (await rows.count({ n: '*' }).first()) as { n: number | string }
  return Number(row.n)
}

/** Refuses ids that are not applicants of the batch (a stale page, a forged request). */
async function requireApplicantsOf(trx: Knex.Transaction, batchId: number, ids: number[]): Promise<void> {
  const found = sum(await eachChunk(trx, 'applicants', batchId, ids, countRows))
  const missing = new Set(ids).size - found
  if (missing > 0) throw new AppError('NOT_FOUND', `有 ${missing} 名申请人不属于该批次，请刷新页面后重试`)
}

/** Recounts the batch's excluded applicants into application_batches.excluded_count. */
async function recountExcluded(trx: Knex.Transaction, batchId: number, now: string): Promise<number> {
  const excluded = await countRows(trx('applicants').where({ batch_id: batchId }).whereNotNull('excluded_at'))
  await trx('application_batches').where({ id: batchId }).update({ excluded_count: excluded, updated_at: now })
  return excluded
}

/**
 * Excludes (with the reviewer's reason) or includes again the given applicants of the batch that
 * are not so yet. Returns how many changed and the new total of excluded applicants.
 */
async function setExclusion(
  trx: Knex.Transaction,
  batchId: number,
  ids: number[],
  exclusion: { reason: string; by: number } | null,
  now: string,
): Promise<{ changed: number; excluded: number }> {
  await requireApplicantsOf(trx, batchId, ids)
  const values = exclusion
    ? { excluded_reason: exclusion.reason, excluded_by: exclusion.by, excluded_at: now }
    : { excluded_reason: null, excluded_by: null, excluded_at: null }
  const changes = await eachChunk(trx, 'applicants', batchId, ids, (rows) =>
    (exclusion ? rows.whereNull('excluded_at') : rows.whereNotNull('excluded_at')).update(values),
  )
  return { changed: sum(changes), excluded: await recountExcluded(trx, batchId, now) }
}

/**
 * Takes applicants out of the batch (they will get no number) with the reviewer's reason.
 * Applicants already excluded keep their first reason. Returns how many changed and the new total.
 */
export function excludeApplicants(
  trx: Knex.Transaction,
  batchId: number,
  ids: number[],
  exclusion: { reason: string; by: number; now: string },
): Promise<{ changed: number; excluded: number }> {
  return setExclusion(trx, batchId, ids, { reason: exclusion.reason, by: exclusion.by }, exclusion.now)
}

/** Puts excluded applicants back into the batch. */
export function includeApplicants(
  trx: Knex.Transaction,
  batchId: number,
  ids: number[],
  now: string,
): Promise<{ changed: number; excluded: number }> {
  return setExclusion(trx, batchId, ids, null, now)
}

/**
 * Marks warnings as checked by the reviewer. Errors are refused: an error is never waved
 * through, its applicant is excluded or the batch returned. Returns how many changed and the
 * codes acknowledged (for the audit entry: codes, never the rows' content).
 */
export async function acknowledgeWarnings(
  trx: Knex.Transaction,
  batchId: number,
  ids: number[],
  acknowledgement: { by: number; now: string },
): Promise<{ changed: number; codes: string[] }> {
  const found = (
    await eachChunk(
      trx,
      'batch_issues',
      batchId,
      ids,
      (rows) => rows.select('severity', 'code') as Promise<Array<{ severity: string; code: string }>>,
    )
  ).flat()
  if (found.some((row) => row.severity === 'error')) {
    throw new AppError('INVALID_STATE', '错误不能确认放行：请排除有错误的申请人，或退回批次；只有警告可以确认')
  }
  const missing = new Set(ids).size - found.length
  if (missing > 0) throw new AppError('NOT_FOUND', `有 ${missing} 条问题不属于该批次，请刷新页面后重试`)
  const changes = await eachChunk(trx, 'batch_issues', batchId, ids, (rows) =>
    rows.whereNull('acknowledged_at').update({ acknowledged_by: acknowledgement.by, acknowledged_at: acknowledgement.now }),
  )
  return { changed: sum(changes), codes: [...new Set(found.map((row) => row.code))].sort() }
}
