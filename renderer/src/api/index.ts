// Must come first: configures zod before the contract's schemas are built.
import '@contract/jitless'
import { listChannels, type Api, type DomainName, type RawApi } from '@contract/index'
import type { Result } from '@contract/result'
import { ApiError } from './api-error'

export { ApiError, isApiError } from './api-error'

type SessionLostListener = (error: ApiError) => void
const sessionLostListeners = new Set<SessionLostListener>()

/**
 * Registers a callback for calls refused because the session is gone, so the auth store can
 * send the user back to the login screen. Returns a function that removes the callback.
 */
export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener)
  return () => sessionLostListeners.delete(listener)
}

// auth.* answers for itself (a wrong password is not a lost session), so only other domains notify.
function reportsSessionLoss(domain: DomainName, error: ApiError): boolean {
  return domain !== 'auth' && (error.code === 'SESSION_EXPIRED' || error.code === 'UNAUTHENTICATED')
}

function rawApi(): RawApi {
  const raw = (window as Partial<Window>).api
  if (!raw) {
    throw new ApiError({ code: 'INTERNAL', message: '应用接口不可用：请通过 CertDesk 或其网页宿主打开本页面' })
  }
  return raw
}

async function call(domain: DomainName, name: string, input: unknown): Promise<unknown> {
  const methods = rawApi()[domain] as unknown as Record<string, (input: unknown) => Promise<Result<unknown>>>
  const result = await methods[name](input ?? {})
  if (result.ok) return result.value
  const error = new ApiError(result.error)
  if (reportsSessionLoss(domain, error)) sessionLostListeners.forEach((listener) => listener(error))
  throw error
}

/** Builds the throwing API from the contract's channel list, so a new method needs no change here. */
function buildApi(): Api {
  const built: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
  for (const { domain, name } of listChannels()) {
    built[domain] ??= {}
    built[domain][name] = (input?: unknown) => call(domain, name, input)
  }
  return built as unknown as Api
}

/** The only way renderer code reaches the core: `await api.auth.login({ username, password })`. */
export const api: Api = buildApi()
