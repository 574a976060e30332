import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuditEntry, AuditVerification } from '../../electron/contract'
import { migrations } from '../../db/migrations'
import { canonicalJson, sha256Hex } from '../../electron/core/util/canonical'
import { ADMIN_PASSWORD, createTestCore, setupAdmin, type TestCore } from '../helpers/core'
import { auditCount, call, CHINESE, expectError, expectOk, login, userId } from '../helpers/calls'
import { cloneCore, sessionFor } from '../helpers/template'

let test: TestCore

beforeEach(async () => {
  test = await createTestCore()
})

afterEach(async () => {
  await test.cleanup()
})

/** Runs `work` and returns the audit entries it appended, oldest first. */
async function entriesWrittenBy(work: () => Promise<unknown>): Promise<AuditEntry[]> {
  const before = await auditCount(test)
  await work()
  const after = await auditCount(test)
  if (after === before) return []
  return (await test.core.audit.list({ limit: after - before })).reverse()
}

async function verify(session: string): Promise<AuditVerification> {
  return expectOk<AuditVerification>(await call(test, 'audit.verify', {}, session))
}

async function dropAppendOnlyTriggers(): Promise<void> {
  await test.core.db.raw('DROP TRIGGER audit_log_no_update')
  await test.core.db.raw('DROP TRIGGER audit_log_no_delete')
}

/** The documented hash of an entry, recomputed independently from its stored columns. */
function hashOfRow(row: Record<string, unknown>): string {
  return sha256Hex(
    canonicalJson({
      id: Number(row.id),
      at: row.at,
      actorId: row.actor_id,
      actorName: row.actor_name,
      action: row.action,
      objectType: row.object_type,
      objectId: row.object_id,
      beforeDigest: row.before_digest,
      afterDigest: row.after_digest,
      details: row.details,
      prevHash: row.prev_hash,
    }),
  )
}

