import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DocumentPreview } from '../../electron/contract/certificates'
import type { SealAppearanceInfo } from '../../electron/contract/seals'
import { auditCount, call, createDemoCore, expectError, expectOk, organisationId } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { sessionFor } from '../helpers/template'
import { sealPng } from '../fixtures/seals/png'

/** The images of a PDF as poppler's pdfimages lists them: [type, width, height] per image. */
function images(pdf: Uint8Array): Array<[string, number, number]> {
  const result = spawnSync('pdfimages', ['-list', '-'], { input: pdf })
  if (result.status !== 0) throw new Error(`pdfimages failed: ${result.stderr.toString()}`)
  return result.stdout
    .toString()
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => line.trim().split(/\s+/))
    .map((columns) => [columns[2], Number(columns[3]), Number(columns[4])])
}

describe('uploaded seal appearances', () => {
  let test: TestCore
  let admin: string
  let clerk: string
  let bureau: number

  beforeAll(async () => {
    test = await createDemoCore()
    admin = await sessionFor(test, 'admin')
    clerk = await sessionFor(test, 'clerk')
    bureau = await organisationId(test, '上海市人力资源和社会保障局')
  })
  afterAll(() => test.cleanup())

  const preview = async () =>
    new Uint8Array(
      Buffer.from(
        expectOk<DocumentPreview>(await call(test, 'certificates.preview', { number: '2025WSHL00001' }, clerk)).pdfBase64,
        'base64',
      ),
    )

  it('places the admin’s transparent PNG at the seal slot instead of the drawn seal, and back when removed', async () => {
    // Drawn seal: the photo is the only image.
    expect(images(await preview()).map(([type]) => type)).toEqual(['image'])
    const before = await auditCount(test)
    const info = expectOk<SealAppearanceInfo>(
      await call(test, 'seals.setAppearance', { organisationId: bureau, pngBase64: sealPng({ size: 320 }).toString('base64') }, admin),
    )
    expect(info).toMatchObject({ organisationId: bureau, width: 320, height: 320 })
    expect(await auditCount(test)).toBe(before + 1)
    // The photo, and the 320×320 seal with its transparency as a soft mask.
    expect(images(await preview())).toEqual(
      expect.arrayContaining([
        ['image', 320, 320],
        ['smask', 320, 320],
      ]),
    )
    expect(expectOk<SealAppearanceInfo | null>(await call(test, 'seals.getAppearance', { organisationId: bureau }, clerk))?.pngBase64).toBe(
      info.pngBase64,
    )
    expectOk(await call(test, 'seals.removeAppearance', { organisationId: bureau }, admin))
    expect(images(await preview()).map(([type]) => type)).toEqual(['image'])
    expect(expectOk(await call(test, 'seals.getAppearance', { organisationId: bureau }, clerk))).toBeNull()
  })

  it('refuses what is not a usable seal image, with a Chinese reason, and changes nothing', async () => {
    const before = await auditCount(test)
    const attempts: Array<[string, RegExp]> = [
      [Buffer.from('GIF89a not a png at all').toString('base64'), /PNG/],
      [sealPng({ opaque: true }).toString('base64'), /透明/],
      [sealPng({ size: 40 }).toString('base64'), /尺寸/],
    ]
    for (const [pngBase64, reason] of attempts) {
      const error = expectError(await call(test, 'seals.setAppearance', { organisationId: bureau, pngBase64 }, admin), 'VALIDATION')
      expect(error.message).toMatch(reason)
    }
    expectError(await call(test, 'seals.setAppearance', { organisationId: bureau, pngBase64: 'not base64!' }, admin), 'VALIDATION')
    expect(await auditCount(test)).toBe(before)
    expect(await test.core.db('seal_appearances')).toEqual([])
  })

  it('only the admin uploads or removes an appearance', async () => {
    const pngBase64 = sealPng().toString('base64')
    expectError(await call(test, 'seals.setAppearance', { organisationId: bureau, pngBase64 }, clerk), 'FORBIDDEN')
    expectError(await call(test, 'seals.removeAppearance', { organisationId: bureau }, clerk), 'FORBIDDEN')
    expectError(await call(test, 'seals.setAppearance', { organisationId: 9999, pngBase64 }, admin), 'NOT_FOUND')
  })
})
