/**
 * Just enough DER for the token layer: SubjectPublicKeyInfo, ECDSA-Sig-Value and the names a
 * certificate object needs. Deliberately tiny; the sealing crypto module has the general one.
 */

/** The DER length octets for `length`: short form below 128, else long form. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

/** One TLV: `tag`, then the definite length, then the contents concatenated. */
export function derElement(tag: number, ...contents: Uint8Array[]): Buffer {
  const body = Buffer.concat(contents)
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body])
}

/** An INTEGER from unsigned big-endian bytes: leading zeros dropped, one 0x00 kept if the top bit is set. */
export function derUnsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1
  const trimmed = Buffer.from(bytes.subarray(start))
  return derElement(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed)
}

/** Where one TLV sits in `der`: its tag, where its contents start and where it ends. */
export interface DerSpan {
  tag: number
  start: number
  end: number
  /** Offset of the tag byte, so `der.subarray(offset, end)` is the whole element. */
  offset: number
}

/** Reads the TLV at `offset`; throws on a truncated or indefinite-length element. */
export function derRead(der: Uint8Array, offset: number): DerSpan {
  if (offset + 2 > der.length) throw new Error('DER: truncated element')
  const tag = der[offset]
  let length = der[offset + 1]
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4 || start + count > der.length) throw new Error('DER: unsupported length')
    length = 0
    for (let index = 0; index < count; index += 1) length = length * 256 + der[start + index]
    start += count
  }
  if (start + length > der.length) throw new Error('DER: truncated element')
  return { tag, start, end: start + length, offset }
}

/** The elements directly inside the constructed element `outer`. */
export function derChildren(der: Uint8Array, outer: DerSpan): DerSpan[] {
  const children: DerSpan[] = []
  for (let offset = outer.start; offset < outer.end;) {
    const child = derRead(der, offset)
    children.push(child)
    offset = child.end
  }
  return children
}
