import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { AppError } from '../../util/app-error'
import { parseDer, readIntegerBytes, readOid, Tag, type DerNode } from './der'
import { readTime } from './der-text'
import { nameAttribute, nameToString } from './name'
import { OID } from './oids'
import { readExtensions, type CertificateExtensions, type KeyUsageName } from './x509-extensions'
import { shanghaiIso } from '../../util/shanghai-time'

export { KEY_USAGE_NAMES, type KeyUsageName } from './x509-extensions'

/** The key types the seal can sign with; anything else reads as 'unsupported'. */
export type SealKeyType = 'rsa' | 'ec-p256' | 'unsupported'

/** An X.509 certificate as the sealing code needs it: what people read, and the exact bytes CMS reuses. */
export interface SealCertificate {
  /** The certificate's DER (a private copy). */
  der: Buffer
  /** SHA-256 of the DER, lowercase hex. */
  fingerprint: string
  /** The subject, RFC 4514-like: "CN=…, O=…, C=CN". */
  subject: string
  issuer: string
  subjectCommonName: string | null
  subjectOrganisation: string | null
  /** The serial number, lowercase hex without sign padding. */
  serialNumberHex: string
  /** The serial's INTEGER content octets, exactly as encoded (for IssuerAndSerialNumber). */
  serialDer: Buffer
  notBefore: Date
  notAfter: Date
  keyType: SealKeyType
  /** RSA modulus bits or the curve size; 0 when unknown. */
  keyBits: number
  /** The key usage bits that are set, or null when the extension is absent (any use). */
  keyUsage: KeyUsageName[] | null
  /** The extended key usage OIDs, or null when the extension is absent. */
  extendedKeyUsage: string[] | null
  /** basicConstraints cA. */
  isCa: boolean
  /** Lowercase hex, or null when the extension is absent. */
  subjectKeyIdentifier: string | null
  /** Lowercase hex of authorityKeyIdentifier.keyIdentifier, or null. */
  authorityKeyIdentifier: string | null
  /** The issuer Name's exact DER. */
  issuerDer: Buffer
  /** The subject Name's exact DER (the issuer of what this certificate signs). */
  subjectDer: Buffer
  /** The SubjectPublicKeyInfo's exact DER. */
  spkiDer: Buffer
  publicKey: KeyObject
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*)-----END CERTIFICATE-----/

/** The certificate as PEM, 64 base64 characters a line (what openssl and the seal registry keep). */
export function certificatePem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

function invalid(reason: string): AppError {
  return new AppError('SEAL_CERTIFICATE_INVALID', `证书格式错误：${reason}`)
}

function toDer(input: Buffer | string): Buffer {
  if (Buffer.isBuffer(input) && input[0] === 0x30) return Buffer.from(input)
  const text = typeof input === 'string' ? input : input.toString('latin1')
  const match = PEM_CERTIFICATE.exec(text)
  if (!match) throw invalid('既不是 DER 也不是 PEM（-----BEGIN CERTIFICATE-----）')
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64')
}

/**
 * Reads a certificate (DER, or PEM text: the first CERTIFICATE block). Throws AppError SEAL_CERTIFICATE_INVALID with the
 * reason when it is not a well-formed X.509 certificate or node cannot load its public key.
 */
export function parseCertificate(input: Buffer | string): SealCertificate {
  const der = toDer(input)
  try {
    return readCertificate(der)
  } catch (error) {
    if (error instanceof AppError) throw error
    throw invalid(error instanceof Error ? error.message : String(error))
  }
}

interface TbsFields {
  serial: DerNode
  issuer: DerNode
  validity: DerNode
  subject: DerNode
  spki: DerNode
  extensions: DerNode | null
}

function tbsFields(der: Buffer): TbsFields {
  const certificate = parseDer(der).expect(Tag.sequence, '证书')
  if (certificate.children.length !== 3) throw invalid('证书应由待签部分、签名算法与签名值三部分组成')
  const tbs = certificate.at(0, '待签证书（TBSCertificate）').expect(Tag.sequence, '待签证书（TBSCertificate）')
  // version is [0] EXPLICIT with DEFAULT v1: absent in v1 certificates.
  const first = tbs.children[0]?.isContext(0) ? 1 : 0
  const field = (offset: number, what: string) => tbs.at(first + offset, what)
  const extensions = tbs.children.slice(first + 6).find((node) => node.isContext(3))
  return {
    serial: field(0, '序列号'),
    issuer: field(2, '颁发者'),
    validity: field(3, '有效期').expect(Tag.sequence, '有效期'),
    subject: field(4, '主体'),
    spki: field(5, '公钥信息').expect(Tag.sequence, '公钥信息'),
    extensions: extensions ? extensions.at(0, '扩展') : null,
  }
}

