// `npm run screenshot`: the README's picture of the dashboard, taken through the web host with
// the demo data, by the same fixtures the e2e tests use. Run after `npm run build`.
import { launchBrowser, login, openApp, startHost } from '../tests/e2e/fixtures'

async function main(): Promise<void> {
  const host = await startHost({ demo: true })
  const browser = await launchBrowser()
  try {
    const { page } = await openApp(browser, host.url)
    await login(page, 'admin')
    await page.getByTestId('dashboard').waitFor()
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path: 'docs/dashboard.png' })
    console.log('wrote docs/dashboard.png')
  } finally {
    await browser.close()
    await host.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
