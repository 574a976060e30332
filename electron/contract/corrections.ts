import { z } from 'zod'
import type { DownloadFile } from './applications'
import { columnsOf } from './application-format'
import { method } from './method'
import type { Family } from './roles'
import { UploadIdSchema } from './uploads'

/**
 * Corrections (勘误, clause 7): the correction summary table (《证书信息勘误汇总表》) a supervising
 * department submits with its explanation (情况说明) and proofs; the bureau approves or returns it,
 * whole or row by row; a clerk of the institute applies it as a new version of each certificate.
 *
 * States: submitted → approved (at least one row approved) | returned (every row returned);
 * approved → applied. These are the dashboard's WORKFLOW_STATES.corrections.
 */
export const CORRECTION_STATES = ['submitted', 'returned', 'approved', 'applied'] as const
export type CorrectionState = (typeof CORRECTION_STATES)[number]
export const CORRECTION_STATE_LABELS: Record<CorrectionState, string> = {
  submitted: '待市人社局审核',
  returned: '已退回',
  approved: '待考试院更正',
  applied: '已更正',
}

export const CORRECTION_QUEUES = ['to_review', 'to_apply', 'open', 'returned', 'applied', 'submitted_by_me', 'all'] as const
export type CorrectionQueue = (typeof CORRECTION_QUEUES)[number]
export const CORRECTION_QUEUE_LABELS: Record<CorrectionQueue, string> = {
  to_review: '待我审核',
  to_apply: '待我更正',
  open: '办理中',
  returned: '已退回',
  applied: '已更正',
  submitted_by_me: '我提交的',
  all: '全部',
}

export type CorrectionColumnKey = 'seq' | 'number' | 'name' | 'idNumber' | 'item' | 'oldValue' | 'newValue' | 'reason' | 'proofs'

/** One column of the correction summary table, in template order. */
export interface CorrectionColumn {
  key: CorrectionColumnKey
  header: string
  required: boolean
  maxLength: number
  /** One line of the 填表说明 sheet. */
  note: string
  width: number
}

export const PHOTO_FIELD = 'photo'
export const PHOTO_LABEL = '照片'
export const NUMBER_LABEL = '证书编号'
/** 更换照片 needs a special reason (clause 7): at least this many characters of 勘误原因. */
export const PHOTO_REASON_MIN = 10
/** A table holds at most this many rows; corrections are exceptions, not batches. */
export const MAX_CORRECTION_ROWS = 20_000

export const CORRECTION_TABLE_COLUMNS: CorrectionColumn[] = [
  { key: 'seq', header: '序号', required: false, maxLength: 10, note: '1、2、3…，仅供核对，可留空', width: 6 },
  { key: 'number', header: '证书编号', required: true, maxLength: 32, note: '要勘误的电子证书的编号（证书编号本身不能勘误）', width: 18 },
  { key: 'name', header: '姓名', required: true, maxLength: 50, note: '持证人现证书上的姓名，用于核对', width: 12 },
  {
    key: 'idNumber',
    header: '证件号码',
    required: true,
    maxLength: 32,
    note: '持证人现证书上的证件号码，用于核对；本列为文本格式，请勿改为数字',
    width: 22,
  },
  { key: 'item', header: '勘误项目', required: true, maxLength: 16, note: '要更正的证书项目（下拉选择），每行只写一项', width: 14 },
  {
    key: 'oldValue',
    header: '原内容',
    required: false,
    maxLength: 200,
    note: '证书上现有的内容，须与证书一致；勘误照片时可留空',
    width: 24,
  },
  {
    key: 'newValue',
    header: '更正内容',
    required: false,
    maxLength: 200,
    note: '更正后的内容，按制证申请模板的要求填写；勘误照片时可留空',
    width: 24,
  },
  {
    key: 'reason',
    header: '勘误原因',
    required: true,
    maxLength: 500,
    note: `为何需要更正；更换照片须写明特殊原因（至少 ${PHOTO_REASON_MIN} 个字），并经市人社局同意`,
    width: 30,
  },
  {
    key: 'proofs',
    header: '证明材料',
    required: false,
    maxLength: 500,
    note: '证明材料的文件名，多个用顿号分隔，文件与本表一同上传；更换照片时须列出新照片的文件名（.jpg 或 .png）',
    width: 30,
  },
]

/** A certificate field the table may correct, by its key in the version's field snapshot. */
export interface CorrectableField {
  key: string
  label: string
}

