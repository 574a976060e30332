import type { JobState, PinFlags, SealSlot, SigningJobInfo } from '@contract/sealing'
import type { TagType } from '@renderer/components/tag-type'
import { i18n, labelOr } from '@renderer/locales'

const STATE_TAGS: Record<JobState, TagType> = {
  ready: 'info',
  running: 'primary',
  paused: 'warning',
  waiting_token: 'danger',
  waiting_pin: 'warning',
  cancelled: 'info',
  completed: 'success',
}

/** Mirrors the contract's module path check, so a typo is caught before anything is sent. */
export const MODULE_PATH_PATTERN = /\.(so|dll|dylib)(\.\d+)*$/i

/** 签章中, 已完成… in the current language. */
export function jobStateLabel(state: JobState): string {
  return labelOr('sealing.jobStates', state)
}

export function jobStateTag(state: JobState): TagType {
  return STATE_TAGS[state] ?? 'info'
}

/** 印章, 市人社局印章…: where on the certificate a seal sits. */
export function slotLabel(slot: SealSlot | null): string {
  return slot ? labelOr('sealing.slots', slot) : i18n.global.t('common.none')
}

/** What a token's PIN allows: at most one of the three holds, the worst. */
export interface PinState {
  /** No try left: the PIN cannot be entered at all. */
  locked: boolean
  /** The next wrong PIN locks the token: entering it needs an explicit confirmation. */
  finalTry: boolean
  countLow: boolean
}

/**
 * The token's PIN flags read worst first. `finalTryReported`: core answered PIN_FINAL_TRY, which
 * counts even when the flags did not say so.
 */
export function pinState(flags: PinFlags | null, finalTryReported = false): PinState {
  const locked = flags?.locked ?? false
  const finalTry = !locked && (finalTryReported || (flags?.finalTry ?? false))
  const countLow = !locked && !finalTry && (flags?.countLow ?? false)
  return { locked, finalTry, countLow }
}

/** A PIN flag worth telling the key holder about, as its tag key and colour. */
export interface PinWarning {
  key: 'locked' | 'finalTry' | 'countLow' | 'toBeChanged'
  type: TagType
}

/** The PIN flags worth telling the key holder about, worst first. */
export function pinWarnings(flags: PinFlags): PinWarning[] {
  const warnings: PinWarning[] = []
  const state = pinState(flags)
  if (state.locked) warnings.push({ key: 'locked', type: 'danger' })
  if (state.finalTry) warnings.push({ key: 'finalTry', type: 'danger' })
  if (state.countLow) warnings.push({ key: 'countLow', type: 'warning' })
  if (flags.toBeChanged) warnings.push({ key: 'toBeChanged', type: 'warning' })
  return warnings
}

/** Done out of total, as a whole percentage for the progress bar (100 only when all are done). */
export function progressPercent(job: Pick<SigningJobInfo, 'done' | 'total'>): number {
  if (job.total <= 0) return 0
  return job.done >= job.total ? 100 : Math.floor((job.done * 100) / job.total)
}

/** Certificates per second, one decimal below ten. */
export function rateText(rate: number | null): string {
  if (rate === null) return i18n.global.t('common.none')
  const value = rate >= 10 ? Math.round(rate).toString() : rate.toFixed(1)
  return i18n.global.t('sealing.job.rateValue', { rate: value })
}

/** Seconds left as 约 2 分 10 秒 (rounded up to whole seconds). */
export function etaText(seconds: number | null): string {
  const t = i18n.global.t
  if (seconds === null) return t('common.none')
  const total = Math.max(0, Math.ceil(seconds))
  if (total < 60) return t('sealing.eta.seconds', { seconds: total })
  if (total < 3600) return t('sealing.eta.minutes', { minutes: Math.floor(total / 60), seconds: total % 60 })
  return t('sealing.eta.hours', { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60) })
}
