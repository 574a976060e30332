import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSealingFixture, type SealingFixture } from '../../helpers/sealing-fixture'
import { issuedFiles, signBatch } from '../../helpers/sealing-jobs'
import { opensslVerifyAll, pdfsig } from '../../helpers/pdf-signatures'

let fixture: SealingFixture

beforeAll(async () => {
  fixture = await createSealingFixture()
}, 120_000)

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
})
