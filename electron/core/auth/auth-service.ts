import type { Knex } from 'knex'
import type { AppStatus, SessionUser } from '../../contract/auth'
import type { AuditLog } from '../audit/audit-log'
import { SYSTEM_ACTOR } from '../audit/audit-log'
import { writeTransaction } from '../db/transaction'
import { insertOrganisation } from '../organisations/organisations-service'
import type { SettingsService } from '../settings/settings-service'
import { auditActor, requireSignedIn, type Actor } from '../users/access'
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from '../users/passwords'
import { findUserById, findUserByName, loadActor, loadSessionUser, type UserRow } from '../users/users-repository'
import { insertUser } from '../users/users-service'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import type { SessionStore } from './sessions'
import { remainingLockoutMs } from './throttle'

export const APP_VERSION = '0.1.0'

/** Sign-in, first-run setup, sessions with inactivity expiry, and login throttling. */
export class AuthService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    readonly sessions: SessionStore,
  ) {}

  async status(): Promise<AppStatus> {
    return { setupRequired: !(await this.hasUsers()), version: APP_VERSION }
  }

  private async hasUsers(db: Knex | Knex.Transaction = this.db): Promise<boolean> {
    return Boolean(await db('users').first('id'))
  }

  /** First run: the bureau and its administrator, in one transaction, only while no user exists. */
  async setup(input: {
    organisationName: string
    username: string
    displayName: string
    password: string
  }): Promise<{ sessionId: string; user: SessionUser }> {
    assertStrongPassword(input.password)
    const userId = await writeTransaction(this.db, async (trx) => {
      if (await this.hasUsers(trx)) throw new AppError('SETUP_DONE')
      const organisation =
        ((await trx('organisations').where({ kind: 'bureau' }).first('id')) as { id: number } | undefined) ??
        (await insertOrganisation(
          trx,
          this.audit,
          SYSTEM_ACTOR,
          this.clock,
          { name: input.organisationName, kind: 'bureau', code: null, parentId: null, organisingUnit: null },
          { setup: true },
        ))
      const user = await insertUser(trx, this.audit, SYSTEM_ACTOR, this.clock, {
        username: input.username,
        displayName: input.displayName,
        organisationId: organisation.id,
        roles: ['admin'],
        password: input.password,
        mustChangePassword: false,
      })
      return user.id
    })
    const sessionId = this.sessions.create(userId)
    return { sessionId, user: (await loadSessionUser(this.db, userId))! }
  }

  /**
   * Checks the password, counting failures in the database and refusing further tries for a
   * growing time. Unknown names cost the same scrypt work, so timing does not reveal them.
   */
  async login(username: string, password: string): Promise<{ sessionId: string; user: SessionUser }> {
    if (!(await this.hasUsers())) throw new AppError('SETUP_REQUIRED')
    const user = await findUserByName(this.db, username)
    if (!user) {
      await verifyPassword(password, await dummyPasswordHash())
      throw new AppError('LOGIN_FAILED')
    }
    await this.checkPassword(user, password, 'auth.login_failed', new AppError('LOGIN_FAILED'))
    if (!(await loadActor(this.db, user.id))) throw new AppError('ACCOUNT_DISABLED')
    await this.recordLogin(user.id, user.username)
    const sessionId = this.sessions.create(user.id)
    return { sessionId, user: (await loadSessionUser(this.db, user.id))! }
  }

  /**
   * The one place a password is checked against the throttle: login and change-password both
   * count failures in the database and refuse further tries for a growing time.
   */
  private async checkPassword(user: UserRow, password: string, failedAction: string, failure: AppError): Promise<void> {
    const freeAttempts = await this.settings.value('login.freeAttempts')
    const waitMs = remainingLockoutMs(user.failed_logins, user.last_failed_at, freeAttempts, this.clock.now())
    if (waitMs > 0) throw new AppError('LOGIN_THROTTLED', `密码错误次数过多，请在 ${Math.ceil(waitMs / 1000)} 秒后再试`)
    if (await verifyPassword(password, user.password_hash)) return
    await writeTransaction(this.db, async (trx) => {
      await trx('users')
        .where({ id: user.id })
        .update({ failed_logins: trx.raw('failed_logins + 1'), last_failed_at: isoNow(this.clock) })
      await this.audit.record(
        trx,
        { userId: null, username: user.username },
        { action: failedAction, objectType: 'user', objectId: user.id },
      )
    })
    throw failure
  }

  private async recordLogin(userId: number, username: string): Promise<void> {
    await writeTransaction(this.db, async (trx) => {
      await trx('users')
        .where({ id: userId })
        .update({ failed_logins: 0, last_failed_at: null, last_login_at: isoNow(this.clock) })
      await this.audit.record(trx, { userId, username }, { action: 'auth.login', objectType: 'user', objectId: userId })
    })
  }

  /** Resolves a session to its actor; expired and unknown sessions are told apart for the UI. */
  async resolve(sessionId: string | null | undefined): Promise<Actor> {
    const lookup = this.sessions.touch(sessionId, await this.settings.value('session.idleMinutes'))
    if (lookup.state === 'expired') throw new AppError('SESSION_EXPIRED')
    if (lookup.state === 'none') throw new AppError('UNAUTHENTICATED')
    const actor = await loadActor(this.db, lookup.userId)
    if (!actor) {
      this.sessions.delete(sessionId)
      throw new AppError('ACCOUNT_DISABLED')
    }
    return actor
  }

  /** Who is signed in; a check, not activity (see SessionStore.peek). */
  async me(sessionId: string | null | undefined): Promise<SessionUser | null> {
    const lookup = this.sessions.peek(sessionId, await this.settings.value('session.idleMinutes'))
    return lookup.state === 'active' ? loadSessionUser(this.db, lookup.userId) : null
  }

  async logout(sessionId: string | null | undefined): Promise<void> {
    const lookup = this.sessions.peek(sessionId, Number.MAX_SAFE_INTEGER)
    this.sessions.delete(sessionId)
    if (lookup.state !== 'active') return
    const actor = await loadActor(this.db, lookup.userId)
    if (!actor) return
    await writeTransaction(this.db, (trx) =>
      this.audit.record(trx, auditActor(actor), { action: 'auth.logout', objectType: 'user', objectId: actor.userId }),
    )
  }

  async changePassword(actor: Actor | null, sessionId: string | null, currentPassword: string, newPassword: string): Promise<void> {
    const self = requireSignedIn(actor)
    const user = await findUserById(this.db, self.userId)
    if (!user) throw new AppError('NOT_FOUND', '用户不存在')
    await this.checkPassword(user, currentPassword, 'user.change_password_failed', new AppError('LOGIN_FAILED', '当前密码不正确'))
    assertStrongPassword(newPassword)
    if (currentPassword === newPassword) throw new AppError('WEAK_PASSWORD', '新密码不能与当前密码相同')
    const passwordHash = await hashPassword(newPassword)
    await writeTransaction(this.db, async (trx) => {
      await trx('users')
        .where({ id: self.userId })
        .update({
          password_hash: passwordHash,
          must_change_password: false,
          failed_logins: 0,
          last_failed_at: null,
          updated_at: isoNow(this.clock),
        })
      await this.audit.record(trx, auditActor(self), { action: 'user.change_password', objectType: 'user', objectId: self.userId })
    })
    this.sessions.deleteUser(self.userId, sessionId ?? undefined)
  }

  /** For the CLI: one command, one authentication, no session kept. */
  async authenticate(username: string, password: string): Promise<Actor> {
    const { sessionId, user } = await this.login(username, password)
    this.sessions.delete(sessionId)
    return (await loadActor(this.db, user.id))!
  }
}
