import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileStore } from '../../electron/core/files/file-store'
import type { Actor } from '../../electron/core/users/access'
import { actorOf } from '../helpers/batches'
import { createSealingFixture, type SealingFixture } from '../helpers/sealing-fixture'
import { signBatch } from '../helpers/sealing-jobs'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

let fixture: SealingFixture
let clerk: Actor
let number: string
let other: string

/**
 * A title batch of two sealed on the SoftHSM2 token, then a second version of the first
 * certificate (what applying a correction leaves: the same number, corrected fields, pending)
 * sealed in turn: the register must show both versions with their seals, serve either file,
 * and keep the first verifiable as superseded.
 */
beforeAll(async () => {
  fixture = await createSealingFixture()
  const batchId = await fixture.titleBatch(2)
  await signBatch(fixture, batchId, fixture.seals.bureau)
  const rows = (await fixture.core.db('certificates').where({ batch_id: batchId }).orderBy('id').select('id', 'number')) as Array<{
    id: number
    number: string
  }>
  ;[number, other] = rows.map((row) => row.number)
  const first = (await fixture.core.db('certificate_versions').where({ certificate_id: rows[0].id, version: 1 }).first()) as Record<
    string,
    unknown
  >
  const fields = { ...(JSON.parse(String(first.fields)) as Record<string, string>), employer: '上海市第六人民医院' }
  await fixture.core.db('certificate_versions').insert({
    certificate_id: rows[0].id,
    version: 2,
    status: 'pending',
    fields: JSON.stringify(fields),
    photo_hash: first.photo_hash,
    created_at: fixture.clock.now().toISOString(),
  })
  fixture.clock.advance(60_000)
  await signBatch(fixture, batchId, fixture.seals.bureau)
  clerk = await actorOf(fixture.core, 'clerk')
}, 180_000)

afterAll(async () => {
  await fixture?.cleanup()
})

describe('the register on sealed certificates', () => {
  it('shows every version newest first with its status, times and the seal that signed it', async () => {
    const detail = await fixture.core.register.detail(clerk, number)
    expect(detail.certificate).toMatchObject({ number, status: 'active', currentVersion: 2 })
    expect(detail.versions.map((version) => [version.version, version.status, version.sealed])).toEqual([
      [2, 'active', true],
      [1, 'superseded', true],
    ])
    const [second, first] = detail.versions
    expect(second.fields).toMatchObject({ employer: '上海市第六人民医院' })
    expect(first.fields).toMatchObject({ employer: '上海市第一人民医院' })
    expect(first.supersededAt).toBe(second.issuedAt)
    expect(second.supersededAt).toBeNull()
    for (const version of detail.versions) {
      expect(version.seals).toEqual([
        {
          slot: 'single',
          sealId: fixture.seals.bureau,
          sealName: '市人社局专业技术资格证书专用章',
          sealOrganisationName: '上海市人力资源和社会保障局',
          signedAt: expect.any(String),
          signedByName: '市人社局印章管理员',
        },
      ])
    }
    // The other certificate of the batch kept its one version.
    expect((await fixture.core.register.detail(clerk, other)).versions.map((version) => version.status)).toEqual(['active'])
    const page = await fixture.core.register.search(clerk, { number, limit: 50 })
    expect(page.items[0]).toMatchObject({ number, version: 2, sealed: true, status: 'active' })
  })

  it('opens the signed file of any version, and the verifier still knows the old one as superseded', async () => {
    const detail = await fixture.core.register.detail(clerk, number)
    for (const version of detail.versions) {
      const preview = await fixture.core.certificates.preview(clerk, number, version.version)
      const bytes = Buffer.from(preview.pdfBase64, 'base64')
      expect(preview).toMatchObject({ sealed: true, fileName: `${number}-v${version.version}.pdf` })
      expect(sha256(bytes)).toBe(version.pdfSha256)
      expect(FileStore.hashOf(bytes)).toBe(version.pdfSha256)
      const report = await fixture.core.verification.verifyBytes(bytes)
      expect(report, `version ${version.version}`).toMatchObject({
        valid: true,
        certificateNumber: number,
        registryStatus: version.version === 2 ? 'active' : 'superseded',
      })
    }
  })

  it('tells both issues apart in the history, with the batch’s approval, and none of the other certificate’s', async () => {
    const history = await fixture.core.register.history(clerk, number, { limit: 50 })
    const issues = history.entries.filter((entry) => entry.action === 'certificate.issue')
    expect(issues.map((entry) => entry.details.version)).toEqual([2, 1])
    expect(issues.every((entry) => entry.source === 'certificate' && entry.actorName === 'sealer')).toBe(true)
    expect(history.entries.at(-1)).toMatchObject({ action: 'batch.approve', source: 'batch' })
    const others = await fixture.core.register.history(clerk, other, { limit: 50 })
    expect(others.entries.filter((entry) => entry.action === 'certificate.issue').map((entry) => entry.details.version)).toEqual([1])
  })
})
