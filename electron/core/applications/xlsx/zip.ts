import type { Readable } from 'node:stream'
import { crc32, createInflateRaw } from 'node:zlib'
import yauzl, { type Entry, type ZipFile } from 'yauzl'

/**
 * The ZIP container of an .xlsx, read with hard caps so a hostile file costs a bounded amount of
 * memory and time. The central directory's sizes are only claims: every entry is inflated here
 * (not by yauzl) and its real output is counted against the claim and the caps as it streams.
 */

export interface ZipLimits {
  /** Most entries the central directory may declare. */
  maxEntries: number
  /** Most bytes one entry may inflate to, unless the caller asks for less. */
  maxEntryBytes: number
  /** Most inflated bytes across every entry read from one archive. */
  maxTotalBytes: number
  /** Highest declared uncompressed/compressed ratio of an entry above `ratioExemptBytes`. */
  maxCompressionRatio: number
  /** Entries declaring at most this many bytes skip the ratio check: small XML parts compress very well. */
  ratioExemptBytes: number
}

/** What is wrong with an archive, for the caller to word for people. */
export type ZipProblem =
  /** Not a readable ZIP: no central directory, truncated, bad deflate data, CRC mismatch. */
  | 'corrupt'
  | 'encrypted'
  /** A compression method other than store or deflate. */
  | 'unsupported'
  /** Two entries with the same name (ignoring case): which one is the sheet would be ambiguous. */
  | 'duplicate_entry'
  | 'missing_entry'
  | 'too_many_entries'
  /** The declared size is above the cap. */
  | 'entry_too_large'
  /** The declared compression ratio is above the cap. */
  | 'ratio'
  /** The entry inflates to more than its headers declare: the headers lie. */
  | 'size_mismatch'
  | 'total_too_large'

/** A refusal from the ZIP layer; `message` is for logs, never shown as is. */
export class ZipError extends Error {
  constructor(
    readonly problem: ZipProblem,
    readonly entryName: string | null,
    message: string,
  ) {
    super(message)
    this.name = 'ZipError'
  }
}

const STORED = 0
const DEFLATED = 8
// Larger inflate output chunks mean fewer events per megabyte; the cap check is per chunk.
const INFLATE_CHUNK_BYTES = 64 * 1024

