import type { FormItemRule, FormRules } from 'element-plus'
import { requiredRule } from '@renderer/components/form-rules'
import { i18n } from '@renderer/locales'

/** Same shape as the contract's UsernameSchema. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{2,64}$/

export function usernameRules(field: string): FormItemRule[] {
  const t = i18n.global.t
  return [
    requiredRule(field),
    {
      validator: (_rule, value: string, callback) =>
        USERNAME_PATTERN.test((value ?? '').trim()) ? callback() : callback(new Error(t('validation.username'))),
      trigger: 'blur',
    },
  ]
}

/** Rules of the user form; the username is fixed once created, so editing skips it. */
export function userRules(editing: boolean): FormRules {
  const t = i18n.global.t
  return {
    ...(editing ? {} : { username: usernameRules('users.username') }),
    displayName: [
      requiredRule('users.displayName'),
      { max: 64, message: () => t('validation.length', { min: 1, max: 64 }), trigger: 'blur' },
    ],
    organisationId: [requiredRule('users.organisation', 'change')],
    roles: [{ type: 'array', required: true, min: 1, message: () => t('validation.rolesRequired'), trigger: 'change' }],
  }
}
