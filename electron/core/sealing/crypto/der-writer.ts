import { DerError, elementEnd, Tag } from './der'

/**
 * DER encoders. Every function returns one complete element (identifier, length, content) as a
 * Buffer, and every constructed encoder takes such elements: composing them is concatenation, one
 * allocation per element. Only tag numbers below 31 are written (all the sealing schemas need).
 */

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const size = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4
  const octets = Buffer.allocUnsafe(size + 1)
  octets[0] = 0x80 | size
  octets.writeUIntBE(length, 1, size)
  return octets
}

/** An element from its identifier octet (class, constructed bit and tag number < 31) and content. */
export function tlv(identifier: number, ...content: Buffer[]): Buffer {
  const contentLength = content.reduce((sum, part) => sum + part.length, 0)
  const length = lengthOctets(contentLength)
  const element = Buffer.allocUnsafe(1 + length.length + contentLength)
  element[0] = identifier
  length.copy(element, 1)
  let offset = 1 + length.length
  for (const part of content) offset += part.copy(element, offset)
  return element
}

/** SEQUENCE of already encoded elements, in the given order. */
export function sequence(...elements: Buffer[]): Buffer {
  return tlv(0x20 | Tag.sequence, ...elements)
}

/**
 * SET of elements in the given order: for a SET whose members the caller has ordered (DER wants
 * them by tag). For SET OF use setOf, which sorts.
 */
export function set(...elements: Buffer[]): Buffer {
  return tlv(0x20 | Tag.set, ...elements)
}

/**
 * SET OF, its members in DER order (X.690 11.6: ascending as octet strings). Buffer.compare
 * ranks a prefix first, which is also where the padded comparison of 11.6 puts it.
 */
export function setOf(elements: Buffer[]): Buffer {
  return set(...[...elements].sort(Buffer.compare))
}

/** [tagNumber] EXPLICIT: a constructed context-specific element wrapping `elements`. */
export function contextExplicit(tagNumber: number, ...elements: Buffer[]): Buffer {
  return tlv(0xa0 | checkedTagNumber(tagNumber), ...elements)
}

/** [tagNumber] IMPLICIT: `element` with its identifier replaced, keeping its constructed bit. */
export function contextImplicit(tagNumber: number, element: Buffer): Buffer {
  const tagged = Buffer.from(element)
  tagged[0] = 0x80 | (element[0] & 0x20) | checkedTagNumber(tagNumber)
  return tagged
}

function checkedTagNumber(tagNumber: number): number {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) throw new DerError(`不支持的标签编号 ${tagNumber}`)
  return tagNumber
}

// OIDs repeat in every message: encode each dotted form once.
const oidCache = new Map<string, Buffer>()

/** OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  let encoded = oidCache.get(dotted)
  if (!encoded) {
    encoded = tlv(Tag.oid, oidContent(dotted))
    oidCache.set(dotted, encoded)
  }
  return encoded
}

function oidContent(dotted: string): Buffer {
  if (!/^[0-2](\.\d+)+$/.test(dotted)) throw new DerError(`对象标识符格式错误：${dotted}`)
  const arcs = dotted.split('.').map(BigInt)
  if (arcs[0] < 2n && arcs[1] > 39n) throw new DerError(`对象标识符格式错误：${dotted}`)
  const octets: number[] = []
  for (const arc of [arcs[0] * 40n + arcs[1], ...arcs.slice(2)]) {
    const groups = [Number(arc & 0x7fn)]
    for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) groups.unshift(Number(rest & 0x7fn) | 0x80)
    octets.push(...groups)
  }
  return Buffer.from(octets)
}

/**
 * INTEGER. A Buffer is an unsigned big-endian magnitude (a serial number, an RSA modulus): leading
 * zeros are dropped and a 0x00 added when the top bit is set, the minimal encoding DER requires.
 * A number is a safe integer, negative allowed.
 */
export function integer(value: Buffer | number): Buffer {
  return tlv(Tag.integer, typeof value === 'number' ? integerOctetsOfNumber(value) : integerOctetsOfMagnitude(value))
}

function integerOctetsOfMagnitude(magnitude: Buffer): Buffer {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1
  const trimmed = magnitude.length === 0 ? Buffer.alloc(1) : magnitude.subarray(start)
  return trimmed[0] & 0x80 ? Buffer.concat([Buffer.alloc(1), trimmed]) : trimmed
}

