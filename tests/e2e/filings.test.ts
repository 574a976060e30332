import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../db/seeds/demo'
import { openCore } from '../../electron/core/app'
import { approvedTitleBatch, documentPdf } from '../helpers/revocation-fixtures'
import { DEMO_PASSWORD, launchBrowser, openSignedIn, startHost, type RunningHost } from './browser'

const DAY = 24 * 60 * 60 * 1000

/** Fills the filing dialog up to its scans; the caller decides the rest and submits. */
async function fillFiling(page: Page, paperCount: number, listScan: Buffer): Promise<void> {
  const dialog = page.getByTestId('filing-dialog')
  await dialog.getByTestId('filing-received-on').fill('2026-11-25')
  const spinner = dialog.getByTestId('filing-paper-count')
  const count = (await spinner.evaluate((node) => node.tagName)) === 'INPUT' ? spinner : spinner.locator('input')
  await count.fill(String(paperCount))
  await count.press('Tab')
  await dialog.getByTestId('filing-list-scan').setInputFiles({ name: 'list.pdf', mimeType: 'application/pdf', buffer: listScan })
}

async function save(page: Page): Promise<void> {
  await page.getByTestId('filing-dialog').getByTestId('filing-submit').click()
  await expect.poll(() => page.locator('.el-message-box').textContent()).toContain('备案记录保存后不能修改')
  await page.locator('.filing-save-confirm').click()
  await page.getByTestId('filing-dialog').waitFor({ state: 'hidden' })
}

describe('filing (备案) through the web host', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-filings-e2e-'))
  let host: RunningHost
  let browser: Browser
  let fresh: number
  let old: number

  beforeAll(async () => {
    const core = await openCore({ dataDir })
    await seedDemo(core, () => DEMO_PASSWORD)
    fresh = (await approvedTitleBatch(core, { count: 3, from: 800 })).batchId
    old = (await approvedTitleBatch(core, { count: 1, from: 810 })).batchId
    // Approved twenty days ago: past the default reminder of 15 days.
    await core
      .db('application_batches')
      .where({ id: old })
      .update({ decided_at: new Date(Date.now() - 20 * DAY).toISOString() })
    await core.close()
    host = await startHost({ demo: false, dataDir })
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(
    'lists the unfiled batches with their age, records a filing with a discrepancy and an offline review',
    { timeout: 180_000 },
    async () => {
      const { page, errors } = await openSignedIn(browser, host.url, 'clerk')
      await expect.poll(() => page.getByTestId('dashboard-count-filing-overdue').textContent()).toBe('1')
      await page.getByTestId('menu-filings').click()
      await page.getByTestId('filings-page').waitFor()
      await expect.poll(() => page.getByTestId(`unfiled-age-${old}`).getAttribute('data-overdue')).toBe('true')
      expect(await page.getByTestId(`unfiled-age-${old}`).textContent()).toContain('20 天')
      expect(await page.getByTestId(`unfiled-age-${fresh}`).getAttribute('data-overdue')).toBe('false')
      expect(await page.getByTestId('filings-reminder').textContent()).toContain('15 天')
      await page.getByTestId('filings-overdue-only').click()
      await expect.poll(() => page.getByTestId(`unfiled-age-${fresh}`).count()).toBe(0)
      expect(await page.getByTestId(`unfiled-age-${old}`).count()).toBe(1)
      await page.getByTestId('filings-overdue-only').click()
      await page.getByTestId(`unfiled-age-${fresh}`).waitFor()

      // Two on paper against three numbered: the note is required before the filing can be saved.
      const listScan = await documentPdf('e2e paper list')
      await page.getByTestId(`filing-record-${fresh}`).click()
      const dialog = page.getByTestId('filing-dialog')
      expect(await dialog.getByTestId('filing-electronic-count').textContent()).toBe('3')
      await fillFiling(page, 2, listScan)
      await expect.poll(() => dialog.textContent()).toContain('纸质 2 人，电子 3 人，数量不一致')
      expect(await dialog.getByTestId('filing-submit').isDisabled()).toBe(true)
      await dialog.getByTestId('filing-discrepancy').fill('名单漏列一人，已要求评审机构补正')
      await save(page)
      await expect.poll(() => page.getByTestId(`unfiled-age-${fresh}`).count()).toBe(0)

      // The old batch was entered by the institute: an offline review, with the bureau's consent.
      await page.getByTestId(`filing-record-${old}`).click()
      await fillFiling(page, 1, await documentPdf('e2e old list'))
      await dialog.getByTestId('filing-offline').click()
      expect(await dialog.getByTestId('filing-submit').isDisabled()).toBe(true)
      await dialog.getByTestId('filing-consent-reference').fill('沪人社专函〔2026〕5号')
      await dialog
        .getByTestId('filing-consent-document')
        .setInputFiles({ name: 'consent.pdf', mimeType: 'application/pdf', buffer: await documentPdf('e2e consent') })
      await save(page)

      await page.getByTestId('filing-tab-filed').click()
      await expect.poll(() => page.getByTestId(`filed-counts-${fresh}`).textContent()).toBe('2 / 3')
      expect(await page.getByTestId('filed-table').textContent()).toContain('沪人社专函〔2026〕5号')
      const download = page.waitForEvent('download')
      await page.getByTestId(`filed-document-${fresh}-list`).click()
      expect(readFileSync(await (await download).path()).equals(listScan)).toBe(true)
      expect(await page.getByTestId(`filed-document-${old}-consent`).count()).toBe(1)

      // Filed once: core refuses a second filing of the same batch, whatever the page shows.
      const again = await page.evaluate(
        (batchId) => window.api.filings.record({ batchId, receivedOn: '2026-11-26', paperCount: 3, listScan: 'a'.repeat(32) }),
        fresh,
      )
      expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
      expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
      await page.context().close()
    },
  )
})
