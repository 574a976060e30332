import type { Knex } from 'knex'
import { writeTransaction } from '../db/transaction'
import type { FileStore, StoredLocation } from '../files/file-store'
import { isoNow, type Clock } from '../util/clock'
import { RegistryUnreachable, type RegistryClient, type RegistryResponse } from './registry-client'

/** A due item, its payload parsed once: for the files it names and for the request that carries it. */
interface OutboxRow {
  id: number
  ordering_key: string
  event_type: string
  payload: Record<string, unknown>
  idempotency_key: string
  attempts: number
}

interface OperationResult {
  idempotencyKey: string
  status: number
  error?: { code: string; message: string }
}

export interface SenderOptions {
  /** Operations per request (the protocol allows 500). */
  batchSize?: number
  /** Backoff: a failed item waits a random time up to min(maxDelayMs, baseDelayMs × 2^attempts) (full jitter). */
  baseDelayMs?: number
  maxDelayMs?: number
  random?: () => number
  /** Files uploaded at once. */
  fileConcurrency?: number
}

export interface DeliveryReport {
  delivered: number
  refused: number
  retrying: number
  /** Why the last request failed as a whole (unreachable, credential refused), or null. */
  error: string | null
}

/** A refusal that is about the request, not about any one operation: every item waits. */
class RequestFailed extends Error {}

/** Attempts of one request before the items it carries wait for their backoff. */
const QUICK_ATTEMPTS = 3
/** An item the registry keeps calling early is given up on (shown as refused) after this many tries. */
const MAX_OUT_OF_ORDER = 20

/**
 * Delivers the outbox (registry/openapi.yaml): per ordering key strictly in the order written,
 * a revocation never before its issue; an item leaves the queue only when the registry
 * acknowledged it, and a resend of an unanswered one is absorbed by its idempotency key, so no
 * effect is lost or applied twice, across retries and restarts alike.
 */
export class OutboxSender {
  private readonly uploaded = new Set<string>()
  private readonly batchSize: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly random: () => number
  private readonly fileConcurrency: number

  constructor(
    private readonly db: Knex,
    private readonly files: FileStore,
    private readonly client: RegistryClient,
    private readonly clock: Clock,
    options: SenderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500
    this.baseDelayMs = options.baseDelayMs ?? 1000
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60_000
    this.random = options.random ?? Math.random
    this.fileConcurrency = options.fileConcurrency ?? 8
  }

