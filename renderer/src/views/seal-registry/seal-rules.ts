import type { FormRules } from 'element-plus'
import { requiredRule } from '@renderer/components/form-rules'
import { i18n } from '@renderer/locales'

/** Rules of the seal forms, mirroring the contract (name and purpose 2–100 characters, at least one scope). */
export function sealRules(registering: boolean): FormRules {
  const t = i18n.global.t
  const text = (field: string) => [
    requiredRule(field),
    { min: 2, max: 100, message: () => t('validation.length', { min: 2, max: 100 }), trigger: 'blur' },
  ]
  return {
    ...(registering ? { organisationId: [requiredRule('sealRegistry.organisation', 'change')] } : {}),
    name: text('sealRegistry.name'),
    purpose: text('sealRegistry.purpose'),
    appliesTo: [{ type: 'array', required: true, min: 1, message: () => t('sealRegistry.scopeRequired'), trigger: 'change' }],
  }
}
