import type { FormRules } from 'element-plus'
import { i18n } from '@renderer/locales'
import { requiredRule } from '@renderer/components/form-rules'

/** Clause 6: codes are upper-case letters and digits; the bureau assigns them, so they may be empty. */
export const ORGANISATION_CODE_PATTERN = /^[A-Z0-9]{2,12}$/

/** Rules of the organisation form, mirroring the contract's schema. */
export function organisationRules(): FormRules {
  const t = i18n.global.t
  return {
    name: [
      requiredRule('organisations.name'),
      { min: 2, max: 100, message: () => t('validation.length', { min: 2, max: 100 }), trigger: 'blur' },
    ],
    kind: [requiredRule('organisations.kind', 'change')],
    code: [
      {
        validator: (_rule, value: string | null, callback) =>
          !value || ORGANISATION_CODE_PATTERN.test(value) ? callback() : callback(new Error(t('validation.organisationCode'))),
        trigger: 'blur',
      },
    ],
    organisingUnit: [{ max: 100, message: () => t('validation.length', { min: 0, max: 100 }), trigger: 'blur' }],
  }
}
