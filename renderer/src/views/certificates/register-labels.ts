import type { CertificateStatus } from '@contract/certificates'
import type { Family } from '@contract/roles'
import type { TagType } from '@renderer/components/tag-type'
import { i18n, labelOr } from '@renderer/locales'

/** Which certificate to show as a PDF, and which of its versions (the current one when absent). */
export interface PreviewTarget {
  number: string
  version?: number
}

const STATUS_TAGS: Record<string, TagType> = {
  pending: 'warning',
  active: 'success',
  superseded: 'info',
  revoked: 'danger',
}

/** The tag colour of a certificate's or a version's status. */
export function statusTag(status: CertificateStatus | string): TagType {
  return STATUS_TAGS[status] ?? 'info'
}

/** Title levels are codes; a vocational level is free text from the certificate (一级, 高级技师…). */
export function levelLabel(family: Family, level: string | null): string {
  if (!level) return i18n.global.t('common.none')
  return family === 'title' ? labelOr('certificates.titleLevels', level) : level
}

/** The order the fields of a version are shown in, per family (attachments 1 and 2). */
export const FIELD_ORDER: Record<Family, string[]> = {
  title: ['name', 'gender', 'birthMonth', 'idType', 'idNumber', 'employer', 'level', 'titleName', 'specialty', 'reviewBody', 'obtainedOn'],
  vocational: [
    'name',
    'gender',
    'birthMonth',
    'idType',
    'idNumber',
    'qualificationName',
    'qualificationKind',
    'category',
    'level',
    'approvedOn',
  ],
}

/** A version's fields as label–value pairs, in the certificate's own order, codes as words. */
export function fieldRows(family: Family, fields: Record<string, unknown>): Array<{ key: string; label: string; value: string }> {
  const known = FIELD_ORDER[family].filter((key) => key in fields)
  const rest = Object.keys(fields).filter((key) => !known.includes(key))
  return [...known, ...rest].map((key) => {
    const raw = String(fields[key] ?? '')
    const value = key === 'level' && family === 'title' ? labelOr('certificates.titleLevels', raw) : raw
    return { key, label: labelOr('register.detail.fieldLabels', key), value }
  })
}
