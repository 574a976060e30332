import { z } from 'zod'

/** The four desks of DOMAIN.md; one user may hold several. */
export const ROLES = ['reviewer', 'clerk', 'sealer', 'admin'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

export const ROLE_LABELS: Record<Role, string> = {
  reviewer: '主管部门审核员',
  clerk: '考试院备案员',
  sealer: '印章密钥持有人',
  admin: '系统管理员',
}

/** Organisation kinds named in the notice (clause 2). */
export const ORGANISATION_KINDS = [
  'bureau',
  'district_bureau',
  'industry_department',
  'review_body',
  'exam_institution',
  'institute',
  'data_center',
] as const
export const OrganisationKindSchema = z.enum(ORGANISATION_KINDS)
export type OrganisationKind = z.infer<typeof OrganisationKindSchema>

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  bureau: '市人社局',
  district_bureau: '区人社局',
  industry_department: '市级行业/专业主管部门',
  review_body: '评审机构',
  exam_institution: '考试机构',
  institute: '市职业能力考试院',
  data_center: '市大数据中心',
}

export const FAMILIES = ['title', 'vocational'] as const
export type Family = (typeof FAMILIES)[number]
