import { z } from 'zod'
import type { BatchSource, BatchState, DownloadFile } from './applications'
import { method } from './method'
import { IsoDaySchema } from './revocations'
import type { Family } from './roles'
import { UploadIdSchema } from './uploads'

/**
 * Filing (备案, clauses 4–5): for every approved batch the institute's clerk records the signed,
 * stamped paper production list and the formal result notice received from the applying
 * organisation — the day received, the scans (kept by hash), the count on paper against the
 * electronic batch and any discrepancy. One filing per batch, never edited: what was received
 * is a fact, and a mistaken filing is answered by the audit log, not by overwriting it.
 *
 * An offline review (clause 4's exception) is recorded at filing: the batch the clerk entered
 * on the review body's behalf, with the reference and the document of the bureau's consent.
 */
export const FILING_DOCUMENTS = ['list', 'notice', 'consent'] as const
export type FilingDocument = (typeof FILING_DOCUMENTS)[number]
export const FILING_DOCUMENT_LABELS: Record<FilingDocument, string> = {
  list: '纸质制证名单',
  notice: '结果通知',
  consent: '市人社局同意线下评审的文件',
}

/** An approved (or issued) batch with no filing yet. */
export interface UnfiledBatch {
  batchId: number
  organisationName: string
  organisationCode: string | null
  family: Family
  level: string | null
  state: BatchState
  source: BatchSource
  /** When the batch was finally approved. */
  decidedAt: string | null
  /** Whole days since then. */
  ageDays: number
  /** Unfiled for more than the days of the setting filing.reminderDays. */
  overdue: boolean
  /** The certificates numbered in the batch: what the paper list should count. */
  electronicCount: number
  /** Entered by the institute itself (a title batch not from the online platform): may be an offline review. */
  offlineEligible: boolean
}

export interface FilingSummary {
  id: number
  batchId: number
  organisationName: string
  family: Family
  receivedOn: string
  paperCount: number
  electronicCount: number
  discrepancy: string | null
  offline: boolean
  consentReference: string | null
  documents: FilingDocument[]
  recordedByName: string
  recordedAt: string
}

export const filings = {
  unfiled: method(
    z
      .object({
        overdueOnly: z.boolean().default(false),
        limit: z.number().int().min(1).max(500).default(200),
      })
      .strict(),
  ).returns<{ reminderDays: number; items: UnfiledBatch[] }>(),
  list: method(
    z
      .object({
        batchId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
  ).returns<FilingSummary[]>(),
  record: method(
    z
      .object({
        batchId: z.number().int().positive(),
        receivedOn: IsoDaySchema,
        paperCount: z.number().int().min(0).max(1_000_000),
        discrepancy: z.string().trim().max(2000, '差异说明不能超过 2000 字').optional(),
        /** The scanned paper production list (PDF, upload purpose 'notice'). */
        listScan: UploadIdSchema,
        /** The scanned formal notice, when it is not in the same scan as the list. */
        noticeScan: UploadIdSchema.optional(),
        offline: z.boolean().default(false),
        consentReference: z.string().trim().max(100, '同意文件的文号不能超过 100 字').optional(),
        consentDocument: UploadIdSchema.optional(),
      })
      .strict(),
  ).returns<FilingSummary>(),
  document: method(z.object({ filingId: z.number().int().positive(), kind: z.enum(FILING_DOCUMENTS) }).strict()).returns<DownloadFile>(),
}
