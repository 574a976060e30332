import { AppError } from '../../util/app-error'
import { DerError, parseDer, Tag } from './der'
import { contextExplicit, contextImplicit, integer, nullValue, octetString, oid, raw, sequence, set, setOf, tlv } from './der-writer'
import { OID } from './oids'
import type { SealCertificate } from './x509'

/**
 * Detached CMS SignedData (RFC 5652) for PAdES, /SubFilter /ETSI.CAdES.detached (ETSI EN 319 142-1):
 * the token signs signedAttributesFor(…), and assembleSignedData wraps its signature.
 * No signingTime: in PAdES baseline the claimed time is the signature dictionary's /M.
 */

/** The parts of a SignedData that depend only on the certificate, encoded once per certificate. */
export interface CmsSigningProfile {
  certificate: SealCertificate
  /** SignerInfo.sid: IssuerAndSerialNumber DER. */
  issuerAndSerialNumber: Buffer
  /** The whole signingCertificateV2 Attribute DER. */
  signingCertificateAttribute: Buffer
  /** SignerInfo.signatureAlgorithm DER, or null for a key type CMS here cannot name. */
  signatureAlgorithm: Buffer | null
}

const SHA256_ALGORITHM = sequence(oid(OID.sha256))
const CONTENT_TYPE_ATTRIBUTE = attribute(OID.contentType, oid(OID.data))
const SHA256_BYTES = 32

function attribute(type: string, ...values: Buffer[]): Buffer {
  return sequence(oid(type), setOf(values))
}

/** ESSCertIDv2 (RFC 5035): hashAlgorithm left out, since SHA-256 is its DEFAULT and DER omits defaults. */
function essCertIdV2(certificate: SealCertificate): Buffer {
  const issuerSerial = sequence(sequence(contextExplicit(4, certificate.issuerDer)), tlv(0x02, certificate.serialDer))
  return sequence(octetString(Buffer.from(certificate.fingerprint, 'hex')), issuerSerial)
}

function signatureAlgorithmOf(certificate: SealCertificate): Buffer | null {
  if (certificate.keyType === 'rsa') return sequence(oid(OID.rsaEncryption), nullValue())
  if (certificate.keyType === 'ec-p256') return sequence(oid(OID.ecdsaWithSha256))
  return null
}

// The batch signs thousands of documents with one certificate: build its parts once.
const profiles = new WeakMap<SealCertificate, CmsSigningProfile>()

/** The per-certificate parts of the SignedData, cached for as long as the certificate object lives. */
export function signingProfile(certificate: SealCertificate): CmsSigningProfile {
  let profile = profiles.get(certificate)
  if (!profile) {
    profile = {
      certificate,
      issuerAndSerialNumber: sequence(certificate.issuerDer, tlv(0x02, certificate.serialDer)),
      signingCertificateAttribute: attribute(OID.signingCertificateV2, sequence(sequence(essCertIdV2(certificate)))),
      signatureAlgorithm: signatureAlgorithmOf(certificate),
    }
    profiles.set(certificate, profile)
  }
  return profile
}

/** What signedAttributesFor needs. */
export interface SignedAttributesInput {
  /** SHA-256 of the bytes the PDF's /ByteRange covers. */
  contentDigest: Buffer
  certificate: SealCertificate
}

/**
 * The DER of the signed attributes as a SET (tag 0x31): exactly the bytes the token signs
 * (RFC 5652 5.4). contentType id-data, messageDigest, signingCertificateV2; in DER order.
 */
export function signedAttributesFor(input: SignedAttributesInput): Buffer {
  if (input.contentDigest.length !== SHA256_BYTES) throw new DerError('内容摘要应为 32 字节的 SHA-256 摘要')
  const profile = signingProfile(input.certificate)
  return setOf([
    CONTENT_TYPE_ATTRIBUTE,
    attribute(OID.messageDigest, octetString(input.contentDigest)),
    profile.signingCertificateAttribute,
  ])
}

/** What assembleSignedData wraps. */
export interface AssembleInput {
  /** signedAttributesFor's output, unchanged. */
  signedAttributes: Buffer
  /** RSA PKCS#1 v1.5 signature bytes, or an ECDSA signature in DER (ecdsaRawToDer for a token's r‖s). */
  signature: Buffer
  certificate: SealCertificate
  /** The chain to include besides the signer (DER), e.g. the issuing CA. */
  extraCertificates?: Buffer[]
  /** An RFC 3161 TimeStampToken (ContentInfo DER) over this signature value. */
  timestampToken?: Buffer
}

function certificatesField(certificate: SealCertificate, extra: Buffer[]): Buffer {
  const all = [certificate.der]
  for (const der of extra) if (!all.some((known) => known.equals(der))) all.push(raw(der))
  return contextImplicit(0, setOf(all))
}

/**
 * Catches the usual token mix-ups before they become a signature no verifier accepts: ECDSA r‖s
 * where DER is due, or an RSA signature of the wrong length (another key).
 */
function checkSignatureShape(signature: Buffer, certificate: SealCertificate): void {
  if (certificate.keyType === 'rsa' && signature.length !== Math.ceil(certificate.keyBits / 8)) {
    throw new DerError(`RSA 签名长度 ${signature.length} 字节与证书密钥（${certificate.keyBits} 位）不符`)
  }
  if (certificate.keyType === 'ec-p256') {
    let value
    try {
      value = parseDer(signature)
    } catch {
      value = null
    }
    if (!value?.is(Tag.sequence) || value.children.length !== 2 || !value.children.every((part) => part.is(Tag.integer))) {
      throw new DerError('ECDSA 签名应为 DER 编码（PKCS#11 返回的 r‖s 请先用 ecdsaRawToDer 转换）')
    }
  }
}

function signerInfo(input: AssembleInput, profile: CmsSigningProfile): Buffer {
  if (!profile.signatureAlgorithm) {
    throw new AppError('SEAL_CERTIFICATE_INVALID', '印章证书的密钥类型不受支持（仅支持 RSA 2048 位及以上与 ECDSA P-256）')
  }
  checkSignatureShape(input.signature, profile.certificate)
  const unsigned = input.timestampToken ? [contextImplicit(1, set(attribute(OID.signatureTimeStampToken, raw(input.timestampToken))))] : []
  return sequence(
    integer(1),
    profile.issuerAndSerialNumber,
    SHA256_ALGORITHM,
    contextImplicit(0, input.signedAttributes),
    profile.signatureAlgorithm,
    octetString(input.signature),
    ...unsigned,
  )
}

/**
 * The ContentInfo DER of a detached SignedData v1 (no eContent) with one SignerInfo: what goes,
 * hex-encoded, into the PDF signature's /Contents.
 */
export function assembleSignedData(input: AssembleInput): Buffer {
  if (input.signedAttributes[0] !== 0x31) throw new DerError('签名属性应为 SET（0x31）编码，即 signedAttributesFor 的结果')
  raw(input.signedAttributes)
  const profile = signingProfile(input.certificate)
  const signedData = sequence(
    integer(1),
    set(SHA256_ALGORITHM),
    sequence(oid(OID.data)),
    certificatesField(input.certificate, input.extraCertificates ?? []),
    set(signerInfo(input, profile)),
  )
  return sequence(oid(OID.signedData), contextExplicit(0, signedData))
}
