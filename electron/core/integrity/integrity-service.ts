import type { Knex } from 'knex'
import type { DownloadFile } from '../../contract/applications'
import { mayRecordIntegrity, type IntegrityKind, type IntegrityRecord } from '../../contract/integrity'
import { isoDay } from '../applications/checks/dates'
import { normaliseIdNumber, validateIdNumber } from '../applications/id-number'
import type { AuditLog } from '../audit/audit-log'
import { findCertificate } from '../certificates/register-detail'
import { insertReturningId } from '../db/insert'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import type { UploadStore } from '../uploads/upload-store'
import { auditActor, requireRole, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { readEvidence, type EvidenceFile } from './evidence-files'
import { recordsAbout, visibleEvidence, visibleRecord } from './integrity-records'

const ALL_ROLES = ['reviewer', 'clerk', 'sealer', 'admin'] as const

export type IntegritySubject = { type: 'certificate'; number: string } | { type: 'person'; idNumber: string; name: string }

export interface IntegrityInput {
  kind: IntegrityKind
  subject: IntegritySubject
  foundOn: string
  description: string
  /** Upload id (purpose 'attachment') of the evidence files. */
  evidence: string
}

interface ResolvedSubject {
  certificateId: number | null
  number: string | null
  idNumber: string
  name: string
}

/**
 * A resident ID (18 characters, or 15 from before 1999) is checked and stored in its
 * 18-character form, as certificates store it; other 证件 (passports, permits) as typed.
 */
export function personIdNumber(typed: string): string {
  const folded = normaliseIdNumber(typed)
  if (!/^\d{15}$|^\d{17}[\dX]$/.test(folded)) return folded
  const checked = validateIdNumber(folded)
  if (!checked.ok) throw new AppError('VALIDATION', checked.message)
  return checked.value
}

/** Integrity records (诚信档案, clause 10): recorded with their evidence, never changed, shown in the register. */
export class IntegrityService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly files: FileStore,
    private readonly uploads: UploadStore,
    private readonly clock: Clock,
  ) {}

  /** Records a finding against a certificate the recorder can see, or against a person, with its evidence. */
  async record(actor: Actor | null, input: IntegrityInput): Promise<IntegrityRecord> {
    const user = requireRole(actor, 'clerk', 'reviewer')
    if (!mayRecordIntegrity(user)) {
      throw new AppError('FORBIDDEN', '只有市职业能力考试院的备案员和市人社局、主管部门的审核员可以记录诚信档案')
    }
    const today = isoDay(this.clock.now())
    if (input.foundOn > today) throw new AppError('VALIDATION', `查证日期 ${input.foundOn} 晚于今天（${today}）`)
    const subject = await this.resolveSubject(user, input.subject)
    const upload = await this.uploads.resolve(user, input.evidence, 'attachment')
    const evidence = await readEvidence(upload)
    const id = await writeTransaction(this.db, (trx) => this.store(trx, user, input, subject, evidence))
    await this.uploads.discard(user, upload.id)
    return (await visibleRecord(this.db, user, id))!
  }

  /** By certificate (its holder's records, this certificate's included) or by person. */
  async list(actor: Actor | null, query: { certificateNumber?: string; idNumber?: string; name?: string }): Promise<IntegrityRecord[]> {
    const user = requireRole(actor, ...ALL_ROLES)
    if (query.certificateNumber) {
      const certificate = await findCertificate(this.db, user, query.certificateNumber)
      return recordsAbout(this.db, user, { idNumber: certificate.holder_id_number })
    }
    if (!query.idNumber) throw new AppError('VALIDATION', '请给出证书编号或证件号码')
    return recordsAbout(this.db, user, { idNumber: personIdNumber(query.idNumber), name: query.name })
  }

  /** An evidence file, for whoever may see its record. */
  async evidence(actor: Actor | null, id: number): Promise<DownloadFile> {
    const user = requireRole(actor, ...ALL_ROLES)
    const found = await visibleEvidence(this.db, user, id)
    if (!found) throw new AppError('NOT_FOUND', `证明材料 ${id} 不存在或不在您的管理范围内`)
    const file = await this.files.read(this.db, found.hash)
    return { fileName: found.fileName, mediaType: file.mediaType, base64: Buffer.from(file.bytes).toString('base64') }
  }

  private async resolveSubject(user: Actor, subject: IntegritySubject): Promise<ResolvedSubject> {
    if (subject.type === 'person')
      return { certificateId: null, number: null, idNumber: personIdNumber(subject.idNumber), name: subject.name }
    const certificate = await findCertificate(this.db, user, subject.number)
    return {
      certificateId: Number(certificate.id),
      number: certificate.number,
      idNumber: certificate.holder_id_number,
      name: certificate.holder_name,
    }
  }

  private async store(
    trx: Knex.Transaction,
    user: Actor,
    input: IntegrityInput,
    subject: ResolvedSubject,
    evidence: EvidenceFile[],
  ): Promise<number> {
    const now = isoNow(this.clock)
    const id = await insertReturningId(trx, 'integrity_records', {
      kind: input.kind,
      certificate_id: subject.certificateId,
      subject_id_number: subject.idNumber,
      subject_name: subject.name,
      found_on: input.foundOn,
      description: input.description,
      organisation_id: user.organisationId,
      recorded_by: user.userId,
      recorded_at: now,
    })
    const hashes: string[] = []
    for (const file of evidence) {
      const stored = await this.files.put(trx, file.bytes, file.mediaType, file.name)
      // The same file picked twice under two names is one piece of evidence.
      if (hashes.includes(stored.hash)) continue
      hashes.push(stored.hash)
      await trx('integrity_evidence').insert({ record_id: id, file_hash: stored.hash, file_name: file.name })
    }
    // The certificate's number and id, never the person's name or ID number: the log carries no personal data.
    await this.audit.record(trx, auditActor(user), {
      action: 'integrity.record',
      objectType: 'integrity_record',
      objectId: id,
      after: { kind: input.kind, certificateId: subject.certificateId, foundOn: input.foundOn, evidence: hashes },
      details: {
        kind: input.kind,
        subject: input.subject.type,
        certificateId: subject.certificateId,
        number: subject.number,
        foundOn: input.foundOn,
        evidence: hashes,
      },
    })
    return id
  }
}
