import { PDFDocument } from 'pdf-lib'
import { MAX_SEAL_APPEARANCE_BYTES } from '../../contract/seals'
import { AppError } from '../util/app-error'
import { inspectPng } from '../util/image-headers'
const MAX_SIDE = 2000
const MIN_SIDE = 100

/**
 * Checks that the bytes are a PNG a seal appearance can be: a real PNG signature and IHDR,
 * a sensible size, and transparency (an alpha channel or a tRNS chunk) so the seal does not
 * cover the text under it with a white square. Returns its pixel size.
 */
export function checkSealPng(bytes: Uint8Array): { width: number; height: number } {
  // The same header check as applicants' photos: signature, IHDR with its CRC, IEND at the end.
  const header = inspectPng(bytes)
  if (!header) throw new AppError('VALIDATION', '印章图样必须是完整的 PNG 图片（文件头、IHDR 或结尾不是有效的 PNG）')
  const { width, height } = header
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunkType = (offset: number) => String.fromCharCode(...bytes.subarray(offset + 4, offset + 8))
  const colourType = bytes[25]
  if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
    throw new AppError('VALIDATION', `印章图样的尺寸为 ${width}×${height} 像素，应在 ${MIN_SIDE}–${MAX_SIDE} 像素之间`)
  }
  let transparent = colourType === 4 || colourType === 6
  for (let offset = 8; offset + 8 <= bytes.length && !transparent;) {
    const length = view.getUint32(offset)
    const type = chunkType(offset)
    if (type === 'tRNS') transparent = true
    if (type === 'IEND') break
    offset += 12 + length
  }
  if (!transparent) throw new AppError('VALIDATION', '印章图样必须带透明背景（PNG 的 Alpha 通道或透明色）')
  return { width, height }
}

/**
 * An uploaded seal appearance (base64) as bytes, after every check: size, checkSealPng, and a
 * trial embedding — the PDF writer must decode it, or every certificate with it would fail later.
 */
export async function decodeSealPng(pngBase64: string): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  const bytes = new Uint8Array(Buffer.from(pngBase64, 'base64'))
  if (bytes.length > MAX_SEAL_APPEARANCE_BYTES) throw new AppError('VALIDATION', '印章图样不能超过 512 KB')
  const size = checkSealPng(bytes)
  await (await PDFDocument.create()).embedPng(bytes).catch(() => {
    throw new AppError('VALIDATION', '印章图样无法解码，请重新导出为标准 PNG')
  })
  return { bytes, ...size }
}
