import { DerError, Tag, TagClass, type DerNode } from './der'

/**
 * The text-valued DER elements: directory strings (names) and times (validity, genTime).
 */

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The text of a directory string. BMPString is UCS-2 and UniversalString UCS-4 (big-endian);
 * TeletexString is read as UTF-8 when it is valid UTF-8 (Chinese CAs put UTF-8 there), else Latin-1.
 */
export function readString(node: DerNode): string {
  if (node.tagClass !== TagClass.universal) throw new DerError(`字符串的类型不对（位置 ${node.start}）`)
  const content = node.content
  switch (node.tagNumber) {
    case Tag.utf8String:
      return decodeUtf8(content, node)
    case Tag.printableString:
    case Tag.ia5String:
    case Tag.visibleString:
      return content.toString('latin1')
    case Tag.teletexString:
      return isUtf8(content) ? content.toString('utf8') : content.toString('latin1')
    case Tag.bmpString:
      if (content.length % 2 !== 0) throw new DerError(`BMPString 长度不是偶数（位置 ${node.start}）`)
      return Buffer.from(content).swap16().toString('utf16le')
    case Tag.universalString:
      return decodeUcs4(content, node)
    default:
      throw new DerError(`不支持的字符串类型 ${node.tagNumber}（位置 ${node.start}）`)
  }
}

function isUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

function decodeUtf8(bytes: Buffer, node: DerNode): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw new DerError(`UTF8String 不是有效的 UTF-8（位置 ${node.start}）`)
  }
}

function decodeUcs4(bytes: Buffer, node: DerNode): string {
  if (bytes.length % 4 !== 0) throw new DerError(`UniversalString 长度不是 4 的倍数（位置 ${node.start}）`)
  const points: number[] = []
  for (let offset = 0; offset < bytes.length; offset += 4) points.push(bytes.readUInt32BE(offset))
  try {
    return String.fromCodePoint(...points)
  } catch {
    throw new DerError(`UniversalString 含无效字符（位置 ${node.start}）`)
  }
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d{1,9})?Z$/

/**
 * A UTCTime or GeneralizedTime (UTC, "Z"). UTCTime years 50–99 are 19xx (RFC 5280 4.1.2.5.1);
 * GeneralizedTime may carry fractional seconds, as TSTInfo.genTime does.
 */
export function readTime(node: DerNode): Date {
  const text = node.content.toString('latin1')
  const match = node.is(Tag.utcTime) ? UTC_TIME.exec(text) : node.is(Tag.generalizedTime) ? GENERALIZED_TIME.exec(text) : null
  if (!match) throw new DerError(`时间格式错误（位置 ${node.start}）`)
  let year = Number(match[1])
  if (node.is(Tag.utcTime)) year += year < 50 ? 2000 : 1900
  const [month, day, hour, minute] = [match[2], match[3], match[4], match[5]].map(Number)
  const second = Number(match[6] ?? 0)
  const millis = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis))
  // Date.UTC rolls 31 February into March: a calendar round trip catches impossible dates.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(`时间超出范围（位置 ${node.start}）`)
  }
  return date
}
