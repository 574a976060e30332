import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSealingFixture, SEAL_KEYS, TOKEN_LABEL, USER_PIN, type SealingFixture } from '../helpers/sealing-fixture'
import { launchBrowser, MENUS, menuKeys, openSignedIn, screenshot, startHost, type RunningHost } from './browser'

const CHINESE = /[\u4e00-\u9fff]/
const WRONG_PIN = 'wrong-pin-0000'

/** 签章: the keys panel, the batches waiting for a seal, and recent jobs. */
class SealingDesk {
  constructor(
    readonly page: Page,
    readonly batchId: number,
    readonly sealId: number,
  ) {}

  private get key(): string {
    return `${this.batchId}-${this.sealId}`
  }

  async open(): Promise<void> {
    await this.page.getByTestId('menu-sealing').click()
    await this.page.getByTestId('sealing-page').waitFor()
  }

  remaining(): Promise<string | null> {
    return this.page.getByTestId(`sealable-remaining-${this.key}`).getAttribute('data-remaining')
  }

  signButton() {
    return this.page.getByTestId(`sealable-sign-${this.key}`)
  }

  async startDialog(): Promise<StartDialog> {
    await this.signButton().click()
    const dialog = new StartDialog(this.page)
    await dialog.root().waitFor()
    return dialog
  }
}

/** 开始签章: the token (defaulted to the only one there is), the PIN, and the outcome. */
class StartDialog {
  constructor(readonly page: Page) {}

  root() {
    return this.page.getByTestId('start-dialog')
  }

  pin() {
    return this.root().getByTestId('pin-input')
  }

  async chosenToken(): Promise<string> {
    return (await this.root().getByTestId('start-token').textContent()) ?? ''
  }

  error() {
    return this.root().getByTestId('start-error')
  }
}

/** The job page: state, progress and failures, read from data attributes. */
class JobView {
  constructor(readonly page: Page) {}

  state(): Promise<string | null> {
    return this.page.getByTestId('job-state').getAttribute('data-state')
  }

  async progress(): Promise<{ done: number; total: number; failed: number }> {
    const bar = this.page.getByTestId('job-progress')
    const [done, total, failed] = await Promise.all(['data-done', 'data-total', 'data-failed'].map((name) => bar.getAttribute(name)))
    return { done: Number(done), total: Number(total), failed: Number(failed) }
  }
}

/** 证书验证: drop a PDF, read the verdict. */
class VerifyView {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('menu-verify').click()
    await this.page.getByTestId('verify-page').waitFor()
  }

  async verify(name: string, bytes: Buffer): Promise<void> {
    const previous = await this.page
      .getByTestId('verify-file')
      .textContent()
      .catch(() => null)
    await this.page
      .getByTestId('verify-drop')
      .locator('input[type="file"]')
      .setInputFiles({ name, mimeType: 'application/pdf', buffer: bytes })
    // The new result replaces the old one: wait for it to name this file.
    await expect.poll(() => this.page.getByTestId('verify-file').textContent(), { timeout: 30_000 }).toBe(name)
    await expect.poll(() => this.page.getByTestId('verify-drop-body').getAttribute('data-state')).toBe('idle')
    expect(previous).not.toBe(name)
  }

  verdict(): Promise<string | null> {
    return this.page.getByTestId('verify-verdict').textContent()
  }

  valid(): Promise<string | null> {
    return this.page.getByTestId('verify-result').getAttribute('data-valid')
  }
}

/** Everything Pinia holds, the inputs' values and what the page keeps on this machine: where a kept PIN would show. */
async function pageMemory(page: Page): Promise<string> {
  return page.evaluate(() => {
    // Runs in the browser; the test's tsconfig has no DOM types, hence the structural types.
    type Node = { value?: string }
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown; querySelectorAll(s: string): Node[] } }).document
    const app = doc.querySelector('#app') as { __vue_app__: { config: { globalProperties: { $pinia: { state: { value: unknown } } } } } }
    const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string; getItem(k: string): string } })
      .localStorage
    const stored = Array.from({ length: storage.length }, (_, index) => storage.getItem(storage.key(index)))
    return JSON.stringify({
      pinia: app.__vue_app__.config.globalProperties.$pinia.state.value,
      inputs: Array.from(doc.querySelectorAll('input')).map((input) => input.value),
      stored,
    })
  })
}

