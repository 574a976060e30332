import { createHash } from 'node:crypto'
import { DerError, parseDer, readIntegerBytes, readOctetString, readOid, readSmallInteger, Tag, type DerNode } from './der'
import { OID } from './oids'
import { parseCertificate, type SealCertificate } from './x509'

/**
 * Reads a CMS ContentInfo holding SignedData (RFC 5652 5) into the parts the checks need. One
 * reader for the detached PAdES signature and the timestamp token's encapsulated TSTInfo.
 */

/** SignerInfo.sid: IssuerAndSerialNumber, or [0] SubjectKeyIdentifier. */
export type SignerIdentifier = { issuerDer: Buffer; serialDer: Buffer } | { subjectKeyIdentifier: Buffer }

/** One SignerInfo (RFC 5652 5.3), its attributes indexed by type. */
export interface SignerInfoView {
  sid: SignerIdentifier
  digestAlgorithm: string
  /** The signed attributes re-tagged as SET (0x31): the bytes the signature covers; null when absent. */
  signedAttributes: Buffer | null
  /** Signed attribute values by attribute type. */
  signedValues: Map<string, DerNode[]>
  signatureAlgorithm: string
  signature: Buffer
  /** Unsigned attribute values by attribute type (repeated attributes merged). */
  unsignedValues: Map<string, DerNode[]>
}

/** The parts of a SignedData the checks read. */
export interface SignedDataView {
  /** SignedData.digestAlgorithms (OIDs). */
  digestAlgorithms: string[]
  eContentType: string
  /** The encapsulated content, or null for a detached signature. */
  eContent: Buffer | null
  certificates: SealCertificate[]
  signerInfos: SignerInfoView[]
}

function algorithmOid(node: DerNode, what: string): string {
  return readOid(node.expect(Tag.sequence, what).at(0, what))
}

/** Attribute values by type; in signed attributes a type must not repeat (RFC 5652 11). */
function attributes(node: DerNode, signed: boolean): Map<string, DerNode[]> {
  const values = new Map<string, DerNode[]>()
  for (const item of node.children) {
    item.expect(Tag.sequence, '属性')
    const type = readOid(item.at(0, '属性类型'))
    const set = item.at(1, '属性值').expect(Tag.set, '属性值')
    const known = values.get(type)
    if (known && signed) throw new DerError(`签名属性 ${type} 重复出现`)
    values.set(type, known ? [...known, ...set.children] : set.children)
  }
  return values
}

function signerIdentifier(node: DerNode): SignerIdentifier {
  if (node.isContext(0) && !node.constructed) return { subjectKeyIdentifier: node.content }
  node.expect(Tag.sequence, '签名者标识（IssuerAndSerialNumber）')
  const issuer = node.at(0, '签名者证书的颁发者').expect(Tag.sequence, '签名者证书的颁发者')
  return { issuerDer: issuer.raw, serialDer: readIntegerBytes(node.at(1, '签名者证书的序列号')) }
}

function readSignerInfo(node: DerNode): SignerInfoView {
  node.expect(Tag.sequence, '签名者信息（SignerInfo）')
  const version = readSmallInteger(node.at(0, '签名者信息的版本'))
  let index = 3
  const signedNode = node.at(index, '签名算法')
  let signedAttributes: Buffer | null = null
  let signedValues = new Map<string, DerNode[]>()
  if (signedNode.isContext(0)) {
    if (!signedNode.constructed) throw new DerError('签名属性编码错误')
    // The signature covers the attributes' DER with the SET OF tag, not the [0] IMPLICIT tag.
    signedAttributes = Buffer.from(signedNode.raw)
    signedAttributes[0] = 0x31
    signedValues = attributes(signedNode, true)
    index += 1
  }
  const unsignedNode = node.children[index + 2]
  if (unsignedNode && !(unsignedNode.isContext(1) && unsignedNode.constructed)) throw new DerError('未签名属性编码错误')
  if (node.children.length > index + 3) throw new DerError('签名者信息末尾有多余的内容')
  const sid = signerIdentifier(node.at(1, '签名者标识'))
  // RFC 5652 5.3: version 1 goes with IssuerAndSerialNumber, 3 with SubjectKeyIdentifier.
  if (version !== ('issuerDer' in sid ? 1 : 3)) throw new DerError(`签名者信息的版本 ${version} 与签名者标识的形式不符`)
  return {
    sid,
    digestAlgorithm: algorithmOid(node.at(2, '摘要算法'), '摘要算法'),
    signedAttributes,
    signedValues,
    signatureAlgorithm: algorithmOid(node.at(index, '签名算法'), '签名算法'),
    signature: readOctetString(node.at(index + 1, '签名值')),
    unsignedValues: unsignedNode ? attributes(unsignedNode, false) : new Map(),
  }
}

