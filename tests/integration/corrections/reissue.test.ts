import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RegisterSearchSchema } from '../../../electron/contract/register'
import { checkCharacter } from '../../../electron/core/applications/id-number'
import { FileStore } from '../../../electron/core/files/file-store'
import { photoFor } from '../../fixtures/applications/generate'
import { poppler } from '../../fixtures/documents/poppler'
import { proofPdf } from '../../fixtures/corrections/tables'
import { actorOf, titleFields, vocationalFields } from '../../helpers/batches'
import { correctionRow, submitTable, type IssuedCertificate } from '../../helpers/corrections'
import { opensslVerifyAll, pdfsig } from '../../helpers/pdf-signatures'
import { createSealingFixture, type SealingFixture } from '../../helpers/sealing-fixture'
import { issuedFiles, signBatch } from '../../helpers/sealing-jobs'

/**
 * A correction end to end on a real SoftHSM2 token: a sealed batch, a table submitted by the
 * department, approved by the bureau and applied by the institute, then the batch sealed again.
 * The new version passes pdfsig and openssl and verifies as current; the old file, untouched,
 * still verifies, as superseded.
 */

let fixture: SealingFixture
let work: string

beforeAll(async () => {
  fixture = await createSealingFixture()
  work = mkdtempSync(join(fixture.root, 'corrections-'))
}, 120_000)

afterAll(async () => {
  rmSync(work, { recursive: true, force: true })
  await fixture?.cleanup()
})

/** The certificates of a batch with their current fields, in number order. */
async function certificatesOf(batchId: number): Promise<IssuedCertificate[]> {
  const rows = (await fixture.core
    .db('certificates as c')
    .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
    .where('c.batch_id', batchId)
    .orderBy('c.number')
    .select('c.id', 'c.number', 'v.fields')) as Array<{ id: number; number: string; fields: string }>
  return rows.map((row) => ({ id: row.id, number: row.number, fields: JSON.parse(row.fields) as Record<string, string> }))
}

/** Submits, approves (consenting to photos) and applies a table; returns the request id. */
async function correct(submitter: string, rows: Parameters<typeof correctionRow>[], proofs: Record<string, Buffer>): Promise<number> {
  const result = await submitTable(fixture.core, await actorOf(fixture.core, submitter), work, {
    rows: rows.map((args) => correctionRow(...args)),
    proofs,
  })
  if (!result.accepted) throw new Error(result.messages.join('\n'))
  const bureau = await actorOf(fixture.core, 'bureau-reviewer')
  const detail = await fixture.core.corrections.get(bureau, result.request.id)
  await fixture.core.corrections.decide(
    bureau,
    detail.id,
    detail.rows.map((row) => ({ rowId: row.id, decision: 'approved' as const, photoConsent: true })),
  )
  await fixture.core.corrections.apply(await actorOf(fixture.core, 'clerk'), detail.id)
  return detail.id
}

const text = (bytes: Uint8Array) => poppler('pdftotext', ['-layout', '-enc', 'UTF-8', '-'], bytes).stdout.toString('utf8')

