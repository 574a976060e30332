import type { BatchState, BatchSummary } from '@contract/applications'
import { issueCodeLabel } from '@contract/issue-codes'
import type { TagType } from '@renderer/components/tag-type'
import { formatDateTime, i18n, labelOr } from '@renderer/locales'

const STATE_TAGS: Record<BatchState, TagType> = {
  submitted: 'warning',
  first_approved: 'primary',
  returned: 'danger',
  approved: 'success',
  issued: 'success',
}

/** 待审核, 已通过… in the current language. */
export function stateLabel(state: BatchState): string {
  return labelOr('applications.states', state)
}

export function stateTag(state: BatchState): TagType {
  return STATE_TAGS[state] ?? 'info'
}

export function familyLabel(family: string): string {
  return labelOr('certificates.families', family)
}

/** A title level is a code (senior…); a vocational level is the workbook's own text (一级…). */
export function levelLabel(batch: Pick<BatchSummary, 'family' | 'level'>): string {
  if (!batch.level) return i18n.global.t('applications.mixedLevels')
  return batch.family === 'title' ? labelOr('certificates.titleLevels', batch.level) : batch.level
}

/** The short label of an issue code; the code itself for one this build does not know. */
export function issueLabel(code: string): string {
  return issueCodeLabel(code)
}

export function timeOrNone(iso: string | null): string {
  return iso ? formatDateTime(iso) : i18n.global.t('common.none')
}

// Kept here too: the desks' pages import their download helper beside their labels.
export { saveDownload } from '@renderer/components/pdf-document'
