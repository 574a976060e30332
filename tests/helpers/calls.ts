import { expect } from 'vitest'
import { isErrorCode, type ApiErrorBody, type ErrorCode, type Result } from '../../electron/contract'
import { seedDemo } from '../../db/seeds/demo'
import { createTestCore, type TestCore } from './core'

/** The password every demo account gets in tests. */
export const DEMO_PASSWORD = 'Demo-pass-2026'

/** The demo accounts with the roles the seed gives them. */
export const DEMO_USERNAMES = ['admin', 'reviewer', 'bureau-reviewer', 'clerk', 'sealer'] as const
export type DemoUsername = (typeof DEMO_USERNAMES)[number]

/** One call through the dispatcher, returning the envelope only. */
export async function call(
  test: TestCore,
  channel: string,
  payload: unknown = {},
  sessionId: string | null = null,
): Promise<Result<unknown>> {
  return (await test.dispatch({ channel, payload, sessionId })).result
}

/** Asserts a success envelope and returns its value. */
export function expectOk<T = unknown>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

/** Asserts a failure envelope with the given code (one of ERROR_CODES) and a message, and returns the error. */
export function expectError(result: Result<unknown>, code: ErrorCode): ApiErrorBody {
  if (result.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(result.value)}`)
  expect(isErrorCode(result.error.code)).toBe(true)
  expect(result.error.code).toBe(code)
  expect(result.error.message.length).toBeGreaterThan(0)
  return result.error
}

/** Signs in through the dispatcher and returns the new session id. */
export async function login(test: TestCore, username: string, password: string): Promise<string> {
  const outcome = await test.dispatch({ channel: 'auth.login', payload: { username, password }, sessionId: null })
  if (!outcome.result.ok || !outcome.session) throw new Error(`login of ${username} failed: ${JSON.stringify(outcome.result)}`)
  return outcome.session
}

/** A core seeded with the demo organisations and accounts (all with DEMO_PASSWORD). */
export async function createDemoCore(): Promise<TestCore> {
  const test = await createTestCore()
  await seedDemo(test.core, () => DEMO_PASSWORD)
  return test
}

/** Id of a user by name, read straight from the database. */
export async function userId(test: TestCore, username: string): Promise<number> {
  const row = (await test.core.db('users').where({ username }).first('id')) as { id: number } | undefined
  if (!row) throw new Error(`no user ${username}`)
  return row.id
}

/** Id of an organisation by name, read straight from the database. */
export async function organisationId(test: TestCore, name: string): Promise<number> {
  const row = (await test.core.db('organisations').where({ name }).first('id')) as { id: number } | undefined
  if (!row) throw new Error(`no organisation ${name}`)
  return row.id
}

/** Number of audit entries right now. */
export function auditCount(test: TestCore): Promise<number> {
  return test.core.audit.count()
}

/** Contains at least one CJK ideograph: the messages people read are in Chinese. */
export const CHINESE = /[\u4e00-\u9fff]/
