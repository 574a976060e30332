import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser, startHost, type RunningHost } from './browser'

export * from './browser'

/**
 * One web host (fresh data directory) and one browser for a whole test file, started before
 * its tests and stopped after them. Read `host` and `browser` inside tests, not at declaration.
 */
export function withHostAndBrowser(options: { demo: boolean }): { host: RunningHost; browser: Browser } {
  const running = {} as { host: RunningHost; browser: Browser }
  beforeAll(async () => {
    running.host = await startHost(options)
    running.browser = await launchBrowser()
  })
  afterAll(async () => {
    await running.browser?.close()
    await running.host?.stop()
  })
  return running
}
