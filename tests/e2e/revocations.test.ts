import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RevocationSummary } from '../../electron/contract/revocations'
import { documentPdf } from '../helpers/revocation-fixtures'
import { createSealingFixture, type SealingFixture } from '../helpers/sealing-fixture'
import { issuedFiles, signBatch } from '../helpers/sealing-jobs'
import { launchBrowser, openSignedIn, startHost, type RunningHost } from './browser'

const DEMO_CERTIFICATE = '2025WSHL00001'

/** Types a day into a native date input (the test id is on the input itself). */
async function pickDate(page: Page, testId: string, day: string): Promise<void> {
  await page.getByTestId(testId).fill(day)
}

async function revocations(page: Page): Promise<RevocationSummary[]> {
  const result = await page.evaluate(() => window.api.revocations.list({}))
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** The next desk signs in in a context of its own; this one is done. */
async function signOut(page: Page): Promise<void> {
  await page.context().close()
}

/** Opens 证书注销 and the detail of revocation `id`. */
async function openRevocation(page: Page, id: number): Promise<Locator> {
  await page.getByTestId('menu-revocations').click()
  await page.getByTestId(`revocation-open-${id}`).click()
  const detail = page.getByTestId('revocation-detail')
  await detail.getByTestId('revocation-detail-state').waitFor()
  return detail
}

describe('revocation (注销) through the web host: department, bureau, institute', () => {
  let fixture: SealingFixture
  let host: RunningHost
  let browser: Browser
  let sealed: { number: string; bytes: Buffer }

  beforeAll(async () => {
    // A title certificate sealed on the SoftHSM2 token: its file must verify as revoked in the end.
    fixture = await createSealingFixture()
    const batchId = await fixture.titleBatch(1, 900)
    await signBatch(fixture, batchId, fixture.seals.bureau)
    const [[number, bytes]] = [...(await issuedFiles(fixture, batchId)).entries()]
    sealed = { number, bytes: Buffer.from(bytes) }
    await fixture.core.close()
    host = await startHost({ demo: false, dataDir: join(fixture.root, 'data') })
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    await fixture?.cleanup()
  })

  it(
    'records a list with its document, is approved by the bureau, executed by the clerk; the verifier and the register say revoked',
    { timeout: 180_000 },
    async () => {
      // 1. The health department's reviewer: a list with an unknown number is refused whole, its line named.
      const reviewer = await openSignedIn(browser, host.url, 'reviewer')
      let page = reviewer.page
      await page.getByTestId('menu-revocations').click()
      await page.getByTestId('revocations-page').waitFor()
      await page.getByTestId('revocation-record-open').click()
      const dialog = page.getByTestId('revocation-record-dialog')
      await dialog.getByTestId('revocation-numbers').fill(`${sealed.number}\n2025WSHL99999\n${DEMO_CERTIFICATE}`)
      await expect.poll(() => dialog.getByTestId('revocation-numbers-count').textContent()).toContain('3')
      await dialog.getByTestId('revocation-document-number').fill('沪卫人〔2026〕88号')
      await pickDate(page, 'revocation-document-date', '2026-11-20')
      await dialog
        .getByTestId('revocation-document')
        .setInputFiles({ name: '注销决定.pdf', mimeType: 'application/pdf', buffer: await documentPdf('e2e') })
      await dialog.getByTestId('revocation-reason-violation').click()
      await dialog.getByTestId('revocation-record-submit').click()
      const problems = dialog.getByTestId('revocation-problems')
      await expect.poll(() => problems.textContent()).toContain('第 2 行')
      expect(await problems.textContent()).toContain('证书 2025WSHL99999 不存在，或不在您的管理范围内')
      expect(await dialog.getByTestId('revocation-record-error').textContent()).toContain('整份名单均未登记')
      expect(await revocations(page)).toEqual([])

      await dialog.getByTestId('revocation-numbers').fill(`${sealed.number}\n${DEMO_CERTIFICATE}`)
      await dialog.getByTestId('revocation-record-submit').click()
      const detail = page.getByTestId('revocation-detail')
      await expect.poll(() => detail.getByTestId('revocation-detail-state').textContent()).toContain('待市人社局审核')
      expect(await detail.getByTestId('revocation-certificate-number').allTextContents()).toEqual([DEMO_CERTIFICATE, sealed.number].sort())
      expect(await detail.getByTestId('revocation-refusal').textContent()).toContain('须由市人社局的审核员审核')
      expect(await detail.getByTestId('revocation-approve').count()).toBe(0)
      const [recorded] = await revocations(page)
      await signOut(page)

      // 2. The bureau's reviewer approves, after a confirmation.
      page = (await openSignedIn(browser, host.url, 'bureau-reviewer')).page
      let opened = await openRevocation(page, recorded.id)
      await opened.getByTestId('revocation-approve').click()
      await page.locator('.revocation-approve-confirm').click()
      await expect.poll(() => opened.getByTestId('revocation-detail-state').textContent()).toContain('待考试院注销')
      expect(await opened.getByTestId('revocation-execute').count()).toBe(0)
      await signOut(page)

      // 3. The institute's clerk: the confirmation says it cannot be undone; cancelling changes nothing.
      const clerk = await openSignedIn(browser, host.url, 'clerk')
      page = clerk.page
      opened = await openRevocation(page, recorded.id)
      await opened.getByTestId('revocation-execute').click()
      await expect.poll(() => page.locator('.el-message-box').textContent()).toContain('不可撤销')
      await page.locator('.revocation-execute-cancel').click()
      expect(await opened.getByTestId('revocation-detail-state').textContent()).toContain('待考试院注销')
      await opened.getByTestId('revocation-execute').click()
      await page.locator('.revocation-execute-confirm').click()
      await expect.poll(() => opened.getByTestId('revocation-detail-state').textContent()).toContain('已注销')
      for (const number of [sealed.number, DEMO_CERTIFICATE]) {
        expect(await opened.getByTestId(`revocation-certificate-status-${number}`).textContent()).toContain('已注销')
      }
      await page.keyboard.press('Escape')

      // The verifier: the sealed file's seal is intact, and the register says the certificate is revoked.
      await page.getByTestId('menu-verify').click()
      await page.getByTestId('verify-page').waitFor()
      await page
        .getByTestId('verify-drop')
        .locator('input[type="file"]')
        .setInputFiles({ name: `${sealed.number}.pdf`, mimeType: 'application/pdf', buffer: sealed.bytes })
      await expect.poll(() => page.getByTestId('verify-file').textContent(), { timeout: 30_000 }).toBe(`${sealed.number}.pdf`)
      await expect.poll(() => page.getByTestId('verify-summary').textContent(), { timeout: 30_000 }).toBe('签章有效，但该证书已注销')
      expect(await page.getByTestId('verify-registry').textContent()).toContain('已注销')
      // The seal itself is still good: the file was never touched.
      expect(await page.getByTestId('verify-signature-0').getAttribute('data-valid')).toBe('true')
      expect(await page.getByTestId('verify-result').getAttribute('data-valid')).toBe('false')

      // The register (证书查询) lists both as revoked.
      const listed = await page.evaluate((search) => window.api.certificates.list({ search, limit: 10 }), sealed.number)
      expect(listed).toMatchObject({ ok: true, value: [{ number: sealed.number, status: 'revoked' }] })
      await page.getByTestId('menu-certificates').click()
      await expect.poll(() => page.locator('.el-main').textContent(), { timeout: 30_000 }).toContain('已注销')
      expect(clerk.errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
      await page.context().close()
    },
  )

  it('the bureau rejects a revocation with a reason, which the department sees', { timeout: 120_000 }, async () => {
    let page = (await openSignedIn(browser, host.url, 'district-reviewer')).page
    await page.getByTestId('menu-revocations').click()
    await page.getByTestId('revocation-record-open').click()
    const dialog = page.getByTestId('revocation-record-dialog')
    await dialog.getByTestId('revocation-numbers').fill('2025PDGC00001')
    await dialog.getByTestId('revocation-document-number').fill('浦人社〔2026〕12号')
    await pickDate(page, 'revocation-document-date', '2026-11-21')
    await dialog
      .getByTestId('revocation-document')
      .setInputFiles({ name: 'doc.pdf', mimeType: 'application/pdf', buffer: await documentPdf('e2e reject') })
    await dialog.getByTestId('revocation-reason-other').click()
    expect(await dialog.getByTestId('revocation-record-submit').isDisabled()).toBe(true)
    await dialog.getByTestId('revocation-reason-text').fill('评审材料弄虚作假')
    await dialog.getByTestId('revocation-record-submit').click()
    await expect
      .poll(() => page.getByTestId('revocation-detail').getByTestId('revocation-detail-state').textContent())
      .toContain('待市人社局审核')
    const [recorded] = await revocations(page)
    await signOut(page)

    page = (await openSignedIn(browser, host.url, 'bureau-reviewer')).page
    const opened = await openRevocation(page, recorded.id)
    await opened.getByTestId('revocation-reject').click()
    await page.getByTestId('revocation-reject-reason').fill('举报内容经核实不属实')
    await page.getByTestId('revocation-reject-confirm').click()
    await expect.poll(() => opened.getByTestId('revocation-detail-state').textContent()).toContain('未通过')
    await signOut(page)

    page = (await openSignedIn(browser, host.url, 'district-reviewer')).page
    const mine = await openRevocation(page, recorded.id)
    expect(await mine.getByTestId('revocation-rejection-reason').textContent()).toBe('举报内容经核实不属实')
    expect(await mine.getByTestId(`revocation-certificate-status-2025PDGC00001`).textContent()).toContain('有效')
    await page.context().close()
  })
})
