import { constants, createHash, verify } from 'node:crypto'
import { readIntegerBytes, readOctetString, readOid, Tag, type DerNode } from './der'
import { DIGEST_BY_OID, OID, type DigestName } from './oids'
import type { SignedDataView, SignerIdentifier, SignerInfoView } from './signed-data'
import type { SealCertificate } from './x509'

/**
 * The checks every SignerInfo gets, for the PAdES signature and for the timestamp token alike:
 * the signer's certificate, contentType, messageDigest, the ESS signing-certificate binding and
 * the signature over the signed attributes. Problems are Chinese sentences; none means valid.
 */

/** What differs between the PAdES signature and the timestamp token. */
export interface SignerCheckOptions {
  /** The digest of the signed content under the signer's digest algorithm. */
  contentDigest: (algorithm: DigestName) => Buffer
  /** 'v2-required' for CAdES; 'optional' lets a TSA use either version or none. */
  signingCertificate: 'v2-required' | 'optional'
}

/** The outcome of checkSigner. */
export interface SignerCheck {
  signer: SealCertificate | null
  digestAlgorithm: DigestName | null
  /** e.g. 'rsaEncryption', 'sha256WithRSAEncryption', 'ecdsa-with-SHA256'; the OID when unknown. */
  signatureAlgorithm: string
  hasSigningCertificateV2: boolean
  problems: string[]
}

interface SignatureAlgorithm {
  name: string
  key: 'rsa' | 'ec'
  /** The digest the algorithm fixes; null: the SignerInfo's digestAlgorithm (rsaEncryption). */
  digest: DigestName | null
}

const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  [OID.rsaEncryption]: { name: 'rsaEncryption', key: 'rsa', digest: null },
  [OID.sha256WithRSAEncryption]: { name: 'sha256WithRSAEncryption', key: 'rsa', digest: 'sha256' },
  [OID.sha384WithRSAEncryption]: { name: 'sha384WithRSAEncryption', key: 'rsa', digest: 'sha384' },
  [OID.sha512WithRSAEncryption]: { name: 'sha512WithRSAEncryption', key: 'rsa', digest: 'sha512' },
  [OID.ecdsaWithSha256]: { name: 'ecdsa-with-SHA256', key: 'ec', digest: 'sha256' },
  [OID.ecdsaWithSha384]: { name: 'ecdsa-with-SHA384', key: 'ec', digest: 'sha384' },
  [OID.ecdsaWithSha512]: { name: 'ecdsa-with-SHA512', key: 'ec', digest: 'sha512' },
}

function sameSigner(certificate: SealCertificate, sid: SignerIdentifier): boolean {
  if ('subjectKeyIdentifier' in sid) return certificate.subjectKeyIdentifier === sid.subjectKeyIdentifier.toString('hex')
  return certificate.serialDer.equals(sid.serialDer) && certificate.issuerDer.equals(sid.issuerDer)
}

function single(values: Map<string, DerNode[]>, type: string): DerNode | null | 'repeated' {
  const found = values.get(type)
  if (!found || found.length === 0) return null
  return found.length === 1 ? found[0] : 'repeated'
}

function contentTypeProblems(info: SignerInfoView, eContentType: string): string[] {
  const value = single(info.signedValues, OID.contentType)
  if (value === null) return ['签名属性中缺少 contentType']
  if (value === 'repeated' || readOid(value) !== eContentType) return ['签名属性 contentType 与被签内容的类型不符']
  return []
}

function messageDigestProblems(info: SignerInfoView, digestAlgorithm: DigestName | null, options: SignerCheckOptions): string[] {
  const value = single(info.signedValues, OID.messageDigest)
  if (value === null) return ['签名属性中缺少 messageDigest']
  if (value === 'repeated') return ['签名属性 messageDigest 只能有一个值']
  if (!digestAlgorithm) return []
  let expected: Buffer
  try {
    expected = options.contentDigest(digestAlgorithm)
  } catch (error) {
    return [`无法计算被签内容的摘要：${error instanceof Error ? error.message : String(error)}`]
  }
  return readOctetString(value).equals(expected) ? [] : ['内容摘要不符：messageDigest 与被签内容不一致（内容签名后被修改过）']
}

/** Does ESSCertID(v2).issuerSerial (when present) name this certificate? */
function issuerSerialMatches(issuerSerial: DerNode, signer: SealCertificate): boolean {
  const names = issuerSerial.expect(Tag.sequence, '颁发者与序列号').at(0, '颁发者').expect(Tag.sequence, '颁发者')
  const serial = readIntegerBytes(issuerSerial.at(1, '序列号'))
  const named = names.children.some((name) => name.isContext(4) && name.constructed && name.at(0, '目录名').raw.equals(signer.issuerDer))
  return named && serial.equals(signer.serialDer)
}