describe('a correction re-made and re-sealed on the SoftHSM2 token', () => {
  it('title: the new version (new employer and photo, same number) passes pdfsig; the old file verifies as superseded', async () => {
    const batchId = await fixture.titleBatch(2, 300)
    expect(await signBatch(fixture, batchId, fixture.seals.bureau)).toMatchObject({ state: 'completed', done: 2 })
    const before = await issuedFiles(fixture, batchId)
    const [first, second] = await certificatesOf(batchId)
    expect(first.fields).toEqual((({ photoName: _, ...fields }) => fields)(titleFields(300)))
    const photo = photoFor('re-made')
    await correct(
      'reviewer',
      [
        [first, '工作单位', '上海市第六人民医院', { proofs: '单位证明.pdf' }],
        [first, '照片', '', { reason: '原照片为他人照片，经公安部门核实后更换', proofs: '新照片.jpg' }],
      ],
      { '单位证明.pdf': proofPdf('employer'), '新照片.jpg': photo },
    )
    expect(await fixture.core.db('certificates').where({ id: first.id }).first('status', 'current_version')).toEqual({
      status: 'active',
      current_version: 1,
    })

    // The sealer's desk offers the issued batch again, with the one version waiting.
    const offered = await fixture.core.sealing.batches(fixture.actors.sealer)
    expect(offered.find((batch) => batch.batchId === batchId)).toMatchObject({ remaining: 1, total: 2 })
    expect(await signBatch(fixture, batchId, fixture.seals.bureau)).toMatchObject({ state: 'completed', total: 1, done: 1 })

    const versions = await fixture.core
      .db('certificate_versions')
      .where({ certificate_id: first.id })
      .orderBy('version')
      .select('version', 'status', 'pdf_hash', 'photo_hash')
    expect(versions.map((version) => [version.version, version.status])).toEqual([
      [1, 'superseded'],
      [2, 'active'],
    ])
    expect(await fixture.core.db('certificates').where({ id: first.id }).first('status', 'current_version')).toEqual({
      status: 'active',
      current_version: 2,
    })
    expect(versions[1].photo_hash).toBe(FileStore.hashOf(photo))
    expect(versions[1].photo_hash).not.toBe(versions[0].photo_hash)
    const reissued = (await fixture.core.files.read(fixture.core.db, versions[1].pdf_hash)).bytes
    expect(pdfsig(reissued)).toEqual([expect.objectContaining({ field: 'seal_single', valid: true, totalDocumentSigned: true })])
    expect(opensslVerifyAll(reissued, join(fixture.pki.dir, 'ca.pem'))).toBe(1)
    expect(text(reissued)).toContain('上海市第六人民医院')
    expect(text(reissued)).toContain(first.number)
    expect(await fixture.core.verification.verifyBytes(reissued)).toMatchObject({
      valid: true,
      registryStatus: 'active',
      certificateNumber: first.number,
      version: 2,
    })

    const old = before.get(first.number)!
    expect(pdfsig(old).map((signature) => signature.valid)).toEqual([true])
    expect(await fixture.core.verification.verifyBytes(old)).toMatchObject({
      valid: true,
      registryStatus: 'superseded',
      certificateNumber: first.number,
      version: 1,
    })
    // The other certificate of the batch was not touched.
    expect(await fixture.core.verification.verifyBytes(before.get(second.number)!)).toMatchObject({ registryStatus: 'active', version: 1 })
  })

  it('a corrected name and ID number are what the register finds, once the new version is issued', async () => {
    const batchId = await fixture.titleBatch(1, 500)
    await signBatch(fixture, batchId, fixture.seals.bureau)
    const [certificate] = await certificatesOf(batchId)
    const clerk = await actorOf(fixture.core, 'clerk')
    const numbersFound = async (search: Record<string, string>) =>
      (await fixture.core.register.search(clerk, RegisterSearchSchema.parse(search))).items.map((item) => item.number)
    const oldId = certificate.fields.idNumber
    // Another person's number of the same birth day and sex: only the sequence digits differ.
    const first17 = `${oldId.slice(0, 14)}${oldId[14] === '9' ? '1' : '9'}${oldId.slice(15, 17)}`
    const newId = `${first17}${checkCharacter(first17)}`
    await correct(
      'reviewer',
      [
        [certificate, '姓名', '王晓明', { proofs: '户籍证明.pdf' }],
        [certificate, '证件号码', newId, { proofs: '户籍证明.pdf' }],
      ],
      { '户籍证明.pdf': proofPdf('identity') },
    )
    // Until the new version has its seal, the certificate is still its old version's.
    expect(await numbersFound({ idNumber: oldId })).toEqual([certificate.number])
    await signBatch(fixture, batchId, fixture.seals.bureau)
    expect(await numbersFound({ name: '王晓明' })).toEqual([certificate.number])
    expect(await numbersFound({ idNumber: newId, name: '王晓明' })).toEqual([certificate.number])
    expect(await numbersFound({ idNumber: oldId })).toEqual([])
    expect(await numbersFound({ name: certificate.fields.name })).not.toContain(certificate.number)
  })

  it('vocational: the corrected version gets both seals again, from two key holders, and the first stays valid under the second', async () => {
    const batchId = await fixture.vocationalBatch(1, 400)
    await signBatch(fixture, batchId, fixture.seals.bureau)
    await signBatch(fixture, batchId, fixture.seals.construction, fixture.actors.constructionSealer)
    const [certificate] = await certificatesOf(batchId)
    const old = (await issuedFiles(fixture, batchId)).get(certificate.number)!
    expect(certificate.fields.qualificationName).toBe((vocationalFields(400) as Record<string, string>).qualificationName)
    await correct('construction-reviewer', [[certificate, '专业类别', '市政公用工程']], {})
    await signBatch(fixture, batchId, fixture.seals.bureau)
    // One seal of two: still the old version that is current.
    expect(await fixture.core.verification.verifyBytes(old)).toMatchObject({ registryStatus: 'active', version: 1 })
    await signBatch(fixture, batchId, fixture.seals.construction, fixture.actors.constructionSealer)
    const reissued = (await issuedFiles(fixture, batchId)).get(certificate.number)!
    expect(pdfsig(reissued).map((signature) => [signature.field, signature.valid])).toEqual([
      ['seal_bureau', true],
      ['seal_department', true],
    ])
    expect(text(reissued)).toContain('市政公用工程')
    expect(await fixture.core.verification.verifyBytes(reissued)).toMatchObject({ valid: true, registryStatus: 'active', version: 2 })
    expect(await fixture.core.verification.verifyBytes(old)).toMatchObject({ valid: true, registryStatus: 'superseded', version: 1 })
  })
})
