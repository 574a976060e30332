import { z } from 'zod'
import { method } from './method'
import { DEFAULT_NUMBER_LAYOUT, LegacyStartsSchema, NumberLayoutSchema } from './numbering'

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
  /** Certificate-number layout (clause 6); the settings page shows an example. */
  'numbering.layout': { schema: NumberLayoutSchema, default: DEFAULT_NUMBER_LAYOUT },
  /** Legacy series continued from a configured serial, e.g. { "2025WSHL": 1201 }. */
  'numbering.legacyStarts': { schema: LegacyStartsSchema, default: {} as Record<string, number> },
  /** 证件类型 accepted besides the five of the template, e.g. 军官证. */
  'applications.extraIdTypes': {
    schema: z.array(z.string().trim().min(2, '证件类型至少 2 个字').max(32)).max(20),
    default: [] as string[],
  },
  /** PKCS#11 modules of this machine's seal keys, by path (the sealing desk offers them). */
  'sealing.modules': {
    schema: z.array(z.string().trim().min(3).max(500)).max(10),
    default: [] as string[],
  },
  /** RFC 3161 timestamp authority; empty: signatures carry only the signing time of /M. */
  'sealing.timestampUrl': {
    schema: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(300)]),
    default: '',
  },
  /** Days after final approval before an unfiled batch is listed as overdue for filing (备案). */
  'filing.reminderDays': { schema: z.number().int().min(1).max(365), default: 15 },
  /** The central registry (registry/openapi.yaml); empty: nothing is sent, the outbox just fills. */
  'registry.baseUrl': {
    schema: z.union([
      z.literal(''),
      z
        .url({ protocol: /^https?$/ })
        .max(300)
        .refine((url) => !url.endsWith('/'), '地址末尾不要带“/”'),
    ]),
    default: '',
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
