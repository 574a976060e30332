/** The web host and Chromium, for the e2e tests and the benchmark (no vitest here: bench runs under plain tsx). */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type Browser, type Page } from 'playwright-core'
import { seedDemo } from '../../db/seeds/demo'
import { openCore } from '../../electron/core/app'

const ROOT = resolve(__dirname, '../..')
export const CHROMIUM = process.env.CERTDESK_CHROMIUM ?? '/usr/bin/chromium'
export const DEMO_PASSWORD = 'Demo-pass-2026'

/** Fails loudly (never skips) when what the browser tests need is not there. */
export function assertPrerequisites(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run bash scripts/install-system-deps.sh`)
  for (const file of ['out/host/index.js', 'out/host/web-preload.js', 'out/renderer/index.html']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run npm run build before the e2e tests`)
  }
}

export interface RunningHost {
  url: string
  origin: string
  dataDir: string
  stop(): Promise<void>
}

/**
 * Starts the real web host (`node out/host/index.js`, as `npm run web` does) on a free port
 * over a fresh data directory, optionally seeded with the demo organisations and accounts.
 * `args` go to the host as they are (e.g. `--no-sync` for a test that drives the sync itself).
 */
export async function startHost(options: { demo: boolean; dataDir?: string; args?: string[] }): Promise<RunningHost> {
  assertPrerequisites()
  // A given data directory (the benchmark's, already filled) is used as it is and kept.
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'certdesk-e2e-'))
  if (options.demo && !options.dataDir) {
    const core = await openCore({ dataDir })
    await seedDemo(core, () => DEMO_PASSWORD)
    await core.close()
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'out/host/index.js'), '--data-dir', dataDir, '--port', '0', '--print-json', ...(options.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const line = await new Promise<string>((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', resolveLine)
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}`)))
  })
  const { url } = JSON.parse(line) as { url: string }
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done))
        child.kill('SIGTERM')
        await exited
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser(): Promise<Browser> {
  assertPrerequisites()
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/** Opens the app and waits for it to say it is ready; collects console errors (CSP violations…). */
export async function openApp(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, locale: 'zh-CN' })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  // Chromium does not always log CSP violations (zod's eval probe was silent): report them all.
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' at ' + e.sourceFile))",
  )
  await page.goto(url)
  await page.waitForSelector('body[data-app-state="ready"]')
  return { page, errors }
}

/**
 * The menu each desk sees, by data-testid suffix and sorted, as `menuKeys` reads it: the
 * administrator's, the reviewers', the filing clerks' (who also publish to the registry) and the seal-key holder's.
 */
export const MENUS: Record<'admin' | 'reviewer' | 'clerk' | 'sealing', string[]> = {
  admin: [
    'applications',
    'audit',
    'certificates',
    'corrections',
    'dashboard',
    'filings',
    'organisations',
    'revocations',
    'sealing',
    'seals',
    'settings',
    'sync',
    'users',
    'verify',
  ],
  reviewer: ['applications', 'certificates', 'corrections', 'dashboard', 'legacy', 'revocations', 'verify'],
  clerk: ['applications', 'certificates', 'corrections', 'dashboard', 'filings', 'legacy', 'revocations', 'sync', 'verify'],
  sealing: ['certificates', 'dashboard', 'sealing', 'verify'],
}

/** Fills in and sends the sign-in form; what follows (the dashboard, a password change, an error) is the caller's to wait for. */
export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/** Signs in and waits for the dashboard. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await login(page, username, password)
  await page.getByTestId('dashboard').waitFor()
}

/** Opens the app in a fresh browser context and signs in as `username`: the page is on the dashboard. */
export async function openSignedIn(
  browser: Browser,
  url: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openApp(browser, url)
  await signIn(opened.page, username, password)
  return opened
}

/** The menu entries the signed-in user sees, by their data-testid suffix. */
export async function menuKeys(page: Page): Promise<string[]> {
  await page.getByTestId('app-menu').waitFor()
  const ids = await page.locator('[data-testid^="menu-"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')!))
  return ids.map((id) => id.replace(/^menu-/, '')).sort()
}

/** Set to a folder (outside the repository) to keep pictures of the screens along the way; unset, none are taken. */
const SCREENSHOTS = process.env.CERTDESK_SCREENSHOTS

/** A picture of the whole screen for the report: the layout scrolls in its main pane, so the window grows to fit it first. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return
  const viewport = page.viewportSize()!
  const height = await page.locator('.el-main').evaluate((node) => (node as unknown as { scrollHeight: number }).scrollHeight)
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height + 56) })
  await page.screenshot({ path: join(SCREENSHOTS, name), animations: 'disabled' })
  await page.setViewportSize(viewport)
}
