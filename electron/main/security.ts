/**
 * The security rules of the Electron shell as plain functions, so they are unit-tested without
 * an Electron binary. electron/main/index.ts applies them.
 */

/** No unsafe-eval, no remote origins; inline styles only because Element Plus sets style attributes. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Documentation sites the app may open in the user's browser; nothing else leaves the app. */
export const EXTERNAL_URL_ALLOW_LIST = ['rsj.sh.gov.cn', 'zzjb.rsj.sh.gov.cn', 'www.shanghai.gov.cn']

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** `openExternal` only for https URLs on an allow-listed host, without credentials. */
export function isAllowedExternalUrl(url: string, allowList: readonly string[] = EXTERNAL_URL_ALLOW_LIST): boolean {
  const parsed = parse(url)
  if (!parsed || parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false
  return allowList.includes(parsed.hostname)
}

/**
 * Where the app's own pages live: the dev server in development, the built index.html file
 * otherwise. A URL is the app's when it has that origin (dev) or is exactly that file.
 */
export interface RendererLocation {
  devServerUrl?: string
  indexFile?: string
}

export function isAppUrl(url: string, location: RendererLocation): boolean {
  const parsed = parse(url)
  if (!parsed) return false
  if (location.devServerUrl) {
    const dev = parse(location.devServerUrl)
    return dev !== null && parsed.origin === dev.origin
  }
  if (!location.indexFile || parsed.protocol !== 'file:') return false
  const expected = new URL(`file://${location.indexFile.startsWith('/') ? '' : '/'}${location.indexFile.replace(/\\/g, '/')}`)
  return decodeURIComponent(parsed.pathname) === decodeURIComponent(expected.pathname)
}

/** Navigation within the app only (hash routes change the fragment, not the document). */
export function isAllowedNavigation(url: string, location: RendererLocation): boolean {
  return isAppUrl(url, location)
}

/** The sender of an IPC call: the top-level frame of the app's own page, never an iframe. */
export interface SenderFrameInfo {
  url: string
  isTopFrame: boolean
}

export function isTrustedSender(frame: SenderFrameInfo | null | undefined, location: RendererLocation): boolean {
  return Boolean(frame && frame.isTopFrame && isAppUrl(frame.url, location))
}