/**
 * What a table may correct on a certificate of `family`: the fields of the unified format but the
 * level (it decides the certificate's design and seals: a wrong level is a new certificate, not a
 * correction) and the photo file name, plus the photo itself. The number is never corrected.
 */
export function correctableFields(family: Family): CorrectableField[] {
  const fields = columnsOf(family)
    .filter((column) => column.key !== 'level' && column.kind !== 'photoName')
    .map((column) => ({ key: column.key, label: column.header }))
  return [...fields, { key: PHOTO_FIELD, label: PHOTO_LABEL }]
}

/** The label of a field key, for either family. */
export function fieldLabel(family: Family, key: string): string {
  return correctableFields(family).find((field) => field.key === key)?.label ?? key
}

export interface CorrectionSummary {
  id: number
  organisationId: number
  organisationName: string
  state: CorrectionState
  fileName: string | null
  rowCount: number
  certificateCount: number
  approvedRows: number
  returnedRows: number
  hasExplanation: boolean
  submittedByName: string | null
  submittedAt: string
  decidedByName: string | null
  decidedAt: string | null
  appliedByName: string | null
  appliedAt: string | null
}

export type RowDecision = 'approved' | 'returned'

export interface CorrectionRowView {
  id: number
  /** The row's number in the submitted table (Excel's). */
  rowNumber: number
  certificateNumber: string
  family: Family
  holderName: string
  field: string
  fieldLabel: string
  /** Values as stored in the certificate's snapshot; for 照片 the photo's hash (see `photo`). */
  oldValue: string
  newValue: string
  reason: string
  proofs: string[]
  decision: RowDecision | null
  decisionReason: string | null
  photoConsent: boolean
  /** The version this row's correction made, once applied. */
  newVersion: number | null
}

export interface CorrectionDocument {
  kind: 'table' | 'explanation' | 'proof'
  fileName: string
}

export interface CorrectionDetail extends CorrectionSummary {
  decisionReason: string | null
  rows: CorrectionRowView[]
  documents: CorrectionDocument[]
  canDecide: boolean
  /** Why the user may not decide now, in Chinese; null when they may (or when nothing is open). */
  decideRefusal: string | null
  canApply: boolean
  applyRefusal: string | null
}

/** A refused table: nothing was stored; the messages (the first 200) and the error workbook say why. */
export interface CorrectionRefusal {
  accepted: false
  rowCount: number
  errorCount: number
  messages: string[]
  errorWorkbook: DownloadFile
}

export type CorrectionImportResult = { accepted: true; request: CorrectionSummary } | CorrectionRefusal

const Id = z.number().int().positive()
const Reason = z.string().trim().min(2, '请填写原因（至少 2 个字）').max(500, '原因不能超过 500 字')

const RowDecisionSchema = z
  .object({
    rowId: Id,
    decision: z.enum(['approved', 'returned']),
    reason: Reason.optional(),
    photoConsent: z.boolean().default(false),
  })
  .strict()
  .refine((row) => row.decision === 'approved' || row.reason !== undefined, { message: '退回的行须写明原因', path: ['reason'] })

export const corrections = {
  template: method(z.object({}).strict()).returns<DownloadFile>(),
  import: method(
    z
      .object({
        table: UploadIdSchema,
        explanation: UploadIdSchema.nullable().default(null),
        proofs: UploadIdSchema.nullable().default(null),
      })
      .strict(),
  ).returns<CorrectionImportResult>(),
  queues: method(z.object({}).strict()).returns<Array<{ queue: CorrectionQueue; count: number }>>(),
  list: method(z.object({ queue: z.enum(CORRECTION_QUEUES), limit: z.number().int().min(1).max(500).default(200) }).strict()).returns<
    CorrectionSummary[]
  >(),
  get: method(z.object({ id: Id }).strict()).returns<CorrectionDetail>(),
  photo: method(z.object({ rowId: Id, which: z.enum(['old', 'new']) }).strict()).returns<{ mediaType: string; base64: string } | null>(),
  document: method(
    z.object({ requestId: Id, kind: z.enum(['table', 'explanation', 'proof']), fileName: z.string().min(1).max(200).optional() }).strict(),
  ).returns<DownloadFile>(),
  /** The bureau's decision on every row at once (approve all, return all, or row by row). */
  decide: method(
    z.object({ requestId: Id, rows: z.array(RowDecisionSchema).min(1).max(MAX_CORRECTION_ROWS), reason: Reason.optional() }).strict(),
  ).returns<CorrectionDetail>(),
  apply: method(z.object({ requestId: Id }).strict()).returns<CorrectionDetail>(),
}
