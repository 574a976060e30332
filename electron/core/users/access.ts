import { ROLE_LABELS, type OrganisationKind, type Role } from '../../contract/roles'
import type { AuditActor } from '../audit/audit-log'
import { AppError } from '../util/app-error'

/** The caller of a core service, loaded fresh from the database on every call. */
export interface Actor {
  userId: number
  username: string
  displayName: string
  organisationId: number
  organisationKind: OrganisationKind
  roles: Role[]
}

/** Every core service starts here: a hidden menu item is not access control. */
export function requireRole(actor: Actor | null, ...roles: Role[]): Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED')
  if (!actor.roles.some((role) => roles.includes(role))) {
    throw new AppError('FORBIDDEN', `您没有执行此操作的权限：需要以下角色之一：${roles.map((role) => ROLE_LABELS[role]).join('、')}`)
  }
  return actor
}

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED')
  return actor
}

export function auditActor(actor: Actor): AuditActor {
  return { userId: actor.userId, username: actor.username }
}
