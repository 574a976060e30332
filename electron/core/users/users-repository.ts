import type { Knex } from 'knex'
import type { SessionUser } from '../../contract/auth'
import { ROLES, type OrganisationKind, type Role } from '../../contract/roles'
import type { UserSummary } from '../../contract/users'
import type { Actor } from './access'

/** The users row as stored. */
export interface UserRow {
  id: number
  username: string
  display_name: string
  password_hash: string
  organisation_id: number
  active: number | boolean
  must_change_password: number | boolean
  failed_logins: number
  last_failed_at: string | null
  last_login_at: string | null
  created_at: string
  updated_at: string
}

type Db = Knex | Knex.Transaction

function sortRoles(roles: string[]): Role[] {
  return ROLES.filter((role) => roles.includes(role))
}

export async function rolesOf(db: Db, userIds: number[]): Promise<Map<number, Role[]>> {
  const rows = (await db('user_roles').whereIn('user_id', userIds).select('user_id', 'role')) as Array<{ user_id: number; role: string }>
  const map = new Map<number, string[]>()
  for (const row of rows) map.set(row.user_id, [...(map.get(row.user_id) ?? []), row.role])
  return new Map([...map].map(([id, roles]) => [id, sortRoles(roles)]))
}

export async function findUserByName(db: Db, username: string): Promise<UserRow | undefined> {
  return db<UserRow>('users').where({ username }).first()
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db<UserRow>('users').where({ id }).first()
}

/** The actor for an active user, or null when the account is gone or disabled. */
export async function loadActor(db: Db, userId: number): Promise<Actor | null> {
  const row = (await db('users as u')
    .join('organisations as o', 'o.id', 'u.organisation_id')
    .where('u.id', userId)
    .first('u.id', 'u.username', 'u.display_name', 'u.active', 'u.organisation_id', 'o.kind', 'o.active as organisation_active')) as
    | {
        id: number
        username: string
        display_name: string
        active: number | boolean
        organisation_id: number
        kind: OrganisationKind
        organisation_active: number | boolean
      }
    | undefined
  // A disabled account, or one whose organisation was deactivated, acts no more.
  if (!row || !row.active || !row.organisation_active) return null
  const roles = (await rolesOf(db, [row.id])).get(row.id) ?? []
  return {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    organisationId: row.organisation_id,
    organisationKind: row.kind,
    roles,
  }
}

export async function loadSessionUser(db: Db, userId: number): Promise<SessionUser | null> {
  const row = (await db('users as u')
    .join('organisations as o', 'o.id', 'u.organisation_id')
    .where('u.id', userId)
    .first('u.must_change_password', 'o.name as organisation_name')) as
    { must_change_password: number | boolean; organisation_name: string } | undefined
  const actor = await loadActor(db, userId)
  if (!row || !actor) return null
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    organisationId: actor.organisationId,
    organisationName: row.organisation_name,
    organisationKind: actor.organisationKind,
    roles: actor.roles,
    mustChangePassword: Boolean(row.must_change_password),
  }
}

export async function listUserSummaries(db: Db, filter: { organisationId?: number; ids?: number[] } = {}): Promise<UserSummary[]> {
  const query = db('users as u')
    .join('organisations as o', 'o.id', 'u.organisation_id')
    .select('u.*', 'o.name as organisation_name')
    .orderBy('u.username')
  if (filter.organisationId) query.where('u.organisation_id', filter.organisationId)
  if (filter.ids) query.whereIn('u.id', filter.ids)
  const rows = (await query) as Array<UserRow & { organisation_name: string }>
  const roles = await rolesOf(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    roles: roles.get(row.id) ?? [],
    active: Boolean(row.active),
    mustChangePassword: Boolean(row.must_change_password),
    lastLoginAt: row.last_login_at,
  }))
}

export async function getUserSummary(db: Db, id: number): Promise<UserSummary | undefined> {
  return (await listUserSummaries(db, { ids: [id] }))[0]
}

export async function replaceRoles(trx: Knex.Transaction, userId: number, roles: Role[]): Promise<void> {
  await trx('user_roles').where({ user_id: userId }).delete()
  await trx('user_roles').insert([...new Set(roles)].map((role) => ({ user_id: userId, role })))
}

/** Active users holding the admin role; the last one may not be disabled or demoted. */
export async function countActiveAdmins(db: Db, exceptUserId?: number): Promise<number> {
  const query = db('users as u').join('user_roles as r', 'r.user_id', 'u.id').where('r.role', 'admin').where('u.active', true)
  if (exceptUserId) query.whereNot('u.id', exceptUserId)
  const row = (await query.count({ n: '*' }).first()) as { n: number | string }
  return Number(row.n)
}
