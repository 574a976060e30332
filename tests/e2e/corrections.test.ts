import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { photoFor } from '../fixtures/applications/generate'
import { proofPdf, writeCorrectionTable, type TableRow } from '../fixtures/corrections/tables'
import { buildZip } from '../fixtures/photos/zip'
import { login, MENUS, menuKeys, openApp, screenshot, withHostAndBrowser } from './fixtures'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** The demo's senior nurse of the WSHL board, under the health commission. */
const HOLDER = { number: '2025WSHL00001', name: '王丽华', idNumber: '310101198503120022' }
const SPECIAL_REASON = '原照片为他人照片，经公安部门核实后更换'

const scratch = mkdtempSync(join(tmpdir(), 'certdesk-corrections-e2e-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

async function table(name: string, rows: TableRow[]): Promise<Buffer> {
  return readFileSync(await writeCorrectionTable(join(scratch, name), rows))
}

async function signIn(page: Page, username: string): Promise<void> {
  await login(page, username)
  await page.getByTestId('dashboard').waitFor()
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('logout-button').click()
  await page.locator('.logout-confirm').click()
  await page.getByTestId('login-submit').waitFor()
}

/** Opens a request from its queue tab and waits for its page. */
async function openFromQueue(page: Page, requestId: number, queue: string): Promise<void> {
  await page.getByTestId('menu-corrections').click()
  await page.getByTestId('corrections-page').waitFor()
  await expect.poll(() => page.locator('.el-tabs__item.is-active').getAttribute('id')).toBe(`tab-${queue}`)
  await page.getByTestId(`correction-row-${requestId}`).click()
  await page.waitForSelector(`[data-correction-ready="${requestId}"]`)
}

describe('a correction through the web host: the department submits, the bureau approves, the institute applies', () => {
  const app = withHostAndBrowser({ demo: true })

  it('refuses a bad table whole with its error list, then takes the corrected one through to a new pending version', async () => {
    const { page, errors } = await openApp(app.browser, app.host.url)
    await signIn(page, 'reviewer')
    expect(await menuKeys(page)).toEqual(MENUS.reviewer)
    await page.getByTestId('menu-corrections').click()
    await page.getByTestId('corrections-page').waitFor()
    const template = page.waitForEvent('download')
    await page.getByTestId('corrections-template').click()
    expect((await template).suggestedFilename()).toBe('证书信息勘误汇总表模板.xlsx')

    // A table with a wrong 原内容 and a correction of the number itself: refused whole, nothing stored.
    await page.getByTestId('corrections-import-open').click()
    await page.getByTestId('correction-import-dialog').waitFor()
    const bad = await table('bad.xlsx', [
      { ...HOLDER, item: '工作单位', oldValue: '上海市第二人民医院', newValue: '上海市第六人民医院', reason: '单位名称录入错误' },
      { ...HOLDER, item: '证书编号', oldValue: HOLDER.number, newValue: '2025WSHL00009', reason: '编号错误' },
    ])
    await page.getByTestId('correction-table').setInputFiles({ name: '勘误汇总表.xlsx', mimeType: XLSX, buffer: bad })
    await page.getByTestId('correction-import-submit').click()
    await page.getByTestId('correction-refusal').waitFor({ timeout: 30_000 })
    const messages = await page.getByTestId('correction-refusal-message').allTextContents()
    expect(messages).toEqual([
      `第 2 行「原内容」：与证书 ${HOLDER.number} 现有的工作单位不一致（证书现为「上海市第一人民医院」），请照证书现有内容填写`,
      '第 3 行「勘误项目」：证书编号不能勘误：编号一经制证永不改变，勘误后的证书沿用原编号',
    ])
    await screenshot(page, 'corrections-refused.png')
    const errorList = page.waitForEvent('download')
    await page.getByTestId('correction-error-workbook').click()
    expect((await errorList).suggestedFilename()).toBe('勘误汇总表-错误清单.xlsx')
    expect(await page.evaluate(() => window.api.corrections.list({ queue: 'all' }))).toMatchObject({ ok: true, value: [] })

    // The corrected table: the employer, and a new photo with its special reason, proofs in a ZIP.
    const good = await table('good.xlsx', [
      {
        ...HOLDER,
        item: '工作单位',
        oldValue: '上海市第一人民医院',
        newValue: '上海市第六人民医院',
        reason: '单位名称录入错误',
        proofs: '单位证明.pdf',
      },
      { ...HOLDER, item: '照片', reason: SPECIAL_REASON, proofs: '新照片.jpg' },
    ])
    const proofs = buildZip([
      { name: '单位证明.pdf', data: proofPdf('employer') },
      { name: '新照片.jpg', data: photoFor('e2e'), method: 0 },
    ])
    await page.getByTestId('correction-table').setInputFiles({ name: '勘误汇总表.xlsx', mimeType: XLSX, buffer: good })
    await page
      .getByTestId('correction-explanation')
      .setInputFiles({ name: '情况说明.pdf', mimeType: 'application/pdf', buffer: proofPdf('explanation') })
    await page.getByTestId('correction-proofs-zip').setInputFiles({ name: 'proofs.zip', mimeType: 'application/zip', buffer: proofs })
    await page.getByTestId('correction-import-submit').click()
    await page.waitForURL(/#\/corrections\/\d+$/, { timeout: 30_000 })
    const requestId = Number(/corrections\/(\d+)$/.exec(page.url())![1])
    await page.waitForSelector(`[data-correction-ready="${requestId}"]`)
    expect(await page.getByTestId('correction-state').textContent()).toBe('待市人社局审核')
    // The department cannot decide its own request; it is told who does.
    expect(await page.getByTestId('correction-submit-decision').count()).toBe(0)
    expect(await page.getByTestId('correction-refusal-note').textContent()).toContain('须由市人社局的审核员审核')
    await signOut(page)

    // The bureau's reviewer sees old beside new, approves row by row, consenting to the photo.
    await signIn(page, 'bureau-reviewer')
    await openFromQueue(page, requestId, 'to_review')
    expect(await page.getByTestId('correction-values-2').textContent()).toMatch(/上海市第一人民医院\s*→\s*上海市第六人民医院/)
    const photoRow = await rowIdOf(page, 3)
    await expect.poll(() => page.getByTestId(`correction-photo-new-${photoRow}`).getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    await page.getByTestId('correction-approve-all').click()
    await expect.poll(() => page.getByTestId('correction-problem').textContent()).toBe('第 3 行更换照片：须勾选“同意更换照片”后才能通过')
    await screenshot(page, 'corrections-review.png')
    await page.getByTestId('correction-consent-3').click()
    await page.getByTestId('correction-problem').waitFor({ state: 'detached' })
    await page.getByTestId('correction-submit-decision').click()
    await page.locator('.decision-confirm').click()
    await expect.poll(() => page.getByTestId('correction-state').textContent()).toBe('待考试院更正')
    expect(await page.getByTestId('correction-decided-3').getAttribute('data-decision')).toBe('approved')
    await signOut(page)

    // The institute's clerk applies it, after a confirmation: version 2 of the certificate, waiting for its seal.
    await signIn(page, 'clerk')
    expect(await menuKeys(page)).toEqual(MENUS.clerk)
    await openFromQueue(page, requestId, 'to_apply')
    await page.getByTestId('correction-apply').click()
    await page.locator('.apply-confirm').click()
    await expect.poll(() => page.getByTestId('correction-state').textContent()).toBe('已更正')
    expect(await page.getByTestId('correction-version-2').textContent()).toBe('第 2 版（待签章）')
    await screenshot(page, 'corrections-applied.png')
    const preview = await page.evaluate((number) => window.api.certificates.preview({ number, version: 2 }), HOLDER.number)
    expect(preview).toMatchObject({ ok: true, value: { sealed: false, fileName: `${HOLDER.number}-v2.pdf` } })
    const current = await page.evaluate((number) => window.api.certificates.preview({ number }), HOLDER.number)
    expect(current).toMatchObject({ ok: true, value: { fileName: `${HOLDER.number}-v1.pdf` } })
    expect(errors.filter((error) => /Content Security Policy|CSP violation|Refused/.test(error))).toEqual([])
    await page.context().close()
  })
})

/** The id of the request row at table row `rowNumber`, read through the contract as the page did. */
async function rowIdOf(page: Page, rowNumber: number): Promise<number> {
  const id = Number(/corrections\/(\d+)$/.exec(page.url())![1])
  const detail = await page.evaluate((requestId) => window.api.corrections.get({ id: requestId }), id)
  if (!detail.ok) throw new Error(detail.error.message)
  return detail.value.rows.find((row) => row.rowNumber === rowNumber)!.id
}
