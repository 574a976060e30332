import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto'
import { DerError, parseDer, readBitString, readIntegerBytes, Tag } from './der'
import {
  bitString,
  boolean,
  contextExplicit,
  contextImplicit,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  printableString,
  sequence,
  set,
  utf8String,
  x509Time,
} from './der-writer'
import { OID } from './oids'
import { KEY_USAGE_NAMES, type KeyUsageName, type SealCertificate } from './x509'

/**
 * X.509 v3 certificates for `certdesk demo` and the tests: a CA and seal certificates whose keys
 * may live in node or on a PKCS#11 token, since signing goes through a callback.
 */

/** The subject Name: CN, O and OU as UTF8String (Chinese names), C as PrintableString. */
export interface CertificateSubject {
  commonName: string
  organisation?: string
  organisationalUnit?: string
  country?: string
}

/** How the issuer signs: its key decides (RSA PKCS#1 v1.5 or ECDSA), always with SHA-256. */
export type CertificateSignatureAlgorithm = 'sha256WithRSAEncryption' | 'ecdsa-with-SHA256'

/** What issueCertificate puts in the certificate, and who signs it. */
export interface IssueCertificateOptions {
  subject: CertificateSubject
  /** The subject's SubjectPublicKeyInfo DER (spkiFromRsa, spkiFromEcPoint, or KeyObject.export({ type: 'spki', format: 'der' })). */
  publicKey: Buffer
  /** The issuing CA's certificate; omitted for a self-signed certificate. */
  issuer?: SealCertificate
  /** Unsigned big-endian serial; 16 random bytes when omitted. */
  serialNumber?: Buffer
  notBefore: Date
  notAfter: Date
  isCa?: boolean
  /** basicConstraints pathLenConstraint, for a CA. */
  pathLength?: number
  keyUsage: KeyUsageName[]
  /** extKeyUsage purposes (OIDs), written non-critical. */
  extendedKeyUsage?: string[]
  /** The issuer key's algorithm (the subject's own for a self-signed certificate). */
  algorithm: CertificateSignatureAlgorithm
  /** Signs the TBSCertificate DER: PKCS#1 v1.5 bytes, or an ECDSA signature in DER (ecdsaRawToDer for a token's r‖s). */
  sign: (tbs: Buffer) => Promise<Buffer>
}

function subjectName(subject: CertificateSubject): Buffer {
  const rdn = (type: string, value: Buffer) => set(sequence(oid(type), value))
  const rdns: Buffer[] = []
  if (subject.country) rdns.push(rdn(OID.countryName, printableString(subject.country)))
  if (subject.organisation) rdns.push(rdn(OID.organizationName, utf8String(subject.organisation)))
  if (subject.organisationalUnit) rdns.push(rdn(OID.organizationalUnitName, utf8String(subject.organisationalUnit)))
  rdns.push(rdn(OID.commonName, utf8String(subject.commonName)))
  return sequence(...rdns)
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spkiDer: Buffer): Buffer {
  return createHash('sha1')
    .update(readBitString(parseDer(spkiDer).at(1, '公钥')).bytes)
    .digest()
}

function extension(type: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(type), boolean(true), octetString(value)) : sequence(oid(type), octetString(value))
}

function extensions(options: IssueCertificateOptions): Buffer {
  const ownIdentifier = keyIdentifier(options.publicKey)
  const issuer = options.issuer
  const authorityIdentifier = issuer
    ? issuer.subjectKeyIdentifier
      ? Buffer.from(issuer.subjectKeyIdentifier, 'hex')
      : keyIdentifier(issuer.spkiDer)
    : ownIdentifier
  const constraints = options.isCa ? [boolean(true), ...(options.pathLength === undefined ? [] : [integer(options.pathLength)])] : []
  const list = [
    extension(OID.basicConstraints, true, sequence(...constraints)),
    extension(OID.keyUsage, true, namedBits(options.keyUsage.map((name) => KEY_USAGE_NAMES.indexOf(name)))),
    ...(options.extendedKeyUsage ? [extension(OID.extendedKeyUsage, false, sequence(...options.extendedKeyUsage.map(oid)))] : []),
    extension(OID.subjectKeyIdentifier, false, octetString(ownIdentifier)),
    extension(OID.authorityKeyIdentifier, false, sequence(contextImplicit(0, octetString(authorityIdentifier)))),
  ]
  return contextExplicit(3, sequence(...list))
}

