import { close, open, read } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { PHOTO_LIMITS } from '../../../contract/application-format'
import { AppError } from '../../util/app-error'
import { PHOTO_FILE, PhotoIndex } from './photo-index'
import { MAX_PHOTO_ENTRIES, type PhotoEntry, type PhotoSource } from './photo-source'

// A folder of photos is sometimes sorted into sub-folders (by department, by day); deeper than
// this is not a photo folder but a wrong pick, such as a home folder.
const MAX_DEPTH = 3
// Sizes are read this many at a time: quick on a local disk, gentle on a network share.
const PARALLEL_STATS = 64
const WHERE = '照片文件夹'

/** A folder of photos, searched to MAX_DEPTH levels of sub-folders; nothing is ever written. */
export async function openDirectorySource(root: string): Promise<PhotoSource> {
  const found = { photos: [] as string[], files: 0 }
  await walk(root, '', 0, found)
  const paths = found.photos
  const index = new PhotoIndex(WHERE)
  for (let start = 0; start < paths.length; start += PARALLEL_STATS) {
    const chunk = paths.slice(start, start + PARALLEL_STATS)
    const sizes = await Promise.all(chunk.map(async (path) => (await stat(join(root, path))).size))
    chunk.forEach((path, offset) => index.add({ name: path.slice(path.lastIndexOf('/') + 1), path, size: sizes[offset] }))
  }
  return {
    kind: 'directory',
    size: index.size,
    lookup: (name) => index.lookup(name),
    forIdNumber: (id) => index.forIdNumber(id),
    read: (entry) => readCapped(join(root, entry.path), entry),
    close: async () => undefined,
  }
}

/** Collects photo files by path relative to the root; symbolic links are not followed. */
async function walk(root: string, relative: string, depth: number, found: { photos: string[]; files: number }): Promise<void> {
  const entries = await readdir(join(root, relative), { withFileTypes: true })
  for (const entry of entries) {
    // Hidden files (.DS_Store, ._photo.jpg) and macOS's resource-fork folder are never photos.
    if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`
    if (entry.isDirectory() && depth < MAX_DEPTH) await walk(root, path, depth + 1, found)
    if (!entry.isFile()) continue
    // Every file counts, photo or not: a wrongly picked home folder is refused, not walked for long.
    found.files += 1
    if (found.files > MAX_PHOTO_ENTRIES) {
      throw new AppError('VALIDATION', `${WHERE}中的文件超过 ${MAX_PHOTO_ENTRIES} 个，请确认选择的文件夹是否正确`)
    }
    if (PHOTO_FILE.test(entry.name)) found.photos.push(path)
  }
}

// Plain descriptors: a FileHandle per photo costs a third more over 10,000 photos.
const openFile = promisify(open)
const readAt = promisify(read)
const closeFile = promisify(close)

/** At most maxBytes + 1 bytes: enough for the check to say “too large”, never a whole huge file. */
async function readCapped(path: string, entry: PhotoEntry): Promise<Buffer> {
  const fd = await openFile(path, 'r')
  try {
    const buffer = Buffer.allocUnsafe(Math.min(entry.size, PHOTO_LIMITS.maxBytes + 1))
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await readAt(fd, buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return buffer.subarray(0, filled)
  } finally {
    await closeFile(fd)
  }
}
