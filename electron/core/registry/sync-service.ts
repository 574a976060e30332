import type { Knex } from 'knex'
import { OUTBOX_STATES, type OutboxItem, type OutboxState, type SyncStatus } from '../../contract/sync'
import type { ImportService } from '../applications/import/import-service'
import type { AuditLog } from '../audit/audit-log'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import type { SettingsService } from '../settings/settings-service'
import { auditActor, requireRole, type Actor } from '../users/access'
import { isoNow, type Clock } from '../util/clock'
import { compareCheckpoint, queueCheckpoint, type CheckpointComparison } from './checkpoints'
import { loadIdentity, type ClientIdentity } from './client-identity'
import { InboxPuller } from './inbox'
import { OutboxSender, type SenderOptions } from './outbox-sender'
import { RegistryClient, RegistryUnreachable } from './registry-client'

export interface SyncDeps {
  dataDir: string
  db: Knex
  files: FileStore
  audit: AuditLog
  settings: SettingsService
  imports: ImportService
  clock: Clock
}

export interface SyncOptions extends SenderOptions {
  /** The shortest time between two audit checkpoints (default 10 minutes). */
  checkpointIntervalMs?: number
  /** How often the background loop runs when nothing nudges it (default 30 s). */
  intervalMs?: number
  /** Request timeout (default 30 s). */
  timeoutMs?: number
}

export interface PassReport {
  delivered: number
  refused: number
  retrying: number
  taken: number
  error: string | null
}

interface OutboxRow {
  id: number
  event_type: OutboxItem['type']
  ordering_key: string
  state: OutboxState
  attempts: number
  next_attempt_at: string | null
  last_error: string | null
  created_at: string
  delivered_at: string | null
}

/** Outbox items per state (0 for a state with none), in one grouped query; only `states` are counted. */
export async function outboxCounts(db: Knex, states: readonly OutboxState[] = OUTBOX_STATES): Promise<Record<OutboxState, number>> {
  const rows = (await db('outbox').whereIn('state', states).groupBy('state').select('state').count({ n: '*' })) as Array<{
    state: OutboxState
    n: number | string
  }>
  const counts: Record<OutboxState, number> = { pending: 0, failed: 0, delivered: 0 }
  for (const row of rows) counts[row.state] = Number(row.n)
  return counts
}

/**
 * Sync with the central registry: one pass delivers the outbox, queues an audit checkpoint,
 * pulls new applications and compares the registry's checkpoint with the local chain. Without
 * the network the app keeps working and the outbox simply waits; `certdesk sync` and the app's
 * background loop run the same passes.
 */
export class SyncService {
  private identity: ClientIdentity | null = null
  private client: { baseUrl: string; client: RegistryClient } | null = null
  private sender: OutboxSender | null = null
  private lastAttemptAt: string | null = null
  private lastError: string | null = null
  private lastPullAt: string | null = null
  private checkpoint: CheckpointComparison | null = null
  private passing: Promise<PassReport> | null = null
  private timer: NodeJS.Timeout | null = null
  private stopped = true

  constructor(
    private readonly deps: SyncDeps,
    private readonly options: SyncOptions = {},
  ) {}

  private ownIdentity(): ClientIdentity {
    return (this.identity ??= loadIdentity(this.deps.dataDir))
  }

  /** The client for the configured address (a new one when the address changed); null when none is set. */
  private async currentClient(): Promise<RegistryClient | null> {
    const baseUrl = await this.deps.settings.value('registry.baseUrl')
    if (!baseUrl) return null
    if (this.client?.baseUrl !== baseUrl) {
      this.client?.client.close()
      // What the previous registry said is not this one's.
      this.checkpoint = null
      this.lastPullAt = null
      this.lastError = null
      const client = new RegistryClient(baseUrl, this.ownIdentity(), this.options.timeoutMs)
      this.client = { baseUrl, client }
      this.sender = new OutboxSender(this.deps.db, this.deps.files, client, this.deps.clock, this.options)
    }
    return this.client.client
  }

