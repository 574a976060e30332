import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../electron/core/app'
import { AppError } from '../../electron/core/util/app-error'
import { actorOf, addUser, applicants, insertBatch, titleFields, type InsertedBatch } from '../helpers/batches'
import { createDemoCore } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { clonePerTest } from '../helpers/template'

const HEALTH = '上海市卫生健康委员会'
const REVIEWERS = ['reviewer', 'health-a', 'health-b', 'health-c']

let test: TestCore
/** More cores on the same data directory: separate connections, like the app and the CLI side by side. */
let others: Core[]

// Seeding hashes a password per account (scrypt): slow on a busy machine.
async function createTemplate(): Promise<TestCore> {
  const template = await createDemoCore()
  for (const username of REVIEWERS.slice(1)) {
    await addUser(template.core, { username, displayName: `卫健委审核员${username}`, organisation: HEALTH, roles: ['reviewer'] })
  }
  await addUser(template.core, { username: 'wshl-clerk', displayName: '护理评委会经办人', organisation: 'WSHL', roles: ['clerk'] })
  return template
}
// Registered after the clone's hooks, so the other cores close before the clone is removed.
clonePerTest(
  createTemplate,
  async (clone) => {
    test = clone
    others = [
      await openCore({ dataDir: clone.dataDir, clock: clone.clock }),
      await openCore({ dataDir: clone.dataDir, clock: clone.clock }),
    ]
  },
  120_000,
)
afterEach(async () => {
  for (const core of others) await core.close()
})

/** Batches of the nursing board with these sizes, applicants numbered on from one batch to the next. */
async function batches(sizes: number[], year = 2026): Promise<InsertedBatch[]> {
  const inserted: InsertedBatch[] = []
  let next = 1
  for (const size of sizes) {
    inserted.push(
      await insertBatch(test.core, {
        organisationCode: 'WSHL',
        family: 'title',
        createdBy: 'wshl-clerk',
        applicants: applicants('title', size, next),
        declarationYear: year,
      }),
    )
    next += size
  }
  return inserted
}

/** The serials given for a prefix, ascending. */
async function serials(prefix: string): Promise<number[]> {
  const rows = (await test.core.db('certificates').where('number', 'like', `${prefix}%`).orderBy('number').pluck('number')) as string[]
  return rows.map((number) => Number(number.slice(prefix.length)))
}

async function counter(prefix: string): Promise<number | null> {
  const row = (await test.core.db('number_sequences').where({ prefix }).first('next_serial')) as { next_serial: number } | undefined
  return row ? Number(row.next_serial) : null
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1)

