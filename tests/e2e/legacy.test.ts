import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../db/seeds/demo'
import { openCore } from '../../electron/core/app'
import { addUser } from '../helpers/batches'
import { legacyHeaders, rowsOf, titleRecord, writeLegacyWorkbook } from '../helpers/legacy'
import { DEMO_PASSWORD, launchBrowser, login, openApp, screenshot, startHost, type RunningHost } from './browser'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const WSHL = '上海市卫生系列护理专业高级职称评审委员会'
const SECOND_CLERK_PASSWORD = 'Recheck-pass-2026'
// The host runs on the system clock: the first query slip of this year.
const SLIP = `CX${new Date().getFullYear()}000001`

const scratch = mkdtempSync(join(tmpdir(), 'certdesk-legacy-e2e-'))
const dataDir = join(scratch, 'data')
let host: RunningHost
let browser: Browser

// The demo plus a second clerk of the institute: the re-check is never by the one who issued.
beforeAll(async () => {
  const core = await openCore({ dataDir })
  await seedDemo(core, () => DEMO_PASSWORD)
  await addUser(core, {
    username: 'clerk2',
    displayName: '考试院复核员',
    organisation: '上海市职业能力考试院',
    roles: ['clerk'],
    password: SECOND_CLERK_PASSWORD,
  })
  await core.close()
  host = await startHost({ demo: false, dataDir })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

async function workbook(name: string, records: ReturnType<typeof titleRecord>[]): Promise<Buffer> {
  const path = join(scratch, name)
  await writeLegacyWorkbook(path, legacyHeaders('title'), rowsOf('title', records))
  return readFileSync(path)
}

async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await login(page, username, password)
  await page.getByTestId('dashboard').waitFor()
  await page.getByTestId('menu-legacy').click()
  await page.getByTestId('legacy-page').waitFor()
}

async function importWorkbook(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.getByTestId('legacy-import-workbook').setInputFiles({ name, mimeType: XLSX, buffer: bytes })
  await page.getByTestId('legacy-import-submit').click()
}

describe('legacy records and query slips through the web host', () => {
  it(
    'a clerk imports (refused whole, then accepted), issues a senior slip; another clerk re-checks it; then it prints',
    { timeout: 240_000 },
    async () => {
      const { page, errors } = await openApp(browser, host.url)
      await signIn(page, 'clerk')

      // A workbook with one record from before 2010 is refused whole, naming the row and column.
      await page.getByTestId('legacy-import-open').click()
      await page.getByTestId('legacy-import-dialog').waitFor()
      await page.getByTestId('legacy-import-kind-title').click()
      await page.getByTestId('legacy-import-organisation').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: WSHL }).click()
      await importWorkbook(page, 'bad.xlsx', await workbook('bad.xlsx', [titleRecord(0), titleRecord(1, { obtainedOn: '2008-05-01' })]))
      await expect
        .poll(() => page.getByTestId('legacy-import-messages').textContent(), { timeout: 30_000 })
        .toMatch(/第 3 行「取得职称时间」：2008-05-01 早于 2010-01-01/)
      await screenshot(page, 'legacy-import-refused.png')
      const errorWorkbook = page.waitForEvent('download')
      await page.getByTestId('legacy-import-error-workbook').click()
      expect((await errorWorkbook).suggestedFilename()).toMatch(/错误说明\.xlsx$/)

      await importWorkbook(page, 'good.xlsx', await workbook('good.xlsx', [titleRecord(0), titleRecord(1)]))
      await expect
        .poll(() => page.locator('.el-message--success').first().textContent(), { timeout: 30_000 })
        .toContain('已导入 2 条历史记录')
      await page.getByTestId('legacy-record-HL20150001').waitFor()

      // Issue the senior slip: it waits for the institute's re-check and cannot be printed.
      await page.getByTestId('legacy-record-HL20150001').click()
      await page.getByTestId('legacy-record').waitFor()
      await page.getByTestId('legacy-issue-open').click()
      await page.getByTestId('legacy-issue-senior').waitFor()
      await page.getByTestId('legacy-issue-reason').fill('原纸质证书遗失，办理聘任需要')
      await page.getByTestId('legacy-issue-confirm').click()
      const state = page.getByTestId(`legacy-slip-state-${SLIP}`)
      await expect.poll(() => state.getAttribute('data-state'), { timeout: 30_000 }).toBe('pending_recheck')
      expect(await page.getByTestId('legacy-issue-open').isDisabled()).toBe(true)
      await page.getByTestId(`legacy-slip-open-${SLIP}`).click()
      await expect.poll(() => page.getByTestId('legacy-slip-body').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
      expect(await page.getByTestId('legacy-slip-body').getAttribute('data-final')).toBe('false')
      await page.getByTestId('legacy-slip-preview-hint').waitFor()
      await screenshot(page, 'legacy-slip-pending.png')
      expect(await page.getByTestId('legacy-slip-save').isDisabled()).toBe(true)
      expect(await page.getByTestId('legacy-slip-print').isDisabled()).toBe(true)
      // Close the slip, then the record.
      await page.keyboard.press('Escape')
      await page.getByTestId('legacy-slip-dialog').waitFor({ state: 'hidden' })
      await page.keyboard.press('Escape')
      await page.getByTestId('legacy-record-drawer').waitFor({ state: 'hidden' })
      await page.getByTestId('logout-button').click()
      await page.locator('.logout-confirm').click()
      await page.getByTestId('login-submit').waitFor()

      // The second clerk re-checks it from the queue, after a confirmation.
      await signIn(page, 'clerk2', SECOND_CLERK_PASSWORD)
      await page.getByTestId('legacy-tab-recheck').click()
      await page.getByTestId(`legacy-slip-recheck-${SLIP}`).click()
      await expect.poll(() => page.getByTestId('legacy-recheck-preview').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
      await screenshot(page, 'legacy-recheck.png')
      await page.getByTestId('legacy-recheck-confirm').click()
      await page.locator('.legacy-recheck-confirm-ok').click()
      // The sign-out toast may still be showing: look for this one among them.
      await page.locator('.el-message--success', { hasText: '已复核' }).first().waitFor()

      await page.getByTestId('legacy-tab-slips').click()
      await expect.poll(() => page.getByTestId(`legacy-slip-state-${SLIP}`).getAttribute('data-state')).toBe('issued')
      await page.getByTestId(`legacy-slip-open-${SLIP}`).click()
      await expect.poll(() => page.getByTestId('legacy-slip-body').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
      expect(await page.getByTestId('legacy-slip-body').getAttribute('data-final')).toBe('true')
      expect(await page.getByTestId('legacy-slip-print').isDisabled()).toBe(false)
      const saved = page.waitForEvent('download')
      await page.getByTestId('legacy-slip-save').click()
      expect((await saved).suggestedFilename()).toBe(`${SLIP}-query-slip.pdf`)
      await page.keyboard.press('Escape')

      // Its number leads to its record.
      await page.getByTestId('legacy-tab-lookup').click()
      await page.getByTestId('legacy-lookup-number').fill(SLIP.toLowerCase())
      await page.getByTestId('legacy-lookup-submit').click()
      await expect.poll(() => page.getByTestId('legacy-lookup-state').getAttribute('data-state')).toBe('issued')
      await screenshot(page, 'legacy-lookup.png')
      expect(await page.getByTestId('legacy-lookup-result').textContent()).toContain('HL20150001')
      expect(errors.filter((error) => /Content Security Policy|CSP violation|Refused/.test(error))).toEqual([])
      await page.context().close()
    },
  )
})
