import { renameSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configureShim } from '../../helpers/pkcs11-shim'
import { pdfsig } from '../../helpers/pdf-signatures'
import { createSealingFixture, TOKEN_LABEL, USER_PIN, type SealingFixture } from '../../helpers/sealing-fixture'
import { issuedFiles, signBatch, waitForJob } from '../../helpers/sealing-jobs'
import { SOFTHSM_MODULE } from '../../helpers/softhsm'

/**
 * What goes wrong with a key: a wrong PIN, a seal certificate that expired or cannot sign, and
 * the key pulled out mid-batch (SoftHSM2's token directory moved away, then back). A slowed key
 * (the shim, ~60 signatures/s) lets the test act while the batch is under way.
 */
let fixture: SealingFixture
let slowModule: string

beforeAll(async () => {
  // A slowed key (~16 signatures/s): the key is pulled out while the batch is under way, even on a loaded machine.
  slowModule = configureShim({ target: SOFTHSM_MODULE, signDelayMs: 60 })
  fixture = await createSealingFixture()
  await fixture.core.tokens.setModules(fixture.actors.admin, [fixture.hsm.modulePath, slowModule])
}, 120_000)

afterAll(async () => {
  await fixture?.cleanup()
})

async function countRows(table: string): Promise<number> {
  return Number(((await fixture.core.db(table).count({ n: '*' }).first()) as { n: number | string }).n)
}

