import { createHash } from 'node:crypto'
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Knex } from 'knex'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'

/** Where a file's bytes are, as its `files` row says. */
export interface StoredLocation {
  path: string
  pack_offset: number | string | null
  size: number | string
}

export interface StoredFile {
  hash: string
  size: number
  mediaType: string
  path: string
}

/**
 * Content-addressed files under <dataDir>/files/ab/cdef…: photos, notices, scans and signed
 * PDFs are stored once by their SHA-256 and referenced by it. The bytes are written and
 * renamed into place before the row is inserted, so a row never names a half-written file.
 */
export class FileStore {
  constructor(
    private readonly dataDir: string,
    private readonly clock: Clock,
  ) {}

  static hashOf(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex')
  }

  private relativePath(hash: string): string {
    return join('files', hash.slice(0, 2), hash.slice(2))
  }

  /** Stores the bytes (idempotent) and records them in `files` within the caller's transaction. */
  async put(trx: Knex.Transaction, bytes: Uint8Array, mediaType: string, originalName?: string): Promise<StoredFile> {
    const hash = FileStore.hashOf(bytes)
    const path = this.relativePath(hash)
    const absolute = join(this.dataDir, path)
    await mkdir(dirname(absolute), { recursive: true })
    const temporary = `${absolute}.${process.pid}.tmp`
    await writeFile(temporary, bytes, { flush: true })
    await rename(temporary, absolute)
    const existing = await trx('files').where({ hash }).first('hash')
    if (!existing) {
      await trx('files').insert({
        hash,
        size: bytes.length,
        media_type: mediaType,
        path,
        original_name: originalName ?? null,
        created_at: isoNow(this.clock),
      })
    }
    return { hash, size: bytes.length, mediaType, path }
  }

  /** Starts a pack of many small files (a batch's photos): see PackWriter. */
  async openPack(): Promise<PackWriter> {
    const path = join('files', 'packs', `${randomBytes(12).toString('hex')}.pack`)
    const absolute = join(this.dataDir, path)
    await mkdir(dirname(absolute), { recursive: true })
    return new PackWriter(path, absolute, await open(`${absolute}.tmp`, 'w'), isoNow(this.clock))
  }

  /** Reads a stored file and checks it still has the hash it is stored under. */
  async read(db: Knex | Knex.Transaction, hash: string): Promise<{ bytes: Uint8Array; mediaType: string }> {
    const row = (await db('files').where({ hash }).first('path', 'media_type', 'pack_offset', 'size')) as
      { path: string; media_type: string; pack_offset: number | string | null; size: number | string } | undefined
    if (!row) throw new AppError('NOT_FOUND', `文件 ${hash.slice(0, 12)}… 不存在`)
    return { bytes: await this.readKnown(hash, row), mediaType: row.media_type }
  }

  /**
   * Reads a stored file whose `files` row the caller already has (a batch loads them all with
   * one query), checking its hash: no database round trip per file.
   */
  async readKnown(hash: string, row: StoredLocation): Promise<Uint8Array> {
    const bytes = await this.readBytes(row).catch(() => {
      throw new AppError('NOT_FOUND', `文件 ${hash.slice(0, 12)}… 已从数据目录中丢失`)
    })
    if (FileStore.hashOf(bytes) !== hash) throw new AppError('INVALID_STATE', `文件 ${hash.slice(0, 12)}… 的内容与其哈希不符，可能已被篡改`)
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  private async readBytes(row: StoredLocation): Promise<Buffer> {
    if (row.pack_offset === null) return readFile(join(this.dataDir, row.path))
    const handle = await open(join(this.dataDir, row.path), 'r')
    try {
      const bytes = Buffer.alloc(Number(row.size))
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, Number(row.pack_offset))
      if (bytesRead !== bytes.length) throw new Error('pack file truncated')
      return bytes
    } finally {
      await handle.close()
    }
  }
}

/**
 * Many small files in one pack file under files/packs/, written as they come (memory stays
 * bounded) and made durable with one fsync instead of one per file. `commit` records them in
 * `files` within the caller's transaction; a pack whose transaction rolls back is only an
 * unreferenced file. Files already stored, or twice in the pack, are recorded once.
 */
const FLUSH_BYTES = 4 * 1024 * 1024
const SYNC_EVERY_BYTES = 32 * 1024 * 1024

export class PackWriter {
  private readonly rows = new Map<string, Record<string, unknown>>()
  private offset = 0
  private closed = false
  // Bytes are gathered and written a few megabytes at a time: one write per photo costs more
  // in round trips to the I/O threads than the writing itself.
  private pending: Uint8Array[] = []
  private pendingStart = 0
  private pendingBytes = 0
  private writing: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly path: string,
    private readonly absolute: string,
    private readonly handle: FileHandle,
    private readonly createdAt: string,
  ) {}

  get count(): number {
    return this.rows.size
  }

  /** Appends the bytes and returns their hash. */
  async add(bytes: Uint8Array, mediaType: string, originalName?: string): Promise<string> {
    const hash = FileStore.hashOf(bytes)
    if (this.rows.has(hash)) return hash
    this.rows.set(hash, {
      hash,
      size: bytes.length,
      media_type: mediaType,
      path: this.path,
      pack_offset: this.offset,
      original_name: originalName ?? null,
      created_at: this.createdAt,
    })
    this.offset += bytes.length
    this.pending.push(bytes)
    this.pendingBytes += bytes.length
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush()
    return hash
  }

  /**
   * Syncs and moves the pack into place while the files are recorded in the caller's
   * transaction (the disk and the database work at once); the transaction commits only after.
   */
  async commit(trx: Knex.Transaction): Promise<void> {
    const synced = this.sync()
    try {
      await this.record(trx)
    } finally {
      await synced
    }
  }

  /** Writes what is left, syncs and moves the pack into place, outside any transaction. */
  async sync(): Promise<void> {
    await this.flush()
    await this.writing
    if (this.rows.size === 0) return this.abort()
    await this.handle.datasync()
    await this.close()
    await rename(`${this.absolute}.tmp`, this.absolute)
  }

  /** Records the pack's files in `files` (those not stored already), in the caller's transaction. */
  async record(trx: Knex.Transaction): Promise<void> {
    const hashes = [...this.rows.keys()]
    for (let start = 0; start < hashes.length; start += 500) {
      const known = (await trx('files')
        .whereIn('hash', hashes.slice(start, start + 500))
        .pluck('hash')) as string[]
      for (const hash of known) this.rows.delete(hash)
    }
    const rows = [...this.rows.values()]
    for (let start = 0; start < rows.length; start += 100) await trx('files').insert(rows.slice(start, start + 100))
  }

  private flush(): Promise<unknown> {
    if (this.pending.length === 0) return this.writing
    const chunks = this.pending
    const position = this.pendingStart
    this.pendingStart += this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
    const syncAfter = Math.floor(this.pendingStart / SYNC_EVERY_BYTES) > Math.floor(position / SYNC_EVERY_BYTES)
    // Syncing as the pack grows lets the disk write while photos are still being read, so the
    // final sync before the commit has little left to do.
    const written = this.writing.then(() => this.handle.writev(chunks, position))
    this.writing = syncAfter ? written.then(() => this.handle.datasync()) : written
    return written
  }

  /** Gives up the pack (an import refused before anything was stored). */
  async abort(): Promise<void> {
    await this.writing.catch(() => undefined)
    await this.close()
    await rm(`${this.absolute}.tmp`, { force: true })
  }

  private async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.handle.close()
  }
}
