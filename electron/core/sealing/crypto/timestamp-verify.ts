import { createHash } from 'node:crypto'
import { DerError, parseDer, readBigInteger, readIntegerBytes, readOctetString, readOid, readSmallInteger, Tag, type DerNode } from './der'
import { readTime } from './der-text'
import { DIGEST_BY_OID, OID } from './oids'
import { readSignedData } from './signed-data'
import { checkSigner } from './signer-check'
import type { SealCertificate } from './x509'

/**
 * RFC 3161 TimeStampTokens: a SignedData encapsulating a TSTInfo, checked with the same SignerInfo
 * checks as the PAdES signature, plus the TSTInfo's imprint of the signature value it stamps.
 */

/** The outcome of checking one timestamp token; `problems` are Chinese, empty when valid. */
export interface TimestampCheck {
  /** TSTInfo.genTime, or null when the token could not be read. */
  genTime: Date | null
  /** The TSA's certificate, when the token carries it. */
  tsa: SealCertificate | null
  valid: boolean
  problems: string[]
}

/** The TSTInfo fields the sealing code uses (RFC 3161 2.4.2). */
export interface TstInfo {
  policy: string
  hashAlgorithm: string
  hashedMessage: Buffer
  serialNumber: Buffer
  genTime: Date
  nonce: bigint | null
}

/** Parses a TSTInfo DER; a DerError when malformed. */
export function readTstInfo(der: Buffer): TstInfo {
  const root = parseDer(der).expect(Tag.sequence, '时间戳信息（TSTInfo）')
  if (readSmallInteger(root.at(0, '时间戳信息的版本')) !== 1) throw new DerError('时间戳信息的版本不是 1')
  const imprint = root.at(2, '消息印记').expect(Tag.sequence, '消息印记')
  // accuracy (SEQUENCE) and ordering (BOOLEAN) may sit between genTime and the nonce.
  const nonce = root.children.slice(5).find((node: DerNode) => node.is(Tag.integer))
  return {
    policy: readOid(root.at(1, '时间戳策略')),
    hashAlgorithm: readOid(imprint.at(0, '消息印记算法').expect(Tag.sequence, '消息印记算法').at(0, '消息印记算法')),
    hashedMessage: readOctetString(imprint.at(1, '消息印记摘要')),
    serialNumber: readIntegerBytes(root.at(3, '时间戳序列号')),
    genTime: readTime(root.at(4, '时间戳时间').expect(Tag.generalizedTime, '时间戳时间')),
    nonce: nonce ? readBigInteger(nonce) : null,
  }
}

function imprintProblems(info: TstInfo, signatureValue: Buffer): string[] {
  const digest = DIGEST_BY_OID[info.hashAlgorithm]
  if (!digest) return [`时间戳的消息印记算法不受支持（${info.hashAlgorithm}）`]
  const expected = createHash(digest).update(signatureValue).digest()
  return info.hashedMessage.equals(expected) ? [] : ['时间戳不是为这个签名值签发的（消息印记不符）']
}

function tsaProblems(tsa: SealCertificate, genTime: Date): string[] {
  const problems: string[] = []
  // RFC 3161 2.3: the TSA's certificate carries the timeStamping purpose (and only it).
  if (!tsa.extendedKeyUsage?.includes(OID.timeStamping)) problems.push('时间戳服务的证书没有时间戳用途（extendedKeyUsage timeStamping）')
  if (genTime < tsa.notBefore || genTime > tsa.notAfter) problems.push('时间戳时间不在时间戳服务证书的有效期内')
  return problems
}

function unreadable(error: unknown): { check: TimestampCheck; info: null } {
  const reason = error instanceof Error ? error.message : String(error)
  return { check: { genTime: null, tsa: null, valid: false, problems: [`时间戳格式错误：${reason}`] }, info: null }
}

/**
 * Checks a token and returns its TSTInfo too (the client compares the nonce). Never throws:
 * a malformed token is a check with a problem.
 */
export function inspectTimestampToken(token: Buffer, signatureValue: Buffer): { check: TimestampCheck; info: TstInfo | null } {
  try {
    const view = readSignedData(token)
    if (view.eContentType !== OID.tstInfo || !view.eContent) throw new DerError('签名数据中没有时间戳信息（TSTInfo）')
    const eContent = view.eContent
    const info = readTstInfo(eContent)
    if (view.signerInfos.length !== 1) throw new DerError(`时间戳应恰好有一个签名者，实际有 ${view.signerInfos.length} 个`)
    const signer = checkSigner(view, view.signerInfos[0], {
      contentDigest: (algorithm) => createHash(algorithm).update(eContent).digest(),
      signingCertificate: 'optional',
    })
    const problems = [...signer.problems, ...imprintProblems(info, signatureValue)]
    if (signer.signer) problems.push(...tsaProblems(signer.signer, info.genTime))
    return { check: { genTime: info.genTime, tsa: signer.signer, valid: problems.length === 0, problems }, info }
  } catch (error) {
    return unreadable(error)
  }
}

/**
 * Verifies an RFC 3161 TimeStampToken (ContentInfo DER) stamping `signatureValue`: its TSTInfo
 * imprint, the TSA's signature and signing-certificate binding, the TSA certificate's purpose.
 * Whether the TSA is trusted (its chain to a root) is for the caller to judge.
 */
export function verifyTimestampToken(token: Buffer, signatureValue: Buffer): TimestampCheck {
  return inspectTimestampToken(token, signatureValue).check
}
