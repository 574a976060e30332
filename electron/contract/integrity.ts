import { z } from 'zod'
import type { DownloadFile } from './applications'
import { method } from './method'
import { HolderNameSchema, IdNumberQuerySchema, IsoDateSchema, NumberQuerySchema } from './register'
import type { OrganisationKind, Role } from './roles'
import { UploadIdSchema } from './uploads'

/**
 * Integrity records (诚信档案, clause 10): a finding of forgery, tampering, lending (挂证) or
 * abuse against a certificate or a person, with its evidence. Records are never changed or
 * deleted; they show in the register beside the certificate and its holder.
 */
export const INTEGRITY_KINDS = ['forgery', 'tampering', 'lending', 'abuse'] as const
export type IntegrityKind = (typeof INTEGRITY_KINDS)[number]
export const INTEGRITY_KIND_LABELS: Record<IntegrityKind, string> = {
  forgery: '伪造',
  tampering: '篡改',
  lending: '挂证',
  abuse: '滥用',
}

/** Evidence files: scans (PDF) or pictures (JPEG, PNG), each up to this size. */
export const EVIDENCE_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
export const MAX_EVIDENCE_FILES = 20

/** Organisation kinds whose reviewers may record a finding: the bureau and the supervising departments. */
const SUPERVISING_KINDS: readonly OrganisationKind[] = ['bureau', 'district_bureau', 'industry_department']

/**
 * Who records findings: the institute's clerks, and the reviewers of the bureau and of the
 * supervising departments. Core enforces it; the renderer asks it to show the button.
 */
export function mayRecordIntegrity(user: { roles: readonly Role[]; organisationKind: OrganisationKind }): boolean {
  if (user.roles.includes('clerk') && user.organisationKind === 'institute') return true
  return user.roles.includes('reviewer') && SUPERVISING_KINDS.includes(user.organisationKind)
}

export interface IntegrityEvidence {
  id: number
  fileName: string
  mediaType: string
  size: number
  sha256: string
}

export interface IntegrityRecord {
  id: number
  kind: IntegrityKind
  /** Recorded against a certificate (and so its holder), or against a person only. */
  subject: 'certificate' | 'person'
  certificateNumber: string | null
  subjectName: string
  subjectIdNumber: string
  foundOn: string
  description: string
  evidence: IntegrityEvidence[]
  organisationName: string
  recordedByName: string
  recordedAt: string
}

const SubjectSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('certificate'), number: NumberQuerySchema }).strict(),
  z.object({ type: z.literal('person'), idNumber: IdNumberQuerySchema, name: HolderNameSchema }).strict(),
])

export const integrity = {
  record: method(
    z
      .object({
        kind: z.enum(INTEGRITY_KINDS),
        subject: SubjectSchema,
        /** The day the finding was established (查证属实). */
        foundOn: IsoDateSchema,
        description: z.string().trim().min(1, '请填写查证情况').max(2000, '查证情况不能超过 2000 个字符'),
        /** An upload (purpose 'attachment') with one or more evidence files. */
        evidence: UploadIdSchema,
      })
      .strict(),
  ).returns<IntegrityRecord>(),
  /** By certificate (its own records and its holder's), or by person (ID number, optionally with the name). */
  list: method(
    z
      .object({
        certificateNumber: NumberQuerySchema.optional(),
        idNumber: IdNumberQuerySchema.optional(),
        name: HolderNameSchema.optional(),
      })
      .strict()
      .refine((value) => Boolean(value.certificateNumber) !== Boolean(value.idNumber), '请给出证书编号或证件号码（二者选一）'),
  ).returns<IntegrityRecord[]>(),
  evidence: method(z.object({ id: z.number().int().positive() }).strict()).returns<DownloadFile>(),
}
