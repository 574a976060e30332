import type { RawApi } from '../../electron/contract'

// page.evaluate callbacks run in the browser, where the preload defined window.api.
declare global {
  const window: { api: RawApi }
}
