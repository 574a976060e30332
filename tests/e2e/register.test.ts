import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { openSignedIn, withHostAndBrowser } from './fixtures'

const NURSE = { number: '2025WSHL00001', name: '王丽华', idNumber: '310101198503120022' }
const CONSTRUCTOR = { number: '2025JSKS00001', name: '李娜', idNumber: '310104199009210042' }

/** The numbers the results table shows, in order. */
function shownNumbers(page: Page): Promise<string[]> {
  return page.getByTestId('certificates-table').locator('[data-testid="certificate-number"]').allTextContents()
}

async function openRegister(page: Page): Promise<void> {
  await page.getByTestId('menu-certificates').click()
  await page.getByTestId('register-form').waitFor()
}

async function searchFor(page: Page, fields: { number?: string; idNumber?: string; name?: string }): Promise<void> {
  await page.getByTestId('register-reset').click()
  await page.getByTestId('certificates-search').fill(fields.number ?? '')
  await page.getByTestId('register-id-number').fill(fields.idNumber ?? '')
  await page.getByTestId('register-name').fill(fields.name ?? '')
  await page.getByTestId('register-search').click()
}

async function reportPdf(): Promise<Buffer> {
  const document = await PDFDocument.create()
  document.addPage([300, 200])
  return Buffer.from(await document.save())
}

