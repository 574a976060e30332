import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OutboxState, SyncStatus } from '../../electron/contract/sync'
import { seedDemo } from '../../db/seeds/demo'
import { openCore, type Core } from '../../electron/core/app'
import { openDatabase } from '../../electron/core/db/connection'
import { writeTransaction } from '../../electron/core/db/transaction'
import { databaseFile } from '../../electron/core/paths'
import { certificateVersionEvent, enqueue, type OutboxEvent } from '../../electron/core/registry/outbox'
import { rewriteAuditEntry } from '../helpers/audit-rewrite'
import { actorOf } from '../helpers/batches'
import { startTestRegistry, type TestRegistry } from '../helpers/registry-server'
import { registerCore, registryCertificate } from '../helpers/sync-registry'
import { DEMO_PASSWORD, launchBrowser, MENUS, menuKeys, openSignedIn, screenshot, startHost, type RunningHost } from './browser'

/** Issued WSHL certificates waiting in the outbox; the registry knows the desk as a JSKS client at first. */
const NUMBERS = ['2026WSHL90001', '2026WSHL90002', '2026WSHL90003']

/** 电子证照库同步: the status figures, the tabs of the outbox and their rows, read from data attributes. */
class SyncView {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('menu-sync').click()
    await this.page.getByTestId('sync-status').waitFor()
  }

  count(state: OutboxState): Promise<string | null> {
    return this.page.getByTestId(`sync-${state}`).getAttribute('data-count')
  }

  text(testId: string): Promise<string | null> {
    return this.page.getByTestId(testId).textContent()
  }

  /** The state the list shows (the default one, or the tab last clicked). */
  listed(): Promise<string | null> {
    return this.page.getByTestId('sync-items').getAttribute('data-state')
  }

  async showTab(state: OutboxState): Promise<void> {
    await this.page.getByTestId(`sync-tab-${state}`).click()
    await expect.poll(() => this.listed()).toBe(state)
  }

  /** The rows of the list: item id and ordering key (the certificate number). */
  rows(): Promise<Array<{ id: number; key: string }>> {
    return this.page
      .getByTestId('sync-items')
      .locator('[data-key]')
      .evaluateAll((nodes) =>
        nodes.map((node) => ({
          id: Number(node.getAttribute('data-testid')!.replace('sync-item-', '')),
          key: node.getAttribute('data-key')!,
        })),
      )
  }

  /** The certificate numbers listed, sorted, for comparing with NUMBERS. */
  async certificateKeys(): Promise<string[]> {
    return (await this.rows())
      .map((row) => row.key)
      .filter((key) => NUMBERS.includes(key))
      .sort()
  }

  reason(id: number): Promise<string | null> {
    return this.page.getByTestId(`sync-item-reason-${id}`).textContent()
  }

  async runNow(): Promise<void> {
    await this.page.getByTestId('sync-run-now').click()
    // The button is busy while the pass runs, and comes back when its status is in.
    await expect.poll(() => this.page.getByTestId('sync-run-now').getAttribute('data-busy'), { timeout: 30_000 }).toBe('false')
  }
}

/** Three issued WSHL certificates queued for publication, their signed PDFs stored in a pack, as the sealing job leaves them. */
async function queueIssued(core: Core): Promise<void> {
  const pack = await core.files.openPack()
  const events: OutboxEvent[] = []
  for (const number of NUMBERS) {
    const pdfSha256 = await pack.add(Buffer.from(`%PDF-1.7\n% ${number} v1\n%%EOF\n`), 'application/pdf')
    events.push(
      certificateVersionEvent({
        number,
        version: 1,
        family: 'title',
        level: 'senior',
        organisationCode: 'WSHL',
        issuedAt: '2026-12-01T02:00:00.000Z',
        fields: { name: '王小华', gender: '男', birthMonth: '1980-01', idType: '居民身份证', idNumber: '110101198001011237' },
        verificationCode: 'ABCDEFGH',
        pdfSha256,
      }),
    )
  }
  await writeTransaction(core.db, async (trx) => {
    await pack.commit(trx)
    await enqueue(trx, events, new Date().toISOString())
  })
}

