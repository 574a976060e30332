import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Knex } from 'knex'
import { mayActFor, type Caller } from './clients'

const SYNC_WRITE_BYTES = 1024 * 1024

/**
 * Writes a new file in one go on the main thread; false when the name exists. A signed PDF
 * (~65 KB) goes to the page cache faster than the round trips to libuv's threads (which SQLite
 * also needs) would take, and nothing else runs meanwhile, so no upload sees it half-written.
 */
function createExclusive(absolute: string, bytes: Uint8Array): boolean {
  let descriptor: number
  try {
    descriptor = openSync(absolute, 'wx')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    for (let written = 0; written < bytes.length;) written += writeSync(descriptor, bytes, written)
  } catch (error) {
    closeSync(descriptor)
    rmSync(absolute, { force: true })
    throw error
  }
  closeSync(descriptor)
  return true
}

/** Writes to a unique temporary name and renames it into place: readers see the old file or the whole new one. */
async function replace(absolute: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${absolute}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temporary, bytes)
    await rename(temporary, absolute)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/**
 * Files by SHA-256 under <dataDir>/files/ab/cdef…. A file's row is inserted only once its bytes
 * are all in place, and only a row makes a file visible (HEAD, GET, a publication naming it). No
 * fsync: like the database (synchronous=NORMAL), a reference registry trades the last seconds
 * before a power cut for throughput.
 */
export class RegistryFiles {
  private readonly folders = new Set<string>()
  private readonly rows: RowCoalescer

  constructor(
    private readonly db: Knex,
    private readonly dataDir: string,
  ) {
    this.rows = new RowCoalescer(db)
  }

  private relativePath(sha256: string): string {
    return join('files', sha256.slice(0, 2), sha256.slice(2))
  }

  /** The stored size, or null when the file is not stored. */
  async size(sha256: string): Promise<number | null> {
    const row = (await this.db('files').where({ sha256 }).first('size')) as { size: number } | undefined
    return row ? Number(row.size) : null
  }

  /**
   * Stores bytes whose hash the caller has checked; false when they were stored already. The
   * file is in place before its row is inserted, and only a row makes a file visible: a crash
   * in between leaves a file without a row, which the next store of it replaces.
   */
  async put(sha256: string, bytes: Uint8Array, storedBy: string | null, now: Date): Promise<boolean> {
    const path = this.relativePath(sha256)
    const absolute = join(this.dataDir, path)
    const folder = dirname(absolute)
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true })
      this.folders.add(folder)
    }
    const row = { sha256, size: bytes.length, path, stored_by: storedBy, created_at: now.toISOString() }
    if (bytes.length <= SYNC_WRITE_BYTES && createExclusive(absolute, bytes)) return this.rows.insert(row)
    // Large, or the name exists: stored already, left by a crash, or an upload of it in progress.
    if ((await this.size(sha256)) !== null) return false
    await replace(absolute, bytes)
    return this.rows.insert(row)
  }

  async read(sha256: string): Promise<Buffer | null> {
    const row = (await this.db('files').where({ sha256 }).first('path')) as { path: string } | undefined
    return row ? readFile(join(this.dataDir, row.path)) : null
  }

  /**
   * Whether the caller may fetch the file: it stored it, or it belongs to an application, a
   * certificate version or a revocation of an organisation the caller acts for.
   */
  async mayRead(caller: Caller, sha256: string): Promise<boolean> {
    if (caller.organisationCode === '*') return true
    const code = caller.organisationCode
    const file = (await this.db('files').where({ sha256 }).first('stored_by')) as { stored_by: string | null } | undefined
    if (!file) return false
    if (file.stored_by === caller.clientId) return true
    const application = await this.db('applications')
      .where({ organisation_code: code })
      .andWhere((query) => query.where({ workbook_sha256: sha256 }).orWhere({ photos_sha256: sha256 }).orWhere({ notice_sha256: sha256 }))
      .first('id')
    if (application) return true
    const version = await this.db('certificate_versions').where({ pdf_sha256: sha256, organisation_code: code }).first('number')
    if (version) return true
    const revocation = (await this.db('revocations')
      .join('certificates', 'certificates.number', 'revocations.number')
      .where({ 'revocations.document_sha256': sha256 })
      .first('certificates.organisation_code')) as { organisation_code: string } | undefined
    return revocation !== undefined && mayActFor(caller, revocation.organisation_code)
  }
}

interface PendingRow {
  row: { sha256: string } & Record<string, unknown>
  resolve(created: boolean): void
  reject(error: unknown): void
}

/**
 * Inserts the `files` rows of concurrent uploads together: rows that arrive while one insert
 * runs go into the next, one statement for all of them. Per upload, a statement through knex
 * and SQLite's thread costs about as much as hashing and writing a 65 KB file. Each upload is
 * answered only once its row is committed.
 */
class RowCoalescer {
  private pending: PendingRow[] = []
  private running = false

  constructor(private readonly db: Knex) {}

  /** True when the row was new. */
  insert(row: PendingRow['row']): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject })
      if (!this.running) {
        this.running = true
        // Wait for the uploads read in this turn of the event loop to join the statement.
        setImmediate(() => void this.drain())
      }
    })
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, 5000)
      try {
        const inserted = new Set(
          (await this.db('files')
            .insert(batch.map((item) => item.row))
            .onConflict('sha256')
            .ignore()
            .returning('sha256')) as Array<{ sha256: string } | string>,
        )
        const created = new Set([...inserted].map((item) => (typeof item === 'string' ? item : item.sha256)))
        for (const item of batch) {
          // The same file twice in one statement: the first upload created it, the second found it.
          item.resolve(created.delete(item.row.sha256))
        }
      } catch (error) {
        for (const item of batch) item.reject(error)
      }
    }
    this.running = false
  }
}
