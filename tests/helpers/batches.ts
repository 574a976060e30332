import type { Role } from '../../electron/contract/roles'
import type { Core } from '../../electron/core/app'
import { SYSTEM_ACTOR } from '../../electron/core/audit/audit-log'
import { writeTransaction } from '../../electron/core/db/transaction'
import type { Actor } from '../../electron/core/users/access'
import { loadActor } from '../../electron/core/users/users-repository'
import { insertUser } from '../../electron/core/users/users-service'

export {
  applicants,
  insertBatch,
  residentIdNumber,
  titleFields,
  vocationalFields,
  type ApplicantSpec,
  type BatchSpec,
  type InsertedBatch,
  type IssueSpec,
} from '../../db/seeds/batches'

/** Adds an account (password `password`) at the organisation with this name or code. */
export async function addUser(
  core: Core,
  user: { username: string; displayName: string; organisation: string; roles: Role[]; password?: string },
): Promise<number> {
  return writeTransaction(core.db, async (trx) => {
    const organisation = (await trx('organisations')
      .where({ name: user.organisation })
      .orWhere({ code: user.organisation })
      .first('id')) as { id: number } | undefined
    if (!organisation) throw new Error(`no organisation ${user.organisation}`)
    const created = await insertUser(trx, core.audit, SYSTEM_ACTOR, core.clock, {
      username: user.username,
      displayName: user.displayName,
      organisationId: organisation.id,
      roles: user.roles,
      password: user.password ?? 'Review-pass-2026',
      mustChangePassword: false,
    })
    return created.id
  })
}

/** The actor of an account, as core loads it for every call. */
export async function actorOf(core: Core, username: string): Promise<Actor> {
  const row = (await core.db('users').where({ username }).first('id')) as { id: number } | undefined
  if (!row) throw new Error(`no user ${username}`)
  const actor = await loadActor(core.db, row.id)
  if (!actor) throw new Error(`user ${username} cannot act`)
  return actor
}