describe('the certificate register through the web host', () => {
  const app = withHostAndBrowser({ demo: true })

  it('finds a certificate by number and by ID number with name, and shows its versions, history and PDF', async () => {
    const { page, errors } = await openSignedIn(app.browser, app.host.url, 'clerk')
    await openRegister(page)
    // The first page lists the demo's certificates, newest first.
    await expect.poll(() => shownNumbers(page)).toEqual(['2025JSKS00001', '2025PDGC00001', NURSE.number])

    await searchFor(page, { number: NURSE.number.toLowerCase() })
    await expect.poll(() => shownNumbers(page)).toEqual([NURSE.number])
    await searchFor(page, { idNumber: CONSTRUCTOR.idNumber, name: CONSTRUCTOR.name })
    await expect.poll(() => shownNumbers(page)).toEqual([CONSTRUCTOR.number])
    await searchFor(page, { idNumber: CONSTRUCTOR.idNumber, name: '李四' })
    await expect.poll(() => shownNumbers(page)).toEqual([])
    expect(await page.getByTestId('register-next').isDisabled()).toBe(true)

    await searchFor(page, { number: NURSE.number })
    await expect.poll(() => shownNumbers(page)).toEqual([NURSE.number])
    await page.getByTestId(`certificate-detail-${NURSE.number}`).click()
    const detail = page.getByTestId('certificate-detail')
    await expect.poll(() => detail.getByTestId('detail-overview').textContent()).toContain(NURSE.idNumber)
    expect(await detail.getByTestId('detail-fields').textContent()).toContain('副主任护师')

    await detail.getByTestId('detail-tab-versions').click()
    expect(await detail.getByTestId('version-status-1').getAttribute('data-status')).toBe('active')
    expect(await detail.getByTestId('version-row-1').textContent()).toContain('尚未签章')
    await detail.getByTestId('detail-tab-history').click()
    await expect
      .poll(() => detail.getByTestId('history-entry').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-action'))))
      .toEqual(['certificate.create'])

    // Save version 1 straight from the list, then open it: the same PDF the contract returns.
    await detail.getByTestId('detail-tab-versions').click()
    const download = page.waitForEvent('download')
    await detail.getByTestId('version-save-1').click()
    const saved = await download
    expect(saved.suggestedFilename()).toBe(`${NURSE.number}-v1.pdf`)
    expect(
      readFileSync(await saved.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-')
    await detail.getByTestId('version-open-1').click()
    await expect.poll(() => page.getByTestId('certificate-preview').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
    expect(await page.getByTestId('certificate-preview-dialog').textContent()).toContain(`${NURSE.number} v1`)
    expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
    await page.context().close()
  })

  it('a clerk records an integrity finding with its evidence; the register and another desk see it', async () => {
    const { page, errors } = await openSignedIn(app.browser, app.host.url, 'clerk')
    await openRegister(page)
    await searchFor(page, { number: NURSE.number })
    await page.getByTestId(`certificate-detail-${NURSE.number}`).click()
    const detail = page.getByTestId('certificate-detail')
    await detail.getByTestId('detail-tab-integrity').click()
    await detail.getByTestId('integrity-record-open').click()

    const dialog = page.getByTestId('integrity-dialog')
    await dialog.getByTestId('integrity-kind-lending').click()
    expect(await dialog.getByTestId('integrity-number').inputValue()).toBe(NURSE.number)
    // Without evidence the form says so and nothing is sent.
    await dialog.getByTestId('integrity-description').fill('经查证，持证人将证书挂靠于外单位。')
    await dialog.getByTestId('integrity-submit').click()
    await expect.poll(() => dialog.locator('.el-form-item__error').allTextContents()).toContain('请选择证明材料')
    await dialog
      .getByTestId('integrity-evidence')
      .setInputFiles({ name: '查证报告.pdf', mimeType: 'application/pdf', buffer: await reportPdf() })
    await expect.poll(() => dialog.getByTestId('integrity-evidence-names').textContent()).toContain('查证报告.pdf')
    await dialog.getByTestId('integrity-submit').click()
    // Irreversible: asked first.
    await page.locator('.integrity-confirm').click()
    await dialog.waitFor({ state: 'hidden' })

    await expect.poll(() => detail.getByTestId('integrity-entry').count()).toBe(1)
    expect(await detail.getByTestId('integrity-entry').getAttribute('data-kind')).toBe('lending')
    expect(await detail.getByTestId('integrity-entry').textContent()).toContain('查证报告.pdf')
    await expect.poll(() => page.getByTestId(`certificate-integrity-${NURSE.number}`).textContent()).toContain('1')
    await detail.getByTestId('detail-tab-history').click()
    await expect.poll(() => detail.getByTestId('history-entry').first().getAttribute('data-action')).toBe('integrity.record')
    expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
    await page.context().close()

    // The health department oversees the nursing board: its reviewer sees the record too.
    const reviewer = await openSignedIn(app.browser, app.host.url, 'reviewer')
    await openRegister(reviewer.page)
    await searchFor(reviewer.page, { number: NURSE.number })
    await reviewer.page.getByTestId(`certificate-detail-${NURSE.number}`).click()
    await reviewer.page.getByTestId('detail-tab-integrity').click()
    await expect.poll(() => reviewer.page.getByTestId('integrity-entry').count()).toBe(1)
    // …but not the engineering board's certificates, which the district oversees.
    await reviewer.page.locator('.el-drawer__close-btn').click()
    await reviewer.page.locator('.el-drawer').waitFor({ state: 'hidden' })
    await searchFor(reviewer.page, { number: '2025PDGC00001' })
    await expect.poll(() => shownNumbers(reviewer.page)).toEqual([])
    await reviewer.page.context().close()
  })

  it('a supervising reviewer records a finding against a person from the toolbar; the sealer may not record', async () => {
    const { page } = await openSignedIn(app.browser, app.host.url, 'reviewer')
    await openRegister(page)
    await page.getByTestId('integrity-record-person').click()
    const dialog = page.getByTestId('integrity-dialog')
    await dialog.getByTestId('integrity-kind-abuse').click()
    await dialog.getByTestId('integrity-id-number').fill(CONSTRUCTOR.idNumber)
    await dialog.getByTestId('integrity-name').fill(CONSTRUCTOR.name)
    await dialog.getByTestId('integrity-description').fill('滥用证书承揽业务，经查属实。')
    await dialog
      .getByTestId('integrity-evidence')
      .setInputFiles({ name: '处理决定.pdf', mimeType: 'application/pdf', buffer: await reportPdf() })
    await dialog.getByTestId('integrity-submit').click()
    await page.locator('.integrity-confirm').click()
    await dialog.waitFor({ state: 'hidden' })
    const listed = await page.evaluate((idNumber) => window.api.integrity.list({ idNumber }), CONSTRUCTOR.idNumber)
    expect(listed).toMatchObject({ ok: true, value: [{ kind: 'abuse', subject: 'person', subjectName: CONSTRUCTOR.name }] })
    await page.context().close()

    const sealer = await openSignedIn(app.browser, app.host.url, 'sealer')
    await openRegister(sealer.page)
    expect(await sealer.page.getByTestId('integrity-record-person').count()).toBe(0)
    await sealer.page.context().close()
  })
})