function algorithmIdentifier(algorithm: CertificateSignatureAlgorithm): Buffer {
  return algorithm === 'sha256WithRSAEncryption'
    ? sequence(oid(OID.sha256WithRSAEncryption), nullValue())
    : sequence(oid(OID.ecdsaWithSha256))
}

function randomSerial(): Buffer {
  const serial = randomBytes(16)
  // Positive and exactly 16 octets: RFC 5280 wants positive serials of at most 20 octets.
  serial[0] = (serial[0] & 0x7f) | 0x40
  return serial
}

/**
 * Builds and signs an X.509 v3 certificate; returns its DER. The signature is checked against the
 * issuer's key (the subject's own when self-signed) before returning, so a signer that answers
 * with the wrong key or encoding fails here rather than in a verifier later.
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<Buffer> {
  const subject = subjectName(options.subject)
  const algorithm = algorithmIdentifier(options.algorithm)
  const tbs = sequence(
    contextExplicit(0, integer(2)),
    integer(options.serialNumber ?? randomSerial()),
    algorithm,
    options.issuer ? options.issuer.subjectDer : subject,
    sequence(x509Time(options.notBefore), x509Time(options.notAfter)),
    subject,
    options.publicKey,
    extensions(options),
  )
  const issuerKey = options.issuer ? options.issuer.publicKey : createPublicKey({ key: options.publicKey, format: 'der', type: 'spki' })
  if ((issuerKey.asymmetricKeyType === 'rsa') !== (options.algorithm === 'sha256WithRSAEncryption')) {
    throw new DerError(`签名算法 ${options.algorithm} 与颁发者的密钥类型 ${issuerKey.asymmetricKeyType} 不符`)
  }
  const signature = await options.sign(tbs)
  if (!verify('sha256', tbs, { key: issuerKey, dsaEncoding: 'der' }, signature)) {
    throw new DerError('证书签名与颁发者公钥不符（签名算法或签名编码不对）')
  }
  return sequence(tbs, algorithm, bitString(signature))
}

/** SubjectPublicKeyInfo DER of an RSA key from its modulus and public exponent (unsigned big-endian, as CKA_MODULUS gives). */
export function spkiFromRsa(modulus: Buffer, publicExponent: Buffer): Buffer {
  return sequence(sequence(oid(OID.rsaEncryption), nullValue()), bitString(sequence(integer(modulus), integer(publicExponent))))
}

/**
 * SubjectPublicKeyInfo DER of a P-256 key from its uncompressed point (0x04‖X‖Y), bare or wrapped
 * in a DER OCTET STRING as CKA_EC_POINT returns it. Refuses a point that is not on the curve.
 */
export function spkiFromEcPoint(point: Buffer): Buffer {
  const bare = point.length === 67 && point[0] === Tag.octetString && point[1] === 65 ? point.subarray(2) : point
  if (bare.length !== 65 || bare[0] !== 0x04) throw new DerError('EC 公钥点格式错误：应为 65 字节的非压缩 P-256 点')
  const spki = sequence(sequence(oid(OID.ecPublicKey), oid(OID.prime256v1)), bitString(bare))
  try {
    createPublicKey({ key: spki, format: 'der', type: 'spki' })
  } catch {
    throw new DerError('EC 公钥点不在 P-256 曲线上')
  }
  return spki
}

/** An ECDSA signature r‖s (as PKCS#11 CKM_ECDSA returns it) as the DER Ecdsa-Sig-Value CMS and X.509 carry. */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new DerError('ECDSA 签名长度错误')
  const half = raw.length / 2
  return sequence(integer(raw.subarray(0, half)), integer(raw.subarray(half)))
}

/** A DER Ecdsa-Sig-Value as r‖s, each left-padded to `coordinateBytes` (32 for P-256). */
export function ecdsaDerToRaw(der: Buffer, coordinateBytes = 32): Buffer {
  const value = parseDer(der).expect(Tag.sequence, 'ECDSA 签名')
  if (value.children.length !== 2) throw new DerError('ECDSA 签名应由 r 与 s 两个整数组成')
  const raw = Buffer.alloc(coordinateBytes * 2)
  value.children.forEach((child, index) => {
    const bytes = readIntegerBytes(child)
    if (bytes[0] & 0x80) throw new DerError('ECDSA 签名的整数为负')
    const magnitude = bytes[0] === 0 ? bytes.subarray(1) : bytes
    if (magnitude.length > coordinateBytes) throw new DerError('ECDSA 签名的整数过长')
    magnitude.copy(raw, (index + 1) * coordinateBytes - magnitude.length)
  })
  return raw
}