/** The PDF a certificate preview hands over with 保存PDF. */
async function savePreview(page: Page, number: string): Promise<Buffer> {
  await page.getByTestId('menu-certificates').click()
  await page.getByTestId('certificates-search').fill(number)
  await page.getByTestId('certificates-search').press('Enter')
  await page.getByTestId(`certificate-preview-${number}`).click()
  await expect.poll(() => page.getByTestId('certificate-preview').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
  expect(await page.getByTestId('certificate-preview-sealed').getAttribute('data-sealed')).toBe('true')
  const download = page.waitForEvent('download')
  await page.getByTestId('certificate-save').click()
  const bytes = readFileSync(await (await download).path())
  await page.getByTestId('certificate-preview-dialog').getByRole('button', { name: '关闭', exact: true }).click()
  await page.getByTestId('certificate-preview').waitFor({ state: 'hidden' })
  return bytes
}

/** One byte changed inside the first content stream: covered by the signature, harmless to the PDF's structure. */
function tampered(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes)
  const at = copy.indexOf('stream\n', 0, 'latin1') + 'stream\n'.length + 16
  copy[at] ^= 0x01
  return copy
}

describe('sealing, the seal registry and verification through the web host, on a SoftHSM2 token', () => {
  let fixture: SealingFixture
  let host: RunningHost
  let browser: Browser
  let batchId: number
  let numbers: string[]
  let vocationalBatchId: number
  /** The job that signed the title batch, read from the job page's address. */
  let signedJobId: number

  beforeAll(async () => {
    fixture = await createSealingFixture()
    batchId = await fixture.titleBatch(3)
    numbers = (await fixture.core.db('certificates').where({ batch_id: batchId }).orderBy('id').pluck('number')) as string[]
    vocationalBatchId = await fixture.vocationalBatch(2)
    // The host opens the same data directory (and, through SOFTHSM2_CONF, the same token): one process at a time.
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
    'the bureau sealer: a wrong PIN signs nothing, the right PIN signs the whole batch, and the sealed file verifies (a changed copy does not)',
    { timeout: 240_000 },
    async () => {
      const { page, errors } = await openSignedIn(browser, host.url, 'sealer')
      expect(await menuKeys(page)).toEqual(MENUS.sealing)

      const desk = new SealingDesk(page, batchId, fixture.seals.bureau)
      await desk.open()
      // The key panel shows the configured module and the token on it, with its PIN state.
      await page.getByTestId(`module-${fixture.hsm.modulePath}`).waitFor()
      await expect.poll(() => page.getByTestId(`token-${fixture.serial}`).textContent()).toBe(TOKEN_LABEL)
      await expect.poll(() => desk.remaining()).toBe('3')
      expect(await page.getByTestId(`sealable-row-${batchId}-${fixture.seals.bureau}`).textContent()).toContain(`第 ${batchId} 批`)
      await screenshot(page, 'certdesk-sealing-desk.png')

      // A wrong PIN, sent with Enter: a clear message, the field emptied, and nothing signed.
      let dialog = await desk.startDialog()
      await expect.poll(() => dialog.chosenToken()).toContain(TOKEN_LABEL)
      expect(await dialog.root().getByTestId('start-timestamp').count()).toBe(0)
      await dialog.pin().fill(WRONG_PIN)
      await dialog.pin().press('Enter')
      await expect.poll(() => dialog.error().textContent(), { timeout: 30_000 }).toContain('PIN 码错误')
      expect(await dialog.pin().inputValue()).toBe('')
      await screenshot(page, 'certdesk-sealing-wrong-pin.png')
      await dialog.root().getByTestId('start-cancel').click()
      await dialog.root().waitFor({ state: 'hidden' })
      await page.getByTestId('sealing-refresh').click()
      await expect.poll(() => desk.signButton().textContent()).toContain('继续签章')
      expect(await desk.remaining()).toBe('3')
      expect(await pageMemory(page)).not.toContain(WRONG_PIN)

      // The right PIN: the job page follows the run to the end.
      dialog = await desk.startDialog()
      await dialog.pin().fill(USER_PIN)
      await dialog.root().getByTestId('start-submit').click()
      await page.waitForURL(/#\/sealing\/jobs\/\d+$/, { timeout: 30_000 })
      signedJobId = Number(/jobs\/(\d+)$/.exec(page.url())![1])
      expect(await dialog.pin().count()).toBe(0)
      const job = new JobView(page)
      await expect.poll(() => job.state(), { timeout: 120_000 }).toBe('completed')
      expect(await page.getByTestId('job-state').textContent()).toContain('已完成')
      expect(await job.progress()).toEqual({ done: 3, total: 3, failed: 0 })
      expect(await page.getByTestId('job-done').textContent()).toBe('3 / 3')
      expect(await page.getByTestId('job-cancel').count()).toBe(0)
      expect(await pageMemory(page)).not.toContain(USER_PIN)
      await screenshot(page, 'certdesk-sealing-job.png')

      // The desk no longer offers the batch, and lists the job as completed.
      await page.getByTestId('job-back').click()
      await page.getByTestId('jobs-table').waitFor()
      await expect.poll(() => desk.signButton().count()).toBe(0)
      await expect.poll(() => page.getByTestId(`job-row-state-${signedJobId}`).getAttribute('data-state')).toBe('completed')

      // 证书查询 shows the certificate sealed; its file is the one 证书验证 checks.
      const signed = await savePreview(page, numbers[0])
      const verify = new VerifyView(page)
      await verify.open()
      await verify.verify(`${numbers[0]}.pdf`, signed)
      expect(await verify.verdict()).toBe('有效')
      expect(await verify.valid()).toBe('true')
      expect(await page.getByTestId('verify-number').textContent()).toBe(numbers[0])
      expect(await page.getByTestId('verify-registry').getAttribute('data-status')).toBe('active')
      expect(await page.getByTestId('verify-registry').textContent()).toContain('现行有效')
      expect(await page.getByTestId('verify-signature-0').getAttribute('data-valid')).toBe('true')
      expect(await page.getByTestId('verify-signatures').textContent()).toContain('市人社局专业技术资格证书专用章')
      await screenshot(page, 'certdesk-verify-valid.png')

      // One byte changed: 无效, with the reason, replacing the previous result.
      await verify.verify(`${numbers[0]}-changed.pdf`, tampered(signed))
      expect(await verify.verdict()).toBe('无效')
      expect(await verify.valid()).toBe('false')
      expect(await page.getByTestId('verify-summary').textContent()).toMatch(CHINESE)
      expect(await page.getByTestId('verify-signature-0').getAttribute('data-valid')).toBe('false')
      await screenshot(page, 'certdesk-verify-invalid.png')

      expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
      await page.context().close()
    },
  )

  it('a job made but not started is cancelled only after a confirmation, and its batch is offered again untouched', async () => {
    const { page } = await openSignedIn(browser, host.url, 'sealer')
    const desk = new SealingDesk(page, vocationalBatchId, fixture.seals.bureau)
    await desk.open()
    await expect.poll(() => desk.remaining()).toBe('2')

    // 签章 makes the job; closing the dialog leaves it made but not started.
    const dialog = await desk.startDialog()
    await dialog.root().getByTestId('start-cancel').click()
    await dialog.root().waitFor({ state: 'hidden' })
    await expect.poll(() => desk.signButton().textContent()).toContain('继续签章')
    const row = page.locator('[data-testid^="job-row-state-"][data-state="ready"]')
    await expect.poll(() => row.count()).toBe(1)
    const jobId = Number((await row.getAttribute('data-testid'))!.replace('job-row-state-', ''))
    await page.getByTestId(`job-row-${jobId}`).click()
    const job = new JobView(page)
    await expect.poll(() => job.state()).toBe('ready')
    await page.getByTestId('job-start').waitFor()

    // 取消任务 asks first, saying what stays as it is; "不取消" keeps the job.
    await page.getByTestId('job-cancel').click()
    await expect.poll(() => page.locator('.el-message-box__message').textContent()).toContain('保持未签章')
    await page.locator('.job-cancel-keep').click()
    expect(await job.state()).toBe('ready')
    await page.getByTestId('job-cancel').click()
    await page.locator('.job-cancel-confirm').click()
    await expect.poll(() => job.state()).toBe('cancelled')
    expect(await page.getByTestId('job-cancel').count()).toBe(0)
    expect(await page.getByTestId('job-start').count()).toBe(0)

    await page.getByTestId('job-back').click()
    await expect.poll(() => desk.signButton().textContent()).toContain('签章')
    expect(await desk.signButton().textContent()).not.toContain('继续')
    expect(await desk.remaining()).toBe('2')
    await page.context().close()
  })

  it('the admin sees both seals with their certificates, the registry dialog offers them as registered, and the job read-only', async () => {
    const { page, errors } = await openSignedIn(browser, host.url, 'admin')
    expect(await menuKeys(page)).toEqual(MENUS.admin)

    await page.getByTestId('menu-seals').click()
    await page.getByTestId('seal-table').waitFor()
    for (const [name, sealId] of Object.entries(fixture.seals) as Array<['bureau' | 'construction', number]>) {
      const commonName = (SEAL_KEYS[name].subject ?? '').split('/CN=')[1]
      await expect.poll(() => page.getByTestId(`seal-subject-${sealId}`).textContent()).toContain(`CN=${commonName}`)
      expect(await page.getByTestId(`seal-active-${sealId}`).textContent()).toContain('启用')
    }
    expect(await page.getByTestId(`seal-row-${fixture.seals.bureau}`).textContent()).toBe('市人社局专业技术资格证书专用章')
    await screenshot(page, 'certdesk-seal-registry.png')

    // 登记印章 reads the token's certificates: both are registered already, so neither can be chosen.
    await page.getByTestId('seal-register').click()
    const picker = page.getByTestId('register-certificates')
    await page.getByTestId('register-dialog').waitFor()
    await expect.poll(() => picker.locator('.el-table__row').count(), { timeout: 30_000 }).toBe(2)
    for (const key of Object.values(SEAL_KEYS)) {
      expect(await page.getByTestId(`register-certificate-${key.id}`).getAttribute('class')).toContain('is-disabled')
    }
    expect(await picker.textContent()).toContain('已登记')
    await screenshot(page, 'certdesk-seal-register.png')
    await page.getByTestId('register-dialog').getByRole('button', { name: '取消', exact: true }).click()

    // The timestamp authority has its own label in 系统设置; the key modules are managed on the desk.
    await page.getByTestId('menu-settings').click()
    await expect.poll(() => page.getByTestId('setting-item-sealing.timestampUrl').textContent()).toContain('RFC 3161 时间戳服务地址')
    expect(await page.getByTestId('setting-item-sealing.modules').count()).toBe(0)

    // The desk for the admin: the finished job, without the means to sign.
    await page.getByTestId('menu-sealing').click()
    await expect.poll(() => page.getByTestId(`job-row-state-${signedJobId}`).getAttribute('data-state')).toBe('completed')
    await page.getByTestId(`job-row-${signedJobId}`).click()
    await expect.poll(() => new JobView(page).state()).toBe('completed')
    expect(await page.getByTestId('job-pause').count()).toBe(0)
    expect(await page.getByTestId('job-cancel').count()).toBe(0)
    expect(await page.getByTestId('sealable-panel').count()).toBe(0)

    expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
    await page.context().close()
  })
})
