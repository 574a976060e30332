import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import type { BatchDetail } from '../../electron/contract/applications'
import type { Family } from '../../electron/contract/roles'
import { buildZip } from '../fixtures/photos/zip'
import { people, photoFor, writeApplicationWorkbook, writePhotoFolder } from '../fixtures/applications/generate'
import { login, openApp, withHostAndBrowser } from './fixtures'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const CHINESE = /[\u4e00-\u9fff]/

async function noticePdf(title: string): Promise<Buffer> {
  const pdf = await PDFDocument.create()
  const page = pdf.addPage([595, 842])
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  page.drawText(title, { x: 72, y: 760, size: 18, font })
  page.drawText('Formal result notice (test fixture)', { x: 72, y: 730, size: 12, font })
  return Buffer.from(await pdf.save())
}

interface Files {
  workbook: Buffer
  photos: Buffer
  /** The same photos as a folder on disk, for the folder picker. */
  photoFolder: string
  notice: Buffer
  /** The name of the row with a wrong check character, if any. */
  badName?: string
}

const scratch = mkdtempSync(join(tmpdir(), 'certdesk-applications-e2e-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A workbook in the unified format with the photos of its people, and a notice PDF. */
async function buildFiles(family: Family, from: number, count: number, breakLast: boolean): Promise<Files> {
  const persons = people(family, from + count).slice(from)
  const ids = persons.map((person) => person.idNumber)
  let badName: string | undefined
  if (breakLast) {
    // The same person with a wrong check character: 出生年月 and 性别 still agree with the number.
    const last = ids.length - 1
    const wrong = ids[last].slice(0, 17) + (ids[last][17] === '0' ? '1' : '0')
    const idColumn = persons[last].row.indexOf(ids[last])
    persons[last].row[idColumn] = wrong
    ids[last] = wrong
    badName = persons[last].row[0]
  }
  const path = join(scratch, `${family}-${from}.xlsx`)
  await writeApplicationWorkbook(
    path,
    family,
    persons.map((person) => person.row),
  )
  const photoFolder = join(scratch, `${family}-${from}-photos`)
  await writePhotoFolder(photoFolder, ids)
  return {
    photoFolder,
    workbook: readFileSync(path),
    photos: buildZip(ids.map((id) => ({ name: `${id}.jpg`, data: photoFor(id), method: 0 }))),
    notice: await noticePdf(`${family} notice`),
    badName,
  }
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

/** Opens the import dialog and fills it for the organisation with `code`. */
async function fillImport(page: Page, family: Family, code: string, files: Files, photos: 'zip' | 'folder' = 'zip'): Promise<void> {
  await page.getByTestId('menu-applications').click()
  await page.getByTestId('applications-page').waitFor()
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-dialog').waitFor()
  await page.getByTestId(`import-family-${family}`).click()
  await page.getByTestId('import-organisation').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: code }).click()
  await page.getByTestId('import-workbook').setInputFiles({ name: `${family}.xlsx`, mimeType: XLSX, buffer: files.workbook })
  if (photos === 'zip') {
    await page.getByTestId('import-photos-zip').setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: files.photos })
  } else {
    await page.getByTestId('import-photos-folder').setInputFiles(files.photoFolder)
    await expect.poll(() => page.getByTestId('import-photos-folder-name').textContent()).toMatch(/\d+ 个文件|\.jpg$/)
  }
  await page.getByTestId('import-notice').setInputFiles({ name: 'notice.pdf', mimeType: 'application/pdf', buffer: files.notice })
}