  /** Sends batch after batch until nothing is due; stops at the first request that fails as a whole. */
  async deliver(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, refused: 0, retrying: 0, error: null }
    for (;;) {
      const due = await this.due()
      if (due.length === 0) return report
      try {
        const { ready, held } = await this.uploadFiles(due)
        if (held.length > 0)
          await this.postpone(
            held.map((item) => item.row),
            held[0].reason,
          )
        report.retrying += held.length
        if (ready.length === 0) {
          report.error = held[0].reason
          return report
        }
        await this.record(ready, await this.send(ready), report)
      } catch (error) {
        if (!(error instanceof RegistryUnreachable || error instanceof RequestFailed)) throw error
        report.error = error.message
        report.retrying += due.length
        await this.postpone(due, error.message)
        return report
      }
    }
  }

  /**
   * Pending items that are due and whose every earlier item of the same key is due too (or
   * delivered): a window function counts the blockers before each row, so one batch may carry a
   * certificate's issue and its revocation in order, and a refused issue holds back the rest.
   */
  private async due(): Promise<OutboxRow[]> {
    const now = isoNow(this.clock)
    const rows = (await this.db.raw(
      `select id, ordering_key, event_type, payload, idempotency_key, attempts from (
         select o.*, sum(case when o.state = 'pending' and (o.next_attempt_at is null or o.next_attempt_at <= ?) then 0 else 1 end)
           over (partition by o.ordering_key order by o.id rows unbounded preceding) as blockers
         from outbox o where o.state <> 'delivered')
       where blockers = 0 order by id limit ?`,
      [now, this.batchSize],
    )) as Array<Omit<OutboxRow, 'payload'> & { payload: string }>
    return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> }))
  }

  /** The batch of operations; a request lost on the way is resent at once a few times (its keys make that safe). */
  private async send(rows: OutboxRow[]): Promise<OperationResult[]> {
    const operations = rows.map((row) => ({ idempotencyKey: row.idempotency_key, type: row.event_type, payload: row.payload }))
    const response = await this.withRetries(() => this.client.request('POST', '/v1/operations', { operations }))
    if (response.status !== 200) throw new RequestFailed(refusal('电子证照库拒绝了这批数据', response.status, response.json))
    const results = (response.json as { results?: OperationResult[] } | null)?.results
    if (!Array.isArray(results) || results.length !== rows.length) throw new RequestFailed('电子证照库的应答与所发数据条数不符')
    return results
  }

  /** A request, again right away when the connection dropped or the registry answered 5xx: transient faults cost no backoff. */
  private async withRetries(request: () => Promise<RegistryResponse>): Promise<RegistryResponse> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await request()
        if (response.status < 500 || attempt >= QUICK_ATTEMPTS) return response
      } catch (error) {
        if (!(error instanceof RegistryUnreachable) || attempt >= QUICK_ATTEMPTS) throw error
      }
    }
  }

  /**
   * Stores the files the batch names (signed PDFs, revocation documents) at the registry (by hash: a file already there is not
   * sent again). An item whose file could not be stored is held back, with every later item of
   * its key in the batch, so the rest of the batch still goes.
   */
  private async uploadFiles(rows: OutboxRow[]): Promise<{ ready: OutboxRow[]; held: Array<{ row: OutboxRow; reason: string }> }> {
    const hashes = [...new Set(rows.flatMap(filesOf).filter((hash) => !this.uploaded.has(hash)))]
    const failures = new Map<string, string>()
    const locations = await this.locations(hashes)
    let next = 0
    const lane = async () => {
      while (next < hashes.length) {
        const hash = hashes[next++]
        const reason = await this.uploadFile(hash, locations.get(hash))
        if (reason) failures.set(hash, reason)
        else this.uploaded.add(hash)
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.fileConcurrency, hashes.length) }, lane))
    const ready: OutboxRow[] = []
    const held: Array<{ row: OutboxRow; reason: string }> = []
    const heldKeys = new Set<string>()
    for (const row of rows) {
      const reason = filesOf(row)
        .map((hash) => failures.get(hash))
        .find((failure) => failure !== undefined)
      if (reason || heldKeys.has(row.ordering_key)) {
        heldKeys.add(row.ordering_key)
        held.push({ row, reason: reason ?? '同一证书之前的数据尚未送达' })
      } else ready.push(row)
    }
    return { ready, held }
  }

  /** Where the batch's files are: one query for the batch rather than one per file. */
  private async locations(hashes: string[]): Promise<Map<string, StoredLocation>> {
    const found = new Map<string, StoredLocation>()
    for (let start = 0; start < hashes.length; start += 500) {
      const rows = (await this.db('files')
        .whereIn('hash', hashes.slice(start, start + 500))
        .select('hash', 'path', 'pack_offset', 'size')) as Array<StoredLocation & { hash: string }>
      for (const row of rows) found.set(row.hash, row)
    }
    return found
  }

  /** Null when stored; else why not. A file the registry refuses outright is as good as unreachable here: the item waits. */
  private async uploadFile(hash: string, location: StoredLocation | undefined): Promise<string | null> {
    try {
      const bytes = location ? await this.files.readKnown(hash, location) : (await this.files.read(this.db, hash)).bytes
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      const response = await this.withRetries(() => this.client.request('PUT', `/v1/files/${hash}`, body))
      return response.status === 200 || response.status === 201 ? null : refusal('电子证照库拒收证书文件', response.status, response.json)
    } catch (error) {
      if (error instanceof RegistryUnreachable) return error.message
      throw error
    }
  }

  /** Acknowledged → delivered; refused for what it is → failed, with the reason; anything else → retried later. */
  private async record(rows: OutboxRow[], results: OperationResult[], report: DeliveryReport): Promise<void> {
    const now = isoNow(this.clock)
    const delivered: number[] = []
    const refused: Array<{ id: number; attempts: number; reason: string }> = []
    const retry: Array<{ row: OutboxRow; reason: string }> = []
    rows.forEach((row, index) => {
      const result = results[index]
      if (result.status === 200 || result.status === 201) delivered.push(row.id)
      else if (result.status >= 500 || (result.error?.code === 'out_of_order' && row.attempts < MAX_OUT_OF_ORDER))
        retry.push({ row, reason: describe(result) })
      else refused.push({ id: row.id, attempts: row.attempts + 1, reason: describe(result) })
    })
    await writeTransaction(this.db, async (trx) => {
      for (let start = 0; start < delivered.length; start += 500) {
        await trx('outbox')
          .whereIn('id', delivered.slice(start, start + 500))
          .update({ state: 'delivered', delivered_at: now, last_error: null })
      }
      for (const item of refused)
        await trx('outbox').where({ id: item.id }).update({ state: 'failed', attempts: item.attempts, last_error: item.reason })
      for (const item of retry) await this.postponeOne(trx, item.row, item.reason)
    })
    report.delivered += delivered.length
    report.refused += refused.length
    report.retrying += retry.length
  }

  private async postpone(rows: OutboxRow[], reason: string): Promise<void> {
    await writeTransaction(this.db, async (trx) => {
      for (const row of rows) await this.postponeOne(trx, row, reason)
    })
  }

  private async postponeOne(trx: Knex.Transaction, row: OutboxRow, reason: string): Promise<void> {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(row.attempts, 30))
    const next = new Date(this.clock.now().getTime() + Math.floor(this.random() * ceiling)).toISOString()
    await trx('outbox')
      .where({ id: row.id })
      .update({ attempts: row.attempts + 1, next_attempt_at: next, last_error: reason.slice(0, 500) })
  }
}

function describe(result: OperationResult): string {
  return result.error ? `${result.error.message}（${result.error.code}，HTTP ${result.status}）` : `HTTP ${result.status}`
}

function refusal(what: string, status: number, json: unknown): string {
  const error = (json as { code?: string; message?: string } | null) ?? {}
  if (status === 401) return `电子证照库不认可本机的客户端凭据（请让管理员登记本机的客户端编号与公钥）：${error.message ?? ''}`
  return `${what}：${error.message ?? `HTTP ${status}`}${error.code ? `（${error.code}）` : ''}`
}

/** The files an item refers to by hash: a version's signed PDF, a revocation's formal document. */
function filesOf(row: OutboxRow): string[] {
  return [row.payload.pdfSha256, row.payload.documentSha256].filter((hash): hash is string => typeof hash === 'string')
}
