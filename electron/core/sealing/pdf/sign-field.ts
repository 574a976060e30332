import { createHash } from 'node:crypto'
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib'
import { AppError } from '../../util/app-error'
import { appendRevision } from './incremental'
import { PdfFile } from './pdf-file'
import { shanghaiIso } from '../../util/shanghai-time'

/** Annotation flags (PDF 32000-1, 12.5.3). */
const HIDDEN = 2
const PRINT = 4

export interface SignatureRequest {
  /** The unsigned signature field to sign (`seal_single`, `seal_bureau`, `seal_department`). */
  fieldName: string
  /** Written as /M: the claimed signing time (PAdES keeps it out of the CMS). */
  signingTime: Date
  /** The signer as shown by viewers (/Name), e.g. the seal's name. */
  signerName: string
  reason: string
  /** Bytes reserved for the CMS; the signature must fit. */
  reservedBytes: number
}

export interface PreparedSignature {
  /** The whole new file, its /Contents still zeros. */
  bytes: Uint8Array
  byteRange: [number, number, number, number]
  /** SHA-256 over the ByteRange: the CMS's messageDigest. */
  digest: Buffer
}

const BYTE_RANGE_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]'

/** PDF date in China Standard Time: D:YYYYMMDDHHmmSS+08'00'. */
export function pdfDate(date: Date): string {
  const shanghai = shanghaiIso(date)
  return `D:${shanghai.slice(0, 19).replace(/[-T:]/g, '')}+08'00'`
}

/** A field's /T as text, whatever string form it was written in. */
export function fieldNameOf(field: PDFDict): string | null {
  const name = field.get(PDFName.of('T'))
  return name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : null
}

/** Every field reference of the newest AcroForm (top-level fields: ours are never nested). */
export function formFields(file: PdfFile, upTo = file.revisions.length - 1): PDFRef[] {
  const catalog = file.dict(file.revisions[upTo].trailer.get(PDFName.of('Root')) ?? file.trailer.get(PDFName.of('Root')), upTo)
  const form = file.dict(catalog?.get(PDFName.of('AcroForm')), upTo)
  const fields = file.resolve(form?.get(PDFName.of('Fields')), upTo)
  if (!(fields instanceof PDFArray)) return []
  return fields.asArray().filter((value: PDFObject): value is PDFRef => value instanceof PDFRef)
}

function findField(file: PdfFile, fieldName: string): { ref: PDFRef; field: PDFDict } {
  for (const ref of formFields(file)) {
    const field = file.dict(ref)
    if (field && fieldNameOf(field) === fieldName && field.get(PDFName.of('FT')) === PDFName.of('Sig')) return { ref, field }
  }
  throw new AppError('INVALID_STATE', `证书文件中没有印章位置“${fieldName}”，无法签章`)
}

function signatureDictionary(request: SignatureRequest): { body: string; contentsAt: number } {
  const head = [
    '<<',
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    '/SubFilter /ETSI.CAdES.detached',
    `/ByteRange ${BYTE_RANGE_PLACEHOLDER}`,
    '/Contents ',
  ].join('\n')
  const tail = [
    '',
    `/M (${pdfDate(request.signingTime)})`,
    `/Name ${PDFHexString.fromText(request.signerName).toString()}`,
    `/Reason ${PDFHexString.fromText(request.reason).toString()}`,
    '>>',
  ].join('\n')
  return { body: `${head}<${'0'.repeat(request.reservedBytes * 2)}>${tail}`, contentsAt: head.length }
}

/**
 * Signs the named unsigned signature field as an incremental update: a new signature
 * dictionary with a zero-filled /Contents, and the field's widget pointing at it and made
 * visible. Returns the new file, its ByteRange and the digest the CMS must carry.
 */
export function prepareSignature(input: Uint8Array, request: SignatureRequest): PreparedSignature {
  const file = PdfFile.parse(input)
  const { ref, field } = findField(file, request.fieldName)
  if (field.get(PDFName.of('V'))) throw new AppError('CONFLICT', `印章位置“${request.fieldName}”已经签章，不能重复签章`)
  const signatureNumber = file.size
  const widget = field.clone()
  const flags = widget.get(PDFName.of('F'))
  widget.set(PDFName.of('F'), PDFNumber.of(((flags instanceof PDFNumber ? flags.asNumber() : 0) & ~HIDDEN) | PRINT))
  widget.set(PDFName.of('V'), PDFRef.of(signatureNumber))
  const signature = signatureDictionary(request)
  const { bytes, bodyOffsets } = appendRevision(
    file,
    [
      { objectNumber: ref.objectNumber, body: widget.toString() },
      { objectNumber: signatureNumber, body: signature.body },
    ],
    signatureNumber + 1,
  )
  const start = bodyOffsets.get(signatureNumber)! + signature.contentsAt
  const end = start + request.reservedBytes * 2 + 2
  const byteRange: PreparedSignature['byteRange'] = [0, start, end, bytes.length - end]
  writeByteRange(bytes, bodyOffsets.get(signatureNumber)!, byteRange)
  const digest = createHash('sha256').update(bytes.subarray(0, start)).update(bytes.subarray(end)).digest()
  return { bytes, byteRange, digest }
}

function writeByteRange(bytes: Uint8Array, bodyOffset: number, byteRange: number[]): void {
  const text = `[${byteRange.join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ')
  const window = Buffer.from(bytes.buffer, bytes.byteOffset + bodyOffset, 200).toString('latin1')
  const at = window.indexOf(BYTE_RANGE_PLACEHOLDER)
  if (at < 0 || text.length !== BYTE_RANGE_PLACEHOLDER.length) throw new Error('ByteRange placeholder not found or too small')
  bytes.set(Buffer.from(text, 'latin1'), bodyOffset + at)
}

/** Writes the CMS into the reserved /Contents (hex, zero-padded); the prepared bytes are reused. */
export function embedSignature(prepared: PreparedSignature, cms: Uint8Array): Uint8Array {
  const [, start, end] = prepared.byteRange
  const room = (end - start - 2) / 2
  if (cms.length > room) throw new AppError('INTERNAL', `签名数据（${cms.length} 字节）超出预留空间（${room} 字节）`)
  prepared.bytes.set(Buffer.from(Buffer.from(cms).toString('hex'), 'latin1'), start + 1)
  return prepared.bytes
}
