import type { PackWriter } from '../../files/file-store'
import { inspectPhoto } from '../photos/inspect'
import type { PhotoEntry, PhotoSource } from '../photos/photo-source'
import type { CheckedRow, RowIssue } from '../types'

const COLUMN = '照片文件名'
/** Photos read and checked at once: enough to keep the disk busy, few enough to bound memory. */
const PARALLEL = 16

function issue(row: CheckedRow, code: string, message: string): RowIssue {
  return { column: COLUMN, severity: 'error', code, message: `第 ${row.rowNumber} 行「${COLUMN}」：${message}` }
}

function findEntry(source: PhotoSource | null, row: CheckedRow): PhotoEntry | RowIssue {
  const named = row.fields.photoName
  if (named) {
    return source?.lookup(named) ?? issue(row, 'PHOTO_NOT_FOUND', `照片文件 ${named} 不在上传的照片中`)
  }
  if (!source) return issue(row, 'PHOTO_MISSING', '缺少照片：未上传照片，且未填写照片文件名')
  return source.forIdNumber(row.fields.idNumber ?? '') ?? issue(row, 'PHOTO_MISSING', '缺少照片：照片中没有以该证件号码命名的文件')
}

/**
 * Matches each row's photo (by the 照片文件名 column, else by ID number), checks it is a real
 * JPEG or PNG within the limits, and appends the good ones to the pack. Returns each row's photo
 * hash; a row whose photo failed gets an issue instead.
 */
export async function collectPhotos(source: PhotoSource | null, rows: CheckedRow[], pack: PackWriter): Promise<Map<number, string>> {
  const hashes = new Map<number, string>()
  let next = 0
  const work = async (): Promise<void> => {
    while (next < rows.length) {
      const row = rows[next++]
      const entry = findEntry(source, row)
      if ('severity' in entry) {
        row.issues.push(entry)
        continue
      }
      const bytes = await source!.read(entry)
      const checked = inspectPhoto(bytes)
      if (!checked.ok) {
        row.issues.push(issue(row, checked.code, checked.message))
        continue
      }
      hashes.set(row.rowNumber, await pack.add(bytes, checked.mediaType))
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, work))
  return hashes
}