/** An open archive: entries listed once, each read through `read()` under the caps. */
export class ZipArchive {
  private totalInflated = 0

  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>,
    private readonly limits: ZipLimits,
  ) {
    // Errors after the listing (closing the descriptor) must not crash the process.
    zip.on('error', () => undefined)
  }

  /** Opens and lists the archive; refuses it when it declares too many entries or repeats a name. */
  static async open(path: string, limits: ZipLimits): Promise<ZipArchive> {
    let zip: ZipFile
    try {
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true })
    } catch (error) {
      throw new ZipError('corrupt', null, `cannot open the archive: ${describe(error)}`)
    }
    try {
      // The count comes from the end-of-central-directory record, so this costs no listing.
      if (zip.entryCount > limits.maxEntries) {
        throw new ZipError('too_many_entries', null, `${zip.entryCount} entries declared, at most ${limits.maxEntries}`)
      }
      return new ZipArchive(zip, await listEntries(zip), limits)
    } catch (error) {
      await closeZip(zip)
      throw error
    }
  }

  /** Entry names as stored, in central-directory order. */
  names(): string[] {
    return [...this.entries.values()].map((entry) => entry.fileName)
  }

  /** Whether the archive holds an entry of this name; OOXML part names ignore case. */
  has(name: string): boolean {
    return this.entries.has(name.toLowerCase())
  }

  /**
   * The inflated bytes of one entry, chunk by chunk. Refused before reading when the declared
   * size or ratio is above the caps; aborted while reading when the real output passes the
   * declared size, `maxBytes` or the archive's total; checked against the declared size and CRC
   * at the end. Stopping the iteration early releases the entry's streams.
   */
  async *read(name: string, maxBytes = this.limits.maxEntryBytes): AsyncGenerator<Buffer, void, undefined> {
    const entry = this.entries.get(name.toLowerCase())
    if (!entry) throw new ZipError('missing_entry', name, 'no such entry')
    const cap = Math.min(maxBytes, this.limits.maxEntryBytes)
    this.checkDeclared(entry, cap)
    let raw: Readable
    try {
      raw = await this.zip.openReadStreamPromise(entry, { decodeFileData: false })
    } catch (error) {
      throw new ZipError('corrupt', name, `cannot read the entry: ${describe(error)}`)
    }
    const output = entry.compressionMethod === DEFLATED ? raw.pipe(createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES })) : raw
    if (output !== raw) raw.on('error', (error) => output.destroy(error))
    let produced = 0
    let checksum = 0
    try {
      for await (const chunk of output as AsyncIterable<Buffer>) {
        produced += chunk.length
        this.totalInflated += chunk.length
        this.checkProduced(entry, produced, cap)
        checksum = crc32(chunk, checksum)
        yield chunk
      }
    } catch (error) {
      if (error instanceof ZipError) throw error
      throw new ZipError('corrupt', name, `cannot inflate the entry: ${describe(error)}`)
    } finally {
      raw.destroy()
      output.destroy()
    }
    if (produced !== entry.uncompressedSize) {
      throw new ZipError('corrupt', name, `inflated to ${produced} bytes, ${entry.uncompressedSize} declared`)
    }
    if (checksum >>> 0 !== entry.crc32 >>> 0) throw new ZipError('corrupt', name, 'CRC-32 mismatch')
  }

  /** Closes the file; resolves once the descriptor is released. Safe to call twice. */
  async close(): Promise<void> {
    await closeZip(this.zip)
  }

  private checkDeclared(entry: Entry, maxBytes: number): void {
    const name = entry.fileName
    if (entry.isEncrypted()) throw new ZipError('encrypted', name, 'encrypted entry')
    if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
      throw new ZipError('unsupported', name, `compression method ${entry.compressionMethod}`)
    }
    const declared = entry.uncompressedSize
    if (declared > this.limits.ratioExemptBytes && declared > entry.compressedSize * this.limits.maxCompressionRatio) {
      throw new ZipError('ratio', name, `declares ${declared} bytes from ${entry.compressedSize}`)
    }
    if (declared > maxBytes) throw new ZipError('entry_too_large', name, `declares ${declared} bytes, at most ${maxBytes}`)
    if (this.totalInflated + declared > this.limits.maxTotalBytes) {
      throw new ZipError('total_too_large', name, `would inflate past ${this.limits.maxTotalBytes} bytes in all`)
    }
  }

  private checkProduced(entry: Entry, produced: number, maxBytes: number): void {
    const name = entry.fileName
    if (produced > entry.uncompressedSize) {
      throw new ZipError('size_mismatch', name, `inflates past the ${entry.uncompressedSize} bytes declared`)
    }
    // Unreachable while the declared size was checked, kept so a future path cannot skip the cap.
    if (produced > maxBytes) throw new ZipError('entry_too_large', name, `inflates past ${maxBytes} bytes`)
    if (this.totalInflated > this.limits.maxTotalBytes) {
      throw new ZipError('total_too_large', name, `inflated past ${this.limits.maxTotalBytes} bytes in all`)
    }
  }
}

function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>()
    const settle = (error: Error | null): void => {
      zip.off('entry', onEntry)
      zip.off('end', onEnd)
      zip.off('error', onError)
      if (error) reject(error)
      else resolve(entries)
    }
    const onEntry = (entry: Entry): void => {
      const key = entry.fileName.toLowerCase()
      if (entries.has(key)) return settle(new ZipError('duplicate_entry', entry.fileName, 'entry name repeated'))
      entries.set(key, entry)
      zip.readEntry()
    }
    const onEnd = (): void => settle(null)
    const onError = (error: Error): void => settle(new ZipError('corrupt', null, `cannot list the archive: ${error.message}`))
    zip.on('entry', onEntry)
    zip.on('end', onEnd)
    zip.on('error', onError)
    zip.readEntry()
  })
}

/** Closes a yauzl archive and waits for its descriptor to be released (streams destroyed first). */
function closeZip(zip: ZipFile): Promise<void> {
  if (!zip.isOpen) return Promise.resolve()
  return new Promise((resolve) => {
    zip.once('close', () => resolve())
    zip.once('error', () => resolve())
    zip.close()
  })
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
