import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Knex } from 'knex'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'

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

  /** Reads a stored file and checks it still has the hash it is stored under. */
  async read(db: Knex | Knex.Transaction, hash: string): Promise<{ bytes: Uint8Array; mediaType: string }> {
    const row = (await db('files').where({ hash }).first('path', 'media_type')) as { path: string; media_type: string } | undefined
    if (!row) throw new AppError('NOT_FOUND', `文件 ${hash.slice(0, 12)}… 不存在`)
    const bytes = await readFile(join(this.dataDir, row.path)).catch(() => {
      throw new AppError('NOT_FOUND', `文件 ${hash.slice(0, 12)}… 已从数据目录中丢失`)
    })
    if (FileStore.hashOf(bytes) !== hash) throw new AppError('INVALID_STATE', `文件 ${hash.slice(0, 12)}… 的内容与其哈希不符，可能已被篡改`)
    return { bytes: new Uint8Array(bytes), mediaType: row.media_type }
  }
}
