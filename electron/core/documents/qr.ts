import { createHash } from 'node:crypto'
import { rgb, type PDFPage } from 'pdf-lib'
import QRCode from 'qrcode'
import { canonicalJson } from '../util/canonical'

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * A short code bound to the certificate's content: the first 8 base32 characters (40 bits) of
 * SHA-256 over the canonical JSON of the number and the field snapshot. A URL whose code does not
 * match the registry's record for that number is a forged or outdated printout.
 */
export function verificationCode(number: string, fields: object): string {
  const digest = createHash('sha256').update(canonicalJson({ fields, number })).digest()
  let bits = 0
  let value = 0
  let code = ''
  for (const byte of digest) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5 && code.length < 8) {
      code += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    if (code.length === 8) break
    value &= (1 << bits) - 1
  }
  return code
}

/** The URL the QR code encodes: `${baseUrl}/${number}?c=${shortCode}`. */
export function verificationUrl(baseUrl: string, number: string, fields: object): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(number)}?c=${verificationCode(number, fields)}`
}

/**
 * Draws the QR code (error correction M) as vector modules inside a white square of `size`
 * points whose bottom-left corner is (x, y), quiet zone included. The modules go into a content
 * stream of their own, in module units under one `cm`: one `re` per horizontal run of dark
 * modules, small integers only, so the code stays sharp at any zoom and costs a few hundred bytes.
 */
export function drawQrCode(
  page: PDFPage,
  text: string,
  box: { x: number; y: number; size: number; quietZone: number; colour: [number, number, number] },
): void {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const count = code.modules.size
  const module = box.size / (count + 2 * box.quietZone)
  const runs: string[] = []
  for (let row = 0; row < count; row++) {
    let column = 0
    while (column < count) {
      if (!code.modules.get(row, column)) {
        column++
        continue
      }
      const start = column
      while (column < count && code.modules.get(row, column)) column++
      // Module rows count downwards from the top; PDF y counts upwards.
      runs.push(`${start} ${count - 1 - row} ${column - start} 1 re`)
    }
  }
  page.drawRectangle({ x: box.x, y: box.y, width: box.size, height: box.size, color: rgb(1, 1, 1) })
  const origin = (value: number) => value.toFixed(3)
  const [red, green, blue] = box.colour.map((channel) => channel.toFixed(3))
  const operators = [
    'q',
    `${red} ${green} ${blue} rg`,
    `${origin(module)} 0 0 ${origin(module)} ${origin(box.x + box.quietZone * module)} ${origin(box.y + box.quietZone * module)} cm`,
    ...runs,
    'f',
    'Q',
    '',
  ].join('\n')
  const context = page.doc.context
  page.node.addContentStream(context.register(context.flateStream(operators)))
}
