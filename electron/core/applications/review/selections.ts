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

/** Refuses ids that are not applicants of the batch (a stale page, a forged request). */
async function requireApplicantsOf(trx: Knex.Transaction, batchId: number, ids: number[]): Promise<void> {
  let found = 0
  for (const chunk of chunks(ids)) {
    const row = (await trx('applicants').where({ batch_id: batchId }).whereIn('id', chunk).count({ n: '*' }).first()) as {
      n: number | string
    }
    found += Number(row.n)
  }
  const missing = new Set(ids).size - found
  if (missing > 0) throw new AppError('NOT_FOUND', `有 ${missing} 名申请人不属于该批次，请刷新页面后重试`)
}

/** Recounts the batch's excluded applicants into application_batches.excluded_count. */
async function recountExcluded(trx: Knex.Transaction, batchId: number, now: string): Promise<number> {
  const row = (await trx('applicants').where({ batch_id: batchId }).whereNotNull('excluded_at').count({ n: '*' }).first()) as {
    n: number | string
  }
  const excluded = Number(row.n)
  await trx('application_batches').where({ id: batchId }).update({ excluded_count: excluded, updated_at: now })
  return excluded
}

/**
 * Takes applicants out of the batch (they will get no number) with the reviewer's reason.
 * Applicants already excluded keep their first reason. Returns how many changed and the new total.
 */
export async function excludeApplicants(
  trx: Knex.Transaction,
  batchId: number,
  ids: number[],
  exclusion: { reason: string; by: number; now: string },
): Promise<{ changed: number; excluded: number }> {
  await requireApplicantsOf(trx, batchId, ids)
  let changed = 0
  for (const chunk of chunks(ids)) {
    changed += await trx('applicants')
      .where({ batch_id: batchId })
      .whereIn('id', chunk)
      .whereNull('excluded_at')
      .update({ excluded_reason: exclusion.reason, excluded_by: exclusion.by, excluded_at: exclusion.now })
  }
  return { changed, excluded: await recountExcluded(trx, batchId, exclusion.now) }
}

/** Puts excluded applicants back into the batch. */
export async function includeApplicants(
  trx: Knex.Transaction,
  batchId: number,
  ids: number[],
  now: string,
): Promise<{ changed: number; excluded: number }> {
  await requireApplicantsOf(trx, batchId, ids)
  let changed = 0
  for (const chunk of chunks(ids)) {
    changed += await trx('applicants')
      .where({ batch_id: batchId })
      .whereIn('id', chunk)
      .whereNotNull('excluded_at')
      .update({ excluded_reason: null, excluded_by: null, excluded_at: null })
  }
  return { changed, excluded: await recountExcluded(trx, batchId, now) }
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
  const codes = new Set<string>()
  let found = 0
  for (const chunk of chunks(ids)) {
    const rows = (await trx('batch_issues').where({ batch_id: batchId }).whereIn('id', chunk).select('severity', 'code')) as Array<{
      severity: string
      code: string
    }>
    found += rows.length
    if (rows.some((row) => row.severity === 'error')) {
      throw new AppError('INVALID_STATE', '错误不能确认放行：请排除有错误的申请人，或退回批次；只有警告可以确认')
    }
    for (const row of rows) codes.add(row.code)
  }
  const missing = new Set(ids).size - found
  if (missing > 0) throw new AppError('NOT_FOUND', `有 ${missing} 条问题不属于该批次，请刷新页面后重试`)
  let changed = 0
  for (const chunk of chunks(ids)) {
    changed += await trx('batch_issues')
      .where({ batch_id: batchId })
      .whereIn('id', chunk)
      .whereNull('acknowledged_at')
      .update({ acknowledged_by: acknowledgement.by, acknowledged_at: acknowledgement.now })
  }
  return { changed, codes: [...codes].sort() }
}
