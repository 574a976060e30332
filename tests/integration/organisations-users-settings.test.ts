import { describe, expect, it } from 'vitest'
import type { Organisation, SessionUser, SettingValues, UserSummary } from '../../electron/contract'
import { DEMO_CERTIFICATES, DEMO_GRANTS, DEMO_ORGANISATIONS, DEMO_USERS, seedDemo } from '../../db/seeds/demo'
import { openCore } from '../../electron/core/app'
import { createDispatcher } from '../../electron/core/api/dispatch'
import { ADMIN_PASSWORD, createTestCore, setupAdmin, TestClock, type TestCore } from '../helpers/core'
import { auditCount, call, CHINESE, DEMO_PASSWORD, expectError, expectOk, login } from '../helpers/calls'
import { clonePerTest, sessionFor } from '../helpers/template'

const MINUTE = 60_000
let test: TestCore
let admin: string

async function createAdminCore(): Promise<TestCore> {
  const template = await createTestCore()
  await setupAdmin(template)
  return template
}

clonePerTest(createAdminCore, async (clone) => {
  test = clone
  admin = await sessionFor(clone, 'admin')
})

const BUREAU_ID = 1

async function createOrganisation(
  fields: Partial<{ name: string; kind: string; code: string | null; parentId: number | null; organisingUnit: string | null }>,
) {
  return call(
    test,
    'organisations.create',
    { name: '评审委员会', kind: 'review_body', code: null, parentId: BUREAU_ID, organisingUnit: null, ...fields },
    admin,
  )
}

async function createUser(username: string, organisationId = BUREAU_ID, roles = ['clerk']) {
  return call(test, 'users.create', { username, displayName: `${username} 用户`, organisationId, roles }, admin)
}

