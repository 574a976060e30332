import { crc32 } from 'node:zlib'

/**
 * Header parsing of the two accepted image formats: enough to know the file is whole and its
 * size in pixels, without decoding a pixel.
 */
export interface ImageHeader {
  mediaType: 'image/jpeg' | 'image/png'
  width: number
  height: number
}

/**
 * JPEG (ITU T.81): SOI, then marker segments up to the first frame header (SOF0–SOF15, which
 * carries the size), and EOI as the last two bytes. Some encoders pad the file with zeros after
 * EOI; a file cut short in transfer has no EOI and is refused.
 */
export function inspectJpeg(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || !endsWithEoi(bytes)) return null
  let at = 2
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[at + 1] === 0xff && at + 2 < bytes.length) at += 1
    const marker = bytes[at + 1]
    at += 2
    if (isStandalone(marker)) continue
    // Scan data, another SOI or EOI before any frame header: not an image we can size.
    if (marker === 0x00 || marker === 0xd8 || marker === 0xd9 || marker === 0xda) return null
    if (at + 2 > bytes.length) return null
    const length = (bytes[at] << 8) | bytes[at + 1]
    if (length < 2 || at + length > bytes.length) return null
    if (isStartOfFrame(marker)) return readFrameHeader(bytes, at, length)
    at += length
  }
  return null
}

/** The frame header: Lf(2) P(1) Y(2) X(2) Nf(1), then three bytes per component. */
function readFrameHeader(bytes: Uint8Array, at: number, length: number): ImageHeader | null {
  if (length < 8) return null
  const height = (bytes[at + 3] << 8) | bytes[at + 4]
  const width = (bytes[at + 5] << 8) | bytes[at + 6]
  const components = bytes[at + 7]
  // Height 0 defers the size to a later DNL marker, which no camera or ID-photo tool writes.
  if (components === 0 || length < 8 + 3 * components || width === 0 || height === 0) return null
  return { mediaType: 'image/jpeg', width, height }
}

// C4 (DHT), C8 (JPG, reserved) and CC (DAC) share the C0–CF range with the frame headers.
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}

// TEM and RST0–RST7 have no length field.
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)
}

function endsWithEoi(bytes: Uint8Array): boolean {
  let end = bytes.length
  while (end > 4 && bytes[end - 1] === 0x00) end -= 1
  return bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
// Length 0, "IEND", and the CRC of "IEND": the same 12 bytes closing every whole PNG.
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]
const IHDR_END = 8 + 4 + 4 + 13 + 4

/** PNG (ISO/IEC 15948): signature, IHDR as the first chunk with a valid CRC, IEND at the end. */
export function inspectPng(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < IHDR_END + PNG_IEND.length) return null
  if (!PNG_SIGNATURE.every((byte, index) => bytes[index] === byte)) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(8) !== 13 || view.getUint32(12) !== 0x49484452) return null
  if (crc32(bytes.subarray(12, 29)) !== view.getUint32(29)) return null
  if (!endsWithIend(bytes)) return null
  const width = view.getUint32(16)
  const height = view.getUint32(20)
  // The format caps both at 2^31 - 1.
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return null
  return { mediaType: 'image/png', width, height }
}

function endsWithIend(bytes: Uint8Array): boolean {
  let end = bytes.length
  while (end > IHDR_END && bytes[end - 1] === 0x00) end -= 1
  const start = end - PNG_IEND.length
  return start >= IHDR_END && PNG_IEND.every((byte, index) => bytes[start + index] === byte)
}
