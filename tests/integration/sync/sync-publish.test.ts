import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verificationCode } from '../../../electron/core/documents/qr'
import { FileStore } from '../../../electron/core/files/file-store'
import type { TestRegistry } from '../../helpers/registry-server'
import { sendHttp } from '../../helpers/registry-server'
import { createSealingFixture, type SealingFixture } from '../../helpers/sealing-fixture'
import { issuedFiles, signBatch } from '../../helpers/sealing-jobs'
import { connectRegistry, registerCore, registryCertificate } from '../../helpers/sync-registry'
import { actorOf } from '../../helpers/batches'
import { recordRevocation } from '../../helpers/revocation-fixtures'

let fixture: SealingFixture
let registry: TestRegistry

beforeAll(async () => {
  fixture = await createSealingFixture()
}, 120_000)

afterAll(async () => {
  await registry?.close()
  await fixture?.cleanup()
})

async function outbox(state?: string) {
  const query = fixture.core.db('outbox').orderBy('id')
  if (state) query.where({ state })
  return (await query) as Array<{
    id: number
    event_type: string
    ordering_key: string
    payload: string
    state: string
    last_error: string | null
  }>
}

describe('publishing to the registry', () => {
  it('queues each issued certificate in the outbox with its issue; without a registry it just waits', async () => {
    const batchId = await fixture.titleBatch(3)
    await signBatch(fixture, batchId, fixture.seals.bureau)
    const files = await issuedFiles(fixture, batchId)
    const queued = await outbox()
    // In the order the journal committed them: one per certificate, the order between certificates is free.
    expect(queued.map((row) => [row.event_type, row.ordering_key, row.state]).sort()).toEqual(
      [...files.keys()].sort().map((number) => ['certificate.version', number, 'pending']),
    )
    for (const row of queued) {
      const payload = JSON.parse(row.payload)
      expect(payload).toMatchObject({ number: row.ordering_key, version: 1, family: 'title', organisationCode: 'WSHL' })
      expect(payload.pdfSha256).toBe(FileStore.hashOf(files.get(row.ordering_key)!))
      expect(payload.verificationCode).toBe(verificationCode(payload.number, payload.fields))
    }
    // No address yet: a pass says so and changes nothing.
    expect((await fixture.core.sync.pass()).error).toContain('尚未配置')
    const status = await fixture.core.sync.status(fixture.actors.admin)
    expect(status).toMatchObject({ configured: false, pending: 3, failed: 0, delivered: 0 })
    expect(status.oldestPendingSeconds).not.toBeNull()
  })

  it('refuses to deliver with an unregistered credential, then delivers once registered, and the QR page answers', async () => {
    registry = await connectRegistry(fixture.core, fixture.actors.admin)
    // Registered for another organisation: every publication is refused with the registry's reason.
    await registerCore(fixture.core, fixture.actors.admin, registry, 'JSKS')
    const refused = await fixture.core.sync.pass()
    // The audit checkpoint is the installation's own and goes through; the certificates do not.
    expect(refused).toMatchObject({ refused: 3, delivered: 1 })
    const failed = await outbox('failed')
    expect(failed).toHaveLength(3)
    expect(failed[0].last_error).toMatch(/HTTP 403/)
    // The operator fixes the registration; the clerk retries.
    await registerCore(fixture.core, fixture.actors.admin, registry, '*')
    const clerk = (await import('../../helpers/batches')).actorOf
    expect(
      await fixture.core.sync.retry(
        await clerk(fixture.core, 'clerk'),
        failed.map((row) => row.id),
      ),
    ).toEqual({ retried: 3 })
    const report = await fixture.core.sync.pass()
    expect(report).toMatchObject({ delivered: 3, refused: 0, error: null })
    expect((await outbox('delivered')).map((row) => row.event_type).sort()).toEqual([
      'audit.checkpoint',
      'certificate.version',
      'certificate.version',
      'certificate.version',
    ])
    const delivered = await outbox('delivered')
    const number = delivered.find((row) => row.event_type === 'certificate.version')!.ordering_key
    const stored = await registryCertificate(registry, number)
    expect(stored.status).toBe(200)
    const payload = JSON.parse(delivered.find((row) => row.ordering_key === number)!.payload)
    expect(stored.body).toMatchObject({ number, currentVersion: 1, versions: [{ version: 1, pdfSha256: payload.pdfSha256 }] })
    // What the holder's QR code opens: the public status page, with the name partly masked.
    const page = await sendHttp(registry.url, { path: `/c/${number}?c=${payload.verificationCode}` })
    expect(page.status).toBe(200)
    expect(page.text()).toContain('有效')
    expect(page.text()).not.toContain(payload.fields.name)
    const json = await sendHttp(registry.url, { path: `/v1/status/${number}?c=${payload.verificationCode}` })
    expect(json.json()).toMatchObject({ number, status: 'valid', codeMatches: true })
    // Nothing is sent twice: another pass has nothing to do.
    expect(await fixture.core.sync.pass()).toMatchObject({ delivered: 0, refused: 0, retrying: 0 })
    expect((await fixture.core.sync.status(fixture.actors.admin)).checkpoint).toMatchObject({ matches: true })
  })

  it('publishes a revocation after the issue it revokes, with its formal document, and the QR page says revoked', async () => {
    const delivered = await outbox('delivered')
    const issued = delivered.find((row) => row.event_type === 'certificate.version')!
    const number = issued.ordering_key
    const recorded = await recordRevocation(fixture.core, number, {}, 'reviewer')
    await fixture.core.revocations.approve(await actorOf(fixture.core, 'bureau-reviewer'), recorded.id)
    await fixture.core.revocations.execute(await actorOf(fixture.core, 'clerk'), recorded.id)
    const queued = await outbox('pending')
    const revocation = queued.find((row) => row.event_type === 'certificate.revocation')!
    expect(revocation.ordering_key).toBe(number)
    const payload = JSON.parse(revocation.payload)
    expect(payload.documentSha256).toMatch(/^[0-9a-f]{64}$/)
    // The registry refuses a revocation whose document it does not hold: the sender stores it first.
    const report = await fixture.core.sync.pass()
    expect(report).toMatchObject({ refused: 0, error: null })
    expect((await outbox('pending')).filter((row) => row.event_type === 'certificate.revocation')).toHaveLength(0)
    const code = JSON.parse(issued.payload).verificationCode
    const json = await sendHttp(registry.url, { path: `/v1/status/${number}?c=${code}` })
    expect(json.json()).toMatchObject({ number, status: 'revoked' })
  })

  it('keeps working with the registry down, and catches up when it is back', async () => {
    const batchId = await fixture.titleBatch(2, 50)
    await signBatch(fixture, batchId, fixture.seals.bureau)
    await fixture.core.settings.update(fixture.actors.admin, 'registry.baseUrl', 'http://127.0.0.1:9')
    const down = await fixture.core.sync.pass()
    expect(down.error).toContain('无法连接电子证照库')
    const status = await fixture.core.sync.status(fixture.actors.admin)
    expect(status.pending).toBeGreaterThanOrEqual(2)
    expect(status.lastError).toContain('无法连接')
    const waiting = await outbox('pending')
    expect(waiting.every((row) => row.state === 'pending')).toBe(true)
    await fixture.core.settings.update(fixture.actors.admin, 'registry.baseUrl', registry.url)
    // The backoff put the items a little into the future: the clock moves on instead of the test sleeping.
    fixture.clock.advance(60 * 60_000)
    const back = await fixture.core.sync.pass()
    expect(back.error).toBeNull()
    expect(back.delivered).toBeGreaterThanOrEqual(2)
    expect(await outbox('pending')).toHaveLength(0)
  })
})
