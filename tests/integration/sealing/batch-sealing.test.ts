import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSealingFixture, TOKEN_LABEL, USER_PIN, type SealingFixture } from '../../helpers/sealing-fixture'
import { opensslVerifyAll, pdfsig } from '../../helpers/pdf-signatures'

let fixture: SealingFixture

beforeAll(async () => {
  fixture = await createSealingFixture()
}, 120_000)

afterAll(async () => {
  await fixture?.cleanup()
})

/** The issued file of each certificate of a batch, by number. */
async function issuedFiles(batchId: number): Promise<Map<string, Uint8Array>> {
  const rows = (await fixture.core
    .db('certificates as c')
    .join('certificate_versions as v', 'v.certificate_id', 'c.id')
    .where('c.batch_id', batchId)
    .select('c.number', 'c.status', 'v.pdf_hash')) as Array<{ number: string; status: string; pdf_hash: string | null }>
  const files = new Map<string, Uint8Array>()
  for (const row of rows) {
    expect(row.status, row.number).toBe('active')
    files.set(row.number, (await fixture.core.files.read(fixture.core.db, row.pdf_hash!)).bytes)
  }
  return files
}

async function signBatch(batchId: number, sealId: number, actor = fixture.actors.sealer) {
  const job = await fixture.core.sealing.createJob(actor, batchId, sealId)
  await fixture.core.sealing.start(actor, {
    jobId: job.id,
    modulePath: fixture.hsm.modulePath,
    token: { serial: fixture.serial, label: TOKEN_LABEL },
    pin: USER_PIN,
    confirmFinalTry: false,
    timestamp: false,
  })
  await fixture.core.sealing.settled(job.id)
  return fixture.core.sealing.job(actor, job.id)
}

describe('batch sealing on a SoftHSM2 token', () => {
  it('seals a title batch with the bureau seal: every file passes pdfsig and openssl cms, and the batch is issued', async () => {
    const batchId = await fixture.titleBatch(3)
    const job = await signBatch(batchId, fixture.seals.bureau)
    expect(job).toMatchObject({ state: 'completed', total: 3, done: 3, failed: 0 })
    const files = await issuedFiles(batchId)
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
    const first = await signBatch(batchId, fixture.seals.bureau)
    expect(first).toMatchObject({ state: 'completed', done: 2 })
    const pending = await fixture.core.db('certificates').where({ batch_id: batchId }).pluck('status')
    expect(pending).toEqual(['pending', 'pending'])
    const second = await signBatch(batchId, fixture.seals.construction, fixture.actors.constructionSealer)
    expect(second).toMatchObject({ state: 'completed', done: 2 })
    for (const [number, bytes] of await issuedFiles(batchId)) {
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
})
