import { PHOTO_LIMITS } from '../../../contract/application-format'
import { inspectJpeg, inspectPng, type ImageHeader } from '../../util/image-headers'

export type PhotoInspection =
  | { ok: true; mediaType: 'image/jpeg' | 'image/png'; width: number; height: number }
  | { ok: false; code: 'PHOTO_INVALID' | 'PHOTO_TOO_LARGE' | 'PHOTO_DIMENSIONS'; message: string }

const INVALID = '照片不是有效的 JPEG 或 PNG 图片'

/**
 * Whether a photo is a whole JPEG or PNG within PHOTO_LIMITS, from its headers alone (no pixel
 * is decoded, so 10,000 photos take milliseconds). The file's own structure decides, never its
 * name: a renamed GIF, PDF or text file is refused, and so is a JPEG cut short in transfer.
 *
 * @param size the file's full size when known (a photo source reads at most maxBytes + 1 bytes),
 *   so the message can say how large it really is.
 */
export function inspectPhoto(bytes: Uint8Array, size?: number): PhotoInspection {
  const actual = Math.max(bytes.length, size ?? 0)
  if (actual > PHOTO_LIMITS.maxBytes) {
    const limit = megabytes(PHOTO_LIMITS.maxBytes)
    // Without the full size only “more than the limit” is known: the source stopped reading there.
    const message =
      size !== undefined && size > PHOTO_LIMITS.maxBytes ? `照片文件为 ${megabytes(size)}，超过上限 ${limit}` : `照片文件超过上限 ${limit}`
    return { ok: false, code: 'PHOTO_TOO_LARGE', message }
  }
  const header: ImageHeader | null = inspectJpeg(bytes) ?? inspectPng(bytes)
  if (!header) return { ok: false, code: 'PHOTO_INVALID', message: INVALID }
  const { width, height } = header
  if (
    width < PHOTO_LIMITS.minWidth ||
    height < PHOTO_LIMITS.minHeight ||
    width > PHOTO_LIMITS.maxWidth ||
    height > PHOTO_LIMITS.maxHeight
  ) {
    const allowed = `${PHOTO_LIMITS.minWidth}×${PHOTO_LIMITS.minHeight} 至 ${PHOTO_LIMITS.maxWidth}×${PHOTO_LIMITS.maxHeight}`
    return { ok: false, code: 'PHOTO_DIMENSIONS', message: `照片尺寸为 ${width}×${height} 像素，应在 ${allowed} 像素之间（宽×高）` }
  }
  return { ok: true, mediaType: header.mediaType, width, height }
}

/** Rounded up, so a file just over 2 MB does not read as “2.0 MB, more than 2 MB”. */
function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024)
  return `${Number.isInteger(value) ? value : (Math.ceil(value * 10) / 10).toFixed(1)} MB`
}