function readCertificate(der: Buffer): SealCertificate {
  const fields = tbsFields(der)
  const serialDer = readIntegerBytes(fields.serial)
  const spkiDer = fields.spki.raw
  const publicKey = loadPublicKey(spkiDer)
  const extensions: CertificateExtensions = readExtensions(fields.extensions)
  return {
    der,
    fingerprint: createHash('sha256').update(der).digest('hex'),
    subject: nameToString(fields.subject),
    issuer: nameToString(fields.issuer),
    subjectCommonName: nameAttribute(fields.subject, OID.commonName),
    subjectOrganisation: nameAttribute(fields.subject, OID.organizationName),
    serialNumberHex: serialHex(serialDer),
    serialDer,
    notBefore: readTime(fields.validity.at(0, '生效时间')),
    notAfter: readTime(fields.validity.at(1, '失效时间')),
    ...keyInfo(fields.spki, publicKey),
    ...extensions,
    issuerDer: fields.issuer.expect(Tag.sequence, '颁发者').raw,
    subjectDer: fields.subject.expect(Tag.sequence, '主体').raw,
    spkiDer,
    publicKey,
  }
}

function serialHex(serialDer: Buffer): string {
  const hex = serialDer.toString('hex')
  return hex.length > 2 && hex.startsWith('00') ? hex.slice(2) : hex
}

function loadPublicKey(spkiDer: Buffer): KeyObject {
  try {
    return createPublicKey({ key: spkiDer, format: 'der', type: 'spki' })
  } catch {
    throw invalid('证书中的公钥无法读取')
  }
}

const CURVE_BITS: Readonly<Record<string, number>> = { [OID.prime256v1]: 256, [OID.secp384r1]: 384, [OID.secp521r1]: 521 }

function keyInfo(spki: DerNode, publicKey: KeyObject): { keyType: SealKeyType; keyBits: number } {
  const algorithm = spki.at(0, '公钥算法').expect(Tag.sequence, '公钥算法')
  const algorithmOid = readOid(algorithm.at(0, '公钥算法标识'))
  if (algorithmOid === OID.rsaEncryption) return { keyType: 'rsa', keyBits: publicKey.asymmetricKeyDetails?.modulusLength ?? 0 }
  if (algorithmOid === OID.ecPublicKey) {
    const parameters = algorithm.children[1]
    const curve = parameters?.is(Tag.oid) ? readOid(parameters) : ''
    return { keyType: curve === OID.prime256v1 ? 'ec-p256' : 'unsupported', keyBits: CURVE_BITS[curve] ?? 0 }
  }
  return { keyType: 'unsupported', keyBits: publicKey.asymmetricKeyDetails?.modulusLength ?? 0 }
}

/** "2026-12-01 18:30:00" in China Standard Time, the clock the desks read. */
function chinaTime(date: Date): string {
  return shanghaiIso(date).slice(0, 19).replace('T', ' ')
}

/**
 * Why this certificate may not seal at `at`, in Chinese, one reason per entry; empty when it may.
 * Trust (the chain to a root, revocation) is not judged here.
 */
export function sealCertificateProblems(certificate: SealCertificate, at: Date): string[] {
  const problems: string[] = []
  if (at.getTime() > certificate.notAfter.getTime()) problems.push(`已过期（有效期至 ${chinaTime(certificate.notAfter)}）`)
  if (at.getTime() < certificate.notBefore.getTime()) problems.push(`尚未生效（${chinaTime(certificate.notBefore)} 起生效）`)
  const usage = certificate.keyUsage
  if (usage && !usage.includes('digitalSignature') && !usage.includes('nonRepudiation')) problems.push('没有数字签名或不可否认用途')
  if (certificate.isCa) problems.push('是 CA 证书')
  const supported = (certificate.keyType === 'rsa' && certificate.keyBits >= 2048) || certificate.keyType === 'ec-p256'
  if (!supported) problems.push('密钥类型不受支持（仅支持 RSA 2048 位及以上与 ECDSA P-256）')
  return problems
}
