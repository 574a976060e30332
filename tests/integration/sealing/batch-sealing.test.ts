import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOpensslTsa } from '../../helpers/openssl-tsa'
import { configureShim } from '../../helpers/pkcs11-shim'
import { SOFTHSM_MODULE } from '../../helpers/softhsm'
import { TOKEN_LABEL, USER_PIN } from '../../helpers/sealing-fixture'
import { waitForJob } from '../../helpers/sealing-jobs'
import { createSealingFixture, type SealingFixture } from '../../helpers/sealing-fixture'
import { issuedFiles, signBatch } from '../../helpers/sealing-jobs'
import { opensslVerifyAll, pdfsig } from '../../helpers/pdf-signatures'

let fixture: SealingFixture
let slowModule: string

beforeAll(async () => {
  // A slowed key (~10 signatures/s) so the test can pause and cancel while a batch is under way,
  // with seconds to spare even on a loaded machine (at 40/s a busy CI finished the batch first).
  slowModule = configureShim({ target: SOFTHSM_MODULE, signDelayMs: 100 })
  fixture = await createSealingFixture()
  await fixture.core.tokens.setModules(fixture.actors.admin, [fixture.hsm.modulePath, slowModule])
}, 120_000)

async function startSlow(batchId: number) {
  const sealer = fixture.actors.sealer
  const job = await fixture.core.sealing.createJob(sealer, batchId, fixture.seals.bureau)
  const token = { serial: fixture.serial, label: TOKEN_LABEL }
  await fixture.core.sealing.start(sealer, {
    jobId: job.id,
    modulePath: slowModule,
    token,
    pin: USER_PIN,
    confirmFinalTry: false,
    timestamp: false,
  })
  return job.id
}

afterAll(async () => {
  await fixture?.cleanup()
})

describe('batch sealing on a SoftHSM2 token', () => {
  it('seals a title batch with the bureau seal: every file passes pdfsig and openssl cms, and the batch is issued', async () => {
    const batchId = await fixture.titleBatch(3)
    const job = await signBatch(fixture, batchId, fixture.seals.bureau)
    expect(job).toMatchObject({ state: 'completed', total: 3, done: 3, failed: 0 })
    const files = await issuedFiles(fixture, batchId)
    expect(files.size).toBe(3)
    for (const [number, bytes] of files) {
      const signatures = pdfsig(bytes)
      expect(signatures, number).toEqual([
        expect.objectContaining({ field: 'seal_single', valid: true, totalDocumentSigned: true, type: 'ETSI.CAdES.detached' }),
      ])
      expect(opensslVerifyAll(bytes, join(fixture.pki.dir, 'ca.pem'))).toBe(1)
      const report = await fixture.core.verification.verifyBytes(bytes)
      expect(report).toMatchObject({ valid: true, registryStatus: 'active', certificateNumber: number, unsignedFields: [] })
    }
    expect((await fixture.core.db('application_batches').where({ id: batchId }).first('state')).state).toBe('issued')
  })

  it('seals a vocational batch with two seals by two key holders: the first signature stays valid under the second', async () => {
    const batchId = await fixture.vocationalBatch(2)
    const first = await signBatch(fixture, batchId, fixture.seals.bureau)
    expect(first).toMatchObject({ state: 'completed', done: 2 })
    const pending = await fixture.core.db('certificates').where({ batch_id: batchId }).pluck('status')
    expect(pending).toEqual(['pending', 'pending'])
    const second = await signBatch(fixture, batchId, fixture.seals.construction, fixture.actors.constructionSealer)
    expect(second).toMatchObject({ state: 'completed', done: 2 })
    for (const [number, bytes] of await issuedFiles(fixture, batchId)) {
      const signatures = pdfsig(bytes)
      expect(
        signatures.map((signature) => [signature.field, signature.valid]),
        number,
      ).toEqual([
        ['seal_bureau', true],
        ['seal_department', true],
      ])
      expect(signatures[1].totalDocumentSigned).toBe(true)
      expect(opensslVerifyAll(bytes, join(fixture.pki.dir, 'ca.pem'))).toBe(2)
      expect((await fixture.core.verification.verifyBytes(bytes)).valid).toBe(true)
    }
  })

  it('timestamps each signature at an RFC 3161 authority (openssl ts) when asked, and the timestamp verifies', async () => {
    const tsa = await startOpensslTsa(join(fixture.root, 'tsa'))
    try {
      await fixture.core.settings.update(fixture.actors.admin, 'sealing.timestampUrl', tsa.url)
      const batchId = await fixture.titleBatch(2, 40)
      const sealer = fixture.actors.sealer
      const job = await fixture.core.sealing.createJob(sealer, batchId, fixture.seals.bureau)
      const token = { serial: fixture.serial }
      await fixture.core.sealing.start(sealer, {
        jobId: job.id,
        modulePath: fixture.hsm.modulePath,
        token,
        pin: USER_PIN,
        confirmFinalTry: false,
        timestamp: true,
      })
      await fixture.core.sealing.settled(job.id)
      expect(await fixture.core.sealing.job(sealer, job.id)).toMatchObject({ state: 'completed', done: 2, timestamp: true })
      expect(tsa.requests()).toBe(2)
      for (const bytes of (await issuedFiles(fixture, batchId)).values()) {
        expect(pdfsig(bytes).map((signature) => signature.valid)).toEqual([true])
        expect(opensslVerifyAll(bytes, join(fixture.pki.dir, 'ca.pem'))).toBe(1)
        const report = await fixture.core.verification.verifyBytes(bytes)
        expect(report.valid).toBe(true)
        expect(report.signatures[0].timestamp).toMatchObject({ valid: true })
      }
    } finally {
      await fixture.core.settings.update(fixture.actors.admin, 'sealing.timestampUrl', '')
      await tsa.close()
    }
  })

  it('pauses at a clean point and resumes without the PIN; a cancelled job keeps what it signed', async () => {
    const sealer = fixture.actors.sealer
    const first = await fixture.titleBatch(30, 60)
    const jobId = await startSlow(first)
    await waitForJob(fixture, jobId, (job) => job.done >= 3)
    const paused = await fixture.core.sealing.pause(sealer, jobId)
    expect(paused).toMatchObject({ state: 'paused', needsPin: false })
    const still = await fixture.core.sealing.job(sealer, jobId)
    expect(still.done).toBe(paused.done)
    expect(still.done).toBeLessThan(30)
    await fixture.core.sealing.resume(sealer, { jobId, confirmFinalTry: false })
    await fixture.core.sealing.settled(jobId)
    expect(await fixture.core.sealing.job(sealer, jobId)).toMatchObject({ state: 'completed', done: 30 })

    const second = await fixture.titleBatch(30, 100)
    const cancelled = await startSlow(second)
    await waitForJob(fixture, cancelled, (job) => job.done >= 3)
    const after = await fixture.core.sealing.cancel(sealer, cancelled)
    expect(after.state).toBe('cancelled')
    const statuses = await fixture.core.db('certificates').where({ batch_id: second }).pluck('status')
    expect(statuses.filter((status) => status === 'active')).toHaveLength(after.done)
    expect(statuses.filter((status) => status === 'pending')).toHaveLength(30 - after.done)
    // The rest can be sealed by a new job, which lists only what is still unsigned.
    const again = await fixture.core.sealing.createJob(sealer, second, fixture.seals.bureau)
    expect(again.total).toBe(30 - after.done)
  })
})
