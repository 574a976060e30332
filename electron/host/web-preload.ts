import '../contract/jitless'
import { listChannels, type RawApi } from '../contract'

/**
 * The web host's stand-in for electron/preload: defines the same `window.api` over HTTP, so the
 * renderer runs unchanged in a plain browser. The per-start token arrives once in the address
 * (?token=…), is kept in sessionStorage and removed from the address bar.
 */
const TOKEN_KEY = 'certdesk.hostToken'
const SESSION_KEY = 'certdesk.session'
const SESSION_HEADER = 'x-certdesk-session'

function takeToken(): string | null {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(null, '', url.pathname + url.search + url.hash)
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

const token = takeToken()

async function call(channel: string, input: unknown): Promise<unknown> {
  if (!token) return { ok: false, error: { code: 'UNAUTHENTICATED', message: '缺少访问令牌：请使用 Web 服务启动时打印的地址打开' } }
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }
  const session = sessionStorage.getItem(SESSION_KEY)
  if (session) headers[SESSION_HEADER] = session
  try {
    const response = await fetch(`/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) })
    const newSession = response.headers.get(SESSION_HEADER)
    if (newSession !== null) {
      if (newSession) sessionStorage.setItem(SESSION_KEY, newSession)
      else sessionStorage.removeItem(SESSION_KEY)
    }
    return await response.json()
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: '无法连接到 CertDesk Web 服务，请确认它仍在运行' } }
  }
}

const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
for (const { channel, domain, name } of listChannels()) {
  api[domain] ??= {}
  api[domain][name] = (input: unknown) => call(channel, input)
}
Object.defineProperty(window, 'api', { value: Object.freeze(api) as unknown as RawApi, writable: false })
