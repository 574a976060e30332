import type { Knex } from 'knex'
import { AppError } from '../util/app-error'
import { formatNumber, maxSerial, parseNumberLayout, sequencePrefix, serialOverflow, type NumberLayout } from './layout'

/** One approval numbers at most this many certificates at once (a batch is at most 100,000 rows). */
export const MAX_ALLOCATION = 100_000

export interface AllocationRequest {
  layout: NumberLayout
  /** Declaration year, four digits. */
  year: number
  /** The bureau-assigned review-body or exam-project code (organisations.code). */
  code: string
  count: number
  /**
   * The configured first serial of a legacy series being continued (clause 6). It seeds a new
   * counter and raises an existing one that is lower; it never lowers a counter, so a number
   * once handed out is never handed out again.
   */
  legacyStart?: number
}

/**
 * Hands out `count` consecutive certificate numbers for one year and code, and advances the
 * counter. It writes only in the caller's transaction: the caller creates the certificates in the
 * same writeTransaction, so a rolled-back approval gives its numbers back (no gap) and two
 * approvals can never get the same number (no duplicate). Refuses with a Chinese AppError when
 * the serial would overflow the layout or a certificate (e.g. an imported legacy record) already
 * holds one of the numbers; the counter is left untouched then.
 */
export async function allocateNumbers(trx: Knex.Transaction, request: AllocationRequest): Promise<string[]> {
  if (!trx.isTransaction) throw new Error('allocateNumbers must run inside the write transaction that creates the certificates')
  const layout = parseNumberLayout(request.layout)
  const { year, code, count } = request
  const prefix = sequencePrefix(year, code)
  if (!Number.isInteger(count) || count < 1 || count > MAX_ALLOCATION) {
    throw new AppError('VALIDATION', `一次分配的证书编号数量“${count}”无效：应为 1–${MAX_ALLOCATION}`)
  }
  const first = await reserveCounter(trx, prefix, checkedLegacyStart(request.legacyStart))
  const last = first + count - 1
  if (last > maxSerial(layout)) throw serialOverflow(layout, prefix, last)
  const numbers = Array.from({ length: count }, (_, index) => formatNumber(layout, { year, code, serial: first + index }))
  await refuseTakenNumbers(trx, numbers)
  // Compare-and-set: under writeTransaction nobody else can move the counter, but if a caller
  // ever skips the lock this fails loudly instead of handing out a number twice.
  const updated = await trx('number_sequences')
    .where({ prefix, next_serial: first })
    .update({ next_serial: last + 1 })
  if (updated !== 1) throw new Error(`number_sequences ${prefix} changed during allocation: is the caller holding the write lock?`)
  return numbers
}

/**
 * The serial the next allocation for this year and code would start at, for the admin screen.
 * Only a preview: the number is not reserved until allocateNumbers runs.
 */
export async function peekNextSerial(db: Knex | Knex.Transaction, year: number, code: string, legacyStart?: number): Promise<number> {
  const row = (await db('number_sequences')
    .where({ prefix: sequencePrefix(year, code) })
    .first('next_serial')) as { next_serial: number | string } | undefined
  const stored = row ? Number(row.next_serial) : 1
  return Math.max(stored, checkedLegacyStart(legacyStart) ?? 1)
}

function checkedLegacyStart(legacyStart: number | undefined): number | undefined {
  if (legacyStart === undefined) return undefined
  if (!Number.isSafeInteger(legacyStart) || legacyStart < 1) {
    throw new AppError('VALIDATION', `续编起始流水号“${legacyStart}”无效：应为正整数`)
  }
  return legacyStart
}

/**
 * Makes sure the counter row exists (at the legacy start, or 1) and is not below the legacy start,
 * and returns its next serial. Writing first makes this transaction SQLite's writer even when a
 * caller forgot writeTransaction, so the read below cannot be stale.
 */
async function reserveCounter(trx: Knex.Transaction, prefix: string, legacyStart: number | undefined): Promise<number> {
  await trx('number_sequences')
    .insert({ prefix, next_serial: legacyStart ?? 1 })
    .onConflict('prefix')
    .ignore()
  if (legacyStart !== undefined) {
    await trx('number_sequences').where({ prefix }).andWhere('next_serial', '<', legacyStart).update({ next_serial: legacyStart })
  }
  const row = (await trx('number_sequences').where({ prefix }).first('next_serial')) as { next_serial: number | string }
  return Number(row.next_serial)
}

/**
 * The unique index on certificates.number would refuse a duplicate too, but only as a bare
 * constraint error at insert time; this names the number. The numbers share one prefix and one
 * width, so a single indexed range query covers them all.
 */
async function refuseTakenNumbers(trx: Knex.Transaction, numbers: string[]): Promise<void> {
  const wanted = new Set(numbers)
  const rows = (await trx('certificates')
    .whereBetween('number', [numbers[0], numbers[numbers.length - 1]])
    .select('number', 'legacy')) as Array<{ number: string; legacy: number | boolean }>
  const taken = rows.filter((row) => wanted.has(row.number)).sort((a, b) => a.number.localeCompare(b.number))
  if (taken.length === 0) return
  const example = taken[0]
  const kind = example.legacy ? '已导入的历史证书' : '已有证书'
  const more = taken.length > 1 ? `等 ${taken.length} 个编号` : ''
  throw new AppError(
    'CONFLICT',
    `证书编号 ${example.number}${more}已被${kind}占用，不能重复使用。` +
      `请系统管理员把该年度和代码的续编起始流水号设为已用的最大流水号之后再审批。`,
  )
}
