import { z } from 'zod'
import { method } from './method'

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

export const seals = {
  getAppearance: method(OrganisationId).returns<SealAppearanceInfo | null>(),
  setAppearance: method(
    OrganisationId.extend({
      pngBase64: z
        .string()
        .max(Math.ceil((MAX_SEAL_APPEARANCE_BYTES * 4) / 3) + 4, '印章图样不能超过 512 KB')
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, '印章图样应为 base64 编码的 PNG'),
    }).strict(),
  ).returns<SealAppearanceInfo>(),
  removeAppearance: method(OrganisationId).returns<null>(),
}
