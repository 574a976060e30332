import type { CorrectionRowView, CorrectionState } from '@contract/corrections'
import { PHOTO_FIELD } from '@contract/corrections'
import type { TagType } from '@renderer/components/tag-type'
import { labelOr } from '@renderer/locales'

const STATE_TAGS: Record<CorrectionState, TagType> = {
  submitted: 'warning',
  returned: 'danger',
  approved: 'primary',
  applied: 'success',
}

/** 待市人社局审核, 已更正… in the current language. */
export function correctionStateLabel(state: CorrectionState): string {
  return labelOr('corrections.states', state)
}

export function correctionStateTag(state: CorrectionState): TagType {
  return STATE_TAGS[state] ?? 'info'
}

/** Whether the row changes the photo: its values are photo hashes, shown as pictures instead. */
export function isPhotoRow(row: Partial<Pick<CorrectionRowView, 'field'>>): boolean {
  return row.field === PHOTO_FIELD
}
