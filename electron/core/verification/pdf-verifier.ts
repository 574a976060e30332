import { SEAL_SLOT_LABELS, SEAL_SLOTS, type SealSlot } from '../../contract/sealing'
import type { SignatureCheck, VerificationReport } from '../../contract/verification'
import { verifySignedData } from '../sealing/crypto/cms-verify'
import { readPdfSignatures, type PdfSignature } from '../sealing/pdf/signatures'
import { AppError } from '../util/app-error'

/** What the verifier needs to know of a registered seal. */
export interface KnownSeal {
  name: string
  organisationName: string
}

export type SealLookup = (fingerprint: string) => KnownSeal | null

const CADES = 'ETSI.CAdES.detached'

function slotOf(fieldName: string | null): SealSlot | null {
  const slot = fieldName?.startsWith('seal_') ? fieldName.slice(5) : null
  return slot && (SEAL_SLOTS as readonly string[]).includes(slot) ? (slot as SealSlot) : null
}

/** D:YYYYMMDDHHmmSS+08'00' → ISO; null when it does not read as a date. */
export function pdfDateToIso(value: string | null): string | null {
  const match = value ? /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'?(\d{2})'?|Z)?/.exec(value) : null
  if (!match) return null
  const [, year, month, day, hour, minute, second, sign, offsetHours, offsetMinutes] = match
  const zone = sign ? `${sign}${offsetHours}:${offsetMinutes}` : 'Z'
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${zone}`)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

function checkSignature(signature: PdfSignature, lookup: SealLookup): SignatureCheck {
  const problems = [...signature.problems]
  if (signature.subFilter !== CADES) problems.push(`签名格式为 ${signature.subFilter ?? '（未标明）'}，不是 ${CADES}`)
  const cms = verifySignedData(signature.cms, (algorithm) => signature.digest(algorithm))
  problems.push(...cms.problems)
  const seal = cms.signer ? lookup(cms.signer.fingerprint) : null
  if (cms.signer && !seal) problems.push('签名证书不是本系统登记的电子印章')
  return {
    fieldName: signature.fieldName,
    slot: slotOf(signature.fieldName),
    sealName: seal?.name ?? null,
    organisationName: seal?.organisationName ?? null,
    signer: cms.signer?.subject ?? '（无法读取签名证书）',
    issuer: cms.signer?.issuer ?? '',
    fingerprint: cms.signer?.fingerprint ?? null,
    signingTime: pdfDateToIso(signature.signingTime),
    timestamp: cms.timestamp?.genTime ? { time: cms.timestamp.genTime.toISOString(), valid: cms.timestamp.valid } : null,
    coversWholeFile: signature.coversWholeFile,
    valid: problems.length === 0,
    problems,
  }
}

/**
 * The app's own verifier of a sealed certificate file: every signature's ByteRange covers the
 * whole file but its own /Contents, its digest and CMS signature check, its signer is a
 * registered seal, and nothing was changed after the last signature except a further
 * signature. Whether the certificate is current is the registry's answer, added by the caller.
 */
export function verifyPdf(
  bytes: Uint8Array,
  lookup: SealLookup,
  options: { readNumber?: boolean } = {},
): Omit<VerificationReport, 'registryStatus' | 'version'> {
  let report: ReturnType<typeof readPdfSignatures>
  try {
    report = readPdfSignatures(bytes)
  } catch (error) {
    const reason = error instanceof AppError ? error.message : 'PDF 文件无法读取'
    return { valid: false, summary: reason, certificateNumber: null, signatures: [], unsignedFields: [], problems: [reason] }
  }
  const signatures = report.signatures.map((signature) => checkSignature(signature, lookup))
  const problems = [...report.problems]
  if (signatures.length === 0) problems.push('文件中没有电子签章')
  const invalid = signatures.find((signature) => !signature.valid)
  const valid = problems.length === 0 && !invalid
  const summary = valid
    ? `${signatures.length === 1 ? '电子签章有效' : `${signatures.length} 个电子签章均有效`}，签章后文件未被修改${report.unsignedFields.length > 0 ? `（尚缺 ${report.unsignedFields.length} 个印章）` : ''}`
    : (problems[0] ?? `${invalid!.slot ? SEAL_SLOT_LABELS[invalid!.slot] : '签章'}无效：${invalid!.problems[0]}`)
  // The batch's own check knows the number; reading it means scanning the whole file.
  const certificateNumber = options.readNumber === false ? null : certificateNumberOf(bytes)
  return { valid, summary, certificateNumber, signatures, unsignedFields: report.unsignedFields, problems }
}

/** The number the documents engine writes into the XMP packet (certdesk:certificateNumber). */
function certificateNumberOf(bytes: Uint8Array): string | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4 * 1024 * 1024)).toString('latin1')
  const match = /<certdesk:certificateNumber>([A-Z0-9]{4,32})<\/certdesk:certificateNumber>/.exec(text)
  return match ? match[1] : null
}