describe('organisations', () => {
  it('keeps codes unique and names the organisation holding a code', async () => {
    const holder = expectOk<Organisation>(await createOrganisation({ name: '上海市卫生系列护理专业高级职称评审委员会', code: 'WSHL' }))
    expect(holder).toMatchObject({
      code: 'WSHL',
      parentId: BUREAU_ID,
      parentName: '上海市人力资源和社会保障局',
      active: true,
      userCount: 0,
    })
    const before = await auditCount(test)

    const clash = expectError(await createOrganisation({ name: '另一个评审委员会', code: 'WSHL' }), 'CONFLICT')
    expect(clash.message).toMatch(CHINESE)
    expect(clash.message).toContain('WSHL')
    expect(clash.message).toContain('上海市卫生系列护理专业高级职称评审委员会')
    // Surrounding spaces are trimmed, so they do not get around the check.
    expectError(await createOrganisation({ name: '第三个评审委员会', code: ' WSHL ' }), 'CONFLICT')

    const other = expectOk<Organisation>(await createOrganisation({ name: '浦东新区工程系列中级职称评审委员会', code: 'PDGC' }))
    expectError(await call(test, 'organisations.update', { id: other.id, code: 'WSHL' }, admin), 'CONFLICT')
    // Keeping its own code is not a clash.
    expect(
      expectOk<Organisation>(await call(test, 'organisations.update', { id: holder.id, code: 'WSHL', name: '护理高评委' }, admin)).name,
    ).toBe('护理高评委')
    expect(await auditCount(test)).toBe(before + 2)
    expect(await test.core.db('organisations').where({ code: 'WSHL' }).pluck('id')).toEqual([holder.id])
  })

  it('keeps names unique', async () => {
    expectOk(await createOrganisation({ name: '上海市住房和城乡建设管理委员会', kind: 'industry_department' }))
    expectError(await createOrganisation({ name: '上海市住房和城乡建设管理委员会', kind: 'industry_department' }), 'CONFLICT')
  })

  it('refuses codes that are not 2–12 upper-case letters and digits', async () => {
    for (const code of ['wshl', 'Wshl', 'ABCDEFGHIJKLM', 'A', 'AB-1', 'AB 12', '护理']) {
      const error = expectError(await createOrganisation({ name: `评审委员会${code}`, code }), 'VALIDATION')
      expect(
        error.details!.map((detail) => detail.path),
        code,
      ).toEqual(['code'])
    }
    expectOk(await createOrganisation({ name: '十二位代码的委员会', code: 'ABCDEFGHIJ12' }))
  })

  it('refuses a parent that would make a loop, and a parent that does not exist', async () => {
    const department = expectOk<Organisation>(await createOrganisation({ name: '上海市卫生健康委员会', kind: 'industry_department' }))
    const board = expectOk<Organisation>(await createOrganisation({ name: '护理评审委员会', code: 'WSHL', parentId: department.id }))
    const unit = expectOk<Organisation>(await createOrganisation({ name: '护理评审办公室', parentId: board.id }))

    expectError(await call(test, 'organisations.update', { id: department.id, parentId: unit.id }, admin), 'VALIDATION')
    expectError(await call(test, 'organisations.update', { id: department.id, parentId: board.id }, admin), 'VALIDATION')
    expectError(await call(test, 'organisations.update', { id: department.id, parentId: department.id }, admin), 'VALIDATION')
    expectError(await call(test, 'organisations.update', { id: department.id, parentId: 9999 }, admin), 'NOT_FOUND')
    expectError(await createOrganisation({ name: '无主机构', parentId: 9999 }), 'NOT_FOUND')
    expect((await test.core.db('organisations').where({ id: department.id }).first('parent_id')).parent_id).toBe(BUREAU_ID)

    // Moving a unit elsewhere in the tree is fine.
    const moved = expectOk<Organisation>(await call(test, 'organisations.update', { id: unit.id, parentId: department.id }, admin))
    expect(moved).toMatchObject({ parentId: department.id, parentName: '上海市卫生健康委员会' })
  })

  it('hides inactive organisations unless asked, and will not deactivate the admin’s own', async () => {
    const board = expectOk<Organisation>(await createOrganisation({ name: '已撤销的评审委员会' }))
    expectOk(await call(test, 'organisations.update', { id: board.id, active: false }, admin))
    const names = (list: Organisation[]) => list.map((organisation) => organisation.name)
    expect(names(expectOk(await call(test, 'organisations.list', {}, admin)))).not.toContain('已撤销的评审委员会')
    expect(names(expectOk(await call(test, 'organisations.list', { includeInactive: true }, admin)))).toContain('已撤销的评审委员会')
    expectError(await call(test, 'organisations.update', { id: BUREAU_ID, active: false }, admin), 'INVALID_STATE')
    expectError(await call(test, 'organisations.update', { id: 9999, name: '不存在' }, admin), 'NOT_FOUND')
  })
})

