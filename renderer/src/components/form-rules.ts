import type { FormItemRule } from 'element-plus'
import { i18n } from '@renderer/locales'

/** Mirrors core's check: 10+ characters with letters and digits, or a 16+ character passphrase. */
export function isStrongPassword(password: string): boolean {
  const mixed = password.length >= 10 && /[A-Za-z]/.test(password) && /[0-9]/.test(password)
  return mixed || password.length >= 16
}

/** Rules for a new password field (required and strong); messages follow the current language. */
export function newPasswordRules(field: string): FormItemRule[] {
  const t = i18n.global.t
  return [
    { required: true, message: () => t('validation.required', { field: t(field) }), trigger: 'blur' },
    {
      validator: (_rule, value: string, callback) =>
        isStrongPassword(value ?? '') ? callback() : callback(new Error(t('validation.passwordWeak'))),
      trigger: 'blur',
    },
  ]
}

/** The confirmation must repeat the new password. */
export function confirmPasswordRules(field: string, password: () => string): FormItemRule[] {
  const t = i18n.global.t
  return [
    { required: true, message: () => t('validation.required', { field: t(field) }), trigger: 'blur' },
    {
      validator: (_rule, value: string, callback) =>
        value === password() ? callback() : callback(new Error(t('validation.passwordMismatch'))),
      trigger: 'blur',
    },
  ]
}

/** A required text field, its message naming the field by i18n key. */
export function requiredRule(field: string, trigger: 'blur' | 'change' = 'blur'): FormItemRule {
  const t = i18n.global.t
  return {
    required: true,
    message: () => t(trigger === 'change' ? 'validation.selectRequired' : 'validation.required', { field: t(field) }),
    trigger,
  }
}
