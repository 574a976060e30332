import type { Knex } from 'knex'
import type { AuditEntry, AuditVerification } from '../../contract/audit'
import { canonicalJson, digestOf, sha256Hex } from '../util/canonical'
import { isoNow, type Clock } from '../util/clock'

export const GENESIS_HASH = '0'.repeat(64)

/** Who did it: a signed-in user, or the system itself (migrations, first-run setup). */
export interface AuditActor {
  userId: number | null
  username: string
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system' }

/** One state change to record. Details must never carry personal data (ID numbers, photos). */
export interface AuditRecord {
  action: string
  objectType: string
  objectId?: string | number | null
  before?: unknown
  after?: unknown
  details?: Record<string, unknown>
}

export interface AuditRow {
  id: number | string
  at: string
  actor_id: number | null
  actor_name: string
  action: string
  object_type: string
  object_id: string | null
  before_digest: string | null
  after_digest: string | null
  details: string
  prev_hash: string
  hash: string
}

/** An entry's content in its public shape, details still as stored text: what the hash covers. */
function hashedContent(row: Omit<AuditRow, 'hash'>): Omit<AuditEntry, 'hash' | 'details'> & { details: string } {
  return {
    id: Number(row.id),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    beforeDigest: row.before_digest,
    afterDigest: row.after_digest,
    details: row.details,
    prevHash: row.prev_hash,
  }
}

/**
 * The hash of an entry: every column but the hash itself, canonically serialised (exported for
 * tests that forge a rewritten chain).
 */
export function entryHash(row: Omit<AuditRow, 'hash'>): string {
  return sha256Hex(canonicalJson(hashedContent(row)))
}

function toEntry(row: AuditRow): AuditEntry {
  const content = hashedContent(row)
  return { ...content, details: JSON.parse(content.details) as Record<string, unknown>, hash: row.hash }
}

/**
 * The append-only, hash-chained audit log. `record` must run inside the write transaction
 * of the change it describes (see writeTransaction), so a change and its entry commit together.
 */
export class AuditLog {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  async record(trx: Knex.Transaction, actor: AuditActor, record: AuditRecord): Promise<AuditEntry> {
    return (await this.recordMany(trx, actor, [record]))[0]
  }

  /**
   * Several entries of one transaction, chained in order: one read of the head and one insert
   * per hundred entries (a signing job journals dozens of certificates per commit).
   */
  async recordMany(trx: Knex.Transaction, actor: AuditActor, records: AuditRecord[]): Promise<AuditEntry[]> {
    const head = (await trx('audit_log').select('id', 'hash').orderBy('id', 'desc').first()) as
      { id: number | string; hash: string } | undefined
    let id = head ? Number(head.id) : 0
    let previous = head ? head.hash : GENESIS_HASH
    const at = isoNow(this.clock)
    const rows = records.map((record): AuditRow => {
      id += 1
      const row: Omit<AuditRow, 'hash'> = {
        id,
        at,
        actor_id: actor.userId,
        actor_name: actor.username,
        action: record.action,
        object_type: record.objectType,
        object_id: record.objectId === undefined || record.objectId === null ? null : String(record.objectId),
        before_digest: digestOf(record.before),
        after_digest: digestOf(record.after),
        details: canonicalJson(record.details ?? {}),
        prev_hash: previous,
      }
      previous = entryHash(row)
      return { ...row, hash: previous }
    })
    for (let start = 0; start < rows.length; start += 100) await trx('audit_log').insert(rows.slice(start, start + 100))
    return rows.map(toEntry)
  }

  async list(options: { beforeId?: number; limit: number; action?: string; objectType?: string }): Promise<AuditEntry[]> {
    const query = this.db<AuditRow>('audit_log').orderBy('id', 'desc').limit(options.limit)
    if (options.beforeId) query.where('id', '<', options.beforeId)
    if (options.action) query.where('action', options.action)
    if (options.objectType) query.where('object_type', options.objectType)
    return (await query).map(toEntry)
  }

  /**
   * The entries about any of the given objects, newest first: each type with its ids is one
   * lookup in the (object_type, object_id) index, however long the log (the register's history).
   */
  async listByObjects(
    objects: Array<{ objectType: string; objectIds: Array<string | number> }>,
    options: { beforeId?: number; limit: number },
  ): Promise<AuditEntry[]> {
    const wanted = objects.filter((object) => object.objectIds.length > 0)
    if (wanted.length === 0) return []
    const query = this.db<AuditRow>('audit_log')
      .where((where) => {
        for (const object of wanted) {
          where.orWhere((one) => one.where('object_type', object.objectType).whereIn('object_id', object.objectIds.map(String)))
        }
      })
      .orderBy('id', 'desc')
      .limit(options.limit)
    if (options.beforeId) query.where('id', '<', options.beforeId)
    return (await query).map(toEntry)
  }

  /** The chain's length and the hash of its last entry (what an audit checkpoint publishes). */
  async head(): Promise<{ length: number; hash: string }> {
    const row = (await this.db('audit_log').orderBy('id', 'desc').first('id', 'hash')) as { id: number | string; hash: string } | undefined
    return row ? { length: Number(row.id), hash: row.hash } : { length: 0, hash: GENESIS_HASH }
  }

  /** The stored hash of entry `id`, or null when there is none. */
  async hashAt(id: number): Promise<string | null> {
    if (id === 0) return GENESIS_HASH
    const row = (await this.db('audit_log').where({ id }).first('hash')) as { hash: string } | undefined
    return row?.hash ?? null
  }

  async count(): Promise<number> {
    const row = (await this.db('audit_log').count({ n: '*' }).first()) as { n: number | string }
    return Number(row.n)
  }

  /** Walks the whole chain in pages and names the first entry that does not hold. */
  async verify(pageSize = 5000): Promise<AuditVerification> {
    let expectedId = 1
    let prevHash = GENESIS_HASH
    let count = 0
    for (;;) {
      const rows = (await this.db('audit_log').where('id', '>=', expectedId).orderBy('id', 'asc').limit(pageSize)) as AuditRow[]
      if (rows.length === 0) return { ok: true, count, headHash: prevHash, firstBroken: null }
      for (const row of rows) {
        const broken = checkRow(row, expectedId, prevHash)
        if (broken) return { ok: false, count, headHash: prevHash, firstBroken: broken }
        prevHash = row.hash
        expectedId += 1
        count += 1
      }
    }
  }
}

function checkRow(row: AuditRow, expectedId: number, prevHash: string): { id: number; reason: string } | null {
  const id = Number(row.id)
  if (id !== expectedId) return { id: expectedId, reason: `第 ${expectedId} 条记录缺失（下一条为第 ${id} 条），日志被删除过` }
  if (row.prev_hash !== prevHash) return { id, reason: `第 ${id} 条记录的前序哈希与第 ${id - 1} 条不符，链条在此断开` }
  const { hash, ...rest } = row
  if (entryHash(rest) !== hash) return { id, reason: `第 ${id} 条记录的内容与其哈希不符，记录被修改过` }
  return null
}