describe('users', () => {
  it('creates an account with a one-time password that signs in and must be changed', async () => {
    const { user, initialPassword } = expectOk<{ user: UserSummary; initialPassword: string }>(
      await createUser('clerk', BUREAU_ID, ['sealer', 'clerk']),
    )
    expect(user).toMatchObject({ username: 'clerk', roles: ['clerk', 'sealer'], active: true, mustChangePassword: true, lastLoginAt: null })
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{14}$/)
    const stored = (await test.core.db('users').where({ id: user.id }).first('password_hash')).password_hash as string
    expect(stored.startsWith('scrypt$')).toBe(true)
    expect(stored).not.toContain(initialPassword)

    const outcome = await test.dispatch({
      channel: 'auth.login',
      payload: { username: 'clerk', password: initialPassword },
      sessionId: null,
    })
    expect(expectOk<{ user: SessionUser }>(outcome.result).user).toMatchObject({ username: 'clerk', mustChangePassword: true })
    const listed = expectOk<UserSummary[]>(await call(test, 'users.list', {}, admin)).find((item) => item.username === 'clerk')!
    expect(listed.lastLoginAt).toBe(test.clock.now().toISOString())
    const organisation = expectOk<Organisation[]>(await call(test, 'organisations.list', {}, admin)).find((item) => item.id === BUREAU_ID)!
    expect(organisation.userCount).toBe(2)
  })

  it('refuses a taken username, an unknown organisation and an inactive one', async () => {
    expectOk(await createUser('clerk'))
    const clash = expectError(await createUser('clerk'), 'CONFLICT')
    expect(clash.message).toContain('clerk')
    expectError(await createUser('admin'), 'CONFLICT')
    expectError(await createUser('orphan', 9999), 'NOT_FOUND')
    const closed = expectOk<Organisation>(await createOrganisation({ name: '已撤销的评审委员会' }))
    expectOk(await call(test, 'organisations.update', { id: closed.id, active: false }, admin))
    expectError(await createUser('late', closed.id), 'INVALID_STATE')
    expect((await test.core.db('users').pluck('username')).sort()).toEqual(['admin', 'clerk'])
  })

  it('resets a password: the new one works, the old one does not, and a lockout is lifted', async () => {
    const { user, initialPassword } = expectOk<{ user: UserSummary; initialPassword: string }>(await createUser('clerk'))
    const clerk = await login(test, 'clerk', initialPassword)
    expectOk(await call(test, 'auth.changePassword', { currentPassword: initialPassword, newPassword: 'Clerk-pass-2026' }, clerk))
    for (let attempt = 0; attempt < 3; attempt += 1)
      expectError(await call(test, 'auth.login', { username: 'clerk', password: 'Forgotten-2026' }), 'LOGIN_FAILED')

    const reset = expectOk<{ initialPassword: string }>(await call(test, 'users.resetPassword', { id: user.id }, admin))
    expect(reset.initialPassword).not.toBe(initialPassword)
    expectError(await call(test, 'auth.login', { username: 'clerk', password: 'Clerk-pass-2026' }), 'LOGIN_FAILED')
    const outcome = await test.dispatch({
      channel: 'auth.login',
      payload: { username: 'clerk', password: reset.initialPassword },
      sessionId: null,
    })
    expect(expectOk<{ user: SessionUser }>(outcome.result).user.mustChangePassword).toBe(true)
    expectError(await call(test, 'users.resetPassword', { id: 9999 }, admin), 'NOT_FOUND')
  })

  it('updates roles, names and organisation, and refuses unknown ids', async () => {
    const { user } = expectOk<{ user: UserSummary; initialPassword: string }>(await createUser('clerk'))
    const board = expectOk<Organisation>(await createOrganisation({ name: '护理评审委员会' }))
    const updated = expectOk<UserSummary>(
      await call(test, 'users.update', { id: user.id, roles: ['reviewer'], displayName: '审核员', organisationId: board.id }, admin),
    )
    expect(updated).toMatchObject({
      roles: ['reviewer'],
      displayName: '审核员',
      organisationId: board.id,
      organisationName: '护理评审委员会',
    })
    expect(await test.core.db('user_roles').where({ user_id: user.id }).pluck('role')).toEqual(['reviewer'])
    expectError(await call(test, 'users.update', { id: 9999, displayName: 'x' }, admin), 'NOT_FOUND')
    expectError(await call(test, 'users.update', { id: user.id, organisationId: 9999 }, admin), 'NOT_FOUND')
  })
})

