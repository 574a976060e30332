import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { seedDemo } from '../db/seeds/demo'
import { openCore, type Core } from '../electron/core/app'
import { writeTransaction } from '../electron/core/db/transaction'
import { loadIdentity } from '../electron/core/registry/client-identity'
import { certificateVersionEvent, enqueue, type OutboxEvent } from '../electron/core/registry/outbox'
import { RegistryClient } from '../electron/core/registry/registry-client'
import { sha256Hex } from '../electron/core/util/canonical'
import { actorOf } from '../tests/helpers/batches'
import { sendHttp } from '../tests/helpers/registry-server'
import { timed, type BenchRow } from './table'

const PDF_BYTES = 65 * 1024

/** `npm run registry` in a process of its own on a free port; its URL and admin token. */
async function startRegistryProcess(dataDir: string): Promise<{ url: string; adminToken: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, '../registry/index.ts'), '--port', '0', '--print-json', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`registry exited with ${code}`)))
  })
  const { url, adminToken } = JSON.parse(line) as { url: string; adminToken: string }
  return { url, adminToken, child }
}

/** A signed-PDF-sized file, distinct per certificate number. */
function pdfOf(number: string, filler: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`%PDF-1.7\n% ${number}\n`), filler])
}

/** `count` issued certificates in the outbox, each with a distinct signed-PDF-sized file. */
async function fillOutbox(core: Core, count: number, prefix: string): Promise<void> {
  const filler = randomBytes(PDF_BYTES)
  for (let start = 0; start < count; start += 1000) {
    const pack = await core.files.openPack()
    const events: OutboxEvent[] = []
    for (let index = start; index < Math.min(count, start + 1000); index += 1) {
      const number = `2026${prefix}${String(index + 1).padStart(6, '0')}`
      const bytes = pdfOf(number, filler)
      events.push(
        certificateVersionEvent({
          number,
          version: 1,
          family: 'title',
          level: 'senior',
          organisationCode: 'WSHL',
          issuedAt: '2026-12-01T02:00:00.000Z',
          fields: { name: '王丽华', idNumber: '310101198503120022' },
          verificationCode: 'ABCDEFGH',
          pdfSha256: await pack.add(bytes, 'application/pdf'),
        }),
      )
    }
    await writeTransaction(core.db, async (trx) => {
      await pack.commit(trx)
      await enqueue(trx, events, new Date().toISOString())
    })
  }
}

/** The straightforward client: one request per file and one per publication, in turn (the single-write endpoints). */
async function oneByOne(core: Core, url: string, count: number): Promise<number> {
  const client = new RegistryClient(url, loadIdentity(core.dataDir))
  const filler = randomBytes(PDF_BYTES)
  const { ms } = await timed(async () => {
    for (let index = 0; index < count; index += 1) {
      const number = `2026BASE${String(index + 1).padStart(6, '0')}`
      const bytes = pdfOf(number, filler)
      const hash = sha256Hex(bytes)
      await client.request('PUT', `/v1/files/${hash}`, bytes)
      const body = {
        number,
        version: 1,
        family: 'title',
        level: 'senior',
        organisationCode: 'WSHL',
        issuedAt: '2026-12-01T02:00:00.000Z',
        fields: { name: '王丽华' },
        verificationCode: 'ABCDEFGH',
        pdfSha256: hash,
      }
      const answer = await client.request('PUT', `/v1/certificates/${number}/versions/1`, body, { 'idempotency-key': `base:${number}` })
      if (answer.status !== 201) throw new Error(`baseline publication refused: ${answer.status}`)
    }
  })
  client.close()
  return ms
}

/**
 * Issue 7: 10,000 certificate publications (each with its ~65 KB signed PDF) delivered to the
 * reference registry on loopback in under 20 s, with batching; beside it the same client sending
 * one request per file and per publication, as a baseline.
 */
export async function benchSync(count = 10_000, baselineCount = 500): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'certdesk-bench-sync-'))
  const registry = await startRegistryProcess(join(work, 'registry'))
  const core = await openCore({ dataDir: join(work, 'data') })
  try {
    await seedDemo(core, () => 'Bench-pass-2026')
    const admin = await actorOf(core, 'admin')
    const identity = await core.sync.status(admin)
    const registered = await sendHttp(registry.url, {
      method: 'POST',
      path: '/_admin/clients',
      headers: { authorization: `Bearer ${registry.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: identity.clientId, organisationCode: '*', publicKeyPem: identity.publicKeyPem }),
    })
    if (registered.status !== 201 && registered.status !== 200) throw new Error(`registering the bench client failed: ${registered.text()}`)
    await core.settings.update(admin, 'registry.baseUrl', registry.url)
    await fillOutbox(core, count, 'SYNC')
    const run = await timed(async () => {
      for (let pass = 0; pass < 100 && (await core.sync.status(admin)).pending > 0; pass += 1) await core.sync.pass()
    })
    const left = (await core.sync.status(admin)).pending
    if (left > 0) throw new Error(`${left} publications were not delivered`)
    const baselineMs = await oneByOne(core, registry.url, baselineCount)
    return [
      {
        issue: '#7',
        figure: `${count.toLocaleString('en')} certificate publications (65 KB PDF each) to the reference registry, batched`,
        value: `${(run.ms / 1000).toFixed(1)} s (${Math.round((count / run.ms) * 1000)} /s)`,
        target: '< 20 s',
      },
      {
        issue: '#7',
        figure: `one request per file and per publication (${baselineCount} measured, scaled to ${count.toLocaleString('en')})`,
        value: `${(((baselineMs / baselineCount) * count) / 1000).toFixed(1)} s (${Math.round((baselineCount / baselineMs) * 1000)} /s)`,
        target: 'baseline',
      },
    ]
  } finally {
    await core.close()
    registry.child.kill('SIGTERM')
    await new Promise((resolve) => registry.child.once('exit', resolve))
    rmSync(work, { recursive: true, force: true })
  }
}
