import { createI18n } from 'vue-i18n'
import { isApiError } from '@renderer/api'
import en from './en'
import zhCN, { type MessageSchema } from './zh-CN'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** Composition-API i18n; zh-CN is the default and the fallback for any missing English key. */
export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})

/** vue-i18n reads dots as nesting, so keys that come from data (`auth.login`) are flattened. */
export function messageKey(raw: string): string {
  return raw.replace(/\./g, '_')
}

/** The translation of `prefix.key` when there is one, else the raw key itself (data from newer servers). */
export function labelOr(prefix: string, raw: string): string {
  const key = `${prefix}.${messageKey(raw)}`
  return i18n.global.te(key) || i18n.global.te(key, 'zh-CN') ? i18n.global.t(key) : raw
}

/**
 * What to tell a person about a failure: the server's Chinese message in Chinese (it may carry
 * specifics such as a wait time), a translation by code otherwise, the raw message as a last resort.
 */
export function errorMessage(error: unknown): string {
  const global = i18n.global
  if (isApiError(error)) {
    if (global.locale.value === 'zh-CN') return error.message
    const key = `errors.${error.code}`
    return global.te(key, global.locale.value) ? global.t(key) : error.message
  }
  const message = error instanceof Error ? error.message : String(error)
  return global.t('unexpectedError', { message })
}

/** A stored ISO timestamp in local time, formatted for the current language. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(i18n.global.locale.value, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date)
}
