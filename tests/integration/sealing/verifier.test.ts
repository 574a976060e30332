import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFArray, PDFDocument, PDFName, PDFRef } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendRevision } from '../../../electron/core/sealing/pdf/incremental'
import { PdfFile } from '../../../electron/core/sealing/pdf/pdf-file'
import { cli } from '../../helpers/cli'
import { pdfsig } from '../../helpers/pdf-signatures'
import { createSealingFixture, DEMO_PASSWORD, type SealingFixture } from '../../helpers/sealing-fixture'
import { issuedFiles, signBatch } from '../../helpers/sealing-jobs'

let fixture: SealingFixture
let titles: Uint8Array[]
let vocational: Uint8Array

beforeAll(async () => {
  fixture = await createSealingFixture()
  const titleBatch = await fixture.titleBatch(2)
  await signBatch(fixture, titleBatch, fixture.seals.bureau)
  titles = [...(await issuedFiles(fixture, titleBatch)).values()]
  const vocationalBatch = await fixture.vocationalBatch(1, 10)
  await signBatch(fixture, vocationalBatch, fixture.seals.bureau)
  await signBatch(fixture, vocationalBatch, fixture.seals.construction, fixture.actors.constructionSealer)
  vocational = [...(await issuedFiles(fixture, vocationalBatch)).values()][0]
}, 120_000)

afterAll(async () => {
  await fixture?.cleanup()
})

const verify = (bytes: Uint8Array) => fixture.core.verification.verifyBytes(bytes)

/** An attacker's incremental update: a text annotation added to the page after signing. */
function appendAnnotation(bytes: Uint8Array): Uint8Array {
  const file = PdfFile.parse(bytes)
  const catalog = file.dict(file.trailer.get(PDFName.of('Root')))!
  const pages = file.dict(catalog.get(PDFName.of('Pages')))!
  const pageRef = (pages.get(PDFName.of('Kids')) as PDFArray).get(0) as PDFRef
  const page = file.dict(pageRef)!.clone()
  const annotation = file.size
  const annots = (page.get(PDFName.of('Annots')) as PDFArray).clone()
  annots.push(PDFRef.of(annotation))
  page.set(PDFName.of('Annots'), annots)
  const note = `<<\n/Type /Annot\n/Subtype /Text\n/Rect [ 100 100 120 120 ]\n/Contents (void)\n/P ${pageRef.toString()}\n>>`
  return appendRevision(
    file,
    [
      { objectNumber: pageRef.objectNumber, body: page.toString() },
      { objectNumber: annotation, body: note },
    ],
    annotation + 1,
  ).bytes
}

describe('the verifier (and pdfsig beside it)', () => {
  it('accepts every issued certificate, with one seal and with two', async () => {
    for (const bytes of [...titles, vocational])
      expect(await verify(bytes)).toMatchObject({ valid: true, registryStatus: 'active', problems: [] })
    expect((await verify(vocational)).signatures.map((signature) => [signature.slot, signature.sealName])).toEqual([
      ['bureau', '市人社局专业技术资格证书专用章'],
      ['department', '市住建委专用章'],
    ])
  })

  it('rejects a file with one byte flipped, wherever it is', async () => {
    for (const at of [2000, Math.floor(titles[0].length / 2), titles[0].length - 40]) {
      const flipped = Uint8Array.from(titles[0])
      flipped[at] ^= 0x01
      const report = await verify(flipped)
      expect(report.valid, `byte ${at}`).toBe(false)
      expect(report.summary.length).toBeGreaterThan(0)
    }
  })

  it('rejects an annotation appended after signing, while each signature alone still checks out', async () => {
    const tampered = appendAnnotation(vocational)
    const report = await verify(tampered)
    expect(report.valid).toBe(false)
    expect(report.problems.join('')).toContain('签章之后文件被修改')
    // pdfsig agrees that the last signature no longer covers the document.
    expect(pdfsig(tampered).every((signature) => !signature.totalDocumentSigned)).toBe(true)
  })

  it('rejects a page appended by rewriting the file', async () => {
    const document = await PDFDocument.load(titles[0])
    document.addPage()
    const report = await verify(await document.save({ useObjectStreams: false }))
    expect(report.valid).toBe(false)
  })

  it('rejects a signature copied from another certificate', async () => {
    const source = Buffer.from(titles[0]).toString('latin1')
    const target = Buffer.from(titles[1]).toString('latin1')
    const contents = (text: string) => /\/Contents <([0-9A-Fa-f]+)>/.exec(text)!
    const copied = target.replace(contents(target)[1], contents(source)[1])
    expect(copied.length).toBe(target.length)
    const report = await verify(Buffer.from(copied, 'latin1'))
    expect(report.valid).toBe(false)
    expect(report.signatures[0].problems.join('')).toMatch(/摘要|messageDigest/)
  })

  it('names an unsigned seal position and a file the register does not know', async () => {
    const file = PdfFile.parse(vocational)
    // The file as it was after the bureau's seal: its first two revisions.
    const partial = vocational.subarray(0, file.revisions[1].end)
    const report = await verify(partial)
    expect(report).toMatchObject({ valid: true, unsignedFields: ['seal_department'], registryStatus: 'pending' })
  })

  it('certdesk verify exits 0 for a valid file and 1 with the reason for a tampered one', async () => {
    const dir = fixture.root
    writeFileSync(join(dir, 'good.pdf'), titles[0])
    writeFileSync(join(dir, 'bad.pdf'), appendAnnotation(titles[0]))
    await fixture.core.close()
    try {
      const env = { CERTDESK_PASSWORD: DEMO_PASSWORD, SOFTHSM2_CONF: fixture.hsm.confPath }
      const good = await cli(['--data-dir', join(dir, 'data'), 'verify', join(dir, 'good.pdf')], env)
      expect(good.code).toBe(0)
      expect(good.stdout).toContain('有效')
      const bad = await cli(['--data-dir', join(dir, 'data'), '--json', 'verify', join(dir, 'bad.pdf')], env)
      expect(bad.code).toBe(1)
      expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false })
    } finally {
      await fixture.reopen()
    }
  })
})
