import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { PHOTO_LIMITS } from '../../electron/contract/application-format'
import { inspectPhoto } from '../../electron/core/applications/photos/inspect'

const INVALID = '照片不是有效的 JPEG 或 PNG 图片'

function noise(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4)
  for (let index = 0; index < data.length; index += 1) data[index] = (index * 7919) % 251
  return data
}

const encodeJpeg = (width: number, height: number) => jpeg.encode({ data: noise(width, height), width, height }, 80).data

function encodePng(width: number, height: number): Buffer {
  const png = new PNG({ width, height })
  noise(width, height).copy(png.data)
  return PNG.sync.write(png)
}

/** The offset of the first marker `code` (e.g. 0xC0 for SOF0) in a JPEG's header segments. */
function markerAt(bytes: Buffer, code: number): number {
  for (let at = 2; at < bytes.length; at += 2 + bytes.readUInt16BE(at + 2)) if (bytes[at + 1] === code) return at
  throw new Error(`no marker ${code.toString(16)}`)
}

/** A JPEG whose frame header claims another size: the inspection reads headers only. */
function jpegClaiming(width: number, height: number): Buffer {
  const bytes = Buffer.from(encodeJpeg(120, 150))
  const sof = markerAt(bytes, 0xc0)
  bytes.writeUInt16BE(height, sof + 5)
  bytes.writeUInt16BE(width, sof + 7)
  return bytes
}

/** A PNG whose IHDR claims another size, with the CRC made right again. */
function pngClaiming(width: number, height: number): Buffer {
  const bytes = Buffer.from(encodePng(120, 150))
  bytes.writeUInt32BE(width, 16)
  bytes.writeUInt32BE(height, 20)
  bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)), 29)
  return bytes
}

/** A segment of marker `code` with `payload`, inserted right after SOI. */
function withSegmentAfterSoi(bytes: Buffer, code: number, payload: Buffer, fill = 0): Buffer {
  const segment = Buffer.concat([
    Buffer.alloc(fill, 0xff),
    Buffer.from([0xff, code, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]),
    payload,
  ])
  return Buffer.concat([bytes.subarray(0, 2), segment, bytes.subarray(2)])
}

const demo = (index: number) => readFileSync(join(__dirname, '../../resources/demo', `photo-${index}.jpg`))

describe('inspectPhoto: accepted images', () => {
  it.each([1, 2, 3])('reads the size of demo photo %i as a JPEG decoder does', (index) => {
    const bytes = demo(index)
    const decoded = jpeg.decode(bytes)
    expect(inspectPhoto(bytes)).toEqual({ ok: true, mediaType: 'image/jpeg', width: decoded.width, height: decoded.height })
  })

  it.each<[string, Buffer, 'image/jpeg' | 'image/png', number, number]>([
    ['an encoded JPEG', encodeJpeg(300, 400), 'image/jpeg', 300, 400],
    ['the smallest allowed JPEG', encodeJpeg(PHOTO_LIMITS.minWidth, PHOTO_LIMITS.minHeight), 'image/jpeg', 100, 120],
    ['an encoded PNG', encodePng(300, 400), 'image/png', 300, 400],
    ['a JPEG padded with zeros after EOI', Buffer.concat([encodeJpeg(200, 240), Buffer.alloc(64)]), 'image/jpeg', 200, 240],
    ['a PNG padded with zeros after IEND', Buffer.concat([encodePng(200, 240), Buffer.alloc(16)]), 'image/png', 200, 240],
    [
      'a progressive frame (SOF2)',
      Buffer.from(encodeJpeg(200, 240)).fill(0xc2, markerAt(encodeJpeg(200, 240), 0xc0) + 1, markerAt(encodeJpeg(200, 240), 0xc0) + 2),
      'image/jpeg',
      200,
      240,
    ],
    ['the largest allowed size', jpegClaiming(4000, 4000), 'image/jpeg', 4000, 4000],
    ['the largest allowed PNG', pngClaiming(4000, 4000), 'image/png', 4000, 4000],
  ])('accepts %s', (_case, bytes, mediaType, width, height) => {
    expect(inspectPhoto(bytes)).toEqual({ ok: true, mediaType, width, height })
  })

  it('skips segments that are not frame headers: DHT, DAC and JPG markers, an EXIF thumbnail, fill bytes', () => {
    const base = encodeJpeg(200, 240)
    // Read as a frame header, each payload would claim 4660×22136 (0x1234×0x5678).
    const decoy = Buffer.from([0x08, 0x56, 0x78, 0x12, 0x34, 0x01, 0x01, 0x11, 0x00])
    for (const code of [0xc4, 0xc8, 0xcc]) {
      expect(inspectPhoto(withSegmentAfterSoi(base, code, decoy)), code.toString(16)).toMatchObject({ ok: true, width: 200, height: 240 })
    }
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), encodeJpeg(160, 120)])
    expect(inspectPhoto(withSegmentAfterSoi(base, 0xe1, exif, 3))).toMatchObject({ ok: true, width: 200, height: 240 })
  })
})

