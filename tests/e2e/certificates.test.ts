import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { CertificateSummary } from '../../electron/contract/certificates'
import { sealPng } from '../fixtures/seals/png'
import { login, openApp, withHostAndBrowser } from './fixtures'

/** The certificates the signed-in user may see, straight from the contract (as the table should show them). */
async function listCertificates(page: Page): Promise<CertificateSummary[]> {
  const result = await page.evaluate(() => window.api.certificates.list({ limit: 200 }))
  if (!result.ok) throw new Error(`certificates.list failed: ${result.error.code} ${result.error.message}`)
  return result.value
}

/** How many pixels of a canvas are not (near) white: a blank canvas would pass a size check alone. */
async function inkedPixels(page: Page, testId: string): Promise<number> {
  // Runs in the browser; the test's tsconfig has no DOM types, hence the structural type.
  type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(...box: number[]): { data: Uint8ClampedArray } } }
  return page
    .getByTestId(testId)
    .first()
    .evaluate((node) => {
      const canvas = node as unknown as Canvas
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)
      let count = 0
      for (let index = 0; index < data.length; index += 4) if (data[index] + data[index + 1] + data[index + 2] < 600) count += 1
      return count
    })
}

describe('certificates: lookup and PDF preview through the web host', () => {
  const app = withHostAndBrowser({ demo: true })

  it('a clerk finds the demo certificates, previews one drawn by pdf.js, and saves the PDF', async () => {
    const { page, errors } = await openApp(app.browser, app.host.url)
    await login(page, 'clerk')
    await page.getByTestId('dashboard').waitFor()
    const certificates = await listCertificates(page)
    expect(certificates.length).toBeGreaterThan(0)

    await page.getByTestId('menu-certificates').click()
    await page.getByTestId('certificates-table').waitFor()
    for (const certificate of certificates.slice(0, 10)) await page.getByTestId(`certificate-preview-${certificate.number}`).waitFor()
    const target = certificates.find((certificate) => !certificate.sealed)
    expect(target, 'the demo has an unsealed certificate').toBeDefined()
    const { number, holderName } = target!
    const table = page.getByTestId('certificates-table')
    expect(await table.textContent()).toContain(holderName)

    // Enter in the register's number field narrows the table to that number, however it is typed.
    await page.getByTestId('certificates-search').fill(number.toLowerCase())
    await page.getByTestId('certificates-search').press('Enter')
    await expect.poll(() => table.locator('[data-testid="certificate-number"]').allTextContents()).toEqual([number])

    await page.getByTestId(`certificate-preview-${number}`).click()
    const preview = page.getByTestId('certificate-preview')
    await expect.poll(() => preview.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
    expect(await page.getByTestId('certificate-preview-sealed').textContent()).toContain('未签章预览')
    const firstPage = page.getByTestId('certificate-preview-page').first()
    const box = await firstPage.boundingBox()
    expect(box!.width).toBeGreaterThan(400)
    expect(box!.height).toBeGreaterThan(400)
    expect(await inkedPixels(page, 'certificate-preview-page')).toBeGreaterThan(5_000)

    // 保存PDF hands over the same file the contract returns.
    const download = page.waitForEvent('download')
    await page.getByTestId('certificate-save').click()
    const saved = await download
    expect(saved.suggestedFilename()).toMatch(new RegExp(`^${number}.*\\.pdf$`))
    expect(
      readFileSync(await saved.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-')

    // The slip of clause 9 (query slip or pass certificate) is one click away in the same dialog.
    await page.getByTestId('certificate-preview-document-slip').click()
    await expect.poll(() => preview.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
    expect(await inkedPixels(page, 'certificate-preview-page')).toBeGreaterThan(2_000)
    const slip = await page.evaluate((wanted) => window.api.certificates.preview({ number: wanted, document: 'slip' }), number)
    expect(slip).toMatchObject({ ok: true, value: { fileName: expect.stringMatching(/(query-slip|pass-certificate)\.pdf$/) } })

    const result = await page.evaluate((wanted) => window.api.certificates.preview({ number: wanted }), number)
    expect(result).toMatchObject({ ok: true, value: { sealed: false } })
    if (result.ok) expect(result.value.pdfBase64.startsWith('JVBERi0')).toBe(true)

    expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
    await page.context().close()
  })

  it('the admin uploads a transparent PNG as the bureau’s seal image, sees it, and removes it again', async () => {
    const { page, errors } = await openApp(app.browser, app.host.url)
    await login(page, 'admin')
    await page.getByTestId('menu-organisations').click()
    const organisations = await page.evaluate(() => window.api.organisations.list({}))
    if (!organisations.ok) throw new Error(organisations.error.message)
    const bureau = organisations.value.find((organisation) => organisation.kind === 'bureau')!
    await page.getByTestId(`org-seal-${bureau.id}`).click()
    await page.getByTestId('seal-none').waitFor()
    await page.getByTestId('seal-file').setInputFiles({ name: 'seal.png', mimeType: 'image/png', buffer: sealPng() })
    await page.getByTestId('seal-image').waitFor()
    const stored = await page.evaluate((id) => window.api.seals.getAppearance({ organisationId: id }), bureau.id)
    expect(stored).toMatchObject({ ok: true, value: { organisationId: bureau.id, width: 300, height: 300 } })
    // An opaque image is refused with the reason, and the uploaded one stays.
    await page.getByTestId('seal-file').setInputFiles({ name: 'flat.png', mimeType: 'image/png', buffer: sealPng({ opaque: true }) })
    await expect.poll(() => page.locator('.el-message--error').first().textContent()).toContain('透明')
    await page.getByTestId('seal-remove').click()
    await page.locator('.seal-remove-confirm').click()
    await page.getByTestId('seal-none').waitFor()
    expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
    await page.context().close()
  })

  it('an unknown number is refused with a Chinese message', async () => {
    const { page } = await openApp(app.browser, app.host.url)
    await login(page, 'reviewer')
    await page.getByTestId('dashboard').waitFor()
    const result = await page.evaluate(() => window.api.certificates.preview({ number: 'NOSUCH0001' }))
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    if (!result.ok) expect(result.error.message).toMatch(/[\u4e00-\u9fff]/)
    await page.context().close()
  })

  it('every desk sees 证书登记簿', async () => {
    for (const username of ['reviewer', 'clerk', 'sealer', 'admin']) {
      const { page } = await openApp(app.browser, app.host.url)
      await login(page, username)
      await page.getByTestId('dashboard').waitFor()
      expect(await page.getByTestId('menu-certificates').textContent()).toContain('证书登记簿')
      await page.context().close()
    }
  })
})
