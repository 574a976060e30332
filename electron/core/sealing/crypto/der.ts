/**
 * A small DER (X.690) reader for certificates, CMS and RFC 3161 messages (the encoders are in
 * der-writer.ts). The reader keeps every element's offsets, so callers can take the exact bytes a
 * signature covers (a certificate's issuer Name, a SignerInfo's signed attributes) instead of
 * re-encoding them. Hostile input is expected: every failure is a DerError, never a crash.
 */

/** Universal tag numbers used by the sealing code (X.680 8.4). */
export const Tag = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  printableString: 19,
  teletexString: 20,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  visibleString: 26,
  universalString: 28,
  bmpString: 30,
} as const

/** Tag classes (the top two bits of the identifier octet). */
export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const

/** Deep enough for any certificate or CMS; a bound so crafted input cannot exhaust the stack. */
export const MAX_DEPTH = 32

/** Malformed or unexpected DER; the message (Chinese) says what and where. */
export class DerError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DerError'
  }
}

/** One element of a parsed DER tree; `source` is the buffer that was parsed (not a copy). */
export class DerNode {
  constructor(
    readonly source: Buffer,
    readonly tagClass: number,
    readonly constructed: boolean,
    readonly tagNumber: number,
    /** Offset of the identifier octet. */
    readonly start: number,
    /** Offset of the first content octet. */
    readonly contentStart: number,
    /** Offset just past the last content octet. */
    readonly end: number,
    /** The parsed elements inside a constructed element; empty for a primitive one. */
    readonly children: DerNode[],
  ) {}

  /** The whole element, header included, as a view into `source`. */
  get raw(): Buffer {
    return this.source.subarray(this.start, this.end)
  }

  /** The content octets, as a view into `source`. */
  get content(): Buffer {
    return this.source.subarray(this.contentStart, this.end)
  }

  /** True for a universal element with this tag number. */
  is(tagNumber: number): boolean {
    return this.tagClass === TagClass.universal && this.tagNumber === tagNumber
  }

  /** True for a context-specific element [tagNumber]. */
  isContext(tagNumber: number): boolean {
    return this.tagClass === TagClass.context && this.tagNumber === tagNumber
  }

  /** This element if it is a universal `tagNumber`, else a DerError naming `what`. */
  expect(tagNumber: number, what: string): this {
    if (!this.is(tagNumber)) throw new DerError(`${what}的类型不对（位置 ${this.start}）`)
    return this
  }

  /** The child at `index`, else a DerError naming what is missing. */
  at(index: number, what: string): DerNode {
    const child = this.children[index]
    if (!child) throw new DerError(`缺少${what}（位置 ${this.start}）`)
    return child
  }
}

/**
 * Parses one DER element that must fill `buffer` exactly. Rejects truncation, lengths beyond
 * the data, indefinite lengths, over-long length fields and nesting deeper than MAX_DEPTH.
 * A non-minimal length field is read, not refused: signatures are checked over the original
 * bytes, so the leniency cannot make a forged message verify.
 */
export function parseDer(buffer: Buffer): DerNode {
  if (buffer.length === 0) throw new DerError('数据为空')
  const node = parseElement(buffer, 0, buffer.length, 0)
  if (node.end !== buffer.length) throw new DerError(`数据末尾有多余的 ${buffer.length - node.end} 字节`)
  return node
}

/** The end offset of the element starting at `offset`, reading its header only (no tree). */
export function elementEnd(buffer: Buffer, offset = 0): number {
  return readHeader(buffer, offset, buffer.length).end
}

interface Header {
  tagClass: number
  constructed: boolean
  tagNumber: number
  contentStart: number
  end: number
}

function parseElement(buffer: Buffer, offset: number, limit: number, depth: number): DerNode {
  if (depth > MAX_DEPTH) throw new DerError(`嵌套层数超过 ${MAX_DEPTH}（位置 ${offset}）`)
  const header = readHeader(buffer, offset, limit)
  const children: DerNode[] = []
  if (header.constructed) {
    let position = header.contentStart
    while (position < header.end) {
      const child = parseElement(buffer, position, header.end, depth + 1)
      children.push(child)
      position = child.end
    }
  }
  return new DerNode(buffer, header.tagClass, header.constructed, header.tagNumber, offset, header.contentStart, header.end, children)
}