function essCertIdProblems(attribute: DerNode, version: 1 | 2, signer: SealCertificate): string[] {
  const label = version === 2 ? 'signingCertificateV2' : 'signingCertificate'
  const certs = attribute.expect(Tag.sequence, label).at(0, `${label} 的证书列表`).expect(Tag.sequence, `${label} 的证书列表`)
  // RFC 5035 5.4: the first ESSCertID identifies the signing certificate.
  const id = certs.at(0, `${label} 的证书标识`).expect(Tag.sequence, `${label} 的证书标识`)
  const withAlgorithm = version === 2 && id.at(0, '证书摘要').is(Tag.sequence)
  const hashOid = withAlgorithm ? readOid(id.children[0].at(0, '证书摘要算法')) : version === 2 ? OID.sha256 : OID.sha1
  const hash = hashOid === OID.sha1 ? 'sha1' : DIGEST_BY_OID[hashOid]
  if (!hash) return [`${label} 的摘要算法不受支持（${hashOid}）`]
  const certHash = readOctetString(id.at(withAlgorithm ? 1 : 0, '证书摘要'))
  const problems: string[] = []
  if (!certHash.equals(createHash(hash).update(signer.der).digest())) problems.push(`${label} 中的证书摘要与签名者证书不符`)
  const issuerSerial = id.children[withAlgorithm ? 2 : 1]
  if (issuerSerial && !issuerSerialMatches(issuerSerial, signer)) problems.push(`${label} 中的颁发者与序列号与签名者证书不符`)
  return problems
}

function signingCertificateProblems(info: SignerInfoView, signer: SealCertificate | null, options: SignerCheckOptions): string[] {
  const v2 = single(info.signedValues, OID.signingCertificateV2)
  const v1 = single(info.signedValues, OID.signingCertificate)
  if (options.signingCertificate === 'v2-required' && v2 === null)
    return ['签名属性中缺少 signingCertificateV2（ETSI.CAdES.detached 要求）']
  const [value, version] = v2 !== null ? [v2, 2 as const] : [v1, 1 as const]
  if (value === null || !signer) return []
  if (value === 'repeated') return ['签名属性 signingCertificate 只能有一个值']
  return essCertIdProblems(value, version, signer)
}

function signatureProblems(info: SignerInfoView, signer: SealCertificate, digestAlgorithm: DigestName | null): string[] {
  const algorithm = SIGNATURE_ALGORITHMS[info.signatureAlgorithm]
  if (!algorithm) return [`签名算法不受支持（${info.signatureAlgorithm}）`]
  const digest = algorithm.digest ?? digestAlgorithm
  const keyType = signer.publicKey.asymmetricKeyType
  if (!digest || !info.signedAttributes) return []
  if (keyType !== algorithm.key) return [`签名算法 ${algorithm.name} 与签名者证书的密钥类型（${keyType}）不符`]
  const key =
    algorithm.key === 'rsa'
      ? { key: signer.publicKey, padding: constants.RSA_PKCS1_PADDING }
      : { key: signer.publicKey, dsaEncoding: 'der' as const }
  let verified: boolean
  try {
    verified = verify(digest, info.signedAttributes, key, info.signature)
  } catch {
    verified = false
  }
  return verified ? [] : ['签名值无效：签名与签名属性、签名者证书的公钥不符']
}

/** Runs every check of one SignerInfo of `view`. */
export function checkSigner(view: SignedDataView, info: SignerInfoView, options: SignerCheckOptions): SignerCheck {
  const digestAlgorithm = DIGEST_BY_OID[info.digestAlgorithm] ?? null
  const signer = view.certificates.find((certificate) => sameSigner(certificate, info.sid)) ?? null
  const signatureAlgorithm = SIGNATURE_ALGORITHMS[info.signatureAlgorithm]?.name ?? info.signatureAlgorithm
  const hasSigningCertificateV2 = info.signedValues.has(OID.signingCertificateV2)
  const problems: string[] = []
  if (!digestAlgorithm) problems.push(`摘要算法不受支持（${info.digestAlgorithm}）`)
  // Unsigned, but RFC 5652 5.1 says it lists every signer's digest: a mismatch is tampering or a broken writer.
  if (!view.digestAlgorithms.includes(info.digestAlgorithm))
    problems.push('签名数据的摘要算法集合（digestAlgorithms）中没有签名者的摘要算法')
  if (!signer) problems.push('签名数据中找不到签名者的证书')
  if (!info.signedAttributes) {
    problems.push('缺少签名属性（signedAttrs）')
    return { signer, digestAlgorithm, signatureAlgorithm, hasSigningCertificateV2, problems }
  }
  problems.push(...contentTypeProblems(info, view.eContentType))
  problems.push(...messageDigestProblems(info, digestAlgorithm, options))
  problems.push(...signingCertificateProblems(info, signer, options))
  if (signer) problems.push(...signatureProblems(info, signer, digestAlgorithm))
  return { signer, digestAlgorithm, signatureAlgorithm, hasSigningCertificateV2, problems }
}
