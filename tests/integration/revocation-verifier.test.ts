import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actorOf } from '../helpers/batches'
import { pdfsig } from '../helpers/pdf-signatures'
import { documentPdf, upload } from '../helpers/revocation-fixtures'
import { createSealingFixture, type SealingFixture } from '../helpers/sealing-fixture'
import { issuedFiles, signBatch } from '../helpers/sealing-jobs'

let fixture: SealingFixture
let files: Map<string, Uint8Array>
let revoked: string
let kept: string

/** A title batch sealed on the SoftHSM2 token, then one of its certificates revoked through the three desks. */
beforeAll(async () => {
  fixture = await createSealingFixture()
  const batchId = await fixture.titleBatch(2, 700)
  await signBatch(fixture, batchId, fixture.seals.bureau)
  files = await issuedFiles(fixture, batchId)
  ;[revoked, kept] = [...files.keys()]
}, 180_000)

afterAll(async () => {
  await fixture?.cleanup()
})

async function revoke(number: string): Promise<void> {
  const { core } = fixture
  const reviewer = await actorOf(core, 'reviewer')
  const document = await upload(core, reviewer, 'notice', '注销决定.pdf', await documentPdf(`verifier ${number}`))
  const recorded = await core.revocations.record(reviewer, {
    list: { kind: 'text', text: number },
    documentNumber: '沪卫人〔2026〕120号',
    documentDate: '2026-11-20',
    document,
    reason: 'report',
  })
  await core.revocations.approve(await actorOf(core, 'bureau-reviewer'), recorded.id)
  await core.revocations.execute(await actorOf(core, 'clerk'), recorded.id)
}

describe('the verifier after a revocation', () => {
  it('says the sealed file of a revoked certificate is revoked, while its signature still checks out', async () => {
    const verify = (number: string) => fixture.core.verification.verifyBytes(files.get(number)!)
    expect(await verify(revoked)).toMatchObject({ valid: true, registryStatus: 'active' })
    await revoke(revoked)

    const report = await verify(revoked)
    expect(report).toMatchObject({
      valid: false,
      registryStatus: 'revoked',
      certificateNumber: revoked,
      version: 1,
      summary: '签章有效，但该证书已注销',
    })
    expect(report.problems).toContain('该证书已注销')
    // The file itself is untouched: poppler still finds its one seal valid.
    const signatures = pdfsig(files.get(revoked)!)
    expect(signatures).toHaveLength(1)
    expect(signatures[0]).toMatchObject({ valid: true })
    // The other certificate of the batch is not affected.
    expect(await verify(kept)).toMatchObject({ valid: true, registryStatus: 'active' })
  })

  it('queues the revocation after the certificate’s issue, so the registry receives them in order', async () => {
    const events = await fixture.core.db('outbox').where({ ordering_key: revoked }).orderBy('id').pluck('event_type')
    expect(events).toEqual(['certificate.version', 'certificate.revocation'])
  })

  it('never seals a revoked certificate again: a corrected version waiting for its seal stays unsealed', async () => {
    const { core } = fixture
    // A second version of each certificate waiting to be sealed, as a correction leaves it (part of the correction desk).
    const versions = (await core
      .db('certificate_versions as v')
      .join('certificates as c', 'c.id', 'v.certificate_id')
      .whereIn('c.number', [revoked, kept])
      .select('v.certificate_id', 'v.fields', 'v.photo_hash', 'c.number', 'c.batch_id')) as Array<{
      certificate_id: number
      fields: string
      photo_hash: string
      number: string
      batch_id: number
    }>
    const now = fixture.clock.now().toISOString()
    for (const version of versions) {
      await core.db('certificate_versions').insert({
        certificate_id: version.certificate_id,
        version: 2,
        status: 'pending',
        fields: version.fields,
        photo_hash: version.photo_hash,
        created_at: now,
      })
    }
    const job = await signBatch(fixture, versions[0].batch_id, fixture.seals.bureau)
    expect(job.total).toBe(1)
    const statuses = await core
      .db('certificate_versions as v')
      .join('certificates as c', 'c.id', 'v.certificate_id')
      .where('v.version', 2)
      .orderBy('c.number')
      .select('c.number', 'c.status as certificate', 'v.status as version')
    expect(statuses).toEqual(
      [
        { number: revoked, certificate: 'revoked', version: 'pending' },
        { number: kept, certificate: 'active', version: 'active' },
      ].sort((a, b) => a.number.localeCompare(b.number)),
    )
    expect(await core.verification.verifyBytes(files.get(revoked)!)).toMatchObject({ registryStatus: 'revoked' })
  })
})