/** A port on 127.0.0.1 that nothing listens on: the registry "down". */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise((done) => server.close(done))
  return port
}

/** Saves one text setting on 系统设置 as the signed-in admin. */
async function saveSetting(page: Page, key: string, value: string): Promise<void> {
  await page.getByTestId('menu-settings').click()
  await page.getByTestId(`setting-${key}`).fill(value)
  const save = page.getByTestId(`setting-save-${key}`)
  await save.click()
  // The button turns plain again once the stored value is the one typed.
  await expect.poll(() => save.getAttribute('class')).toContain('is-plain')
}

describe('电子证照库同步 through the web host, against a reference registry', () => {
  let registry: TestRegistry
  let dataDir: string
  let host: RunningHost
  let browser: Browser
  /** What core reported of this installation's credential before the host took the data directory over. */
  let identity: Pick<SyncStatus, 'clientId' | 'publicKeyPem'>

  beforeAll(async () => {
    registry = await startTestRegistry()
    dataDir = mkdtempSync(join(tmpdir(), 'certdesk-sync-e2e-'))
    const core = await openCore({ dataDir })
    try {
      await seedDemo(core, () => DEMO_PASSWORD)
      const admin = await actorOf(core, 'admin')
      await queueIssued(core)
      await core.settings.update(admin, 'registry.baseUrl', registry.url)
      // Registered for the exam centre only: the registry refuses WSHL's certificates with 403.
      await registerCore(core, admin, registry, 'JSKS')
      const status = await core.sync.status(admin)
      identity = { clientId: status.clientId, publicKeyPem: status.publicKeyPem }
      expect(status.pending).toBe(NUMBERS.length)
    } finally {
      await core.close()
    }
    // The page drives the passes itself (立即同步): no background loop racing the test.
    host = await startHost({ demo: false, dataDir, args: ['--no-sync'] })
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    await registry?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('the clerk sees the queue, 立即同步 gets it refused with the registry’s reason, and after the operator’s fix 重新发送 delivers it', async () => {
    const { page, errors } = await openSignedIn(browser, host.url, 'clerk')
    expect(await menuKeys(page)).toEqual(MENUS.clerk)
    const sync = new SyncView(page)
    await sync.open()

    // At a glance: configured, the registry's address, three waiting, none refused or delivered, no sender in this host.
    expect(await page.getByTestId('sync-status').getAttribute('data-configured')).toBe('true')
    expect(await sync.text('sync-base-url')).toBe(registry.url)
    await expect.poll(() => sync.count('pending')).toBe(String(NUMBERS.length))
    expect(await sync.count('failed')).toBe('0')
    expect(await sync.count('delivered')).toBe('0')
    expect(await sync.text('sync-oldest')).toMatch(/^最早一条已等待 (刚刚|\d+ 分钟)$/)
    expect(await page.getByTestId('sync-status').getAttribute('data-running')).toBe('false')
    expect(await sync.text('sync-checkpoint')).toContain('尚未核对')
    // Nothing refused: the list opens on the waiting items.
    await expect.poll(() => sync.listed()).toBe('pending')
    await expect.poll(() => sync.certificateKeys()).toEqual(NUMBERS)

    // 立即同步: the registry refuses all three (the client acts for JSKS only), and the list turns to them.
    await sync.runNow()
    await expect.poll(() => sync.count('failed')).toBe(String(NUMBERS.length))
    expect(await sync.count('pending')).toBe('0')
    expect(await sync.text('sync-oldest')).toBe('队列为空')
    await expect.poll(() => sync.listed()).toBe('failed')
    await expect.poll(() => sync.certificateKeys()).toEqual(NUMBERS)
    const refused = await sync.rows()
    for (const row of refused) {
      expect(await sync.text(`sync-item-type-${row.id}`)).toBe('发布证书')
      const reason = await sync.reason(row.id)
      expect(reason).toContain('无权操作机构 WSHL 的数据')
      expect(reason).toContain('HTTP 403')
    }
    // The request itself went through: no outage is reported, and the checkpoint the pass published matches the local log.
    expect(await page.getByTestId('sync-last-error').count()).toBe(0)
    expect(await page.getByTestId('sync-checkpoint').getAttribute('data-matches')).toBe('true')
    expect(await sync.text('sync-last-attempt')).not.toBe('—')
    expect(await sync.text('sync-last-pull')).not.toBe('—')
    await screenshot(page, 'certdesk-sync-refused.png')

    // The registry's operator registers the credential the page shows, now for every organisation.
    const shown = { clientId: (await sync.text('sync-client-id'))!, publicKeyPem: (await sync.text('sync-public-key'))! }
    const registered = await registry.admin('POST', '/_admin/clients', { ...shown, organisationCode: '*' })
    expect(registered.status).toBe(200)

    // All refused selected, 重新发送 asks first and says how many; cancelling keeps them refused.
    expect(await page.getByTestId('sync-retry').isDisabled()).toBe(true)
    await page.getByTestId('sync-select-all').click()
    await expect.poll(() => sync.text('sync-selected-count')).toBe(`已选 ${NUMBERS.length} 条`)
    await page.getByTestId('sync-retry').click()
    await expect.poll(() => page.locator('.el-message-box__message').textContent()).toContain(`所选的 ${NUMBERS.length} 条`)
    await page.locator('.sync-retry-cancel').click()
    expect(await sync.count('failed')).toBe(String(NUMBERS.length))
    await page.getByTestId('sync-retry').click()
    await page.locator('.sync-retry-confirm').click()
    await expect.poll(() => sync.count('pending')).toBe(String(NUMBERS.length))
    expect(await sync.count('failed')).toBe('0')

    // 立即同步 again: delivered, nothing refused or waiting.
    await sync.runNow()
    await expect.poll(() => sync.count('pending')).toBe('0')
    expect(await sync.count('failed')).toBe('0')
    expect(Number(await sync.count('delivered'))).toBeGreaterThanOrEqual(NUMBERS.length)
    await sync.showTab('delivered')
    await expect.poll(() => sync.certificateKeys()).toEqual(NUMBERS)
    for (const row of (await sync.rows()).filter((item) => NUMBERS.includes(item.key))) {
      expect(await sync.text(`sync-item-delivered-${row.id}`)).not.toBe('—')
    }
    expect(await sync.text('sync-last-success')).not.toBe('—')
    await screenshot(page, 'certdesk-sync-delivered.png')

    // The registry holds them, as this desk issued them.
    for (const number of NUMBERS) {
      const held = await registryCertificate(registry, number)
      expect(held.status).toBe(200)
      expect(held.body).toMatchObject({ number, organisationCode: 'WSHL', currentVersion: 1 })
    }
    expect(errors.filter((error) => /CSP|Content Security Policy/.test(error))).toEqual([])
    await page.context().close()
  })

  it('a reviewer has no sync page: no menu entry, the route sends back, and core refuses the call', async () => {
    const { page } = await openSignedIn(browser, host.url, 'reviewer')
    expect(await menuKeys(page)).toEqual(MENUS.reviewer)
    expect(await page.evaluate(() => window.api.sync.status({}))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await page.goto(`${host.origin}/#/sync`)
    await page.getByTestId('dashboard').waitFor()
    expect(await page.getByTestId('sync-page').count()).toBe(0)
    await page.context().close()
  })

  it('the admin sees the credential core reports, and 系统设置 names the registry’s address in both languages', async () => {
    const { page } = await openSignedIn(browser, host.url, 'admin')
    expect(await menuKeys(page)).toEqual(MENUS.admin)
    // The dashboard's sync card uses the sync page's words for the queue's states.
    const card = page.getByTestId('dashboard-group-sync')
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('待发送')
    expect(await card.textContent()).toContain('被拒收')
    const sync = new SyncView(page)
    await sync.open()
    await expect.poll(() => sync.text('sync-client-id')).toBe(identity.clientId)
    expect(await sync.text('sync-public-key')).toBe(identity.publicKeyPem.trim())
    expect(identity.publicKeyPem).toContain('BEGIN PUBLIC KEY')
    expect(await sync.text('sync-credential')).toContain('运营方登记')
    expect(await page.evaluate(() => window.api.sync.status({}))).toMatchObject({ ok: true, value: identity })

    await page.getByTestId('menu-settings').click()
    const item = page.getByTestId('setting-item-registry.baseUrl')
    await expect.poll(() => item.textContent()).toContain('电子证照库地址')
    expect(await item.textContent()).toContain('留空则不发送')
    expect(await page.getByTestId('setting-registry.baseUrl').inputValue()).toBe(registry.url)
    await page.getByTestId('locale-switch').click()
    await expect.poll(() => item.textContent()).toContain('Certificate registry address')
    expect(await item.textContent()).toContain('no trailing')
    await page.getByTestId('locale-switch').click()
    await expect.poll(() => item.textContent()).toContain('电子证照库地址')
    await page.context().close()
  })

  it('a local audit log rewritten after its checkpoint was published is a red alert with the reason', async () => {
    const { page } = await openSignedIn(browser, host.url, 'admin')
    const sync = new SyncView(page)
    await sync.open()
    await expect.poll(() => page.getByTestId('sync-checkpoint').getAttribute('data-matches')).toBe('true')
    expect(await page.getByTestId('sync-checkpoint-alert').count()).toBe(0)

    // Someone with the database file edits an early entry and recomputes the chain after it, while the app runs.
    const db = openDatabase({ filename: databaseFile(dataDir) })
    try {
      await rewriteAuditEntry(db, 2, { rewritten: true })
    } finally {
      await db.destroy()
    }
    await sync.runNow()
    await expect.poll(() => page.getByTestId('sync-checkpoint').getAttribute('data-matches')).toBe('false')
    expect(await sync.text('sync-checkpoint-reason')).toContain('本地日志在发布后被改写过')
    expect(await sync.text('sync-checkpoint-alert')).toContain('本地审计日志与电子证照库的检查点不符')
    expect(await sync.text('sync-checkpoint')).toContain('不符')
    await screenshot(page, 'certdesk-sync-checkpoint.png')
    await page.context().close()
  })

  it('the registry down reads as “the app keeps working”; no address at all says so, with the way to 系统设置 for the admin only', async () => {
    const { page } = await openSignedIn(browser, host.url, 'admin')
    const sync = new SyncView(page)
    const down = `http://127.0.0.1:${await closedPort()}`
    await saveSetting(page, 'registry.baseUrl', down)
    await sync.open()
    await expect.poll(() => sync.text('sync-base-url')).toBe(down)
    await sync.runNow()
    await expect.poll(() => sync.text('sync-last-error')).toContain('无法连接电子证照库')
    expect(await sync.text('sync-last-error')).toContain('本机照常工作')
    expect(await sync.count('failed')).toBe('0')
    await screenshot(page, 'certdesk-sync-unreachable.png')

    await saveSetting(page, 'registry.baseUrl', '')
    await sync.open()
    await page.getByTestId('sync-not-configured').waitFor()
    expect(await page.getByTestId('sync-status').getAttribute('data-configured')).toBe('false')
    expect(await sync.text('sync-base-url')).toBe('未配置')
    expect(await page.getByTestId('sync-run-now').isDisabled()).toBe(true)
    await page.getByTestId('sync-open-settings').click()
    await page.getByTestId('setting-item-registry.baseUrl').waitFor()
    await page.context().close()

    const clerk = await openSignedIn(browser, host.url, 'clerk')
    await new SyncView(clerk.page).open()
    await expect.poll(() => clerk.page.getByTestId('sync-not-configured').textContent()).toContain('请系统管理员')
    expect(await clerk.page.getByTestId('sync-open-settings').count()).toBe(0)
    await clerk.page.context().close()
  })
})
