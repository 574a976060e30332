import { z } from 'zod'
import { method } from './method'

/**
 * Every setting the product knows, with its schema and default. Later capabilities add their
 * keys here; unknown keys are refused at the boundary.
 */
export const SETTING_DEFINITIONS = {
  'session.idleMinutes': { schema: z.number().int().min(1).max(480), default: 15 },
  'login.freeAttempts': { schema: z.number().int().min(1).max(20), default: 3 },
  'ui.defaultLocale': { schema: z.enum(['zh-CN', 'en']), default: 'zh-CN' },
  /** Base of the QR code's verification URL: base + '/' + certificate number + '?c=' + short code. */
  'verification.baseUrl': {
    schema: z
      .url({ protocol: /^https?$/ })
      .max(200)
      .refine((url) => !url.endsWith('/'), '地址末尾不要带“/”'),
    default: 'https://verify.certdesk.invalid/c',
  },
} as const

export type SettingKey = keyof typeof SETTING_DEFINITIONS
export type SettingValues = { [K in SettingKey]: z.infer<(typeof SETTING_DEFINITIONS)[K]['schema']> }
export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[]

export const SettingKeySchema = z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]])

export const settings = {
  get: method(z.object({}).strict()).returns<SettingValues>(),
  /** The value is validated against the key's own schema in core. */
  update: method(z.object({ key: SettingKeySchema, value: z.unknown() }).strict()).returns<SettingValues>(),
}
