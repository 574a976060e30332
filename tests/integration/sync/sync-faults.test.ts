import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../../db/seeds/demo'
import { openCore, type Core } from '../../../electron/core/app'
import { writeTransaction } from '../../../electron/core/db/transaction'
import { certificateVersionEvent, enqueue, revocationEvent, type OutboxEvent } from '../../../electron/core/registry/outbox'
import { actorOf } from '../../helpers/batches'
import { DEMO_PASSWORD } from '../../helpers/calls'
import type { TestRegistry } from '../../helpers/registry-server'
import { connectRegistry } from '../../helpers/sync-registry'

const ROOT = resolve(__dirname, '../../..')
/** Certificates issued; a third corrected (version 2), a quarter revoked: about 10,000 operations. */
const CERTIFICATES = 6400

let dataDir: string
let core: Core
let registry: TestRegistry

function fields(index: number, version: number) {
  return {
    name: `持证人${index}`,
    gender: '女',
    birthMonth: '1990-01',
    idType: '居民身份证',
    idNumber: `3101011990010${String(index).padStart(5, '0')}`,
    version,
  }
}

/**
 * The local history of the run: issues, corrections and revocations interleaved across
 * certificates as a real office makes them, each certificate's own effects in order.
 */
async function queueHistory(): Promise<number> {
  const pack = await core.files.openPack()
  const events: OutboxEvent[] = []
  const version = async (index: number, number: string, v: number) =>
    certificateVersionEvent({
      number,
      version: v,
      family: 'title',
      level: 'senior',
      organisationCode: 'WSHL',
      issuedAt: '2026-12-01T02:00:00.000Z',
      fields: fields(index, v),
      verificationCode: 'ABCDEFGH',
      pdfSha256: await pack.add(Buffer.from(`%PDF-1.7\n% ${number} v${v}\n%%EOF\n`), 'application/pdf'),
    })
  const numbers = Array.from({ length: CERTIFICATES }, (_, index) => `2026SYNC${String(index + 1).padStart(6, '0')}`)
  for (const [index, number] of numbers.entries()) events.push(await version(index, number, 1))
  for (const [index, number] of numbers.entries()) if (index % 3 === 0) events.push(await version(index, number, 2))
  for (const [index, number] of numbers.entries()) {
    if (index % 4 !== 0) continue
    const revocation = {
      number,
      version: index % 3 === 0 ? 2 : 1,
      reason: 'violation' as const,
      documentNumber: `沪人社注〔2026〕${index}号`,
    }
    events.push(revocationEvent({ ...revocation, documentDate: '2026-11-30', documentSha256: null, revokedAt: '2026-12-01T03:00:00.000Z' }))
  }
  await writeTransaction(core.db, async (trx) => {
    await pack.commit(trx)
    await enqueue(trx, events, new Date().toISOString())
  })
  return events.length
}

async function delivered(): Promise<number> {
  return Number(((await core.db('outbox').where({ state: 'delivered' }).count({ n: '*' }).first()) as { n: number | string }).n)
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'certdesk-sync-faults-'))
  core = await openCore({ dataDir })
  await seedDemo(core, () => DEMO_PASSWORD)
  registry = await connectRegistry(core, await actorOf(core, 'admin'))
}, 60_000)

afterAll(async () => {
  await core?.close()
  await registry?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('delivery under faults', () => {
  it('10,000 operations through dropped connections, 500s and responses lost after commit, the client killed once: exactly once, in order', async () => {
    const total = await queueHistory()
    expect(total).toBeGreaterThanOrEqual(10_000)
    expect(
      (await registry.admin('POST', '/_admin/faults', { dropRate: 0.1, errorRate: 0.1, loseResponseRate: 0.1, seed: 20261201 })).status,
    ).toBe(200)

    // `certdesk sync` in a process of its own, killed in the middle of the run.
    await core.close()
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/index.ts'), '--data-dir', dataDir, 'sync'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let childErrors = ''
    child.stderr!.on('data', (chunk: Buffer) => (childErrors += chunk.toString()))
    const exited = new Promise((done) => child.once('exit', done))
    core = await openCore({ dataDir, sync: { baseDelayMs: 5, maxDelayMs: 100 } })
    const deadline = Date.now() + 180_000
    while ((await delivered()) < 1500) {
      if (Date.now() > deadline)
        throw new Error(`certdesk sync delivered only ${await delivered()} of ${total} in three minutes: ${childErrors.slice(-2000)}`)
      await new Promise((done) => setTimeout(done, 50))
    }
    child.kill('SIGKILL')
    await exited
    const atKill = await delivered()
    expect(atKill).toBeLessThan(total)

    // The app (here: a core with a short backoff) goes on where the killed process stopped.
    for (let pass = 0; pass < 2000 && Number((await core.sync.status(await actorOf(core, 'admin'))).pending) > 0; pass += 1) {
      await core.sync.pass()
      await new Promise((done) => setTimeout(done, 20))
    }
    const local = (await core.db('outbox').orderBy('id').select('id', 'ordering_key', 'idempotency_key', 'state')) as Array<{
      id: number
      ordering_key: string
      idempotency_key: string
      state: string
    }>
    expect(local.filter((row) => row.state !== 'delivered')).toEqual([])

    const stats = (await registry.admin('GET', '/_admin/faults/stats')).json<Record<string, number>>()
    await registry.admin('POST', '/_admin/faults', {})
    const effects = (await registry.admin('GET', '/_admin/effects?limit=100000')).json<{
      items: Array<{ orderingKey: string; idempotencyKey: string }>
    }>().items
    // Exactly the acknowledged set: nothing twice, nothing lost, nothing the app never sent.
    const keys = effects.map((effect) => effect.idempotencyKey)
    expect(new Set(keys).size).toBe(keys.length)
    expect([...keys].sort()).toEqual(local.map((row) => row.idempotency_key).sort())
    // Per certificate, the registry applied the effects in the local order.
    const localOrder = new Map<string, string[]>()
    for (const row of local) localOrder.set(row.ordering_key, [...(localOrder.get(row.ordering_key) ?? []), row.idempotency_key])
    const remoteOrder = new Map<string, string[]>()
    for (const effect of effects)
      remoteOrder.set(effect.orderingKey, [...(remoteOrder.get(effect.orderingKey) ?? []), effect.idempotencyKey])
    expect(remoteOrder).toEqual(localOrder)
    // Each kind of fault did happen.
    expect(stats.dropped, 'dropped connections').toBeGreaterThan(0)
    expect(stats.errors, '500s').toBeGreaterThan(0)
    expect(stats.lostResponses, 'responses lost after commit').toBeGreaterThan(0)
  }, 600_000)
})