describe('every state change writes exactly one audit entry', () => {
  it('records opening (migrations), setup, organisations, users, settings, sign-in and sign-out', async () => {
    const actions = async (work: () => Promise<unknown>) => (await entriesWrittenBy(work)).map((entry) => entry.action)

    const [first] = await test.core.audit.list({ limit: 1 })
    expect(first).toMatchObject({ id: 1, action: 'db.migrate', actorId: null, actorName: 'system' })
    expect(first.details.applied).toEqual(migrations.map((migration) => migration.name))

    let admin = ''
    // Setup creates two things, the bureau and its administrator: one entry each.
    expect(await actions(async () => (admin = await setupAdmin(test)))).toEqual(['organisation.create', 'user.create'])
    const adminId = await userId(test, 'admin')

    let organisationId = 0
    const created = await entriesWrittenBy(async () => {
      const value = expectOk<{ id: number }>(
        await call(
          test,
          'organisations.create',
          { name: '上海市卫生健康委员会', kind: 'industry_department', code: null, parentId: null, organisingUnit: null },
          admin,
        ),
      )
      organisationId = value.id
    })
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({
      action: 'organisation.create',
      actorId: adminId,
      actorName: 'admin',
      objectType: 'organisation',
      objectId: String(organisationId),
    })

    expect(
      await actions(async () =>
        expectOk(await call(test, 'organisations.update', { id: organisationId, organisingUnit: '卫健委' }, admin)),
      ),
    ).toEqual(['organisation.update'])

    let clerkPassword = ''
    let clerkId = 0
    expect(
      await actions(async () => {
        const value = expectOk<{ user: { id: number }; initialPassword: string }>(
          await call(test, 'users.create', { username: 'clerk', displayName: '备案员', organisationId, roles: ['clerk'] }, admin),
        )
        clerkId = value.user.id
      }),
    ).toEqual(['user.create'])
    expect(
      await actions(async () => expectOk(await call(test, 'users.update', { id: clerkId, displayName: '考试院备案员' }, admin))),
    ).toEqual(['user.update'])
    expect(
      await actions(async () => {
        clerkPassword = expectOk<{ initialPassword: string }>(
          await call(test, 'users.resetPassword', { id: clerkId }, admin),
        ).initialPassword
      }),
    ).toEqual(['user.reset_password'])
    expect(
      await actions(async () => expectOk(await call(test, 'settings.update', { key: 'session.idleMinutes', value: 30 }, admin))),
    ).toEqual(['settings.update'])

    let clerk = ''
    const signedIn = await entriesWrittenBy(async () => (clerk = await login(test, 'clerk', clerkPassword)))
    expect(signedIn).toHaveLength(1)
    expect(signedIn[0]).toMatchObject({ action: 'auth.login', actorId: clerkId, actorName: 'clerk', objectId: String(clerkId) })

    const failed = await entriesWrittenBy(async () =>
      expectError(await call(test, 'auth.login', { username: 'clerk', password: 'Wrong-pass-1234' }), 'LOGIN_FAILED'),
    )
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ action: 'auth.login_failed', actorId: null, actorName: 'clerk', objectId: String(clerkId) })

    expect(
      await actions(async () =>
        expectOk(await call(test, 'auth.changePassword', { currentPassword: clerkPassword, newPassword: 'Clerk-pass-2026' }, clerk)),
      ),
    ).toEqual(['user.change_password'])
    expect(await actions(async () => expectOk(await call(test, 'auth.logout', {}, clerk)))).toEqual(['auth.logout'])

    const result = await verify(admin)
    expect(result).toMatchObject({ ok: true, firstBroken: null, count: await auditCount(test) })
    expect(result.headHash).toBe((await test.core.audit.list({ limit: 1 }))[0].hash)
  })

  it('writes nothing for reads and for refused changes', async () => {
    const admin = await setupAdmin(test)
    const nothing = async (work: () => Promise<unknown>) => expect(await entriesWrittenBy(work)).toEqual([])
    await nothing(async () => expectOk(await call(test, 'organisations.list', {}, admin)))
    await nothing(async () => expectOk(await call(test, 'users.list', {}, admin)))
    await nothing(async () => expectOk(await call(test, 'settings.get', {}, admin)))
    await nothing(async () => expectOk(await call(test, 'audit.list', {}, admin)))
    await nothing(async () => expectOk(await call(test, 'audit.verify', {}, admin)))
    await nothing(async () => expectOk(await call(test, 'dashboard.summary', {}, admin)))
    await nothing(async () =>
      expectError(await call(test, 'settings.update', { key: 'session.idleMinutes', value: 0 }, admin), 'VALIDATION'),
    )
    await nothing(async () =>
      expectError(
        await call(test, 'users.create', { username: 'admin', displayName: 'x', organisationId: 1, roles: ['admin'] }, admin),
        'CONFLICT',
      ),
    )
    // A wrong current password is counted towards the throttle: that count is a change, audited once.
    const failed = await entriesWrittenBy(async () =>
      expectError(
        await call(test, 'auth.changePassword', { currentPassword: 'Not-the-pass-1', newPassword: 'New-pass-20261' }, admin),
        'LOGIN_FAILED',
      ),
    )
    expect(failed.map((entry) => entry.action)).toEqual(['user.change_password_failed'])
  })
})