function integerOctetsOfNumber(value: number): Buffer {
  if (!Number.isSafeInteger(value)) throw new DerError(`整数超出范围：${value}`)
  const octets: number[] = []
  let rest = BigInt(value)
  // Two's complement, shortest form: stop once the remaining value is all sign bits.
  for (;;) {
    const octet = Number(rest & 0xffn)
    octets.unshift(octet)
    rest >>= 8n
    if ((rest === 0n && (octet & 0x80) === 0) || (rest === -1n && (octet & 0x80) !== 0)) break
  }
  return Buffer.from(octets)
}

/** OCTET STRING. */
export function octetString(bytes: Buffer): Buffer {
  return tlv(Tag.octetString, bytes)
}

/** BIT STRING of whole octets, or with `unusedBits` (0–7) trailing bits of the last octet unused. */
export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new DerError(`位串的未用位数错误：${unusedBits}`)
  }
  return tlv(Tag.bitString, Buffer.from([unusedBits]), bytes)
}

/**
 * A named-bit BIT STRING (KeyUsage): bit 0 is the top bit of the first octet, and trailing zero
 * bits are dropped as DER requires for named bit lists (X.690 11.2.2).
 */
export function namedBits(bits: number[]): Buffer {
  if (bits.length === 0) return bitString(Buffer.alloc(0))
  const highest = Math.max(...bits)
  const bytes = Buffer.alloc((highest >> 3) + 1)
  for (const bit of bits) bytes[bit >> 3] |= 0x80 >> (bit & 7)
  return bitString(bytes, 7 - (highest & 7))
}

/** NULL. */
export function nullValue(): Buffer {
  return Buffer.from([Tag.null, 0])
}

/** BOOLEAN (DER: 0xFF for true). */
export function boolean(value: boolean): Buffer {
  return Buffer.from([Tag.boolean, 1, value ? 0xff : 0])
}

/** UTF8String. */
export function utf8String(text: string): Buffer {
  return tlv(Tag.utf8String, Buffer.from(text, 'utf8'))
}

/** PrintableString; refuses characters outside its alphabet rather than writing an invalid one. */
export function printableString(text: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new DerError(`PrintableString 不能包含这些字符：${text}`)
  return tlv(Tag.printableString, Buffer.from(text, 'latin1'))
}

function digits(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

function timeText(date: Date, yearDigits: 2 | 4): string {
  if (Number.isNaN(date.getTime())) throw new DerError('无效的日期')
  const year = date.getUTCFullYear()
  const parts = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
  return `${digits(yearDigits === 2 ? year % 100 : year, yearDigits)}${parts.map((part) => digits(part, 2)).join('')}Z`
}

/** UTCTime YYMMDDHHMMSSZ (seconds, no fraction: RFC 5280 4.1.2.5.1), for 1950–2049 only. */
export function utcTime(date: Date): Buffer {
  const year = date.getUTCFullYear()
  if (!(year >= 1950 && year <= 2049)) throw new DerError(`UTCTime 只能表示 1950–2049 年：${year}`)
  return tlv(Tag.utcTime, Buffer.from(timeText(date, 2), 'latin1'))
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (whole seconds, RFC 5280 4.1.2.5.2). */
export function generalizedTime(date: Date): Buffer {
  const year = date.getUTCFullYear()
  if (!(year >= 0 && year <= 9999)) throw new DerError(`GeneralizedTime 的年份超出范围：${year}`)
  return tlv(Tag.generalizedTime, Buffer.from(timeText(date, 4), 'latin1'))
}

/** An X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
export function x509Time(date: Date): Buffer {
  return date.getUTCFullYear() < 2050 && date.getUTCFullYear() >= 1950 ? utcTime(date) : generalizedTime(date)
}

/**
 * Already encoded DER (a certificate, a timestamp token) spliced in as it is, after checking that
 * it is exactly one element, so a truncated or padded input cannot corrupt the enclosing message.
 */
export function raw(encoded: Buffer): Buffer {
  if (elementEnd(encoded) !== encoded.length) throw new DerError('嵌入的 DER 数据不是单个完整的元素')
  return encoded
}
