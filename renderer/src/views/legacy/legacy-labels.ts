import type { CertificateStatus } from '@contract/certificates'
import type { SlipKind, SlipState } from '@contract/legacy'
import type { TagType } from '@renderer/components/tag-type'
import { i18n, labelOr } from '@renderer/locales'

const SLIP_STATE_TAGS: Record<SlipState, TagType> = {
  issued: 'success',
  pending_recheck: 'warning',
  refused: 'danger',
  record_revoked: 'danger',
}

const RECORD_STATUS_TAGS: Record<CertificateStatus, TagType> = {
  pending: 'warning',
  active: 'success',
  superseded: 'info',
  revoked: 'danger',
}

export function slipStateLabel(state: SlipState): string {
  return labelOr('legacy.slipStates', state)
}

export function slipStateTag(state: SlipState): TagType {
  return SLIP_STATE_TAGS[state] ?? 'info'
}

export function slipKindLabel(kind: SlipKind): string {
  return labelOr('legacy.slipKinds', kind)
}

export function recordStatusTag(status: CertificateStatus): TagType {
  return RECORD_STATUS_TAGS[status] ?? 'info'
}

/** A title level is a code (senior…); an exam level is the record's own text (一级…). */
export function recordLevel(record: { family: string; level: string | null }): string {
  if (!record.level) return i18n.global.t('common.none')
  return record.family === 'title' ? labelOr('certificates.titleLevels', record.level) : record.level
}