/** Submits the filled dialog and waits for the new batch's page; returns the batch id. */
async function submitImport(page: Page): Promise<number> {
  await page.getByTestId('import-submit').click()
  await page.waitForURL(/#\/applications\/\d+$/, { timeout: 30_000 })
  const id = Number(/applications\/(\d+)$/.exec(page.url())![1])
  await page.waitForSelector(`body[data-batch-ready="${id}"]`)
  return id
}

async function openFromQueue(page: Page, batchId: number, queue: string): Promise<void> {
  await page.getByTestId('menu-applications').click()
  await page.getByTestId('applications-page').waitFor()
  await expect.poll(() => page.locator('.el-tabs__item.is-active').getAttribute('id')).toBe(`tab-${queue}`)
  await page.getByTestId(`batch-row-${batchId}`).click()
  await page.waitForSelector(`body[data-batch-ready="${batchId}"]`)
}

async function approveAndConfirm(page: Page): Promise<void> {
  const approve = page.getByTestId('batch-approve')
  if (await approve.isDisabled()) {
    const blockers = await page.getByTestId('approve-blockers').textContent()
    throw new Error(`approval is blocked: ${blockers}`)
  }
  await approve.click()
  await expect.poll(() => page.locator('.el-message-box__message').textContent()).toMatch(CHINESE)
  await page.locator('.approve-confirm').click()
}

async function chooseOption(page: Page, select: string, option: string): Promise<void> {
  await page.getByTestId(select).click()
  await page.getByTestId(option).click()
}

async function batchOf(page: Page, batchId: number): Promise<BatchDetail> {
  const result = await page.evaluate((id) => window.api.applications.get({ id }), batchId)
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

describe('production applications: import, check, review and approve through the web host', () => {
  const app = withHostAndBrowser({ demo: true })

  it(
    'title: the clerk imports with one bad row; the health reviewer reads the notice, excludes that row and approves',
    { timeout: 240_000 },
    async () => {
      const files = await buildFiles('title', 0, 3, true)
      const { page, errors } = await openApp(app.browser, app.host.url)
      await signIn(page, 'clerk')
      await page.getByTestId('menu-applications').click()
      await page.getByTestId('applications-page').waitFor()
      await expect.poll(() => page.locator('.el-tabs__item.is-active').getAttribute('id')).toBe('tab-all')

      // A file that is not a workbook is refused with core's message; the dialog stays for another try.
      await fillImport(page, 'title', 'WSHL', files)
      await page
        .getByTestId('import-workbook')
        .setInputFiles({ name: 'broken.xlsx', mimeType: XLSX, buffer: Buffer.from('not a workbook') })
      await page.getByTestId('import-submit').click()
      await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 30_000 }).toMatch(CHINESE)
      expect(await page.getByTestId('import-dialog').isVisible()).toBe(true)

      await page.getByTestId('import-workbook').setInputFiles({ name: 'title.xlsx', mimeType: XLSX, buffer: files.workbook })
      const batchId = await submitImport(page)
      await expect.poll(() => page.locator('.el-message--success').first().textContent()).toMatch(/已导入 3 人：错误 1 条，警告 0 条/)
      expect(await page.getByTestId('batch-state').textContent()).toContain('待审核')
      expect(await page.locator('[data-testid^="applicant-row-"]').count()).toBe(3)

      // The error list is offered as soon as there are errors.
      const errorList = page.waitForEvent('download')
      await page.getByTestId('batch-error-workbook').click()
      expect((await errorList).suggestedFilename()).toMatch(/\.xlsx$/)

      // 有错误 shows exactly the bad row.
      await chooseOption(page, 'applicant-filter-issue', 'applicant-filter-issue-errors')
      await page.waitForSelector('body[data-filter-count="1"]')
      const shown = page.locator('[data-testid^="applicant-row-"]')
      await expect.poll(() => shown.count()).toBe(1)
      expect(await shown.first().textContent()).toContain(files.badName)
      const badRow = Number((await shown.first().getAttribute('data-testid'))!.replace('applicant-row-', ''))

      // Its details: the issue in full, and the photo loaded on demand.
      await shown.first().click()
      await expect.poll(() => page.getByTestId('applicant-issues').textContent()).toMatch(/校验/)
      await expect.poll(() => page.getByTestId('applicant-photo').getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)

      // ↑/↓ and Enter walk the whole list.
      await chooseOption(page, 'applicant-filter-issue', 'applicant-filter-issue-all')
      await page.waitForSelector('body[data-filter-count="3"]')
      const rows = await page
        .locator('[data-testid^="applicant-row-"]')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')!))
      await page.getByTestId(rows[0]).click()
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Enter')
      await expect.poll(() => page.getByTestId('applicant-panel').getAttribute('data-row')).toBe(rows[1].replace('applicant-row-', ''))

      // The clerk is not the supervising department: no decisions (approve, return, exclude), and the reason is shown.
      expect(await page.getByTestId('batch-approve').isDisabled()).toBe(true)
      expect(await page.getByTestId('batch-return').isDisabled()).toBe(true)
      expect(await page.getByTestId('exclude-selected').count()).toBe(0)
      await expect.poll(() => page.getByTestId('approve-blockers').textContent()).toMatch(CHINESE)
      await signOut(page)

      // The health commission's reviewer finds it in 待我审核 and reads the notice.
      await signIn(page, 'reviewer')
      await openFromQueue(page, batchId, 'to_review')
      await page.getByTestId('batch-notice').click()
      await expect.poll(() => page.getByTestId('notice-preview').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
      expect(await page.getByTestId('notice-page').count()).toBe(1)
      await page.keyboard.press('Escape')
      await page.getByTestId('notice-dialog').waitFor({ state: 'hidden' })

      // A row with an error blocks approval until it is excluded, with a reason.
      expect(await page.getByTestId('batch-approve').isDisabled()).toBe(true)
      await chooseOption(page, 'applicant-filter-issue', 'applicant-filter-issue-errors')
      await page.waitForSelector('body[data-filter-count="1"]')
      await page.getByTestId(`applicant-select-${badRow}`).click()
      await page.getByTestId('exclude-selected').click()
      await page.getByTestId('exclude-reason').fill('证件号码校验位有误，下批补报')
      await page.getByTestId('exclude-confirm').click()
      await page.getByTestId(`applicant-row-${badRow}`).getByTestId('applicant-excluded').waitFor()
      await expect.poll(() => page.getByTestId('batch-count').textContent()).toContain('已排除 1 人')

      await approveAndConfirm(page)
      const numbers = page.getByTestId('batch-numbers')
      await numbers.waitFor()
      expect(await numbers.getAttribute('data-first')).toMatch(/^\d{4}WSHL\d{5}$/)
      expect(await numbers.getAttribute('data-last')).toMatch(/^\d{4}WSHL\d{5}$/)
      expect(await numbers.getAttribute('data-count')).toBe('2')
      expect(await numbers.textContent()).toMatch(/^\d{4}WSHL\d{5} – \d{4}WSHL\d{5}，共 2 个$/)
      await expect.poll(() => page.getByTestId('batch-state').textContent()).toContain('已通过')
      const approved = await batchOf(page, batchId)
      expect(approved.numbers!.first.slice(0, 4)).toBe(String(approved.declarationYear))

      const list = page.waitForEvent('download')
      await page.getByTestId('batch-list-pdf').click()
      const saved = await list
      expect(saved.suggestedFilename()).toMatch(/\.pdf$/)
      expect(
        readFileSync(await saved.path())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-')

      expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
      await page.context().close()
    },
  )

  it('vocational: the exam centre’s department approves first, the bureau second, each once', { timeout: 240_000 }, async () => {
    const files = await buildFiles('vocational', 3, 2, false)
    const { page, errors } = await openApp(app.browser, app.host.url)
    await signIn(page, 'clerk')
    // Photos picked as a folder this time: many files in one upload.
    await fillImport(page, 'vocational', 'JSKS', files, 'folder')
    const batchId = await submitImport(page)
    await expect.poll(() => page.locator('.el-message--success').first().textContent()).toMatch(/已导入 2 人：错误 0 条/)
    expect(await page.getByTestId('batch-error-workbook').count()).toBe(0)
    const rows = await page.evaluate((id) => window.api.applications.applicants({ batchId: id }), batchId)
    expect(rows.ok && rows.value.length === 2 && rows.value.every((row) => row.hasPhoto)).toBe(true)
    await signOut(page)

    await signIn(page, 'construction-reviewer')
    await openFromQueue(page, batchId, 'to_review')
    await approveAndConfirm(page)
    await expect.poll(() => page.getByTestId('batch-state').textContent()).toContain('待市人社局复核')
    // Whoever gave the first approval cannot give the second.
    expect(await page.getByTestId('batch-approve').isDisabled()).toBe(true)
    await expect.poll(() => page.getByTestId('approve-blockers').textContent()).toMatch(CHINESE)
    expect(await page.getByTestId('batch-numbers').count()).toBe(0)
    await signOut(page)

    await signIn(page, 'bureau-reviewer')
    await openFromQueue(page, batchId, 'to_review')
    await approveAndConfirm(page)
    const numbers = page.getByTestId('batch-numbers')
    await numbers.waitFor()
    expect(await numbers.getAttribute('data-first')).toMatch(/^\d{4}JSKS\d{5}$/)
    expect(await numbers.getAttribute('data-count')).toBe('2')
    await expect.poll(() => page.getByTestId('batch-state').textContent()).toContain('已通过')
    await expect.poll(() => page.getByTestId('batch-reviews').textContent()).toMatch(/第 1 级.*第 2 级/s)

    expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
    await page.context().close()
  })
})