describe('numbering under concurrent approvals', () => {
  it('gives exactly 1..N, no duplicate and no gap, across separate connections and in-process calls', async () => {
    const sizes = [5, 17, 1, 40, 8, 23, 3, 12, 30, 2, 9, 14]
    const inserted = await batches(sizes)
    const cores = [test.core, ...others]
    const outcomes = await Promise.all(
      inserted.map(async (batch, index) => {
        const core = cores[index % cores.length]
        return core.review.approve(await actorOf(core, REVIEWERS[index % REVIEWERS.length]), batch.id)
      }),
    )
    const total = sizes.reduce((sum, size) => sum + size, 0)
    expect(await serials('2026WSHL')).toEqual(range(total))
    expect(await counter('2026WSHL')).toBe(total + 1)
    // Each batch got one consecutive run, in row order.
    outcomes.forEach((detail, index) => {
      const { first, last, count } = detail.numbers!
      expect(count).toBe(sizes[index])
      expect(Number(last.slice(8)) - Number(first.slice(8)) + 1).toBe(sizes[index])
    })
    for (const batch of inserted) {
      const numbers = (await test.core
        .db('certificates as c')
        .join('applicants as a', 'a.id', 'c.applicant_id')
        .where('c.batch_id', batch.id)
        .orderBy('a.row_number')
        .pluck('c.number')) as string[]
      expect(numbers).toEqual([...numbers].sort())
    }
    expect((await test.core.audit.verify()).ok).toBe(true)
    expect(await test.core.db('audit_log').where({ action: 'batch.approve' }).count({ n: '*' })).toEqual([{ n: sizes.length }])
  })

  it('rolls back a failure after allocation without consuming numbers, while the others commit', async () => {
    // A failure injected after the numbers are allocated and the certificates inserted.
    await test.core.db.raw(
      `CREATE TRIGGER fail_version BEFORE INSERT ON certificate_versions WHEN NEW.fields LIKE '%注入失败%'
       BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    )
    const failing = await insertBatch(test.core, {
      organisationCode: 'WSHL',
      family: 'title',
      createdBy: 'wshl-clerk',
      applicants: [{ fields: titleFields(900) }, { fields: titleFields(901, { employer: '注入失败医院' }) }],
    })
    const audit = await test.core.audit.count()
    await expect(test.core.review.approve(await actorOf(test.core, 'reviewer'), failing.id)).rejects.toThrow(/injected failure/)
    expect(await counter('2026WSHL')).toBeNull()
    expect(await test.core.db('certificates').where({ batch_id: failing.id }).count({ n: '*' })).toEqual([{ n: 0 }])
    expect((await test.core.db('application_batches').where({ id: failing.id }).first('state')).state).toBe('submitted')
    expect(await test.core.audit.count()).toBe(audit)

    // The same failure racing two good approvals on other connections leaves no gap behind.
    const [first, second] = await batches([6, 4])
    const outcomes = await Promise.allSettled([
      others[0].review.approve(await actorOf(others[0], 'health-a'), first.id),
      test.core.review.approve(await actorOf(test.core, 'health-b'), failing.id),
      others[1].review.approve(await actorOf(others[1], 'health-c'), second.id),
    ])
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(await serials('2026WSHL')).toEqual(range(10))
    expect(await counter('2026WSHL')).toBe(11)
  })

  it('refuses an approval whose serial would overflow the layout, leaving the counter as it was', async () => {
    const admin = await actorOf(test.core, 'admin')
    await test.core.settings.update(admin, 'numbering.layout', { yearDigits: 4, serialDigits: 4 })
    await test.core.settings.update(admin, 'numbering.legacyStarts', { '2026WSHL': 9_999 })
    const [two, one] = await batches([2, 1])
    const reviewer = await actorOf(test.core, 'reviewer')
    const error = await test.core.review.approve(reviewer, two.id).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('流水号已用尽') })
    expect(await counter('2026WSHL')).toBeNull()
    expect((await test.core.review.get(reviewer, two.id)).state).toBe('submitted')
    expect((await test.core.review.approve(reviewer, one.id)).numbers).toEqual({ first: '2026WSHL9999', last: '2026WSHL9999', count: 1 })
  })

  it('continues the demo series after 2025WSHL00001, and refuses a number held by a legacy record until the start moves past it', async () => {
    const [demoYear] = await batches([2], 2025)
    const reviewer = await actorOf(test.core, 'reviewer')
    expect((await test.core.review.approve(reviewer, demoYear.id)).numbers).toEqual({
      first: '2025WSHL00002',
      last: '2025WSHL00003',
      count: 2,
    })
    const organisation = (await test.core.db('organisations').where({ code: 'WSHL' }).first('id')) as { id: number }
    const now = test.clock.now().toISOString()
    await test.core.db('certificates').insert({
      number: '2026WSHL00001',
      family: 'title',
      level: 'senior',
      status: 'active',
      organisation_id: organisation.id,
      holder_name: '历史记录',
      holder_id_number: '310101196001010011',
      legacy: true,
      current_version: 1,
      created_at: now,
      updated_at: now,
    })
    const [batch] = await batches([3], 2026)
    const error = await test.core.review.approve(reviewer, batch.id).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('2026WSHL00001') })
    expect(await counter('2026WSHL')).toBeNull()
    await test.core.settings.update(await actorOf(test.core, 'admin'), 'numbering.legacyStarts', { '2026WSHL': 2 })
    expect((await test.core.review.approve(reviewer, batch.id)).numbers).toEqual({
      first: '2026WSHL00002',
      last: '2026WSHL00004',
      count: 3,
    })
  })
})
