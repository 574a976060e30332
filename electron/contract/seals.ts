import { z } from 'zod'
import { TITLE_LEVELS } from './certificates'
import { method } from './method'
import { FAMILIES } from './roles'
import type { CertificateInfo } from './sealing'

/** The uploaded appearance of an organisation's seal, or null when the app draws it. */
export interface SealAppearanceInfo {
  organisationId: number
  /** PNG, base64. */
  pngBase64: string
  width: number
  height: number
  updatedAt: string
}

const OrganisationId = z.object({ organisationId: z.number().int().positive() }).strict()

/** At most 512 KB of PNG (≈ 700 000 base64 characters). */
export const MAX_SEAL_APPEARANCE_BYTES = 512 * 1024

/**
 * Which certificates a registered seal applies to: a family and a level (a title level, a
 * vocational level as written on the certificate), '*' for every level of the family.
 */
export const SealScopeSchema = z
  .object({ family: z.enum(FAMILIES), level: z.string().trim().min(1).max(16) })
  .strict()
  .refine(
    (scope) => scope.family !== 'title' || scope.level === '*' || (TITLE_LEVELS as readonly string[]).includes(scope.level),
    '职称级别无效',
  )
export type SealScope = z.infer<typeof SealScopeSchema>

/** A registered electronic seal (电子印章): whose, what for, signed with which token certificate. */
export interface SealInfo {
  id: number
  organisationId: number
  organisationName: string
  name: string
  purpose: string
  certificate: CertificateInfo
  appliesTo: SealScope[]
  /** The seal's own appearance (PNG); without one the organisation's appearance, else the drawn seal. */
  hasAppearance: boolean
  tokenLabel: string | null
  tokenSerial: string | null
  active: boolean
  createdAt: string
  updatedAt: string
}

const PngBase64 = z
  .string()
  .max(Math.ceil((MAX_SEAL_APPEARANCE_BYTES * 4) / 3) + 4, '印章图样不能超过 512 KB')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, '印章图样应为 base64 编码的 PNG')
const SealName = z.string().trim().min(2, '印章名称至少 2 个字').max(100)
const SealPurpose = z.string().trim().min(2, '印章用途至少 2 个字').max(100)
const Scopes = z.array(SealScopeSchema).min(1, '请至少选择一类适用的证书').max(20)

export const seals = {
  // Organisations' seal appearances (机构管理 › 印章图样).
  getAppearance: method(OrganisationId).returns<SealAppearanceInfo | null>(),
  setAppearance: method(OrganisationId.extend({ pngBase64: PngBase64 }).strict()).returns<SealAppearanceInfo>(),
  removeAppearance: method(OrganisationId).returns<null>(),
  // The registry of electronic seals (印章管理).
  list: method(z.object({ includeInactive: z.boolean().default(false) }).strict()).returns<SealInfo[]>(),
  register: method(
    z
      .object({
        organisationId: z.number().int().positive(),
        name: SealName,
        purpose: SealPurpose,
        certificateDerBase64: z
          .string()
          .max(16_384)
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, '印章证书应为 base64 编码的 DER'),
        tokenLabel: z.string().max(64).optional(),
        tokenSerial: z.string().max(64).optional(),
        appliesTo: Scopes,
        appearancePngBase64: PngBase64.optional(),
      })
      .strict(),
  ).returns<SealInfo>(),
  update: method(
    z
      .object({
        id: z.number().int().positive(),
        name: SealName.optional(),
        purpose: SealPurpose.optional(),
        appliesTo: Scopes.optional(),
        active: z.boolean().optional(),
        /** null removes the seal's own appearance. */
        appearancePngBase64: PngBase64.nullable().optional(),
      })
      .strict(),
  ).returns<SealInfo>(),
  appearance: method(z.object({ id: z.number().int().positive() }).strict()).returns<{ pngBase64: string } | null>(),
}
