import { z } from 'zod'
import type { DownloadFile } from './applications'
import type { CertificateStatus } from './certificates'
import { method } from './method'
import type { Family } from './roles'
import { UploadIdSchema } from './uploads'

/**
 * Revocation (注销, clause 7): the supervising department records the formal document cancelling
 * a review or exam result, for one certificate or a list of them → a reviewer of the bureau
 * approves or rejects it → a clerk of the institute executes it, and the certificates become
 * revoked (never deleted) and are published as such to the registry.
 *
 * States: submitted → approved → executed, or submitted → rejected.
 */
export const REVOCATION_REASONS = ['report', 'violation', 'other'] as const
export type RevocationReason = (typeof REVOCATION_REASONS)[number]
export const REVOCATION_REASON_LABELS: Record<RevocationReason, string> = {
  report: '举报',
  violation: '违纪违规',
  other: '其他',
}

export const REVOCATION_STATES = ['submitted', 'approved', 'rejected', 'executed'] as const
export type RevocationState = (typeof REVOCATION_STATES)[number]
export const REVOCATION_STATE_LABELS: Record<RevocationState, string> = {
  submitted: '待市人社局审核',
  approved: '待考试院注销',
  rejected: '未通过',
  executed: '已注销',
}

/** The most certificates one recorded revocation may name (one formal document, one list). */
export const MAX_REVOCATION_CERTIFICATES = 5000

/** A calendar day as YYYY-MM-DD; core checks that it exists and is not in the future. */
export const IsoDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应写成 YYYY-MM-DD，如 2026-11-28')

/**
 * The certificates to revoke: certificate numbers typed or pasted one per line (commas and
 * spaces also separate), or an uploaded .xlsx whose first sheet has a 证书编号 column.
 */
export const RevocationListSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().max(200_000, '名单过长：一次最多注销 5000 本证书') }).strict(),
  z.object({ kind: z.literal('workbook'), uploadId: UploadIdSchema }).strict(),
])
export type RevocationList = z.infer<typeof RevocationListSchema>

/** One certificate named by a revocation, as the desks see it. */
export interface RevocationCertificate {
  number: string
  holderName: string
  family: Family
  level: string | null
  organisationName: string
  status: CertificateStatus
  version: number
}

export interface RevocationSummary {
  id: number
  /** The supervising department that recorded it. */
  organisationId: number
  organisationName: string
  documentNumber: string
  documentDate: string
  reason: RevocationReason
  reasonText: string | null
  state: RevocationState
  certificateCount: number
  /** The first certificate (by number), to recognise the revocation in a list. */
  firstNumber: string | null
  recordedByName: string
  recordedAt: string
  decidedByName: string | null
  decidedAt: string | null
  rejectionReason: string | null
  executedByName: string | null
  executedAt: string | null
}

export interface RevocationDetail extends RevocationSummary {
  certificates: RevocationCertificate[]
  /** What the caller may do now; core decides again when they do it. */
  canDecide: boolean
  canExecute: boolean
  /** Why the caller may not take the next step, in Chinese; null when they may or nothing is left. */
  refusal: string | null
}

const IdSchema = z.object({ id: z.number().int().positive() }).strict()

export const revocations = {
  /** A workbook with the 证书编号 column, to fill in for a list. */
  template: method(z.object({}).strict()).returns<DownloadFile>(),
  record: method(
    z
      .object({
        list: RevocationListSchema,
        documentNumber: z.string().trim().min(2, '请填写注销文件的文号').max(100, '文号不能超过 100 字'),
        documentDate: IsoDaySchema,
        /** The formal document as a PDF, uploaded with purpose 'notice'. */
        document: UploadIdSchema,
        reason: z.enum(REVOCATION_REASONS),
        reasonText: z.string().trim().max(2000, '注销原因说明不能超过 2000 字').optional(),
      })
      .strict(),
  ).returns<RevocationDetail>(),
  list: method(
    z
      .object({
        state: z.enum(REVOCATION_STATES).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
  ).returns<RevocationSummary[]>(),
  get: method(IdSchema).returns<RevocationDetail>(),
  document: method(IdSchema).returns<DownloadFile>(),
  approve: method(IdSchema).returns<RevocationDetail>(),
  reject: method(
    z
      .object({
        id: z.number().int().positive(),
        reason: z.string().trim().min(2, '请填写不予通过的原因（至少 2 个字）').max(500, '原因不能超过 500 字'),
      })
      .strict(),
  ).returns<RevocationDetail>(),
  execute: method(IdSchema).returns<RevocationDetail>(),
}
