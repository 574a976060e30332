import { PDFContext, PDFDict, PDFHexString, PDFName, PDFNumber, PDFObjectParser, PDFRef, type PDFObject } from 'pdf-lib'
import ByteStream from 'pdf-lib/cjs/core/parser/ByteStream'
import { AppError } from '../../util/app-error'

/** One revision of the file: its cross-reference section, trailer and where it ends. */
export interface Revision {
  /** Offset of its `xref` keyword. */
  xrefOffset: number
  trailer: PDFDict
  /** Object number → byte offset of the objects this revision (re)defines. */
  objects: Map<number, number>
  /** Object numbers this revision frees. */
  freed: Set<number>
  /** Offset just past its `%%EOF` line: a signature over this revision ends exactly here. */
  end: number
}

const MAX_REVISIONS = 64
const latin1 = new TextDecoder('latin1')

function malformed(reason: string): AppError {
  return new AppError('VALIDATION', `PDF 文件结构无法识别：${reason}`)
}

function isWhite(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00
}

/**
 * A PDF read the way an incremental writer and a signature verifier need it: the chain of
 * classic cross-reference sections (newest last), the newest trailer, and objects parsed on
 * demand. The documents engine writes classic tables and so does every sealing step; a file
 * with cross-reference streams was not made here and is refused.
 */
export class PdfFile {
  readonly revisions: Revision[]
  private readonly context = PDFContext.create()
  private readonly cache = new Map<number, PDFObject>()

  private constructor(
    readonly bytes: Uint8Array,
    revisions: Revision[],
  ) {
    this.revisions = revisions
  }

  static parse(bytes: Uint8Array): PdfFile {
    if (latin1.decode(bytes.subarray(0, 5)) !== '%PDF-') throw malformed('文件头不是 %PDF-')
    const revisions: Revision[] = []
    const seen = new Set<number>()
    let offset: number | undefined = lastStartXref(bytes)
    const parser = new PdfFile(bytes, revisions)
    while (offset !== undefined) {
      if (seen.has(offset) || revisions.length >= MAX_REVISIONS) throw malformed('交叉引用表形成循环或层数过多')
      seen.add(offset)
      const revision = parser.readRevision(offset)
      revisions.unshift(revision)
      const previous = revision.trailer.get(PdfNames.Prev)
      offset = previous instanceof PDFNumber ? previous.asNumber() : undefined
    }
    return parser
  }

  /** The newest trailer (Root, Info, ID, Size). */
  get trailer(): PDFDict {
    return this.revisions[this.revisions.length - 1].trailer
  }

  /** One past the highest object number in use: the number of the next new object. */
  get size(): number {
    const size = this.trailer.get(PdfNames.Size)
    if (!(size instanceof PDFNumber)) throw malformed('trailer 缺少 /Size')
    return size.asNumber()
  }

  /** Where an object is defined as of revision `upTo` (default: the newest). */
  offsetOf(objectNumber: number, upTo = this.revisions.length - 1): number | undefined {
    for (let index = upTo; index >= 0; index -= 1) {
      const revision = this.revisions[index]
      if (revision.freed.has(objectNumber)) return undefined
      const offset = revision.objects.get(objectNumber)
      if (offset !== undefined) return offset
    }
    return undefined
  }

  /** The object as of revision `upTo`, or undefined when it does not exist there. */
  object(objectNumber: number, upTo = this.revisions.length - 1): PDFObject | undefined {
    const offset = this.offsetOf(objectNumber, upTo)
    if (offset === undefined) return undefined
    const cached = this.cache.get(offset)
    if (cached) return cached
    const parsed = this.parseObjectAt(offset, objectNumber)
    this.cache.set(offset, parsed)
    return parsed
  }

  /** Follows a reference (or returns a direct object) as of revision `upTo`. */
  resolve(value: PDFObject | undefined, upTo = this.revisions.length - 1): PDFObject | undefined {
    return value instanceof PDFRef ? this.object(value.objectNumber, upTo) : value
  }

  dict(value: PDFObject | undefined, upTo = this.revisions.length - 1): PDFDict | undefined {
    const resolved = this.resolve(value, upTo)
    return resolved instanceof PDFDict ? resolved : undefined
  }

  private parseObjectAt(offset: number, objectNumber: number): PDFObject {
    const header = /^(\d+)\s+(\d+)\s+obj\b/.exec(latin1.decode(this.bytes.subarray(offset, offset + 32)))
    if (!header || Number(header[1]) !== objectNumber) throw malformed(`对象 ${objectNumber} 不在交叉引用表指出的位置`)
    try {
      return parseAt(this.bytes, offset + header[0].length, this.context).object
    } catch {
      throw malformed(`对象 ${objectNumber} 无法解析`)
    }
  }

