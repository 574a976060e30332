import { z } from 'zod'
import type { DownloadFile } from './applications'
import type { CertificateStatus } from './certificates'
import { method } from './method'
import { FAMILIES, type Family } from './roles'
import { UploadIdSchema } from './uploads'
import type { RegistryStatus } from './verification'

/**
 * Legacy records and the documents of clause 9: historical (paper, 2010 onward) title and exam
 * records imported into the register, and the two documents issued from them — the
 * 职称评审结果查询单 (attachment 3) for a title, re-checked (复核) by the institute for senior
 * titles before it can be printed, and the 考试合格成绩单 (attachment 4) for an exam.
 */

export const SLIP_KINDS = ['query_slip', 'pass_certificate'] as const
export type SlipKind = (typeof SLIP_KINDS)[number]
export const SLIP_KIND_LABELS: Record<SlipKind, string> = {
  query_slip: '职称评审结果查询单',
  pass_certificate: '考试合格成绩单',
}
/** A title record gets a query slip, an exam record a pass certificate. */
export const SLIP_KIND_OF: Record<Family, SlipKind> = { title: 'query_slip', vocational: 'pass_certificate' }
/** CX (查询) or CJ (成绩) + the four-digit year of issue + a six-digit serial of that kind and year. */
export const SLIP_NUMBER_PREFIX: Record<SlipKind, string> = { query_slip: 'CX', pass_certificate: 'CJ' }

/**
 * issued: may be printed (no re-check needed, or confirmed); pending_recheck: a senior title's slip
 * waiting for the institute; refused: the re-check refused it (its number stays used);
 * record_revoked: the record it was issued from has been revoked since.
 */
export const SLIP_STATES = ['issued', 'pending_recheck', 'refused', 'record_revoked'] as const
export type SlipState = (typeof SLIP_STATES)[number]
export const SLIP_STATE_LABELS: Record<SlipState, string> = {
  issued: '已开具',
  pending_recheck: '待考试院复核',
  refused: '复核未通过',
  record_revoked: '记录已注销',
}

export const SLIP_QUEUES = ['recheck', 'all'] as const
export type SlipQueue = (typeof SLIP_QUEUES)[number]

/** What the signed-in user may do on the 历史记录与查询单 page (core decides, the page only shows). */
export interface LegacyDesk {
  /** Import historical records: the institute's clerks (data collection, clause 2). */
  canImport: boolean
  /** Re-check senior query slips: the institute's clerks. */
  canRecheck: boolean
  /** Slips waiting for a re-check, for those who can re-check. */
  pendingRechecks: number
}

/** An organisation whose historical records may be imported: a review body (titles) or an exam institution. */
export interface LegacyOrganisation {
  id: number
  name: string
  active: boolean
}

export interface LegacyRecord {
  /** The certificate's id in the register. */
  id: number
  /** The paper certificate's number (证书编号 / 管理号), as stored. */
  number: string
  family: Family
  level: string | null
  status: CertificateStatus
  holderName: string
  /** The 证件号码 with its middle hidden: a list never shows whole ID numbers. */
  idNumberMasked: string
  organisationId: number
  organisationName: string
  /** 职称名称 or 资格名称. */
  qualification: string
  /** 取得职称时间 (YYYY-MM-DD), or the exam year (YYYY). */
  obtained: string
  slipCount: number
}

export interface SlipRecheck {
  decision: 'confirmed' | 'refused'
  reason: string | null
  byName: string
  at: string
}

export interface SlipSummary {
  id: number
  number: string
  kind: SlipKind
  state: SlipState
  certificateId: number
  certificateNumber: string
  holderName: string
  level: string | null
  organisationName: string
  /** Why the holder asked for it (clause 9: “经说明理由”). */
  reason: string | null
  issuedByName: string
  issuedAt: string
  /** Senior titles only: the slip goes to the institute for 复核. */
  needsRecheck: boolean
  recheck: SlipRecheck | null
  /** The final file may be opened, saved and printed. */
  printable: boolean
  /** The signed-in user may re-check it now (an institute clerk who did not issue it). */
  canRecheck: boolean
}

export interface LegacyRecordDetail extends LegacyRecord {
  /** The stored field snapshot (TitleCertificateFields / VocationalCertificateFields, plus examYear). */
  fields: Record<string, string>
  fileName: string | null
  rowNumber: number | null
  importedAt: string | null
  importedByName: string | null
  slips: SlipSummary[]
  /** Why the user cannot issue a document for this record now, or null when they can. */
  issueBlocker: string | null
}

export type LegacyImportResult =
  | { accepted: true; importId: number; imported: number; warnings: string[] }
  | {
      accepted: false
      rowCount: number
      errorCount: number
      /** The first messages, each naming its row and column; the error workbook has them all. */
      messages: string[]
      errorWorkbook: DownloadFile
    }

export interface SlipDocument {
  fileName: string
  pdfBase64: string
  /** The issued file (open, save, print); false: a watermarked preview (not yet re-checked, refused, revoked). */
  final: boolean
}

/** What an issued slip's number leads to: enough to compare with the paper, never the whole ID number. */
export interface SlipLookup {
  number: string
  kind: SlipKind
  state: SlipState
  registryStatus: RegistryStatus
  issuedOn: string
  issuerName: string
  certificateNumber: string
  holderName: string
  idNumberMasked: string
  /** SHA-256 of the issued file: `certdesk verify` / 证书验证 recognises exactly this file. */
  pdfHash: string | null
}

const FamilySchema = z.enum(FAMILIES)
const Id = z.number().int().positive()
const Reason = z.string().trim().min(2, '请填写理由（至少 2 个字）').max(300, '理由不能超过 300 字')

export const SlipNumberSchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(/^(CX|CJ)\d{10}$/, '查询单编号应为 CX 或 CJ 加 10 位数字，如 CX2026000001'))

export const legacy = {
  desk: method(z.object({}).strict()).returns<LegacyDesk>(),
  /** The import template of a kind, with its 填表说明 sheet. */
  template: method(z.object({ family: FamilySchema }).strict()).returns<DownloadFile>(),
  organisations: method(z.object({ family: FamilySchema }).strict()).returns<LegacyOrganisation[]>(),
  /** A workbook sent through uploads.* (purpose 'workbook'): stored whole, or refused whole with an error workbook. */
  import: method(z.object({ family: FamilySchema, organisationId: Id, workbook: UploadIdSchema }).strict()).returns<LegacyImportResult>(),
  list: method(
    z
      .object({
        family: FamilySchema.optional(),
        /** A number, a name, or a whole ID number. */
        search: z.string().trim().max(64).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
  ).returns<LegacyRecord[]>(),
  record: method(z.object({ id: Id }).strict()).returns<LegacyRecordDetail>(),
  issueSlip: method(z.object({ certificateId: Id, reason: Reason }).strict()).returns<SlipSummary>(),
  slips: method(
    z.object({ queue: z.enum(SLIP_QUEUES).default('all'), limit: z.number().int().min(1).max(500).default(100) }).strict(),
  ).returns<SlipSummary[]>(),
  recheck: method(
    z.discriminatedUnion('decision', [
      z.object({ slipId: Id, decision: z.literal('confirm') }).strict(),
      z.object({ slipId: Id, decision: z.literal('refuse'), reason: Reason }).strict(),
    ]),
  ).returns<SlipSummary>(),
  slipDocument: method(z.object({ slipId: Id }).strict()).returns<SlipDocument>(),
  lookupSlip: method(z.object({ number: SlipNumberSchema }).strict()).returns<SlipLookup>(),
}
