import { sealFieldName } from '../documents/seal-fields'
import type { SealSlot } from '../../contract/sealing'
import type { SealRecord } from '../seals/seal-records'
import { AppError } from '../util/app-error'
import { verifyPdf, type SealLookup } from '../verification/pdf-verifier'
import { ecdsaRawToDer } from './crypto/certificate-builder'
import { assembleSignedData, signedAttributesFor } from './crypto/cms'
import type { SealCertificate } from './crypto/x509'
import { requestTimestamp } from './crypto/timestamp'
import { embedSignature, prepareSignature } from './pdf/sign-field'

/** Whatever signs the signed attributes: a token signer, or a key in tests. */
export interface AttributeSigner {
  sign(data: Buffer): Promise<Buffer>
}

export interface SealDocumentInput {
  /** The certificate file: its rendering with unsigned seal fields, or the file after earlier seals. */
  bytes: Uint8Array
  slot: SealSlot
  seal: SealRecord
  signer: AttributeSigner
  signingTime: Date
  /** An RFC 3161 TSA to timestamp the signature, or null. */
  timestampUrl: string | null
}

// A timestamp token brings its TSA's certificate and its own signature: room for both.
const TIMESTAMP_ROOM = 8192
const MARGIN = 32
const cmsLengths = new WeakMap<SealCertificate, number>()

/**
 * The longest CMS this certificate's signatures can be, known before signing: the structure is
 * fixed (attributes of fixed length, an RSA signature of the modulus size, an ECDSA one of at most
 * 72 bytes), so a dummy one measures it. The reserved /Contents is then no bigger than needed:
 * every byte of it is hex in the file and parsed again by the verifier.
 */
function cmsLengthFor(certificate: SealCertificate): number {
  let length = cmsLengths.get(certificate)
  if (length === undefined) {
    const signedAttributes = signedAttributesFor({ contentDigest: Buffer.alloc(32), certificate })
    const signature =
      certificate.keyType === 'rsa' ? Buffer.alloc(Math.ceil(certificate.keyBits / 8), 1) : ecdsaRawToDer(Buffer.alloc(64, 0xff))
    length = assembleSignedData({ signedAttributes, signature, certificate }).length + MARGIN
    cmsLengths.set(certificate, length)
  }
  return length
}

/**
 * Signs one seal slot of a certificate file as a PAdES signature (an incremental update), and
 * returns the new file. The token signs only the signed attributes (about 150 bytes); the
 * document is hashed here.
 */
export async function sealDocument(input: SealDocumentInput): Promise<Uint8Array> {
  const certificate = input.seal.certificate
  const prepared = prepareSignature(input.bytes, {
    fieldName: sealFieldName(input.slot),
    signingTime: input.signingTime,
    signerName: input.seal.name,
    reason: `${input.seal.organisationName}${input.seal.purpose}`,
    reservedBytes: cmsLengthFor(certificate) + (input.timestampUrl ? TIMESTAMP_ROOM : 0),
  })
  const signedAttributes = signedAttributesFor({ contentDigest: prepared.digest, certificate })
  const signature = await input.signer.sign(signedAttributes)
  const timestampToken = input.timestampUrl ? await requestTimestamp(input.timestampUrl, signature) : undefined
  return embedSignature(prepared, assembleSignedData({ signedAttributes, signature, certificate, timestampToken }))
}

/**
 * The verifier's verdict on a file just sealed, before it may count: every signature valid, the
 * new one on this slot by this seal, nothing else changed. Throws INTERNAL with the reason.
 */
export function assertSealed(bytes: Uint8Array, slot: SealSlot, seal: SealRecord, lookup: SealLookup): void {
  const report = verifyPdf(bytes, lookup, { readNumber: false })
  const last = report.signatures[report.signatures.length - 1]
  const reason = !report.valid
    ? report.summary
    : last?.slot !== slot || last.fingerprint !== seal.certificate.fingerprint || !last.coversWholeFile
      ? '新签章不在预期的印章位置或不是所选印章'
      : null
  if (reason) throw new AppError('INTERNAL', `签章后的文件未通过校验：${reason}`)
}
