import { z } from 'zod'
import { findMethod, type Result } from '../../contract'
import { fail, ok } from '../../contract/result'
import type { Core } from '../app'
import type { Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { createHandlers, type HandlerContext } from './handlers'

// Validation messages in Chinese, for the people at these desks.
z.config(z.locales.zhCN())

/** What a transport hands over: the channel, the untrusted payload and the caller's session. */
export interface Call {
  channel: string
  payload: unknown
  sessionId: string | null
}

/** `session` is undefined when unchanged, null when the session ended, a string when one began. */
export interface Outcome {
  result: Result<unknown>
  session?: string | null
}

export type Dispatcher = (call: Call) => Promise<Outcome>

function validationError(error: z.ZodError): AppError {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.') || '(整体)', message: issue.message }))
  const summary = details.map((detail) => `${detail.path}：${detail.message}`).join('；')
  return new AppError('VALIDATION', `输入的内容不符合要求：${summary}`, details)
}

/** Turns anything thrown into an envelope; unexpected errors are logged without the payload. */
function toFailure(error: unknown, channel: string): Result<never> {
  if (error instanceof AppError) return fail(error.toBody())
  console.error(`[certdesk] ${channel} failed:`, error instanceof Error ? (error.stack ?? error.message) : 'unknown error')
  return fail(new AppError('INTERNAL').toBody())
}

/**
 * The one entry point of IPC and HTTP: validates the payload with the contract's zod schema,
 * resolves the session to an actor for non-public methods, and runs the handler.
 */
export function createDispatcher(core: Core): Dispatcher {
  const handlers = createHandlers(core) as unknown as Record<
    string,
    Record<string, (context: HandlerContext, input: unknown) => Promise<unknown>>
  >
  return async ({ channel, payload, sessionId }) => {
    const method = findMethod(channel)
    if (!method) return { result: fail(new AppError('UNKNOWN_METHOD', `未知的操作：${channel.slice(0, 64)}`).toBody()) }
    let session: string | null | undefined
    try {
      // Authenticate first: the shape of a payload is nobody's business before they sign in.
      let actor: Actor | null = null
      if (!method.public) actor = await core.auth.resolve(sessionId)
      const parsed = method.input.safeParse(payload ?? {})
      if (!parsed.success) throw validationError(parsed.error)
      const [domain, name] = channel.split('.') as [string, string]
      const context: HandlerContext = {
        actor,
        sessionId,
        setSession: (value) => {
          session = value
        },
      }
      const value = await handlers[domain][name](context, parsed.data)
      return { result: ok(value), session }
    } catch (error) {
      return { result: toFailure(error, channel), session }
    }
  }
}
