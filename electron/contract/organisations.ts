import { z } from 'zod'
import { method } from './method'
import { VOCATIONAL_LEVELS } from './application-format'
import { TITLE_LEVELS } from './certificates'
import { FAMILIES, OrganisationKindSchema, type Family, type OrganisationKind } from './roles'

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

/**
 * What an applying organisation (review body, exam institution) may apply for, checked at import.
 * A vocational grant's level may be '*' (every level). For intermediate and primary titles the
 * grant also names whose seal the certificate carries (clause 3); null means the supervising
 * department's.
 */
export interface OrganisationGrant {
  family: Family
  level: string
  sealOrganisationId: number | null
}

export const ANY_LEVEL = '*'

export const GrantSchema = z
  .object({
    family: z.enum(FAMILIES),
    level: z.string(),
    sealOrganisationId: z.number().int().positive().nullable(),
  })
  .strict()
  .refine(
    (grant) =>
      grant.family === 'title'
        ? (TITLE_LEVELS as readonly string[]).includes(grant.level)
        : grant.level === ANY_LEVEL || (VOCATIONAL_LEVELS as readonly string[]).includes(grant.level),
    { message: '级别与证书类别不符', path: ['level'] },
  )

export const organisations = {
  list: method(z.object({ includeInactive: z.boolean().optional() }).strict()).returns<Organisation[]>(),
  create: method(OrganisationFields).returns<Organisation>(),
  update: method(
    OrganisationFields.partial().extend({ id: z.number().int().positive(), active: z.boolean().optional() }).strict(),
  ).returns<Organisation>(),
  grants: method(z.object({ organisationId: z.number().int().positive() }).strict()).returns<OrganisationGrant[]>(),
  /** Replaces the organisation's grants as a whole. */
  setGrants: method(z.object({ organisationId: z.number().int().positive(), grants: z.array(GrantSchema).max(50) }).strict()).returns<
    OrganisationGrant[]
  >(),
}
