import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/core/db/connection'
import { migrateLatest } from '../../electron/core/db/migrate'
import { writeTransaction } from '../../electron/core/db/transaction'
import { allocateNumbers, peekNextSerial, type AllocationRequest } from '../../electron/core/numbering/allocator'
import {
  DEFAULT_NUMBER_LAYOUT,
  describeLayout,
  exampleNumber,
  formatNumber,
  parseNumberLayout,
  type NumberLayout,
} from '../../electron/core/numbering/layout'
import { AppError } from '../../electron/core/util/app-error'

const LAYOUT: NumberLayout = { yearDigits: 4, serialDigits: 5 }
const NOW = '2026-11-28T08:00:00.000Z'

/** Runs `work` and returns the AppError it throws, so a test can check code and message. */
async function appErrorOf(work: () => unknown): Promise<AppError> {
  try {
    await work()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

describe('number layout', () => {
  it('formats year + code + zero-padded serial', () => {
    expect(formatNumber(LAYOUT, { year: 2025, code: 'WSHL', serial: 1 })).toBe('2025WSHL00001')
    expect(formatNumber({ yearDigits: 2, serialDigits: 6 }, { year: 2025, code: 'KS01', serial: 4321 })).toBe('25KS01004321')
    expect(formatNumber({ yearDigits: 2, serialDigits: 4 }, { year: 2009, code: 'AB', serial: 9999 })).toBe('09AB9999')
  })

  it('shows an example and a description for the admin screen', () => {
    expect(exampleNumber(DEFAULT_NUMBER_LAYOUT)).toBe('2025WSHL00001')
    expect(exampleNumber({ yearDigits: 2, serialDigits: 8 }, { year: 2026, code: 'ZJ7' })).toBe('26ZJ700000001')
    expect(describeLayout(LAYOUT)).toContain('最多 99999 个')
  })

  it('validates the layout', () => {
    expect(parseNumberLayout({ yearDigits: 2, serialDigits: 4 })).toEqual({ yearDigits: 2, serialDigits: 4 })
    for (const bad of [
      { yearDigits: 3, serialDigits: 5 },
      { yearDigits: 4, serialDigits: 3 },
      { yearDigits: 4, serialDigits: 9 },
    ]) {
      expect(() => parseNumberLayout(bad)).toThrow(/证书编号规则无效/)
    }
    expect(() => parseNumberLayout({ yearDigits: 4, serialDigits: 5, separator: '-' })).toThrow(AppError)
    expect(() => parseNumberLayout({ yearDigits: 4, serialDigits: 4.5 })).toThrow(AppError)
  })

  it('refuses anything but upper-case letters and digits, and a bad year or serial', async () => {
    for (const code of ['wshl', 'WS-HL', 'W', 'ABCDEFGHIJKLM', ' WSHL', '职称']) {
      expect((await appErrorOf(() => formatNumber(LAYOUT, { year: 2025, code, serial: 1 }))).message).toMatch(/代码.*无效/)
    }
    expect(() => formatNumber(LAYOUT, { year: 25, code: 'WSHL', serial: 1 })).toThrow(/申报年度/)
    expect(() => formatNumber(LAYOUT, { year: 2025.5, code: 'WSHL', serial: 1 })).toThrow(/申报年度/)
    expect(() => formatNumber(LAYOUT, { year: 2025, code: 'WSHL', serial: 0 })).toThrow(/流水号/)
    expect(() => formatNumber(LAYOUT, { year: 2025, code: 'WSHL', serial: 1.5 })).toThrow(/流水号/)
  })

  it('refuses a serial that does not fit instead of widening or wrapping it', async () => {
    expect(formatNumber(LAYOUT, { year: 2025, code: 'WSHL', serial: 99_999 })).toBe('2025WSHL99999')
    const error = await appErrorOf(() => formatNumber(LAYOUT, { year: 2025, code: 'WSHL', serial: 100_000 }))
    expect(error.code).toBe('INVALID_STATE')
    expect(error.message).toMatch(/流水号已用尽.*2025WSHL.*最大 99999/)
  })
})

describe('allocateNumbers', () => {
  let dir: string
  let db: Knex
  let organisationId: number

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certdesk-numbering-'))
    db = openDatabase({ filename: join(dir, 'certdesk.sqlite'), durable: false, busyTimeoutMs: 30_000 })
    await migrateLatest(db)
    organisationId = await insertOrganisation(db, 'WSHL')
  })

  afterEach(async () => {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  const allocate = (request: Partial<AllocationRequest> & { count: number }, on: Knex = db): Promise<string[]> =>
    writeTransaction(on, (trx) => allocateNumbers(trx, { layout: LAYOUT, year: 2025, code: 'WSHL', ...request }))

  it('hands out consecutive numbers and advances the counter', async () => {
    expect(await allocate({ count: 3 })).toEqual(['2025WSHL00001', '2025WSHL00002', '2025WSHL00003'])
    expect(await allocate({ count: 1 })).toEqual(['2025WSHL00004'])
    expect(await allocate({ count: 2 })).toEqual(['2025WSHL00005', '2025WSHL00006'])
    expect(await db('number_sequences').select('prefix', 'next_serial')).toEqual([{ prefix: '2025WSHL', next_serial: 7 }])
    expect(await peekNextSerial(db, 2025, 'WSHL')).toBe(7)
  })

  it('keeps a separate counter per year and per code', async () => {
    expect(await allocate({ count: 2 })).toEqual(['2025WSHL00001', '2025WSHL00002'])
    expect(await allocate({ count: 1, year: 2026 })).toEqual(['2026WSHL00001'])
    expect(await allocate({ count: 1, code: 'KS01' })).toEqual(['2025KS0100001'])
    expect(await allocate({ count: 1 })).toEqual(['2025WSHL00003'])
    expect(await allocate({ count: 1, year: 2026 })).toEqual(['2026WSHL00002'])
    // The counter is keyed by the full year: a two-digit layout continues the same series.
    expect(await allocate({ count: 1, year: 2026, layout: { yearDigits: 2, serialDigits: 5 } })).toEqual(['26WSHL00003'])
  })

  it('continues a legacy series from the configured start, never going back', async () => {
    expect(await peekNextSerial(db, 2025, 'WSHL', 1234)).toBe(1234)
    expect(await allocate({ count: 2, legacyStart: 1234 })).toEqual(['2025WSHL01234', '2025WSHL01235'])
    expect(await allocate({ count: 1 })).toEqual(['2025WSHL01236'])
    // A start below the counter (a stale setting) never lowers it: no number is handed out twice.
    expect(await allocate({ count: 1, legacyStart: 1 })).toEqual(['2025WSHL01237'])
    // A start above it (legacy records imported later) raises it.
    expect(await allocate({ count: 1, legacyStart: 5000 })).toEqual(['2025WSHL05000'])
    expect(await allocate({ count: 1, legacyStart: 5000 })).toEqual(['2025WSHL05001'])
  })

  it('gives the numbers back when the approval rolls back', async () => {
    expect(await allocate({ count: 2 })).toEqual(['2025WSHL00001', '2025WSHL00002'])
    const failed = writeTransaction(db, async (trx) => {
      const numbers = await allocateNumbers(trx, { layout: LAYOUT, year: 2025, code: 'WSHL', count: 5 })
      expect(numbers[0]).toBe('2025WSHL00003')
      await insertCertificates(trx, organisationId, numbers)
      throw new Error('approval failed after numbering')
    })
    await expect(failed).rejects.toThrow('approval failed after numbering')
    expect(await db('certificates').count({ n: '*' })).toEqual([{ n: 0 }])
    expect(await allocate({ count: 1 })).toEqual(['2025WSHL00003'])
    // A new counter created by a rolled-back transaction disappears with it.
    await expect(
      writeTransaction(db, async (trx) => {
        await allocateNumbers(trx, { layout: LAYOUT, year: 2027, code: 'WSHL', count: 1, legacyStart: 50 })
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await db('number_sequences').where({ prefix: '2027WSHL' }).first()).toBeUndefined()
  })

  it('refuses to overflow the serial and leaves the counter untouched', async () => {
    const small: NumberLayout = { yearDigits: 4, serialDigits: 4 }
    expect(await allocate({ layout: small, count: 1, legacyStart: 9997 })).toEqual(['2025WSHL9997'])
    const error = await appErrorOf(() => allocate({ layout: small, count: 3 }))
    expect(error.code).toBe('INVALID_STATE')
    expect(error.message).toMatch(/2025WSHL.*最大 9999.*10000/)
    expect(await peekNextSerial(db, 2025, 'WSHL')).toBe(9998)
    expect(await allocate({ layout: small, count: 2 })).toEqual(['2025WSHL9998', '2025WSHL9999'])
    await expect(allocate({ layout: small, count: 1 })).rejects.toThrow(/流水号已用尽/)
    // A wider serial continues the same series rather than starting again.
    expect(await allocate({ count: 1 })).toEqual(['2025WSHL10000'])
  })

  it('refuses a number an existing certificate already holds, naming it', async () => {
    await insertCertificates(db, organisationId, ['2025WSHL00003', '2025WSHL00004'], { legacy: true })
    // Same range as strings, but not one of the numbers: must not block.
    await insertCertificates(db, organisationId, ['2025WSHL00001X'])
    expect(await allocate({ count: 2 })).toEqual(['2025WSHL00001', '2025WSHL00002'])
    const error = await appErrorOf(() => allocate({ count: 5 }))
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain('证书编号 2025WSHL00003等 2 个编号已被已导入的历史证书占用')
    expect(await peekNextSerial(db, 2025, 'WSHL')).toBe(3)
    expect(await allocate({ count: 1, legacyStart: 5 })).toEqual(['2025WSHL00005'])
  })

  it('refuses a bad count, a bad start and a call outside a transaction', async () => {
    for (const count of [0, -1, 1.5, 100_001]) {
      expect((await appErrorOf(() => allocate({ count }))).message).toMatch(/数量.*无效/)
    }
    expect((await appErrorOf(() => allocate({ count: 1, legacyStart: 0 }))).message).toMatch(/续编起始流水号/)
    expect((await appErrorOf(() => allocate({ count: 1, code: 'wshl' }))).code).toBe('VALIDATION')
    expect((await appErrorOf(() => allocate({ count: 1, layout: { yearDigits: 3 } as unknown as NumberLayout }))).code).toBe('VALIDATION')
    await expect(
      allocateNumbers(db as unknown as Knex.Transaction, { layout: LAYOUT, year: 2025, code: 'WSHL', count: 1 }),
    ).rejects.toThrow(/inside the write transaction/)
    expect(await db('number_sequences').count({ n: '*' })).toEqual([{ n: 0 }])
  })

  it('never duplicates or skips a number across two connections approving in parallel', async () => {
    const other = openDatabase({ filename: join(dir, 'certdesk.sqlite'), durable: false, busyTimeoutMs: 30_000 })
    try {
      const order: Array<{ connection: number; numbers: string[] }> = []
      const approvals = (connection: Knex, id: number) => async () => {
        for (let round = 0; round < 200; round += 1) {
          const count = 1 + ((round * 7 + id * 3) % 5)
          const rollBack = round % 11 === id + 3
          const attempt = writeTransaction(connection, async (trx) => {
            const numbers = await allocateNumbers(trx, { layout: LAYOUT, year: 2025, code: 'WSHL', count })
            await insertCertificates(trx, organisationId, numbers)
            if (rollBack) throw new Error('rolled back approval')
            return numbers
          })
          if (rollBack) await expect(attempt).rejects.toThrow('rolled back approval')
          else order.push({ connection: id, numbers: await attempt })
        }
      }
      await Promise.all([approvals(db, 1)(), approvals(other, 2)()])

      const all = order.flatMap((entry) => entry.numbers)
      expect(new Set(all).size).toBe(all.length)
      const serials = all.map((number) => Number(number.slice('2025WSHL'.length))).sort((a, b) => a - b)
      expect(serials).toEqual(Array.from({ length: serials.length }, (_, index) => index + 1))
      expect(Number((await db('certificates').count({ n: '*' }))[0].n)).toBe(all.length)
      expect(await peekNextSerial(other, 2025, 'WSHL')).toBe(all.length + 1)
      // Both connections really took turns rather than one running after the other.
      const switches = order.filter((entry, index) => index > 0 && entry.connection !== order[index - 1].connection).length
      expect(switches).toBeGreaterThan(1)
    } finally {
      await other.destroy()
    }
  })
})

async function insertOrganisation(db: Knex, code: string): Promise<number> {
  const [inserted] = (await db('organisations')
    .insert({ name: `评审委员会${code}`, kind: 'review_body', code, created_at: NOW, updated_at: NOW })
    .returning('id')) as Array<{ id: number } | number>
  return typeof inserted === 'number' ? inserted : inserted.id
}

async function insertCertificates(
  db: Knex | Knex.Transaction,
  organisationId: number,
  numbers: string[],
  extra: Record<string, unknown> = {},
) {
  await db('certificates').insert(
    numbers.map((number) => ({
      number,
      family: 'title',
      status: 'issued',
      organisation_id: organisationId,
      holder_name: '张三',
      holder_id_number: '310101199001011234',
      created_at: NOW,
      updated_at: NOW,
      ...extra,
    })),
  )
}