/** eContent [0] EXPLICIT OCTET STRING; BER's constructed form is joined, though DER never writes it. */
function encapsulatedContent(encapsulated: DerNode): Buffer | null {
  const wrapper = encapsulated.children[1]
  if (!wrapper) return null
  if (!wrapper.isContext(0) || !wrapper.constructed) throw new DerError('被签内容（eContent）编码错误')
  const octets = wrapper.at(0, '被签内容').expect(Tag.octetString, '被签内容')
  return octets.constructed ? Buffer.concat(octets.children.map(readOctetString)) : octets.content
}

// The batch verifies every signature it makes, all with the same few certificates, and loading a
// public key costs node ~170 µs: reuse recent parses. A hit must match byte for byte, so a
// caller that modified a returned certificate's buffers only causes a fresh parse.
const CACHE_SIZE = 32
const recentCertificates = new Map<string, SealCertificate>()

function cachedCertificate(der: Buffer): SealCertificate {
  const key = createHash('sha256').update(der).digest('hex')
  const known = recentCertificates.get(key)
  if (known && known.der.equals(der) && known.fingerprint === key) return known
  const certificate = parseCertificate(der)
  recentCertificates.delete(key)
  recentCertificates.set(key, certificate)
  if (recentCertificates.size > CACHE_SIZE) recentCertificates.delete(recentCertificates.keys().next().value as string)
  return certificate
}

function certificatesOf(fields: DerNode[]): SealCertificate[] {
  const field = fields.find((node) => node.isContext(0))
  if (!field) return []
  if (!field.constructed) throw new DerError('证书集合编码错误')
  // CertificateChoices other than a plain Certificate (attribute certificates, [1]–[3]) are skipped.
  return field.children.filter((node) => node.is(Tag.sequence)).map((node) => cachedCertificate(node.raw))
}

/** Reads a ContentInfo that must hold SignedData; a DerError (or the certificate's AppError) when malformed. */
export function readSignedData(contentInfo: Buffer): SignedDataView {
  const root = parseDer(contentInfo).expect(Tag.sequence, '内容信息（ContentInfo）')
  const contentType = readOid(root.at(0, '内容类型'))
  if (contentType !== OID.signedData) throw new DerError(`内容类型不是 SignedData（${contentType}）`)
  const wrapper = root.at(1, '签名数据')
  if (!wrapper.isContext(0) || !wrapper.constructed) throw new DerError('签名数据的标签不对')
  const signedData = wrapper.at(0, '签名数据').expect(Tag.sequence, '签名数据（SignedData）')
  const fields = signedData.children
  const version = readSmallInteger(signedData.at(0, '签名数据的版本'))
  if (![1, 3, 4, 5].includes(version)) throw new DerError(`签名数据的版本 ${version} 无效`)
  const digestAlgorithms = signedData.at(1, '摘要算法集合').expect(Tag.set, '摘要算法集合')
  const encapsulated = signedData.at(2, '被签内容信息').expect(Tag.sequence, '被签内容信息')
  signedData.at(3, '签名者信息集合')
  const signerInfos = fields[fields.length - 1].expect(Tag.set, '签名者信息集合')
  return {
    digestAlgorithms: digestAlgorithms.children.map((node) => algorithmOid(node, '摘要算法')),
    eContentType: readOid(encapsulated.at(0, '被签内容类型')),
    eContent: encapsulatedContent(encapsulated),
    certificates: certificatesOf(fields.slice(3, -1)),
    signerInfos: signerInfos.children.map(readSignerInfo),
  }
}
