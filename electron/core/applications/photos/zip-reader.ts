import { createReadStream, read } from 'node:fs'
import type { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { crc32, inflateRaw } from 'node:zlib'
import yauzl from 'yauzl'

const readAt = promisify(read)
const inflateAsync = promisify(inflateRaw)

// yauzl reads the central directory 46 bytes and one name at a time, each an fs.read: 10,000
// entries cost a second. Reading it through a 1 MiB window makes that a few reads.
const WINDOW_BYTES = 1 << 20

/**
 * yauzl's view of the archive: reads from one open file descriptor through a read-ahead window.
 * The descriptor belongs to the caller, who closes it after the ZipFile.
 */
export class WindowedReader extends yauzl.RandomAccessReader {
  private window = Buffer.alloc(0)
  private windowStart = 0

  constructor(
    private readonly fd: number,
    private readonly path: string,
  ) {
    super()
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    const end = position + length
    if (position >= this.windowStart && end <= this.windowStart + this.window.length) {
      this.window.copy(buffer, offset, position - this.windowStart, end - this.windowStart)
      // Asynchronous like a real read: yauzl's lazy entry loop would otherwise recurse.
      queueMicrotask(() => callback(null, length))
      return
    }
    if (length >= WINDOW_BYTES) {
      read(this.fd, buffer, offset, length, position, (error, bytesRead) => callback(error, bytesRead))
      return
    }
    const window = Buffer.allocUnsafe(WINDOW_BYTES)
    read(this.fd, window, 0, WINDOW_BYTES, position, (error, bytesRead) => {
      if (error) return callback(error)
      this.window = window.subarray(0, bytesRead)
      this.windowStart = position
      const copied = window.copy(buffer, offset, 0, Math.min(bytesRead, length))
      callback(null, copied)
    })
  }

  // A stream of its own: destroying a stream closes its descriptor whatever autoClose says, and
  // yauzl destroys the streams it is done with.
  override _readStreamForRange(start: number, end: number): Readable {
    return createReadStream(this.path, { start, end: end - 1 })
  }

  override close(callback: (error: Error | null) => void): void {
    callback(null)
  }
}

/** Why an entry's data cannot be trusted; the caller turns it into a message naming the file. */
export class DamagedEntry extends Error {}

// The local header repeats the name and may carry a longer extra field than the central
// directory (Info-ZIP's timestamps do): read this much beyond, to get header and data in one read.
const LOCAL_EXTRA_SLACK = 256

/**
 * The whole data of an entry declared no larger than `limit`: one positioned read (local header
 * and data together) and, when deflated, one inflate on the thread pool (off the main process's
 * event loop); far cheaper than a stream per photo. What the central directory declared is verified (sizes, CRC), so a lying header yields
 * DamagedEntry, never more than `limit` bytes in memory.
 */
export async function readSmallEntry(fd: number, fileSize: number, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  const offset = entry.relativeOffsetOfLocalHeader
  // Deflate never grows data by more than a few bytes per 16 KiB block; more is a lie.
  const compressedBound =
    entry.compressionMethod === 0 ? entry.uncompressedSize : entry.uncompressedSize + (entry.uncompressedSize >> 7) + 1024
  if (entry.compressedSize > compressedBound || offset + 30 > fileSize) throw new DamagedEntry('sizes')
  const guess = 30 + entry.fileNameLength + entry.extraFieldLength + entry.compressedSize + LOCAL_EXTRA_SLACK
  const head = Buffer.allocUnsafe(Math.min(guess, fileSize - offset))
  await readFully(fd, head, offset)
  if (head.readUInt32LE(0) !== 0x04034b50) throw new DamagedEntry('local header signature')
  const dataStart = 30 + head.readUInt16LE(26) + head.readUInt16LE(28)
  const dataEnd = dataStart + entry.compressedSize
  if (offset + dataEnd > fileSize) throw new DamagedEntry('data beyond the end of the file')
  let data = head.subarray(dataStart, dataEnd)
  if (dataEnd > head.length) {
    data = Buffer.allocUnsafe(entry.compressedSize)
    await readFully(fd, data, offset + dataStart)
  }
  const bytes = entry.compressionMethod === 0 ? data : await inflate(data, limit)
  if (bytes.length !== entry.uncompressedSize || crc32(bytes) !== entry.crc32) throw new DamagedEntry('length or CRC')
  return bytes
}

/** The first `limit` bytes of an entry through yauzl's stream, for an entry declared too large. */
export async function readEntryHead(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  let stream: Readable | null = null
  try {
    stream = await zip.openReadStreamPromise(entry)
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk)
      total += chunk.length
      if (total >= limit) break
    }
  } catch (error) {
    throw new DamagedEntry(String(error))
  } finally {
    stream?.destroy()
  }
  return Buffer.concat(chunks).subarray(0, limit)
}

async function inflate(data: Buffer, limit: number): Promise<Buffer> {
  try {
    return await inflateAsync(data, { maxOutputLength: limit })
  } catch (error) {
    throw new DamagedEntry(String(error))
  }
}

async function readFully(fd: number, buffer: Buffer, position: number): Promise<void> {
  for (let filled = 0; filled < buffer.length;) {
    const { bytesRead } = await readAt(fd, buffer, filled, buffer.length - filled, position + filled)
    if (bytesRead === 0) throw new DamagedEntry('unexpected end of file')
    filled += bytesRead
  }
}
