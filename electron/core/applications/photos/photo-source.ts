import { stat } from 'node:fs/promises'
import { AppError } from '../../util/app-error'
import { openDirectorySource } from './directory-source'
import { openZipSource } from './zip-source'

/** One photo file of a source, by its base name (folders inside the source do not matter). */
export interface PhotoEntry {
  /** The base name as stored, e.g. 310101198503120022.jpg. */
  readonly name: string
  /** Where it is inside the source (sub-folders included), for messages. */
  readonly path: string
  /** Its size in bytes: as declared by the ZIP, or as the file system says. */
  readonly size: number
}

/**
 * The photos uploaded with a workbook: a folder or a ZIP, indexed by base name when opened.
 * Only .jpg, .jpeg and .png files are entries; hidden files and __MACOSX are ignored.
 */
export interface PhotoSource {
  readonly kind: 'directory' | 'zip'
  /** The number of photo entries. */
  readonly size: number
  /** The entry of a base name, case-insensitively (a path in `name` is reduced to its base name). */
  lookup(name: string): PhotoEntry | undefined
  /** The entry named <id>.jpg, .jpeg or .png, case-insensitively (so a final x matches X). */
  forIdNumber(id: string): PhotoEntry | undefined
  /** The photo's bytes, at most PHOTO_LIMITS.maxBytes + 1 of them: enough to tell it is too large. */
  read(entry: PhotoEntry): Promise<Buffer>
  close(): Promise<void>
}

/** Refused beyond this many entries: twice the largest batch, and a bound on the index's memory. */
export const MAX_PHOTO_ENTRIES = 200_000

/**
 * Opens a folder of photos or a ZIP of them and indexes it. Throws AppError VALIDATION, in
 * Chinese, for what would make matching unreliable or reading unsafe: two photos of one name,
 * too many entries, or (ZIP) an encrypted, unsafe or bomb-like archive.
 */
export async function openPhotoSource(path: string): Promise<PhotoSource> {
  const info = await stat(path).catch(() => null)
  if (!info) throw new AppError('VALIDATION', '找不到上传的照片，请重新上传')
  return info.isDirectory() ? openDirectorySource(path) : openZipSource(path, info.size)
}
