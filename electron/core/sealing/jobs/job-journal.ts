import type { Knex } from 'knex'
import type { AuditActor, AuditLog } from '../../audit/audit-log'
import { writeTransaction } from '../../db/transaction'
import type { FileStore } from '../../files/file-store'
import { isoNow, type Clock } from '../../util/clock'
import type { VersionRow } from '../../certificates/document-task'
import { verificationCode } from '../../documents/qr'
import { certificateVersionEvent, enqueue, type OutboxEvent } from '../../registry/outbox'
import type { PendingItem } from './job-store'

/** What became of one item: sealed (and verified), stopped after rendering, or failed. */
export type JournalEntry =
  | { kind: 'sealed'; item: PendingItem; bytes: Uint8Array; issued: boolean; signedAt: string }
  | { kind: 'rendered'; item: PendingItem; bytes: Uint8Array }
  | { kind: 'failed'; item: PendingItem; error: string }

type SealedEntry = Extract<JournalEntry, { kind: 'sealed' }>

function isSealed(entry: JournalEntry): entry is SealedEntry {
  return entry.kind === 'sealed'
}

/** The file this job's signature of the row's version made, for updating many rows in one statement. */
function sealedHashOf(trx: Knex.Transaction, jobId: number, versionIdColumn: string): Knex.Raw {
  return trx.raw(`(select s.pdf_hash from version_seals s where s.job_id = ? and s.certificate_version_id = ${versionIdColumn})`, [jobId])
}

export interface JournalDeps {
  db: Knex
  files: FileStore
  audit: AuditLog
  clock: Clock
}

export interface JournalJob {
  id: number
  sealId: number
  sealName: string
  actor: AuditActor
}

/** Items per transaction and the longest an item waits for one: one fsync serves many files. */
const GROUP_SIZE = 48
const GROUP_DELAY_MS = 250
/** Items waiting for their commit before the lanes are held back (memory stays flat). */
const MAX_WAITING = 4 * GROUP_SIZE

/**
 * Writes a signing job's results in groups: the group's files go into one pack, synced before
 * the transaction that records them commits, so a row never names a half-written file; each
 * signature, the version's issue and its audit entry commit together or not at all. A crash
 * loses at most the uncommitted groups, which the resumed job signs again.
 */
export class JobJournal {
  private waiting: JournalEntry[] = []
  private committing: Promise<void> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null
  private failure: Error | null = null

  constructor(
    private readonly deps: JournalDeps,
    private readonly job: JournalJob,
    private readonly onCommitted: (entries: JournalEntry[]) => void,
  ) {}

  /** Queues an entry; waits while too many are queued. Rejects once a commit has failed. */
  async add(entry: JournalEntry): Promise<void> {
    if (this.failure) throw this.failure
    this.waiting.push(entry)
    if (this.waiting.length >= GROUP_SIZE) this.commitWaiting()
    else this.timer ??= setTimeout(() => this.commitWaiting(), GROUP_DELAY_MS)
    while (this.waiting.length >= MAX_WAITING) await this.committing
    if (this.failure) throw this.failure
  }

  /** Commits everything queued; resolves when it is durable. */
  async flush(): Promise<void> {
    this.commitWaiting()
    await this.committing
    if (this.failure) throw this.failure
  }