describe('settings', () => {
  const update = (key: string, value: unknown) => call(test, 'settings.update', { key, value }, admin)

  it('starts from the defaults', async () => {
    expect(expectOk<SettingValues>(await call(test, 'settings.get', {}, admin))).toEqual({
      'session.idleMinutes': 15,
      'login.freeAttempts': 3,
      'ui.defaultLocale': 'zh-CN',
      'verification.baseUrl': 'https://verify.certdesk.invalid/c',
      'numbering.layout': { yearDigits: 4, serialDigits: 5 },
      'numbering.legacyStarts': {},
      'applications.extraIdTypes': [],
      'sealing.modules': [],
      'sealing.timestampUrl': '',
      'filing.reminderDays': 15,
      'registry.baseUrl': '',
    })
  })

  it('validates each value against its own key and refuses unknown keys', async () => {
    for (const value of [0, 481, 1.5, '30', null]) {
      const error = expectError(await update('session.idleMinutes', value), 'VALIDATION')
      expect(error.message).toMatch(CHINESE)
      expect(error.message).toContain('session.idleMinutes')
    }
    expectError(await update('login.freeAttempts', 21), 'VALIDATION')
    expectError(await update('ui.defaultLocale', 'fr'), 'VALIDATION')
    const unknown = expectError(await update('session.neverExpire', true), 'VALIDATION')
    expect(unknown.details!.map((detail) => detail.path)).toEqual(['key'])
    expect(await test.core.db('settings')).toEqual([])

    const values = expectOk<SettingValues>(await update('ui.defaultLocale', 'en'))
    expect(values['ui.defaultLocale']).toBe('en')
    expect(expectOk<SettingValues>(await update('session.idleMinutes', 480))['session.idleMinutes']).toBe(480)
  })

  it('takes effect: session.idleMinutes changes when sessions expire', async () => {
    expectOk(await update('session.idleMinutes', 5))
    test.clock.advance(4 * MINUTE)
    expectOk(await call(test, 'settings.get', {}, admin))
    test.clock.advance(5 * MINUTE + 1_000)
    expectError(await call(test, 'settings.get', {}, admin), 'SESSION_EXPIRED')

    admin = await login(test, 'admin', ADMIN_PASSWORD)
    expectOk(await update('session.idleMinutes', 60))
    test.clock.advance(45 * MINUTE)
    expectOk(await call(test, 'settings.get', {}, admin))
  })

  it('survives a restart, and a stored value that no longer validates falls back to its default', async () => {
    expectOk(await update('login.freeAttempts', 7))
    await test.core.close()
    const reopened = await openCore({ dataDir: test.dataDir, clock: new TestClock() })
    test.core = reopened
    test.dispatch = createDispatcher(reopened)
    expect(await reopened.settings.value('login.freeAttempts')).toBe(7)
    await reopened.db('settings').insert({ key: 'session.idleMinutes', value: '0', updated_at: 'x' })
    expect(await reopened.settings.value('session.idleMinutes')).toBe(15)
  })
})

describe('demo seed', () => {
  it('refuses a data directory that already has users, and adds nothing', async () => {
    const organisations = await test.core.db('organisations').count({ n: '*' }).first()
    const entries = await auditCount(test)
    await expect(seedDemo(test.core, () => DEMO_PASSWORD)).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(await test.core.db('organisations').count({ n: '*' }).first()).toEqual(organisations)
    expect(await test.core.db('users').pluck('username')).toEqual(['admin'])
    expect(await auditCount(test)).toBe(entries)
  })

  it('fills a fresh data directory with the demo organisations and audited accounts', async () => {
    const fresh = await createTestCore()
    try {
      const accounts = await seedDemo(fresh.core, () => DEMO_PASSWORD)
      expect(accounts.map((account) => account.username)).toEqual(DEMO_USERS.map((user) => user.username))
      expect((await fresh.core.db('organisations').pluck('name')).sort()).toEqual(DEMO_ORGANISATIONS.map((item) => item.name).sort())
      expect(await fresh.core.audit.count()).toBe(
        1 + DEMO_ORGANISATIONS.length + DEMO_GRANTS.length + DEMO_USERS.length + DEMO_CERTIFICATES.length,
      )
      const session = await login(fresh, 'reviewer', DEMO_PASSWORD)
      expect(expectOk<SessionUser>(await call(fresh, 'auth.me', {}, session))).toMatchObject({
        roles: ['reviewer'],
        organisationName: '上海市卫生健康委员会',
        mustChangePassword: false,
      })
    } finally {
      await fresh.cleanup()
    }
  })
})
