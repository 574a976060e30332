import { createHash } from 'node:crypto'
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib'
import { PdfFile } from './pdf-file'
import { fieldNameOf, formFields } from './sign-field'

/** One signature found in a PDF, with what the file's structure says about it. */
export interface PdfSignature {
  fieldName: string | null
  /** The signature dictionary's object number. */
  objectNumber: number
  /** Index of the revision that added it (0 = the original file). */
  revision: number
  byteRange: number[]
  /** The CMS, without the zero padding of /Contents. */
  cms: Buffer
  subFilter: string | null
  /** /M as written, e.g. D:20261201120000+08'00'. */
  signingTime: string | null
  /** True when the ByteRange reaches the end of the file: nothing was added after it. */
  coversWholeFile: boolean
  /** Structural problems (Chinese); the CMS is checked separately. */
  problems: string[]
  /** Hash of the signed ranges with the CMS's digest algorithm. */
  digest(algorithm: 'sha256' | 'sha384' | 'sha512'): Buffer
}

export interface PdfSignatureReport {
  signatures: PdfSignature[]
  /** Signature fields not (yet) signed. */
  unsignedFields: string[]
  /** Problems of the file as a whole: changes after a signature that are not a further signature. */
  problems: string[]
}

const HEX = /^[0-9A-Fa-f]*$/

function textOf(value: unknown): string | null {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : null
}

/** The newest revision that (re)defines an object. */
function revisionOf(file: PdfFile, objectNumber: number): number {
  for (let index = file.revisions.length - 1; index >= 0; index -= 1) if (file.revisions[index].objects.has(objectNumber)) return index
  return -1
}

/** The DER length of the CMS at the start of /Contents, so the zero padding is dropped. */
function derLength(bytes: Buffer): number {
  if (bytes.length < 2 || bytes[0] !== 0x30) return bytes.length
  const first = bytes[1]
  if (first < 0x80) return Math.min(bytes.length, 2 + first)
  const count = first & 0x7f
  if (count === 0 || count > 4 || bytes.length < 2 + count) return bytes.length
  let length = 0
  for (let index = 0; index < count; index += 1) length = length * 256 + bytes[2 + index]
  return Math.min(bytes.length, 2 + count + length)
}

function readByteRange(value: unknown): number[] | null {
  if (!(value instanceof PDFArray) || value.size() !== 4) return null
  const numbers = value.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : Number.NaN))
  return numbers.every((item) => Number.isInteger(item) && item >= 0) ? numbers : null
}

/** Checks the ByteRange leaves out exactly this dictionary's /Contents and covers its revision. */
function rangeProblems(file: PdfFile, objectNumber: number, revision: number, range: number[] | null, contentsHex: string): string[] {
  const bytes = file.bytes
  if (!range) return ['签名的 ByteRange 缺失或格式错误']
  const [zero, start, end, length] = range
  if (zero !== 0 || start >= end || end + length > bytes.length) return ['签名的 ByteRange 超出文件或格式错误']
  const problems: string[] = []
  const gap = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1')
  const objectStart = file.offsetOf(objectNumber)!
  const sameContents = gap.startsWith('<') && gap.endsWith('>') && gap.slice(1, -1) === contentsHex
  if (!sameContents || start < objectStart || end > file.revisions[revision].xrefOffset) {
    problems.push('签名的 ByteRange 留出的部分不是该签名自己的签名数据')
  }
  if (end + length !== file.revisions[revision].end) problems.push('签名没有覆盖其所在版本的全部内容')
  return problems
}

