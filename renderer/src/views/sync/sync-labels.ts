import type { EventType, OutboxItem, OutboxState } from '@contract/sync'
import type { TagType } from '@renderer/components/tag-type'
import { i18n, labelOr } from '@renderer/locales'

const STATE_TAGS: Record<OutboxState, TagType> = {
  pending: 'warning',
  failed: 'danger',
  delivered: 'success',
}

/** 待发送, 被拒收, 已送达 in the current language. */
export function outboxStateLabel(state: OutboxState): string {
  return labelOr('sync.states', state)
}

export function outboxStateTag(state: OutboxState): TagType {
  return STATE_TAGS[state] ?? 'info'
}

/** 发布证书, 发布注销… in the current language. */
export function eventTypeLabel(type: EventType): string {
  return labelOr('sync.eventTypes', type)
}

const APPLICATION_PREFIX = 'application:'

/** What an item's order is kept by, as a person reads it: the certificate number, 申请 <id>, or 审计日志. */
export function orderingKeyText(item: Pick<OutboxItem, 'type' | 'orderingKey'>): string {
  const t = i18n.global.t
  if (item.type === 'audit.checkpoint') return t('sync.items.auditKey')
  if (item.orderingKey.startsWith(APPLICATION_PREFIX)) {
    return t('sync.items.applicationKey', { id: item.orderingKey.slice(APPLICATION_PREFIX.length) })
  }
  return item.orderingKey
}

/** How long the oldest item has waited, in words: 刚刚, 3 分钟, 2 小时, 1 天 (whole units, rounded down). */
export function ageText(seconds: number): string {
  const t = i18n.global.t
  if (seconds < 60) return t('sync.age.justNow')
  if (seconds < 3600) return t('sync.age.minutes', { count: Math.floor(seconds / 60) })
  if (seconds < 86_400) return t('sync.age.hours', { count: Math.floor(seconds / 3600) })
  return t('sync.age.days', { count: Math.floor(seconds / 86_400) })
}
