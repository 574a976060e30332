import { z } from 'zod'
import { method } from './method'
import { OrganisationKindSchema, type OrganisationKind } from './roles'

/** Codes assigned by the bureau (clause 6): upper-case letters and digits only. */
export const OrganisationCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{2,12}$/, '机构代码只能由 2–12 位大写字母和数字组成')

export interface Organisation {
  id: number
  name: string
  kind: OrganisationKind
  code: string | null
  parentId: number | null
  parentName: string | null
  organisingUnit: string | null
  active: boolean
  userCount: number
}

const OrganisationFields = z
  .object({
    name: z.string().trim().min(2).max(100),
    kind: OrganisationKindSchema,
    code: OrganisationCodeSchema.nullable(),
    parentId: z.number().int().positive().nullable(),
    organisingUnit: z.string().trim().max(100).nullable(),
  })
  .strict()

export const organisations = {
  list: method(z.object({ includeInactive: z.boolean().optional() }).strict()).returns<Organisation[]>(),
  create: method(OrganisationFields).returns<Organisation>(),
  update: method(
    OrganisationFields.partial().extend({ id: z.number().int().positive(), active: z.boolean().optional() }).strict(),
  ).returns<Organisation>(),
}
