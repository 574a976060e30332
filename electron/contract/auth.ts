import { z } from 'zod'
import { method } from './method'
import type { OrganisationKind, Role } from './roles'

/** Passwords are checked for strength in core too; the schema only bounds the size. */
export const PasswordSchema = z.string().min(1).max(256)
export const UsernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, '用户名只能包含字母、数字、点、下划线和连字符')

/** The signed-in user as the renderer sees it. */
export interface SessionUser {
  id: number
  username: string
  displayName: string
  organisationId: number
  organisationName: string
  organisationKind: OrganisationKind
  roles: Role[]
  mustChangePassword: boolean
}

export interface AppStatus {
  setupRequired: boolean
  version: string
}

export const auth = {
  status: method(z.object({}).strict(), { public: true }).returns<AppStatus>(),
  /** First run only: creates the bureau and its administrator. */
  setup: method(
    z
      .object({
        organisationName: z.string().trim().min(2).max(100),
        username: UsernameSchema,
        displayName: z.string().trim().min(1).max(64),
        password: PasswordSchema,
      })
      .strict(),
    { public: true },
  ).returns<{ user: SessionUser }>(),
  login: method(z.object({ username: z.string().trim().min(1).max(64), password: PasswordSchema }).strict(), {
    public: true,
  }).returns<{ user: SessionUser }>(),
  logout: method(z.object({}).strict(), { public: true }).returns<null>(),
  /** The current user, or null when not signed in or the session expired. */
  me: method(z.object({}).strict(), { public: true }).returns<SessionUser | null>(),
  changePassword: method(z.object({ currentPassword: PasswordSchema, newPassword: PasswordSchema }).strict()).returns<null>(),
}