  private readRevision(offset: number): Revision {
    const bytes = this.bytes
    if (latin1.decode(bytes.subarray(offset, offset + 4)) !== 'xref') {
      throw malformed('不支持交叉引用流（此文件不是由本系统生成的）')
    }
    const tokens = new Tokens(bytes, offset + 4)
    const objects = new Map<number, number>()
    const freed = new Set<number>()
    for (let word = tokens.next(); word !== 'trailer'; word = tokens.next()) {
      const first = Number(word)
      const count = Number(tokens.next())
      if (!Number.isInteger(first) || !Number.isInteger(count) || count < 0) throw malformed('交叉引用表格式错误')
      for (let index = 0; index < count; index += 1) {
        const at = Number(tokens.next())
        tokens.next()
        const kind = tokens.next()
        if (kind === 'n') objects.set(first + index, at)
        else if (kind === 'f') freed.add(first + index)
        else throw malformed('交叉引用表条目格式错误')
      }
    }
    let parsed: { object: PDFObject; end: number }
    try {
      parsed = parseAt(bytes, tokens.position, this.context)
    } catch {
      throw malformed('trailer 无法解析')
    }
    if (!(parsed.object instanceof PDFDict)) throw malformed('trailer 不是字典')
    return { xrefOffset: offset, trailer: parsed.object, objects, freed, end: revisionEnd(bytes, parsed.end) }
  }
}

/**
 * pdf-lib's object parser over the file from an offset (a view, not a copy), and where the
 * object ended. pdf-lib does not export its ByteStream, so the end is read off the parser's
 * own stream (pdf-lib 1.17 is pinned by the lockfile and no longer changes).
 */
function parseAt(bytes: Uint8Array, offset: number, context: PDFContext): { object: PDFObject; end: number } {
  const view = bytes.subarray(offset)
  const parser = new ObjectParser(ByteStream.of(view), context, view)
  const object = parser.parseObject()
  return { object, end: offset + parser.position }
}

/**
 * pdf-lib's parser with a native hex-string reader: a signature's /Contents is thousands of hex
 * digits, which pdf-lib reads one character at a time into a growing string, and the verifier
 * reads every signature of every certificate it checks.
 */
class ObjectParser extends PDFObjectParser {
  constructor(
    stream: ByteStream,
    context: PDFContext,
    private readonly source: Uint8Array,
  ) {
    super(stream, context)
  }

  get position(): number {
    return this.bytes.offset()
  }

  protected override parseHexString(): PDFHexString {
    this.bytes.assertNext(0x3c)
    const start = this.bytes.offset()
    const end = this.source.indexOf(0x3e, start)
    if (end < 0) throw new Error('unterminated hex string')
    this.bytes.moveTo(end + 1)
    return PDFHexString.of(latin1.decode(this.source.subarray(start, end)))
  }
}

const PdfNames = { Prev: PDFName.of('Prev'), Size: PDFName.of('Size') }

/** Whitespace-separated words from a position, for the cross-reference table. */
class Tokens {
  constructor(
    private readonly bytes: Uint8Array,
    public position: number,
  ) {}

  next(): string {
    const bytes = this.bytes
    while (this.position < bytes.length && isWhite(bytes[this.position])) this.position += 1
    const start = this.position
    while (this.position < bytes.length && !isWhite(bytes[this.position])) this.position += 1
    if (start === this.position) throw malformed('交叉引用表意外结束')
    return latin1.decode(bytes.subarray(start, this.position))
  }
}

/** The offset in the newest `startxref`, searched for in the last kilobytes of the file. */
function lastStartXref(bytes: Uint8Array): number {
  const tail = latin1.decode(bytes.subarray(Math.max(0, bytes.length - 2048)))
  const at = tail.lastIndexOf('startxref')
  const match = at < 0 ? null : /^startxref\s+(\d+)\s+%%EOF/.exec(tail.slice(at))
  if (!match) throw malformed('找不到 startxref')
  const offset = Number(match[1])
  if (offset >= bytes.length) throw malformed('startxref 指向文件之外')
  return offset
}

/** After a trailer: `startxref N %%EOF` and one end-of-line; returns the offset past them. */
function revisionEnd(bytes: Uint8Array, from: number): number {
  const window = latin1.decode(bytes.subarray(from, from + 64))
  const match = /^\s*startxref\s+\d+\s+%%EOF(\r\n|\r|\n)?/.exec(window)
  if (!match) throw malformed('trailer 之后缺少 startxref 与 %%EOF')
  return from + match[0].length
}