describe('inspectPhoto: refused files', () => {
  const jpegBytes = encodeJpeg(300, 400)
  const pngBytes = encodePng(300, 400)
  const badIhdrCrc = Buffer.from(pngBytes)
  badIhdrCrc[29] ^= 0xff
  const ihdrNotFirst = Buffer.from(pngBytes)
  ihdrNotFirst.write('IHDX', 12, 'latin1')
  const scanFirst = Buffer.concat([jpegBytes.subarray(0, 2), Buffer.from([0xff, 0xda, 0x00, 0x04, 0x00, 0x00]), jpegBytes.subarray(2)])

  it.each<[string, Uint8Array]>([
    ['an empty file', new Uint8Array()],
    ['a renamed text file', Buffer.from('这不是照片，是一段文字。\n', 'utf8')],
    ['a GIF', Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64')],
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1')],
    ['a JPEG cut in half', jpegBytes.subarray(0, jpegBytes.length >> 1)],
    ['a JPEG cut right after its frame header', jpegBytes.subarray(0, markerAt(jpegBytes, 0xc0) + 19)],
    ['a JPEG missing its last byte', jpegBytes.subarray(0, jpegBytes.length - 1)],
    ['a JPEG with scan data before any frame header', scanFirst],
    ['a JPEG claiming height 0', jpegClaiming(300, 0)],
    ['SOI and EOI alone', Buffer.from([0xff, 0xd8, 0xff, 0xd9])],
    ['a PNG with a bad IHDR CRC', badIhdrCrc],
    ['a PNG whose first chunk is not IHDR', ihdrNotFirst],
    ['a PNG cut before IEND', pngBytes.subarray(0, pngBytes.length - 12)],
    ['a PNG signature alone', pngBytes.subarray(0, 8)],
  ])('refuses %s as not a JPEG or PNG', (_case, bytes) => {
    expect(inspectPhoto(bytes)).toEqual({ ok: false, code: 'PHOTO_INVALID', message: INVALID })
  })

  it('refuses a file over the size limit before parsing it, with both figures when the size is known', () => {
    const big = Buffer.concat([jpegBytes.subarray(0, 2), Buffer.alloc(PHOTO_LIMITS.maxBytes)])
    expect(inspectPhoto(big)).toEqual({ ok: false, code: 'PHOTO_TOO_LARGE', message: '照片文件超过上限 2 MB' })
    expect(inspectPhoto(big.subarray(0, PHOTO_LIMITS.maxBytes + 1), 3.5 * 1024 * 1024)).toEqual({
      ok: false,
      code: 'PHOTO_TOO_LARGE',
      message: '照片文件为 3.5 MB，超过上限 2 MB',
    })
    expect(inspectPhoto(encodeJpeg(300, 400), PHOTO_LIMITS.maxBytes + 1)).toMatchObject({
      ok: false,
      message: '照片文件为 2.1 MB，超过上限 2 MB',
    })
  })

  it.each<[string, Buffer, string]>([
    ['a JPEG too narrow', encodeJpeg(80, 100), '80×100'],
    ['a JPEG one pixel too short', encodeJpeg(100, 119), '100×119'],
    ['a JPEG too wide', jpegClaiming(4001, 3000), '4001×3000'],
    ['a PNG too tall', pngClaiming(3000, 6000), '3000×6000'],
    ['a PNG too small', encodePng(50, 50), '50×50'],
  ])('refuses %s, saying its size and the bounds', (_case, bytes, size) => {
    expect(inspectPhoto(bytes)).toEqual({
      ok: false,
      code: 'PHOTO_DIMENSIONS',
      message: `照片尺寸为 ${size} 像素，应在 100×120 至 4000×4000 像素之间（宽×高）`,
    })
  })
})

describe('inspectPhoto over many photos', () => {
  it('accepts 10,000 real photos (its speed is in npm run bench, not here)', () => {
    const photos = [demo(1), demo(2), demo(3), encodePng(300, 400)]
    let accepted = 0
    for (let index = 0; index < 10_000; index += 1) if (inspectPhoto(photos[index % photos.length]).ok) accepted += 1
    expect(accepted).toBe(10_000)
  })
})