function readHeader(buffer: Buffer, offset: number, limit: number): Header {
  if (offset >= limit) throw new DerError(`数据被截断（位置 ${offset}）`)
  const identifier = buffer[offset]
  let position = offset + 1
  let tagNumber = identifier & 0x1f
  if (tagNumber === 0x1f) {
    // High tag numbers: base-128, at most four octets (no real schema comes close).
    tagNumber = 0
    for (let count = 0; ; count += 1) {
      if (position >= limit || count === 4) throw new DerError(`标签编号过长或被截断（位置 ${offset}）`)
      const octet = buffer[position++]
      if (count === 0 && octet === 0x80) throw new DerError(`标签编号不是最短编码（位置 ${offset}）`)
      tagNumber = tagNumber * 128 + (octet & 0x7f)
      if ((octet & 0x80) === 0) break
    }
  }
  if (position >= limit) throw new DerError(`数据被截断（位置 ${offset}）`)
  const lengthOctet = buffer[position++]
  let length = lengthOctet
  if (lengthOctet === 0x80) throw new DerError(`不定长编码不是 DER（位置 ${offset}）`)
  if (lengthOctet > 0x80) {
    const count = lengthOctet & 0x7f
    if (count > 4) throw new DerError(`长度字段过长（位置 ${offset}）`)
    if (position + count > limit) throw new DerError(`数据被截断（位置 ${offset}）`)
    length = buffer.readUIntBE(position, count)
    position += count
  }
  const end = position + length
  if (end > limit) throw new DerError(`长度超出数据范围（位置 ${offset}，声明 ${length} 字节）`)
  return { tagClass: identifier >> 6, constructed: (identifier & 0x20) !== 0, tagNumber, contentStart: position, end }
}

/** The dotted form of an OBJECT IDENTIFIER. */
export function readOid(node: DerNode): string {
  node.expect(Tag.oid, '对象标识符')
  const content = node.content
  if (content.length === 0 || content[content.length - 1] & 0x80) throw new DerError(`对象标识符编码错误（位置 ${node.start}）`)
  const arcs: string[] = []
  let value = 0n
  let small = 0
  let big = false
  for (const octet of content) {
    // Plain numbers while they stay exact; BigInt only for the rare huge arc (2.25.<uuid>).
    if (!big && small >= 2 ** 45) {
      big = true
      value = BigInt(small)
    }
    if (big) value = value * 128n + BigInt(octet & 0x7f)
    else small = small * 128 + (octet & 0x7f)
    if (octet & 0x80) continue
    const arc = big ? value : small
    if (arcs.length === 0) {
      // The first octets hold 40 × arc1 + arc2 (X.690 8.19.4).
      const first = arc < 40 ? 0 : arc < 80 ? 1 : 2
      arcs.push(String(first), String(typeof arc === 'bigint' ? arc - BigInt(first * 40) : arc - first * 40))
    } else arcs.push(String(arc))
    small = 0
    big = false
  }
  return arcs.join('.')
}

/** The content octets of an INTEGER (two's complement, as encoded). */
export function readIntegerBytes(node: DerNode): Buffer {
  node.expect(Tag.integer, '整数')
  if (node.end === node.contentStart) throw new DerError(`整数为空（位置 ${node.start}）`)
  return node.content
}

/** A small non-negative INTEGER (versions, statuses) as a number. */
export function readSmallInteger(node: DerNode): number {
  const bytes = readIntegerBytes(node)
  if (bytes.length > 6 || bytes[0] & 0x80) throw new DerError(`整数超出范围（位置 ${node.start}）`)
  return bytes.readUIntBE(0, bytes.length)
}

/** An INTEGER as a BigInt (signed). */
export function readBigInteger(node: DerNode): bigint {
  const bytes = readIntegerBytes(node)
  const unsigned = BigInt(`0x${bytes.toString('hex')}`)
  return bytes[0] & 0x80 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned
}

/** The content of an OCTET STRING. */
export function readOctetString(node: DerNode): Buffer {
  return node.expect(Tag.octetString, '字节串').content
}

/** A BOOLEAN (DER: 0x00 or 0xFF only). */
export function readBoolean(node: DerNode): boolean {
  const content = node.expect(Tag.boolean, '布尔值').content
  if (content.length !== 1 || (content[0] !== 0 && content[0] !== 0xff)) throw new DerError(`布尔值编码错误（位置 ${node.start}）`)
  return content[0] === 0xff
}

/** A BIT STRING's bits (`bytes`) and the number of unused bits in the last octet. */
export function readBitString(node: DerNode): { unusedBits: number; bytes: Buffer } {
  const content = node.expect(Tag.bitString, '位串').content
  const unusedBits = content[0]
  if (content.length === 0 || unusedBits > 7 || (content.length === 1 && unusedBits !== 0)) {
    throw new DerError(`位串编码错误（位置 ${node.start}）`)
  }
  return { unusedBits, bytes: content.subarray(1) }
}
