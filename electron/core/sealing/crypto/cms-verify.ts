import { OID, type DigestName } from './oids'
import { readSignedData, type SignerInfoView } from './signed-data'
import { checkSigner } from './signer-check'
import { verifyTimestampToken, type TimestampCheck } from './timestamp-verify'
import type { SealCertificate } from './x509'

/**
 * Verifies the detached CMS of a PAdES signature (/SubFilter /ETSI.CAdES.detached): what the
 * signature proves by itself. Whether the signer is trusted (chain, revocation) and whether its
 * certificate may seal are separate judgements (sealCertificateProblems, the trust list).
 */

/** The outcome of verifySignedData; `problems` are Chinese sentences, empty when valid. */
export interface CmsCheck {
  valid: boolean
  problems: string[]
  signer: SealCertificate | null
  certificates: SealCertificate[]
  digestAlgorithm: DigestName | null
  /** e.g. 'rsaEncryption', 'sha256WithRSAEncryption', 'ecdsa-with-SHA256'; null when unreadable. */
  signatureAlgorithm: string | null
  hasSigningCertificateV2: boolean
  /** The signature timestamp in the unsigned attributes, or null when there is none. */
  timestamp: TimestampCheck | null
}

const MALFORMED = '签名数据（CMS）格式错误'

function malformed(error: unknown): CmsCheck {
  const reason = error instanceof Error ? error.message : String(error)
  return {
    valid: false,
    problems: [`${MALFORMED}：${reason}`],
    signer: null,
    certificates: [],
    digestAlgorithm: null,
    signatureAlgorithm: null,
    hasSigningCertificateV2: false,
    timestamp: null,
  }
}

function timestampOf(info: SignerInfoView): TimestampCheck | null {
  const tokens = info.unsignedValues.get(OID.signatureTimeStampToken)
  if (!tokens || tokens.length === 0) return null
  // Each token stamps this SignerInfo's signature value (RFC 3161 appendix A).
  return verifyTimestampToken(tokens[0].raw, info.signature)
}

function check(cms: Buffer, digestOf: (algorithm: DigestName) => Buffer): CmsCheck {
  const view = readSignedData(cms)
  if (view.signerInfos.length !== 1) return malformed(new Error(`应恰好有一个签名者，实际有 ${view.signerInfos.length} 个`))
  const problems: string[] = []
  if (view.eContent) problems.push('签名数据中含有被签内容（eContent）：PAdES 要求分离式签名')
  if (view.eContentType !== OID.data) problems.push(`被签内容的类型不是 id-data（${view.eContentType}）`)
  const info = view.signerInfos[0]
  const signer = checkSigner(view, info, { contentDigest: digestOf, signingCertificate: 'v2-required' })
  problems.push(...signer.problems)
  const timestamp = timestampOf(info)
  if (timestamp && !timestamp.valid) problems.push(`签名时间戳无效：${timestamp.problems.join('；')}`)
  return {
    valid: problems.length === 0,
    problems,
    signer: signer.signer,
    certificates: view.certificates,
    digestAlgorithm: signer.digestAlgorithm,
    signatureAlgorithm: signer.signatureAlgorithm,
    hasSigningCertificateV2: signer.hasSigningCertificateV2,
    timestamp,
  }
}

/**
 * Verifies a detached SignedData: one signer whose certificate is in the CMS, contentType id-data,
 * messageDigest = digestOf(the signer's digest algorithm), signingCertificateV2 naming the signer,
 * the signature over the signed attributes, and the signature timestamp when present. Never
 * throws: malformed input of any kind gives valid false and a problem saying why.
 */
export function verifySignedData(cms: Buffer, digestOf: (algorithm: DigestName) => Buffer): CmsCheck {
  try {
    return check(cms, digestOf)
  } catch (error) {
    return malformed(error)
  }
}
