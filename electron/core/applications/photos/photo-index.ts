import { AppError } from '../../util/app-error'
import type { PhotoEntry } from './photo-source'

/** The photo types a source indexes; anything else in a folder or ZIP is left alone. */
export const PHOTO_FILE = /\.(jpe?g|png)$/i

/**
 * The entries of a photo source by base name and by name without extension, both
 * case-insensitive: Windows clerks do not see case, and an ID number's X is often typed x.
 */
export class PhotoIndex {
  private readonly byName = new Map<string, PhotoEntry>()
  private readonly byStem = new Map<string, PhotoEntry>()

  /** @param where how the source is named in a message, e.g. “照片压缩包 photos.zip”. */
  constructor(private readonly where: string) {}

  get size(): number {
    return this.byName.size
  }

  /** Adds an entry; throws AppError VALIDATION when its name or stem is already taken. */
  add(entry: PhotoEntry): void {
    const name = nameKey(entry.name)
    const clash = this.byName.get(name)
    if (clash) {
      throw new AppError(
        'VALIDATION',
        `${this.where}中有两个同名的照片：${clash.path} 和 ${entry.path}，无法确定用哪一个，请删除或改名其中一个后重新上传`,
      )
    }
    const stem = stemKey(entry.name)
    const sameStem = this.byStem.get(stem)
    if (sameStem) {
      throw new AppError(
        'VALIDATION',
        `${this.where}中的 ${sameStem.path} 和 ${entry.path} 只有扩展名不同，无法按证件号码确定用哪一张，请只保留一张后重新上传`,
      )
    }
    this.byName.set(name, entry)
    this.byStem.set(stem, entry)
  }

  lookup(name: string): PhotoEntry | undefined {
    return this.byName.get(nameKey(baseName(name)))
  }

  forIdNumber(id: string): PhotoEntry | undefined {
    return this.byStem.get(id.trim().toUpperCase())
  }
}

/** The last segment of a path written with / or \. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
}

// NFC: macOS writes decomposed names into ZIPs, Windows composed ones into workbooks.
function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}

function stemKey(name: string): string {
  return name.replace(PHOTO_FILE, '').trim().normalize('NFC').toUpperCase()
}
