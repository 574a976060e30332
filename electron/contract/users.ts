import { z } from 'zod'
import { UsernameSchema } from './auth'
import { method } from './method'
import { RoleSchema, type Role } from './roles'

export interface UserSummary {
  id: number
  username: string
  displayName: string
  organisationId: number
  organisationName: string
  roles: Role[]
  active: boolean
  mustChangePassword: boolean
  lastLoginAt: string | null
}

const Id = z.number().int().positive()
const Roles = z.array(RoleSchema).min(1, '至少选择一个角色').max(4)

export const users = {
  list: method(z.object({ organisationId: Id.optional() }).strict()).returns<UserSummary[]>(),
  /** Creates the account with a generated one-time password, shown once to the admin. */
  create: method(
    z
      .object({
        username: UsernameSchema,
        displayName: z.string().trim().min(1).max(64),
        organisationId: Id,
        roles: Roles,
      })
      .strict(),
  ).returns<{ user: UserSummary; initialPassword: string }>(),
  update: method(
    z
      .object({
        id: Id,
        displayName: z.string().trim().min(1).max(64).optional(),
        organisationId: Id.optional(),
        roles: Roles.optional(),
        active: z.boolean().optional(),
      })
      .strict(),
  ).returns<UserSummary>(),
  resetPassword: method(z.object({ id: Id }).strict()).returns<{ initialPassword: string }>(),
}
