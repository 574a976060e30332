import type { RevocationReason, RevocationState } from '@contract/revocations'
import type { TagType } from '@renderer/components/tag-type'
import { labelOr } from '@renderer/locales'

const STATE_TAGS: Record<RevocationState, TagType> = {
  submitted: 'warning',
  approved: 'primary',
  rejected: 'info',
  executed: 'danger',
}

/** 待市人社局审核, 已注销… in the current language. */
export function revocationStateLabel(state: RevocationState): string {
  return labelOr('revocations.states', state)
}

export function revocationStateTag(state: RevocationState): TagType {
  return STATE_TAGS[state] ?? 'info'
}

/** 举报, 违纪违规, 其他. */
export function reasonLabel(reason: RevocationReason): string {
  return labelOr('revocations.reasons', reason)
}