  private commitWaiting(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.waiting.length === 0) return
    const group = this.waiting.splice(0, GROUP_SIZE)
    this.committing = this.committing
      .then(() => (this.failure ? undefined : this.commit(group)))
      .catch((error: unknown) => {
        this.failure = error instanceof Error ? error : new Error(String(error))
      })
    if (this.waiting.length >= GROUP_SIZE) this.commitWaiting()
  }

  private async commit(group: JournalEntry[]): Promise<void> {
    const { db, files } = this.deps
    const pack = await files.openPack()
    const hashes = new Map<JournalEntry, string>()
    try {
      for (const entry of group) {
        if (entry.kind === 'failed') continue
        const name = `${entry.item.row.number}-v${entry.item.row.version}${entry.kind === 'rendered' ? '-unsigned' : ''}.pdf`
        hashes.set(entry, await pack.add(entry.bytes, 'application/pdf', name))
      }
      // The files are durable before the transaction starts: it holds the one connection only to record them.
      await pack.sync()
      await writeTransaction(db, async (trx) => {
        await pack.record(trx)
        const sealed = group.filter(isSealed)
        await this.recordSealed(trx, sealed, hashes)
        for (const entry of group) if (entry.kind !== 'sealed') await this.recordOther(trx, entry, hashes.get(entry))
        const failed = group.filter((entry) => entry.kind === 'failed').length
        await trx('signing_jobs')
          .where({ id: this.job.id })
          .update({
            done: trx.raw('done + ?', [sealed.length]),
            failed: trx.raw('failed + ?', [failed]),
            updated_at: isoNow(this.deps.clock),
          })
      })
    } catch (error) {
      await pack.abort().catch(() => undefined)
      throw error
    }
    this.onCommitted(group)
  }

  /** A group's signatures in a few statements: the journal rows, the items, the issued versions and their audit entries. */
  private async recordSealed(trx: Knex.Transaction, sealed: SealedEntry[], hashes: Map<JournalEntry, string>): Promise<void> {
    if (sealed.length === 0) return
    const now = isoNow(this.deps.clock)
    const rows = sealed.map((entry) => ({
      certificate_version_id: entry.item.row.version_id,
      slot: entry.item.slot,
      seal_id: this.job.sealId,
      job_id: this.job.id,
      pdf_hash: hashes.get(entry),
      signed_by: this.job.actor.userId,
      signed_at: entry.signedAt,
    }))
    // A version's slot is signed once (unique key): a second signature would fail the whole group here.
    for (let start = 0; start < rows.length; start += 50) await trx('version_seals').insert(rows.slice(start, start + 50))
    await trx('signing_job_items')
      .whereIn(
        'id',
        sealed.map((entry) => entry.item.itemId),
      )
      .update({
        state: 'verified',
        error: null,
        updated_at: now,
        pdf_hash: sealedHashOf(trx, this.job.id, 'signing_job_items.certificate_version_id'),
      })
    const issued = sealed.filter((entry) => entry.issued)
    if (issued.length > 0) await this.issue(trx, issued, hashes, now)
    // The number, never the holder: the audit log carries no personal data.
    await this.deps.audit.recordMany(
      trx,
      this.job.actor,
      sealed.map((entry) => {
        const { row, slot } = entry.item
        const pdfHash = hashes.get(entry)
        return {
          action: entry.issued ? 'certificate.issue' : 'certificate.seal',
          objectType: 'certificate',
          objectId: row.certificate_id,
          after: { version: row.version, slot, seal: this.job.sealId, pdfHash },
          details: { number: row.number, version: row.version, slot, seal: this.job.sealName, job: this.job.id, pdfHash },
        }
      }),
    )
  }

  /**
   * The versions that got their last seal are issued: active, with their file; a corrected
   * certificate's earlier version is superseded only now, so the certificate is never without a
   * valid version; and each is published to the registry in this same transaction.
   */
  private async issue(trx: Knex.Transaction, issued: SealedEntry[], hashes: Map<JournalEntry, string>, now: string): Promise<void> {
    const versionIds = issued.map((entry) => entry.item.row.version_id)
    const certificateIds = issued.map((entry) => entry.item.row.certificate_id)
    await trx('certificate_versions')
      .whereIn('certificate_id', certificateIds)
      .where('status', 'active')
      .whereNotIn('id', versionIds)
      .update({ status: 'superseded', superseded_at: now })
    await trx('certificate_versions')
      .whereIn('id', versionIds)
      .update({ status: 'active', issued_at: now, pdf_hash: sealedHashOf(trx, this.job.id, 'certificate_versions.id') })
    for (const entry of issued) {
      const { certificate_id: id, version, fields } = entry.item.row
      // The register finds a certificate by its holder's name and ID number: a corrected version
      // brings its own, which become the certificate's only now that this version is in force.
      const holder = JSON.parse(fields) as { name: string; idNumber: string }
      await trx('certificates')
        .where({ id })
        .update({
          status: 'active',
          current_version: version,
          holder_name: holder.name,
          holder_id_number: holder.idNumber,
          issued_at: trx.raw('coalesce(issued_at, ?)', [now]),
          updated_at: now,
        })
    }
    await enqueue(
      trx,
      issued.map((entry) => publication(entry.item.row, hashes.get(entry)!, now)),
      now,
    )
  }

  private async recordOther(trx: Knex.Transaction, entry: JournalEntry, hash: string | undefined): Promise<void> {
    const now = isoNow(this.deps.clock)
    const item = entry.item
    if (entry.kind === 'failed') {
      await trx('signing_job_items').where({ id: item.itemId }).update({ state: 'failed', error: entry.error, updated_at: now })
      return
    }
    await trx('version_renderings')
      .insert({ certificate_version_id: item.row.version_id, pdf_hash: hash, rendered_at: now })
      .onConflict('certificate_version_id')
      .ignore()
    await trx('signing_job_items').where({ id: item.itemId }).update({ state: 'rendered', updated_at: now })
  }
}

/** What the registry receives of an issued certificate version (registry/openapi.yaml, CertificateVersion). */
function publication(row: VersionRow, pdfSha256: string, issuedAt: string): OutboxEvent {
  const fields = JSON.parse(row.fields) as Record<string, unknown>
  return certificateVersionEvent({
    number: row.number,
    version: row.version,
    family: row.family,
    level: row.level,
    organisationCode: row.organisation_code ?? '',
    issuedAt,
    fields,
    verificationCode: verificationCode(row.number, fields),
    pdfSha256,
  })
}