describe('the chain', () => {
  let admin: string
  /** Set up once (one scrypt hash); each test tampers with its own copy. */
  let template: TestCore

  beforeAll(async () => {
    template = await createTestCore()
    const session = await setupAdmin(template)
    for (const code of ['AAA', 'BBB', 'CCC']) {
      expectOk(
        await call(
          template,
          'organisations.create',
          { name: `评审委员会${code}`, kind: 'review_body', code, parentId: null, organisingUnit: null },
          session,
        ),
      )
    }
  })

  afterAll(async () => {
    await template.cleanup()
  })

  beforeEach(async () => {
    await test.cleanup()
    test = await cloneCore(template)
    admin = await sessionFor(test, 'admin')
    // 1 migrate, 2–3 setup, 4–6 organisations
    expect(await auditCount(test)).toBe(6)
  })

  it('links every entry to the one before and verifies from the genesis', async () => {
    const rows = (await test.core.db('audit_log').orderBy('id')) as Array<Record<string, unknown>>
    expect(rows.map((row) => Number(row.id))).toEqual([1, 2, 3, 4, 5, 6])
    expect(rows[0].prev_hash).toBe('0'.repeat(64))
    for (let index = 1; index < rows.length; index += 1) expect(rows[index].prev_hash).toBe(rows[index - 1].hash)
    for (const row of rows) expect(hashOfRow(row)).toBe(row.hash)
    expect(await verify(admin)).toEqual({ ok: true, count: 6, headHash: rows[5].hash, firstBroken: null })
  })

  it('is append-only in the database itself: UPDATE and DELETE throw', async () => {
    const db = test.core.db
    await expect(db('audit_log').where({ id: 3 }).update({ action: 'user.forged' })).rejects.toThrow(/append-only/)
    await expect(db('audit_log').where({ id: 3 }).delete()).rejects.toThrow(/append-only/)
    await expect(db.raw("UPDATE audit_log SET details = '{}'")).rejects.toThrow(/append-only/)
    await expect(db.raw('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
    expect(await auditCount(test)).toBe(6)
    expect((await verify(admin)).ok).toBe(true)
  })

  it('names an entry edited by hand (triggers dropped)', async () => {
    await dropAppendOnlyTriggers()
    await test.core
      .db('audit_log')
      .where({ id: 3 })
      .update({ details: canonicalJson({ username: 'someone-else' }) })
    const result = await verify(admin)
    expect(result.ok).toBe(false)
    expect(result.firstBroken?.id).toBe(3)
    expect(result.firstBroken?.reason).toMatch(CHINESE)
    expect(result.count).toBe(2)
  })

  it('names an edited action just the same', async () => {
    await dropAppendOnlyTriggers()
    await test.core.db('audit_log').where({ id: 3 }).update({ action: 'user.update' })
    expect((await verify(admin)).firstBroken?.id).toBe(3)
  })

  it('names a deleted middle entry as missing', async () => {
    await dropAppendOnlyTriggers()
    await test.core.db('audit_log').where({ id: 3 }).delete()
    const result = await verify(admin)
    expect(result.ok).toBe(false)
    expect(result.firstBroken?.id).toBe(3)
    expect(result.firstBroken?.reason).toContain('缺失')
  })

  it('breaks at the next entry when a row is altered and its own hash recomputed', async () => {
    await dropAppendOnlyTriggers()
    const row = (await test.core.db('audit_log').where({ id: 3 }).first()) as Record<string, unknown>
    const forged = { ...row, actor_name: 'intruder' }
    await test.core
      .db('audit_log')
      .where({ id: 3 })
      .update({ actor_name: 'intruder', hash: hashOfRow(forged) })
    const result = await verify(admin)
    expect(result.ok).toBe(false)
    expect(result.firstBroken?.id).toBe(4)
    expect(result.count).toBe(3)
  })

  it('verifies across page boundaries (small pages)', async () => {
    const result = await test.core.audit.verify(2)
    expect(result).toMatchObject({ ok: true, count: 6 })
  })
})

describe('audit entries never carry passwords', () => {
  it('has no password and no password hash in any column of any entry', async () => {
    const admin = await setupAdmin(test)
    const created = expectOk<{ user: { id: number }; initialPassword: string }>(
      await call(test, 'users.create', { username: 'sealer', displayName: '印章管理员', organisationId: 1, roles: ['sealer'] }, admin),
    )
    const reset = expectOk<{ initialPassword: string }>(await call(test, 'users.resetPassword', { id: created.user.id }, admin))
    const sealer = await login(test, 'sealer', reset.initialPassword)
    const changed = 'Sealer-pass-2026'
    expectOk(await call(test, 'auth.changePassword', { currentPassword: reset.initialPassword, newPassword: changed }, sealer))
    const wrong = 'Wrong-guess-2026'
    expectError(await call(test, 'auth.login', { username: 'sealer', password: wrong }), 'LOGIN_FAILED')
    expectError(await call(test, 'auth.login', { username: 'nobody', password: wrong }), 'LOGIN_FAILED')

    const secrets = [ADMIN_PASSWORD, created.initialPassword, reset.initialPassword, changed, wrong, 'scrypt$']
    const hashes = (await test.core.db('users').pluck('password_hash')) as string[]
    const rows = (await test.core.db('audit_log')) as Array<Record<string, unknown>>
    expect(rows.length).toBeGreaterThan(5)
    for (const row of rows) {
      const text = Object.values(row).map(String).join('\n')
      for (const secret of [...secrets, ...hashes]) expect(text, `entry ${row.id} (${row.action})`).not.toContain(secret)
    }
  })
})
