import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ERROR_CODES, isErrorCode, type ApiErrorBody } from '../../electron/contract'
import { ADMIN_PASSWORD, setupAdmin, createTestCore, type TestCore } from '../helpers/core'
import { call, CHINESE, expectError, expectOk } from '../helpers/calls'

let test: TestCore

beforeEach(async () => {
  test = await createTestCore()
})

afterEach(async () => {
  vi.restoreAllMocks()
  await test.cleanup()
})

describe('channels', () => {
  it('answers UNKNOWN_METHOD for a channel the contract does not have', async () => {
    for (const channel of ['nope.nothing', 'auth.nothing', 'users.delete', 'Auth.login', 'auth.Login']) {
      const outcome = await test.dispatch({ channel, payload: {}, sessionId: null })
      expectError(outcome.result, 'UNKNOWN_METHOD')
      expect(outcome.session).toBeUndefined()
    }
  })

  it('does not reach object internals through the channel name', async () => {
    const tricks = [
      '__proto__.x',
      '__proto__.toString',
      'constructor.name',
      'constructor.prototype',
      'auth.__proto__',
      'auth.constructor',
      'auth.hasOwnProperty',
      'auth.toString',
      'toString.call',
      'hasOwnProperty.call',
      'auth',
      'auth.',
      '.login',
      '.',
      '',
      'auth.login.x',
      'auth.login.',
      'auth..login',
    ]
    for (const channel of tricks) expectError(await call(test, channel, {}), 'UNKNOWN_METHOD')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('keeps an echoed channel name short', async () => {
    const error = expectError(await call(test, `x.${'y'.repeat(5000)}`, {}), 'UNKNOWN_METHOD')
    expect(error.message.length).toBeLessThan(200)
  })
})

describe('payload validation', () => {
  it('answers VALIDATION with the field paths and Chinese messages', async () => {
    const admin = await setupAdmin(test)
    const error = expectError(
      await call(test, 'users.create', { username: 'a', displayName: '', organisationId: -1, roles: [] }, admin),
      'VALIDATION',
    )
    expect(error.message).toMatch(CHINESE)
    expect(error.message).toContain('输入的内容不符合要求')
    const paths = error.details!.map((detail) => detail.path).sort()
    expect(paths).toEqual(['displayName', 'organisationId', 'roles', 'username'])
    for (const detail of error.details!) expect(detail.message, detail.path).toMatch(CHINESE)
    expect(error.details!.find((detail) => detail.path === 'roles')!.message).toBe('至少选择一个角色')
  })

  it('names nested paths', async () => {
    const admin = await setupAdmin(test)
    const error = expectError(await call(test, 'users.update', { id: 2, roles: ['reviewer', 'superuser'] }, admin), 'VALIDATION')
    expect(error.details!.map((detail) => detail.path)).toEqual(['roles.1'])
  })

  it('refuses unexpected extra keys', async () => {
    const login = expectError(await call(test, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD, isAdmin: true }), 'VALIDATION')
    expect(login.message).toContain('isAdmin')
    const admin = await setupAdmin(test)
    expectError(await call(test, 'organisations.update', { id: 1, userCount: 0 }, admin), 'VALIDATION')
    expectError(await call(test, 'settings.get', { key: 'session.idleMinutes' }, admin), 'VALIDATION')
    // As a transport parses it off the wire: an own key named __proto__.
    expectError(await call(test, 'auth.status', JSON.parse('{"__proto__":{"polluted":true}}')), 'VALIDATION')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses payloads that are not objects, and treats a missing payload as empty', async () => {
    for (const payload of ['text', 42, [], true]) expectError(await call(test, 'auth.status', payload), 'VALIDATION')
    expect(expectOk<{ setupRequired: boolean }>(await call(test, 'auth.status', undefined)).setupRequired).toBe(true)
    expect(expectOk<{ setupRequired: boolean }>(await call(test, 'auth.status', null)).setupRequired).toBe(true)
  })
})

describe('error envelopes', () => {
  it('always carry a code of ERROR_CODES, a message and nothing else', async () => {
    const admin = await setupAdmin(test)
    const failures = [
      await call(test, 'no.such', {}),
      await call(test, 'auth.login', {}),
      await call(test, 'auth.login', { username: 'admin', password: 'Wrong-pass-2026' }),
      await call(test, 'auth.setup', { organisationName: '某局', username: 'again', displayName: 'x', password: 'Again-pass-2026' }),
      await call(test, 'users.list', {}),
      await call(test, 'users.update', { id: 9999, displayName: 'x' }, admin),
      await call(test, 'users.update', { id: 1, active: false }, admin),
      await call(
        test,
        'organisations.create',
        { name: '上海市人力资源和社会保障局', kind: 'bureau', code: null, parentId: null, organisingUnit: null },
        admin,
      ),
    ]
    const codes: string[] = []
    for (const result of failures) {
      expect(result.ok).toBe(false)
      const error = (result as { ok: false; error: ApiErrorBody }).error
      expect(isErrorCode(error.code)).toBe(true)
      expect(error.message).toMatch(CHINESE)
      expect(Object.keys(error).every((key) => ['code', 'message', 'details'].includes(key))).toBe(true)
      codes.push(error.code)
    }
    expect(codes).toEqual([
      'UNKNOWN_METHOD',
      'VALIDATION',
      'LOGIN_FAILED',
      'SETUP_DONE',
      'UNAUTHENTICATED',
      'NOT_FOUND',
      'LAST_ADMIN',
      'CONFLICT',
    ])
  })

  it('turns an unexpected failure into INTERNAL without leaking the stack, and logs it without the payload', async () => {
    const logged: string[] = []
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '))
    })
    await test.core.db.destroy()
    const secret = 'Secret-pass-2026'
    const outcome = await test.dispatch({ channel: 'auth.login', payload: { username: 'admin', password: secret }, sessionId: null })
    const error = expectError(outcome.result, 'INTERNAL')
    expect(error).toEqual({ code: 'INTERNAL', message: ERROR_CODES.INTERNAL })
    expect(error.message).not.toMatch(/\bat\b|\.ts|knex|sqlite|Error/i)
    expect(logged.length).toBeGreaterThan(0)
    expect(logged.join('\n')).toContain('auth.login')
    expect(logged.join('\n')).not.toContain(secret)
    expectError(await call(test, 'auth.status', {}), 'INTERNAL')
  })
})