  async status(actor: Actor | null): Promise<SyncStatus> {
    requireRole(actor, 'admin', 'clerk')
    const { db, settings, clock } = this.deps
    const counts = await outboxCounts(db)
    const oldest = (await db('outbox').where({ state: 'pending' }).orderBy('id').first('created_at')) as { created_at: string } | undefined
    const lastSuccess = (await db('outbox').max({ at: 'delivered_at' }).first()) as { at: string | null }
    const identity = this.ownIdentity()
    const baseUrl = await settings.value('registry.baseUrl')
    return {
      configured: baseUrl !== '',
      baseUrl,
      clientId: identity.clientId,
      publicKeyPem: identity.publicKeyPem,
      pending: counts.pending,
      failed: counts.failed,
      delivered: counts.delivered,
      oldestPendingSeconds: oldest ? Math.max(0, Math.round((clock.now().getTime() - Date.parse(oldest.created_at)) / 1000)) : null,
      lastSuccessAt: lastSuccess?.at ?? null,
      lastAttemptAt: this.lastAttemptAt,
      lastError: this.lastError,
      lastPullAt: this.lastPullAt,
      checkpoint: this.checkpoint,
      running: !this.stopped,
    }
  }

  async items(actor: Actor | null, filter: { state: OutboxState; limit: number; beforeId?: number }): Promise<OutboxItem[]> {
    requireRole(actor, 'admin', 'clerk')
    const query = this.deps
      .db('outbox')
      .where({ state: filter.state })
      .orderBy('id', filter.state === 'delivered' ? 'desc' : 'asc')
      .limit(filter.limit)
    if (filter.beforeId) query.where('id', '<', filter.beforeId)
    const rows = (await query) as OutboxRow[]
    return rows.map((row) => ({
      id: Number(row.id),
      type: row.event_type,
      orderingKey: row.ordering_key,
      state: row.state,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
      createdAt: row.created_at,
      deliveredAt: row.delivered_at,
    }))
  }

  /** Refused items go back in the queue (their cause fixed at the registry or here), audited. */
  async retry(actor: Actor | null, ids: number[]): Promise<{ retried: number }> {
    const user = requireRole(actor, 'admin', 'clerk')
    const retried = await writeTransaction(this.deps.db, async (trx) => {
      const count = await trx('outbox')
        .whereIn('id', ids)
        .where({ state: 'failed' })
        .update({ state: 'pending', attempts: 0, next_attempt_at: null })
      if (count > 0)
        await this.deps.audit.record(trx, auditActor(user), { action: 'sync.retry', objectType: 'outbox', details: { ids, count } })
      return count
    })
    this.nudge()
    return { retried }
  }

  async runNow(actor: Actor | null): Promise<SyncStatus> {
    requireRole(actor, 'admin', 'clerk')
    await this.pass()
    return this.status(actor)
  }

  /** One pass; concurrent callers share the pass under way. */
  pass(): Promise<PassReport> {
    this.passing ??= this.runPass().finally(() => {
      this.passing = null
    })
    return this.passing
  }

  private async runPass(): Promise<PassReport> {
    const report: PassReport = { delivered: 0, refused: 0, retrying: 0, taken: 0, error: null }
    const client = await this.currentClient()
    if (!client) return { ...report, error: '尚未配置电子证照库地址' }
    const { db, audit, clock } = this.deps
    this.lastAttemptAt = isoNow(clock)
    try {
      // A log that no longer matches what was published gets no new checkpoint: the registry keeps
      // the last good one, so the mismatch stays visible instead of being papered over.
      this.checkpoint = await compareCheckpoint(client, audit)
      if (this.checkpoint?.matches !== false) await queueCheckpoint(db, audit, clock, this.options.checkpointIntervalMs ?? 10 * 60_000)
      Object.assign(report, await this.sender!.deliver())
      if (!report.error) {
        report.taken = (await new InboxPuller(db, this.deps.imports, client, clock).pull()).taken
        this.lastPullAt = isoNow(clock)
        this.checkpoint = await compareCheckpoint(client, audit, this.checkpoint)
      }
    } catch (error) {
      if (!(error instanceof RegistryUnreachable)) throw error
      report.error = error.message
    }
    this.lastError = report.error
    return report
  }

  /** Runs passes in the background until stop(): every interval, and soon after a nudge. */
  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.schedule(0)
  }

  /** Something was queued or retried: run a pass soon rather than at the next interval. */
  nudge(): void {
    if (!this.stopped) this.schedule(100)
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      this.pass()
        .catch((error: unknown) => {
          this.lastError = error instanceof Error ? error.message : String(error)
        })
        .finally(() => {
          if (!this.stopped && !this.timer) this.schedule(this.options.intervalMs ?? 30_000)
        })
    }, delayMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.passing?.catch(() => undefined)
    this.client?.client.close()
  }
}
