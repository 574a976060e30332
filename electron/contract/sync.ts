import { z } from 'zod'
import { method } from './method'

/**
 * Sync with the central registry (上海市电子证照库 / 专业技术资格数据信息库, registry/openapi.yaml):
 * the outbox of what must be published, the inbox of applications pulled from the online platform.
 */

export const OUTBOX_STATES = ['pending', 'failed', 'delivered'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]
export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = { pending: '待发送', failed: '被拒收', delivered: '已送达' }

export const EVENT_TYPES = ['certificate.version', 'certificate.revocation', 'audit.checkpoint', 'application.decision'] as const
export type EventType = (typeof EVENT_TYPES)[number]
export const EVENT_TYPE_LABELS: Record<EventType, string> = {
  'certificate.version': '发布证书',
  'certificate.revocation': '发布注销',
  'audit.checkpoint': '审计检查点',
  'application.decision': '回传审核结果',
}

export interface SyncStatus {
  /** False until an admin sets the registry's address (系统设置 › registry.baseUrl). */
  configured: boolean
  baseUrl: string
  /** This installation's client id and public key, to be registered by the registry's operator. */
  clientId: string
  publicKeyPem: string
  pending: number
  failed: number
  delivered: number
  /** Age in seconds of the oldest item still waiting; null when the queue is empty. */
  oldestPendingSeconds: number | null
  lastSuccessAt: string | null
  lastAttemptAt: string | null
  /** Why the last attempt failed (the registry unreachable, a refused credential…), null after a success. */
  lastError: string | null
  lastPullAt: string | null
  /** The latest audit checkpoint the registry holds, and whether the local log still matches it. */
  checkpoint: { length: number; at: string; matches: boolean; reason: string | null } | null
  /** A sender runs in this process (the app and `certdesk sync`). */
  running: boolean
}

export interface OutboxItem {
  id: number
  type: EventType
  /** The certificate number (or application id, or 'audit') its order is kept by. */
  orderingKey: string
  state: OutboxState
  attempts: number
  nextAttemptAt: string | null
  /** The registry's reason for refusing it, or the last delivery error. */
  lastError: string | null
  createdAt: string
  deliveredAt: string | null
}

const Id = z.number().int().positive()

export const sync = {
  status: method(z.object({}).strict()).returns<SyncStatus>(),
  items: method(
    z
      .object({
        state: z.enum(OUTBOX_STATES).default('failed'),
        limit: z.number().int().min(1).max(200).default(50),
        /** Delivered items come newest first: the page before this id. */
        beforeId: Id.optional(),
        /** Waiting and refused items come oldest first: the page after this id. */
        afterId: Id.optional(),
      })
      .strict(),
  ).returns<OutboxItem[]>(),
  /** Sends the refused items again (after the cause was fixed). */
  retry: method(z.object({ ids: z.array(Id).min(1).max(500) }).strict()).returns<{ retried: number }>(),
  /** One delivery and pull pass now, instead of waiting for the next. */
  runNow: method(z.object({}).strict()).returns<SyncStatus>(),
}
