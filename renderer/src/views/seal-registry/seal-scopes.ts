import { TITLE_LEVELS } from '@contract/certificates'
import type { OrganisationKind } from '@contract/roles'
import type { SealScope } from '@contract/seals'
import { i18n, labelOr } from '@renderer/locales'

/** Every level of a family. */
export const ALL_LEVELS = '*'

/** Organisations that own seals under clause 3: the bureau, district bureaus, industry departments. */
export const SEAL_OWNER_KINDS: readonly OrganisationKind[] = ['bureau', 'district_bureau', 'industry_department']

/** What a new seal usually applies to, by whose it is (clause 3); the admin adjusts it before saving. */
export function defaultScopes(kind: OrganisationKind | undefined): SealScope[] {
  switch (kind) {
    case 'bureau':
      return [
        { family: 'title', level: ALL_LEVELS },
        { family: 'vocational', level: ALL_LEVELS },
      ]
    case 'district_bureau':
      return [
        { family: 'title', level: 'intermediate' },
        { family: 'title', level: 'primary' },
      ]
    case 'industry_department':
      return [
        { family: 'title', level: 'intermediate' },
        { family: 'title', level: 'primary' },
        { family: 'vocational', level: ALL_LEVELS },
      ]
    default:
      return []
  }
}

/** 职称 · 正高级, 职业资格证书（全部级别）… */
export function scopeLabel(scope: SealScope): string {
  const t = i18n.global.t
  if (scope.family === 'title') {
    return scope.level === ALL_LEVELS
      ? t('sealRegistry.scopes.titleAll')
      : t('sealRegistry.scopes.title', { level: labelOr('certificates.titleLevels', scope.level) })
  }
  return scope.level === ALL_LEVELS ? t('sealRegistry.scopes.vocationalAll') : t('sealRegistry.scopes.vocational', { level: scope.level })
}

/** Scopes in a stable order (title levels from senior down, then vocational), without duplicates. */
export function normaliseScopes(scopes: readonly SealScope[]): SealScope[] {
  const order = (scope: SealScope) =>
    (scope.family === 'title' ? 0 : 100) + (scope.level === ALL_LEVELS ? -1 : (TITLE_LEVELS as readonly string[]).indexOf(scope.level))
  const seen = new Set<string>()
  return [...scopes]
    .filter((scope) => {
      const key = `${scope.family}:${scope.level}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .sort((left, right) => order(left) - order(right))
}

/** The common name of an X.509 subject (CN=…), used to suggest the seal's name. */
export function commonName(subject: string): string | null {
  return /(?:^|[,/]\s*)CN=([^,/]+)/.exec(subject)?.[1]?.trim() ?? null
}

/** The organisation of an X.509 subject (O=…), used to suggest whose seal it is. */
export function organisationName(subject: string): string | null {
  return /(?:^|[,/]\s*)O=([^,/]+)/.exec(subject)?.[1]?.trim() ?? null
}

/** YYYY-MM-DD of an ISO time, in local time. */
export function dateOf(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
