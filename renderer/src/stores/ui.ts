import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { i18n, isLocale, type Locale } from '@renderer/locales'

const STORAGE_KEY = 'certdesk.locale'

function storedLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY)
    return isLocale(value) ? value : null
  } catch {
    // Storage can be unavailable (privacy settings); the default applies.
    return null
  }
}

/**
 * Interface language (vue-i18n and Element Plus follow it). A choice made here is remembered on
 * this machine; until then the bureau's `ui.defaultLocale` setting applies.
 */
export const useUiStore = defineStore('ui', () => {
  const remembered = storedLocale()
  const locale = ref<Locale>(remembered ?? 'zh-CN')
  const explicit = ref(remembered !== null)

  function apply(value: Locale): void {
    locale.value = value
    i18n.global.locale.value = value
    document.documentElement.lang = value
  }

  function setLocale(value: Locale): void {
    apply(value)
    explicit.value = true
    try {
      window.localStorage.setItem(STORAGE_KEY, value)
    } catch {
      // Not remembered; the choice still holds for this window.
    }
  }

  function toggleLocale(): void {
    setLocale(locale.value === 'zh-CN' ? 'en' : 'zh-CN')
  }

  /** The configured default, used only while the user has not chosen. */
  function adoptDefault(value: unknown): void {
    if (!explicit.value && isLocale(value)) apply(value)
  }

  const isChinese = computed(() => locale.value === 'zh-CN')
  apply(locale.value)

  return { locale, explicit, isChinese, setLocale, toggleLocale, adoptDefault }
})