describe('token faults and refusals', () => {
  it('a wrong PIN signs nothing and leaves the job ready to start again', async () => {
    const batchId = await fixture.titleBatch(3, 100)
    const job = await fixture.core.sealing.createJob(fixture.actors.sealer, batchId, fixture.seals.bureau)
    const before = await countRows('version_seals')
    await expect(
      fixture.core.sealing.start(fixture.actors.sealer, {
        jobId: job.id,
        modulePath: fixture.hsm.modulePath,
        token: { serial: fixture.serial },
        pin: '000000',
        confirmFinalTry: false,
        timestamp: false,
      }),
    ).rejects.toMatchObject({ code: 'PIN_INCORRECT' })
    expect(await countRows('version_seals')).toBe(before)
    expect(await fixture.core.db('certificates').where({ batch_id: batchId }).pluck('status')).toEqual(['pending', 'pending', 'pending'])
    expect(await fixture.core.sealing.job(fixture.actors.sealer, job.id)).toMatchObject({ state: 'ready', done: 0 })
    expect(await signBatch(fixture, batchId, fixture.seals.bureau)).toMatchObject({ state: 'completed', done: 3 })
  })

  it('refuses to register an expired, not yet valid or non-signing certificate, and to sign once the seal expired', async () => {
    const admin = fixture.actors.admin
    const bureau = ((await fixture.core.db('organisations').where({ kind: 'bureau' }).first('id')) as { id: number }).id
    const register = (der: Buffer) =>
      fixture.core.sealRegistry.register(admin, {
        organisationId: bureau,
        name: `测试章${der.length}${Math.random()}`,
        purpose: '专业技术资格证书专用章',
        certificateDerBase64: der.toString('base64'),
        appliesTo: [{ family: 'title', level: '*' }],
      })
    const day = 86_400_000
    const now = fixture.clock.now().getTime()
    const expired = fixture.pki.issue('expired', { notBefore: new Date(now - 30 * day), notAfter: new Date(now - day) })
    const future = fixture.pki.issue('future', { notBefore: new Date(now + 10 * day), notAfter: new Date(now + 30 * day) })
    const encipherOnly = fixture.pki.issue('encipher', { keyUsage: 'critical,keyEncipherment' })
    await expect(register(expired.certDer)).rejects.toMatchObject({
      code: 'SEAL_CERTIFICATE_INVALID',
      message: expect.stringContaining('已过期'),
    })
    await expect(register(future.certDer)).rejects.toMatchObject({
      code: 'SEAL_CERTIFICATE_INVALID',
      message: expect.stringContaining('尚未生效'),
    })
    await expect(register(encipherOnly.certDer)).rejects.toMatchObject({
      code: 'SEAL_CERTIFICATE_INVALID',
      message: expect.stringContaining('签名'),
    })

    // The bureau's seal certificate runs for a year or so: far enough ahead, the seal cannot sign.
    const batchId = await fixture.titleBatch(1, 150)
    const seal = (await fixture.core.sealRegistry.list(admin, { includeInactive: false })).find((item) => item.id === fixture.seals.bureau)!
    const saved = fixture.clock.now().getTime()
    fixture.clock.advance(new Date(seal.certificate.notAfter).getTime() - saved + day)
    try {
      await expect(fixture.core.sealing.createJob(fixture.actors.sealer, batchId, fixture.seals.bureau)).rejects.toMatchObject({
        code: 'SEAL_CERTIFICATE_INVALID',
        message: expect.stringContaining('已过期'),
      })
    } finally {
      fixture.clock.advance(saved - fixture.clock.now().getTime())
    }
  })

  it('the key pulled out mid-batch pauses the job; back in, the PIN again, and it resumes without signing anything twice', async () => {
    const count = 40
    const batchId = await fixture.titleBatch(count, 200)
    const sealer = fixture.actors.sealer
    const job = await fixture.core.sealing.createJob(sealer, batchId, fixture.seals.bureau)
    await fixture.core.sealing.start(sealer, {
      jobId: job.id,
      modulePath: slowModule,
      token: { serial: fixture.serial, label: TOKEN_LABEL },
      pin: USER_PIN,
      confirmFinalTry: false,
      timestamp: false,
    })
    await waitForJob(fixture, job.id, (current) => current.done >= 5)
    renameSync(fixture.hsm.tokenDir, `${fixture.hsm.tokenDir}.away`)
    let paused
    try {
      paused = await waitForJob(fixture, job.id, (current) => current.state === 'waiting_token')
      expect(paused.done).toBeLessThan(count)
      expect(paused.pausedReason).toContain('拔出')
      await expect(fixture.core.sealing.resume(sealer, { jobId: job.id, pin: USER_PIN, confirmFinalTry: false })).rejects.toMatchObject({
        code: 'TOKEN_UNAVAILABLE',
      })
    } finally {
      renameSync(`${fixture.hsm.tokenDir}.away`, fixture.hsm.tokenDir)
    }
    const back = await waitForJob(fixture, job.id, (current) => current.state === 'waiting_pin')
    expect(back).toMatchObject({ needsPin: true, done: paused.done })
    await expect(fixture.core.sealing.resume(sealer, { jobId: job.id, confirmFinalTry: false })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    await fixture.core.sealing.resume(sealer, { jobId: job.id, pin: USER_PIN, confirmFinalTry: false })
    await fixture.core.sealing.settled(job.id)
    expect(await fixture.core.sealing.job(sealer, job.id)).toMatchObject({ state: 'completed', done: count, failed: 0 })
    const files = await issuedFiles(fixture, batchId)
    expect(files.size).toBe(count)
    for (const bytes of files.values()) expect(pdfsig(bytes).map((signature) => signature.valid)).toEqual([true])
    const versions = (await fixture.core
      .db('version_seals as s')
      .join('certificate_versions as v', 'v.id', 's.certificate_version_id')
      .join('certificates as c', 'c.id', 'v.certificate_id')
      .where('c.batch_id', batchId)
      .count({ n: '*' })
      .first()) as { n: number | string }
    expect(Number(versions.n)).toBe(count)
    const issues = await fixture.core
      .db('audit_log')
      .where({ action: 'certificate.issue' })
      .whereIn('object_id', (await fixture.core.db('certificates').where({ batch_id: batchId }).pluck('id')).map(String))
    expect(issues).toHaveLength(count)
  })
})
