import type { Knex } from 'knex'
import type { Role } from '../../contract/roles'
import type { UserSummary } from '../../contract/users'
import type { AuditActor, AuditLog } from '../audit/audit-log'
import { insertReturningId } from '../db/insert'
import { writeTransaction } from '../db/transaction'
import type { SessionStore } from '../auth/sessions'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { auditActor, requireRole, type Actor } from './access'
import { generatePassword, hashPassword } from './passwords'
import { countActiveAdmins, findUserById, findUserByName, getUserSummary, listUserSummaries, replaceRoles } from './users-repository'

export interface NewUser {
  username: string
  displayName: string
  organisationId: number
  roles: Role[]
  password: string
  mustChangePassword: boolean
}

/** What the audit log digests for a user: never the password hash. */
function auditState(user: UserSummary): Record<string, unknown> {
  return { ...user, lastLoginAt: undefined }
}

/**
 * Inserts a user inside the caller's transaction and audits it. Shared by first-run setup,
 * the admin screen, the CLI and the demo seed so every path checks and records the same way.
 */
export async function insertUser(
  trx: Knex.Transaction,
  audit: AuditLog,
  by: AuditActor,
  clock: Clock,
  user: NewUser,
): Promise<UserSummary> {
  if (await findUserByName(trx, user.username)) throw new AppError('CONFLICT', `用户名“${user.username}”已被使用`)
  const organisation = await trx('organisations').where({ id: user.organisationId }).first('id', 'active')
  if (!organisation) throw new AppError('NOT_FOUND', '所选机构不存在')
  if (!organisation.active) throw new AppError('INVALID_STATE', '所选机构已停用，不能在其下新建用户')
  const now = isoNow(clock)
  const id = await insertReturningId(trx, 'users', {
    username: user.username,
    display_name: user.displayName,
    password_hash: await hashPassword(user.password),
    organisation_id: user.organisationId,
    active: true,
    must_change_password: user.mustChangePassword,
    failed_logins: 0,
    created_at: now,
    updated_at: now,
  })
  await replaceRoles(trx, id, user.roles)
  const summary = (await getUserSummary(trx, id))!
  await audit.record(trx, by, {
    action: 'user.create',
    objectType: 'user',
    objectId: id,
    after: auditState(summary),
    details: { username: user.username, roles: summary.roles, organisationId: user.organisationId },
  })
  return summary
}

/** The admin's management of accounts. Admins are the bureau's, so they see every organisation. */
export class UsersService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly sessions: SessionStore,
  ) {}

  async list(actor: Actor | null, filter: { organisationId?: number }): Promise<UserSummary[]> {
    requireRole(actor, 'admin')
    return listUserSummaries(this.db, filter)
  }

  async create(
    actor: Actor | null,
    input: { username: string; displayName: string; organisationId: number; roles: Role[] },
  ): Promise<{ user: UserSummary; initialPassword: string }> {
    const admin = requireRole(actor, 'admin')
    const initialPassword = generatePassword()
    const user = await writeTransaction(this.db, (trx) =>
      insertUser(trx, this.audit, auditActor(admin), this.clock, { ...input, password: initialPassword, mustChangePassword: true }),
    )
    return { user, initialPassword }
  }

  async update(
    actor: Actor | null,
    input: { id: number; displayName?: string; organisationId?: number; roles?: Role[]; active?: boolean },
  ): Promise<UserSummary> {
    const admin = requireRole(actor, 'admin')
    return writeTransaction(this.db, async (trx) => {
      const before = await getUserSummary(trx, input.id)
      if (!before) throw new AppError('NOT_FOUND', '用户不存在')
      const losesAdmin = (input.active === false || (input.roles && !input.roles.includes('admin'))) && before.roles.includes('admin')
      if (losesAdmin && (await countActiveAdmins(trx, input.id)) === 0) throw new AppError('LAST_ADMIN')
      if (input.organisationId !== undefined) {
        const organisation = await trx('organisations').where({ id: input.organisationId }).first('id', 'active')
        if (!organisation) throw new AppError('NOT_FOUND', '所选机构不存在')
        if (!organisation.active) throw new AppError('INVALID_STATE', '所选机构已停用，不能把用户移入该机构')
      }
      const patch: Record<string, unknown> = { updated_at: isoNow(this.clock) }
      if (input.displayName !== undefined) patch.display_name = input.displayName
      if (input.organisationId !== undefined) patch.organisation_id = input.organisationId
      if (input.active !== undefined) patch.active = input.active
      await trx('users').where({ id: input.id }).update(patch)
      if (input.roles) await replaceRoles(trx, input.id, input.roles)
      const after = (await getUserSummary(trx, input.id))!
      await this.audit.record(trx, auditActor(admin), {
        action: 'user.update',
        objectType: 'user',
        objectId: input.id,
        before: auditState(before),
        after: auditState(after),
        details: { username: after.username, changed: Object.keys(input).filter((key) => key !== 'id') },
      })
      return after
    })
  }

  /** A new one-time password, shown once; the user must change it at the next login. */
  async resetPassword(actor: Actor | null, id: number): Promise<{ initialPassword: string }> {
    const admin = requireRole(actor, 'admin')
    const initialPassword = generatePassword()
    const passwordHash = await hashPassword(initialPassword)
    await writeTransaction(this.db, async (trx) => {
      const user = await findUserById(trx, id)
      if (!user) throw new AppError('NOT_FOUND', '用户不存在')
      await trx('users')
        .where({ id })
        .update({
          password_hash: passwordHash,
          must_change_password: true,
          failed_logins: 0,
          last_failed_at: null,
          updated_at: isoNow(this.clock),
        })
      await this.audit.record(trx, auditActor(admin), {
        action: 'user.reset_password',
        objectType: 'user',
        objectId: id,
        details: { username: user.username },
      })
    })
    // Whoever holds a session on the old password is signed out with it.
    this.sessions.deleteUser(id)
    return { initialPassword }
  }
}
