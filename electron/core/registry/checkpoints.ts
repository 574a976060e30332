import type { Knex } from 'knex'
import type { AuditLog } from '../audit/audit-log'
import { writeTransaction } from '../db/transaction'
import { isoNow, type Clock } from '../util/clock'
import { AUDIT_ORDERING_KEY, checkpointEvent, enqueue } from './outbox'
import type { RegistryClient } from './registry-client'
import { shanghaiIso } from '../util/shanghai-time'

export interface CheckpointComparison {
  length: number
  at: string
  matches: boolean
  reason: string | null
}

/**
 * Queues a checkpoint of the audit chain (its length and head hash) when the chain grew and the
 * last one is older than `minIntervalMs`. Queuing it is not audited: that would move the head it
 * describes. Returns whether one was queued.
 */
export async function queueCheckpoint(db: Knex, audit: AuditLog, clock: Clock, minIntervalMs: number): Promise<boolean> {
  const head = await audit.head()
  if (head.length === 0) return false
  // By its ordering key too, so the (ordering_key, id) index finds it however long the outbox.
  const last = (await db('outbox')
    .where({ ordering_key: AUDIT_ORDERING_KEY, event_type: 'audit.checkpoint' })
    .orderBy('id', 'desc')
    .first('payload', 'created_at')) as { payload: string; created_at: string } | undefined
  const lastLength = last ? (JSON.parse(last.payload) as { length: number }).length : 0
  const recent = last && clock.now().getTime() - Date.parse(last.created_at) < minIntervalMs
  if (head.length <= lastLength || recent) return false
  const now = isoNow(clock)
  await writeTransaction(db, (trx) => enqueue(trx, [checkpointEvent({ length: head.length, headHash: head.hash, at: now })], now))
  return true
}

/**
 * The registry's latest checkpoint against the local chain: the chain must still verify, and
 * the entry at the checkpoint's length must still have the published hash. A log rewritten
 * after it was published — even with every later hash recomputed so that it verifies on its
 * own — no longer matches.
 */
export async function compareCheckpoint(
  client: RegistryClient,
  audit: AuditLog,
  previous: CheckpointComparison | null = null,
): Promise<CheckpointComparison | null> {
  const response = await client.request('GET', '/v1/audit/checkpoints/latest')
  // 404: nothing published yet; any other failure leaves the comparison unknown.
  if (response.status !== 200) return null
  const checkpoint = response.json as { length: number; headHash: string; at: string }
  // Verifying reads the whole log: the same published checkpoint, compared moments ago in this pass, is not read again.
  if (previous && previous.length === checkpoint.length && previous.at === checkpoint.at) return previous
  const verification = await audit.verify()
  const base = { length: checkpoint.length, at: checkpoint.at }
  if (!verification.ok) return { ...base, matches: false, reason: verification.firstBroken?.reason ?? '审计日志的哈希链不完整' }
  if (verification.count < checkpoint.length) {
    return { ...base, matches: false, reason: `本地审计日志只有 ${verification.count} 条，少于已发布检查点的 ${checkpoint.length} 条` }
  }
  const hash = await audit.hashAt(checkpoint.length)
  return hash === checkpoint.headHash
    ? { ...base, matches: true, reason: null }
    : {
        ...base,
        matches: false,
        reason: `第 ${checkpoint.length} 条审计记录的哈希与 ${beijing(checkpoint.at)} 发布到电子证照库的检查点不符：本地日志在发布后被改写过`,
      }
}

/** 2026-12-01T20:52:42.628Z → 2026-12-02 04:52（北京时间）, as the desks read a time. */
function beijing(iso: string): string {
  const at = Date.parse(iso)
  return Number.isNaN(at) ? iso : `${shanghaiIso(at).slice(0, 16).replace('T', ' ')}（北京时间）`
}
