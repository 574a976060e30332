import { z } from 'zod'
import { method } from './method'
import { FAMILIES, type Family } from './roles'
import { UploadIdSchema } from './uploads'

/**
 * Production applications (制证申请, clauses 4–6): import in the unified data format, the
 * automatic checks, the review desk and numbering on final approval.
 *
 * States: submitted → (title) approved | returned; vocational: submitted → first_approved (the
 * industry department) → approved (the bureau) | returned. approved → issued once sealed.
 */
export const BATCH_STATES = ['submitted', 'first_approved', 'returned', 'approved', 'issued'] as const
export type BatchState = (typeof BATCH_STATES)[number]
export const BATCH_STATE_LABELS: Record<BatchState, string> = {
  submitted: '待审核',
  first_approved: '待市人社局复核',
  returned: '已退回',
  approved: '已通过',
  issued: '已发证',
}

/** The review desk's queues, for the user's organisation. */
export const QUEUES = ['to_review', 'in_progress', 'returned', 'approved', 'submitted_by_me', 'all'] as const
export type Queue = (typeof QUEUES)[number]
export const QUEUE_LABELS: Record<Queue, string> = {
  to_review: '待我审核',
  in_progress: '审核中',
  returned: '已退回',
  approved: '已通过',
  submitted_by_me: '我提交的',
  all: '全部',
}

export type BatchSource = 'import' | 'registry' | 'offline'
export type IssueSeverity = 'error' | 'warning'

export interface BatchSummary {
  id: number
  organisationId: number
  organisationName: string
  organisationCode: string | null
  family: Family
  /** The level shared by every applicant, or null when the batch mixes levels. */
  level: string | null
  state: BatchState
  source: BatchSource
  declarationYear: number
  fileName: string | null
  applicantCount: number
  excludedCount: number
  errorCount: number
  warningCount: number
  /** Warnings on applicants still in the batch that no reviewer has acknowledged. */
  unacknowledgedWarnings: number
  createdByName: string | null
  submittedAt: string | null
  decidedAt: string | null
}

export interface BatchReview {
  stage: number
  decision: 'approved' | 'returned'
  reason: string | null
  reviewerName: string
  organisationName: string
  decidedAt: string
}

export interface BatchDetail extends BatchSummary {
  hasNotice: boolean
  reviews: BatchReview[]
  /** Who decides next (stage 1 the supervising department, stage 2 the bureau), or null when done. */
  nextStage: { stage: number; organisationId: number; organisationName: string } | null
  canApprove: boolean
  canReturn: boolean
  /** Why approval is not possible now, in Chinese; empty when it is. */
  approveBlockers: string[]
  /** The certificate numbers given on final approval, first and last. */
  numbers: { first: string; last: string; count: number } | null
}

export interface ApplicantRow {
  id: number
  rowNumber: number
  name: string
  idType: string
  idNumber: string
  /** Every column of the family as read (normalised where the check passed), by ColumnDefinition.key. */
  fields: Record<string, string>
  hasPhoto: boolean
  excluded: boolean
  exclusionReason: string | null
  errorCount: number
  warningCount: number
  /** Issue codes of this applicant, for the filter. */
  issueCodes: string[]
  certificateNumber: string | null
}

export interface BatchIssue {
  id: number
  applicantId: number | null
  rowNumber: number | null
  column: string | null
  severity: IssueSeverity
  code: string
  message: string
  acknowledged: boolean
}

export interface ImportResult {
  batch: BatchSummary
}

/** A file handed to the user to save. */
export interface DownloadFile {
  fileName: string
  mediaType: string
  base64: string
}

export interface ApplyingOrganisation {
  id: number
  name: string
  code: string | null
  families: Family[]
}

const FamilySchema = z.enum(FAMILIES)
const Id = z.number().int().positive()
const BatchId = z.object({ batchId: Id }).strict()
const Reason = z.string().trim().min(2, '请填写原因（至少 2 个字）').max(500, '原因不能超过 500 字')

export const applications = {
  template: method(z.object({ family: FamilySchema }).strict()).returns<DownloadFile>(),
  /** Organisations the user may import a batch for, with the families they are granted. */
  applyingOrganisations: method(z.object({}).strict()).returns<ApplyingOrganisation[]>(),
  import: method(
    z
      .object({
        family: FamilySchema,
        organisationId: Id,
        workbook: UploadIdSchema,
        photos: UploadIdSchema.nullable().default(null),
        notice: UploadIdSchema.nullable().default(null),
      })
      .strict(),
  ).returns<ImportResult>(),
  queues: method(z.object({}).strict()).returns<Array<{ queue: Queue; count: number }>>(),
  list: method(z.object({ queue: z.enum(QUEUES), limit: z.number().int().min(1).max(500).default(200) }).strict()).returns<
    BatchSummary[]
  >(),
  get: method(z.object({ id: Id }).strict()).returns<BatchDetail>(),
  applicants: method(BatchId).returns<ApplicantRow[]>(),
  issues: method(BatchId).returns<BatchIssue[]>(),
  photo: method(z.object({ applicantId: Id }).strict()).returns<{ mediaType: string; base64: string } | null>(),
  notice: method(BatchId).returns<DownloadFile>(),
  acknowledge: method(BatchId.extend({ issueIds: z.array(Id).min(1).max(100_000) }).strict()).returns<BatchDetail>(),
  exclude: method(BatchId.extend({ applicantIds: z.array(Id).min(1).max(100_000), reason: Reason }).strict()).returns<BatchDetail>(),
  include: method(BatchId.extend({ applicantIds: z.array(Id).min(1).max(100_000) }).strict()).returns<BatchDetail>(),
  approve: method(BatchId).returns<BatchDetail>(),
  returnBatch: method(BatchId.extend({ reason: Reason }).strict()).returns<BatchDetail>(),
  errorWorkbook: method(BatchId).returns<DownloadFile>(),
  productionList: method(BatchId.extend({ format: z.enum(['xlsx', 'pdf']) }).strict()).returns<DownloadFile>(),
}
