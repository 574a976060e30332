import type { Knex } from 'knex'
import type { JobState, SealSlot, SigningJobInfo } from '../../../contract/sealing'
import { BATCH_STATE_LABELS } from '../../../contract/applications'
import { selectVersionRow, type VersionRow } from '../../certificates/document-task'
import type { StoredLocation } from '../../files/file-store'
import { AppError } from '../../util/app-error'

type Db = Knex | Knex.Transaction

/** A signing job as stored (signing_jobs), with the names the desk shows. */
export interface JobRow {
  id: number
  batch_id: number
  seal_id: number
  state: JobState
  total: number
  done: number
  failed: number
  created_by: number
  created_by_name: string
  last_error: string | null
  paused_reason: string | null
  module_path: string | null
  token_label: string | null
  token_serial: string | null
  timestamp: number | boolean
  seal_name: string
  batch_organisation: string
  batch_year: number | null
  batch_state: string
  created_at: string
  updated_at: string
  finished_at: string | null
}

/** Job states in which the job is not finished: a new job for the same batch and seal is refused. */
export const OPEN_JOB_STATES: JobState[] = ['ready', 'running', 'paused', 'waiting_token', 'waiting_pin']

/** Batch states whose certificates can be sealed: approved ones, and issued ones whose corrections made new versions. */
export const SEALABLE_BATCH_STATES = ['approved', 'issued']

export function jobQuery(db: Db): Knex.QueryBuilder {
  return db('signing_jobs as j')
    .join('seals as s', 's.id', 'j.seal_id')
    .join('users as u', 'u.id', 'j.created_by')
    .join('application_batches as b', 'b.id', 'j.batch_id')
    .join('organisations as o', 'o.id', 'b.organisation_id')
    .select('j.*', 's.name as seal_name', 'u.display_name as created_by_name')
    .select('o.name as batch_organisation', 'b.declaration_year as batch_year', 'b.state as batch_state')
}

export async function loadJob(db: Db, jobId: number): Promise<JobRow | undefined> {
  return (await jobQuery(db).where('j.id', jobId).first()) as JobRow | undefined
}

export function batchLabel(batchId: number, organisation: string, year: number | null): string {
  return `${organisation} ${year ?? ''} 第 ${batchId} 批`.replace(/\s+/g, ' ')
}

/** The stored view of a job; a live run overlays state, rate and ETA. */
export function toJobInfo(row: JobRow): SigningJobInfo {
  return {
    id: row.id,
    batchId: row.batch_id,
    batchLabel: batchLabel(row.batch_id, row.batch_organisation, row.batch_year),
    sealId: row.seal_id,
    sealName: row.seal_name,
    state: row.state,
    total: row.total,
    done: row.done,
    failed: row.failed,
    rate: null,
    etaSeconds: null,
    pausedReason: row.paused_reason,
    lastError: row.last_error,
    needsPin: false,
    timestamp: Boolean(row.timestamp),
    tokenLabel: row.token_label,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  }
}

export { BATCH_STATE_LABELS }

/** A stored file an item needs, with where its bytes are: read without asking the database again. */
export interface KnownFile extends StoredLocation {
  hash: string
  media_type: string
}

/** One certificate version of a job still to be sealed. */
export interface PendingItem {
  itemId: number
  slot: SealSlot
  row: VersionRow
  /** The file to sign: the last signed file of the version, its kept rendering, or null (render it). */
  input: KnownFile | null
  photo: KnownFile | null
  /** Slots of the version already signed (before this job's signature). */
  signedSlots: SealSlot[]
}

/**
 * The job's items not yet sealed, in certificate order, with what each needs. Items whose slot
 * was already signed (a run that committed before it was interrupted) are left out: they are
 * never signed twice.
 */
export async function pendingItems(db: Db, jobId: number): Promise<PendingItem[]> {
  const rows = (await selectVersionRow(
    db('signing_job_items as i')
      .join('certificate_versions as v', 'v.id', 'i.certificate_version_id')
      .join('certificates as c', 'c.id', 'v.certificate_id')
      .join('organisations as o', 'o.id', 'c.organisation_id')
      .leftJoin('version_renderings as r', 'r.certificate_version_id', 'v.id')
      .where('i.job_id', jobId)
      .whereIn('i.state', ['pending', 'rendered'])
      .orderBy('c.id'),
  ).select('i.id as item_id', 'i.slot as item_slot', 'r.pdf_hash as rendering_hash')) as Array<
    VersionRow & { item_id: number; item_slot: SealSlot; rendering_hash: string | null }
  >
  const signed = await signedSlotsOf(
    db,
    rows.map((row) => row.version_id),
  )
  const items = rows.filter((row) => !signed.get(row.version_id)?.some((seal) => seal.slot === row.item_slot))
  const inputs = items.map((row) => {
    const seals = signed.get(row.version_id) ?? []
    return seals.length > 0 ? seals[seals.length - 1].pdfHash : row.rendering_hash
  })
  const files = await knownFiles(db, [...inputs, ...items.map((row) => row.photo_hash)])
  return items.map((row, index) => ({
    itemId: row.item_id,
    slot: row.item_slot,
    row,
    input: inputs[index] ? fileOf(files, inputs[index]) : null,
    photo: row.photo_hash ? fileOf(files, row.photo_hash) : null,
    signedSlots: (signed.get(row.version_id) ?? []).map((seal) => seal.slot),
  }))
}

function fileOf(files: Map<string, KnownFile>, hash: string): KnownFile {
  const file = files.get(hash)
  if (!file) throw new AppError('NOT_FOUND', `文件 ${hash.slice(0, 12)}… 不存在`)
  return file
}

/** The `files` rows of these hashes, in chunks SQLite's parameter limit allows. */
async function knownFiles(db: Db, hashes: Array<string | null>): Promise<Map<string, KnownFile>> {
  const unique = [...new Set(hashes.filter((hash): hash is string => hash !== null))]
  const result = new Map<string, KnownFile>()
  for (let start = 0; start < unique.length; start += 500) {
    const rows = (await db('files')
      .whereIn('hash', unique.slice(start, start + 500))
      .select('hash', 'path', 'pack_offset', 'size', 'media_type')) as KnownFile[]
    for (const row of rows) result.set(row.hash, row)
  }
  return result
}

/** Signatures already on these versions, oldest first, by version. */
async function signedSlotsOf(db: Db, versionIds: number[]): Promise<Map<number, Array<{ slot: SealSlot; pdfHash: string }>>> {
  const result = new Map<number, Array<{ slot: SealSlot; pdfHash: string }>>()
  for (let start = 0; start < versionIds.length; start += 500) {
    const rows = (await db('version_seals')
      .whereIn('certificate_version_id', versionIds.slice(start, start + 500))
      .orderBy('id')
      .select('certificate_version_id', 'slot', 'pdf_hash')) as Array<{ certificate_version_id: number; slot: SealSlot; pdf_hash: string }>
    for (const row of rows) {
      const list = result.get(row.certificate_version_id) ?? []
      list.push({ slot: row.slot, pdfHash: row.pdf_hash })
      result.set(row.certificate_version_id, list)
    }
  }
  return result
}