function readSignature(file: PdfFile, fieldName: string | null, ref: PDFRef): PdfSignature | null {
  const dict = file.dict(ref)
  if (!dict) return null
  const revision = revisionOf(file, ref.objectNumber)
  const contentsValue = dict.get(PDFName.of('Contents'))
  // The hex text as written: compared with the excluded gap as text, decoded natively (pdf-lib's decoder is slow).
  const contentsHex = contentsValue instanceof PDFHexString ? contentsValue.asString() : ''
  const contents = HEX.test(contentsHex) ? Buffer.from(contentsHex, 'hex') : Buffer.alloc(0)
  const range = readByteRange(dict.get(PDFName.of('ByteRange')))
  const problems = rangeProblems(file, ref.objectNumber, revision, range, contentsHex)
  const subFilter = dict.get(PDFName.of('SubFilter'))
  const bytes = file.bytes
  return {
    fieldName,
    objectNumber: ref.objectNumber,
    revision,
    byteRange: range ?? [],
    cms: contents.subarray(0, derLength(contents)),
    subFilter: subFilter instanceof PDFName ? subFilter.decodeText() : null,
    signingTime: textOf(dict.get(PDFName.of('M'))),
    coversWholeFile: range !== null && range[2] + range[3] === bytes.length,
    problems,
    digest: (algorithm) => {
      const hash = createHash(algorithm)
      if (range) hash.update(bytes.subarray(range[0], range[0] + range[1])).update(bytes.subarray(range[2], range[2] + range[3]))
      return hash.digest()
    },
  }
}

/** Entries of two dictionaries that differ, by key. */
function changedKeys(before: PDFDict, after: PDFDict): string[] {
  const keys = new Set([...before.keys(), ...after.keys()].map((key) => key.decodeText()))
  return [...keys].filter((key) => before.get(PDFName.of(key))?.toString() !== after.get(PDFName.of(key))?.toString())
}

/**
 * Whether a revision only signs one existing unsigned signature field: one new signature
 * dictionary, and that field now pointing at it (its /V) and shown (its /F), nothing else.
 */
function isSignatureRevision(file: PdfFile, index: number, signatures: PdfSignature[]): boolean {
  const revision = file.revisions[index]
  if (revision.freed.size > 0 || revision.objects.size !== 2) return false
  const added = signatures.filter((signature) => signature.revision === index)
  if (added.length !== 1) return false
  const signatureNumber = added[0].objectNumber
  const fieldNumber = [...revision.objects.keys()].find((number) => number !== signatureNumber)
  if (fieldNumber === undefined || file.offsetOf(signatureNumber, index - 1) !== undefined) return false
  const before = file.dict(file.object(fieldNumber, index - 1))
  const after = file.dict(file.object(fieldNumber, index))
  if (!before || !after || before.get(PDFName.of('V')) || before.get(PDFName.of('FT')) !== PDFName.of('Sig')) return false
  return changedKeys(before, after).every((key) => key === 'V' || key === 'F')
}

/** Problems of the file as a whole once it holds signatures. */
function documentProblems(file: PdfFile, signatures: PdfSignature[]): string[] {
  if (signatures.length === 0) return []
  const first = Math.min(...signatures.map((signature) => signature.revision))
  const problems: string[] = []
  for (let index = first + 1; index < file.revisions.length; index += 1) {
    if (!isSignatureRevision(file, index, signatures)) {
      const objects = [...file.revisions[index].objects.keys()].join('、')
      problems.push(`签章之后文件被修改：第 ${index + 1} 次修订改动了对象 ${objects || '（无）'}，这不是追加的签章`)
    }
  }
  if (file.revisions[file.revisions.length - 1].end !== file.bytes.length) problems.push('最后一次修订之后还有不属于任何签章的内容')
  return problems
}

/**
 * Reads every signature of a PDF with the structural checks a validator needs: each ByteRange
 * leaves out exactly its own /Contents and covers its whole revision, and everything after the
 * first signature is a further signature. Throws AppError VALIDATION on a file it cannot read.
 */
export function readPdfSignatures(bytes: Uint8Array): PdfSignatureReport {
  const file = PdfFile.parse(bytes)
  const signatures: PdfSignature[] = []
  const unsignedFields: string[] = []
  for (const fieldRef of formFields(file)) {
    const field = file.dict(fieldRef)
    if (!field || field.get(PDFName.of('FT')) !== PDFName.of('Sig')) continue
    const name = fieldNameOf(field)
    const value = field.get(PDFName.of('V'))
    const signature = value instanceof PDFRef ? readSignature(file, name, value) : null
    if (signature) signatures.push(signature)
    else unsignedFields.push(name ?? '（未命名）')
  }
  signatures.sort((a, b) => a.revision - b.revision)
  return { signatures, unsignedFields, problems: documentProblems(file, signatures) }
}
