import { launchBrowser, login, openApp, startHost } from '../tests/e2e/browser'
import type { BenchRow } from './table'

/**
 * The review page in Chromium through the web host (the product's renderer, built by
 * `npm run build`): time from navigating to a 10,000-applicant batch until its table shows rows,
 * and the time of a filter over all rows. The page sets performance marks (batch-ready,
 * filter-done) when it has rendered; the figures are read from the page's own clock.
 */
export async function benchReviewPage(dataDir: string, batchId: number): Promise<BenchRow[]> {
  const host = await startHost({ demo: false, dataDir })
  const browser = await launchBrowser()
  try {
    const { page } = await openApp(browser, host.url)
    await login(page, 'reviewer', 'Bench-pass-2026')
    await page.getByTestId('dashboard').waitFor()
    const opens: number[] = []
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await page.evaluate("delete document.body.dataset.batchReady; performance.clearMarks(); performance.mark('open-start')")
      await page.evaluate(`window.location.hash = '#/applications/${batchId}'`)
      await page.waitForSelector(`body[data-batch-ready="${batchId}"]`, { timeout: 60_000 })
      opens.push(await page.evaluate<number>("performance.measure('open', 'open-start', 'batch-ready').duration"))
      await page.evaluate("window.location.hash = '#/dashboard'")
      await page.getByTestId('dashboard').waitFor()
    }
    await page.evaluate(`window.location.hash = '#/applications/${batchId}'`)
    await page.waitForSelector(`body[data-batch-ready="${batchId}"]`)
    const filters: number[] = []
    for (const text of ['测试1', '测试99', '3101', '']) {
      await page.evaluate("performance.clearMarks('filter-done'); performance.mark('filter-start')")
      await page.getByTestId('applicant-search').locator('input').fill(text)
      await page.waitForFunction("performance.getEntriesByName('filter-done').length > 0")
      filters.push(await page.evaluate<number>("performance.measure('filter', 'filter-start', 'filter-done').duration"))
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
    return [
      {
        issue: '#3',
        figure: 'review page: open a 10,000-applicant batch until rows show (median of 3)',
        value: `${Math.round(median(opens))} ms`,
        target: '< 1000 ms',
      },
      {
        issue: '#3',
        figure: 'review page: filter 10,000 applicants by name/ID (worst of 4)',
        value: `${Math.round(Math.max(...filters))} ms`,
        target: '< 100 ms',
      },
    ]
  } finally {
    await browser.close()
    await host.stop()
  }
}
