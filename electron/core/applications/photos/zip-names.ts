import { crc32 } from 'node:zlib'
import type { Entry } from 'yauzl'

/**
 * The name of a ZIP entry as its author meant it. The UTF-8 flag (bit 11) is set by current
 * tools; Info-ZIP adds a Unicode Path extra field (0x7075); and Windows' own “compressed folder”
 * and most Chinese tools write GBK with no marker at all, which yauzl would read as CP437 garbage.
 * So: flag, then extra field, then strict UTF-8, and GB 18030 (a superset of GBK) as the fallback.
 */
export function entryName(entry: Entry): string {
  const raw = entry.fileNameRaw
  if (entry.generalPurposeBitFlag & 0x800) return raw.toString('utf8')
  const unicodePath = entry.extraFields.find(
    // Version 1, then the CRC of the plain name: a stale field (name changed later) is ignored.
    (field) => field.id === 0x7075 && field.data.length > 5 && field.data[0] === 1 && field.data.readUInt32LE(1) === crc32(raw),
  )
  if (unicodePath) return unicodePath.data.subarray(5).toString('utf8')
  try {
    return STRICT_UTF8.decode(raw)
  } catch {
    return GB18030.decode(raw)
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })
const GB18030 = new TextDecoder('gb18030')

/** The name with / separators; old Windows tools wrote backslashes. */
export function slashed(name: string): string {
  return name.replace(/\\/g, '/')
}

/** An absolute path or one climbing out with “..”: never in an honest archive of photos. */
export function isUnsafePath(name: string): boolean {
  return /^([a-zA-Z]:|\/)/.test(name) || name.split('/').includes('..')
}

/** Folders, hidden files and macOS's resource forks (__MACOSX/…, ._photo.jpg) are not photos. */
export function isIgnored(name: string): boolean {
  return name.endsWith('/') || name.split('/').some((segment) => segment.startsWith('.') || segment === '__MACOSX')
}
