import { z } from 'zod'
import { method } from './method'
import {
  RegisterHistorySchema,
  RegisterNumberSchema,
  RegisterSearchSchema,
  type CertificateDetail,
  type HistoryPage,
  type RegisterPage,
} from './register'
import type { Family } from './roles'

/** Levels of a title certificate (上海市{正高级|高级|中级|初级}职称证书). */
export const TITLE_LEVELS = ['senior_full', 'senior', 'intermediate', 'primary'] as const
export type TitleLevel = (typeof TITLE_LEVELS)[number]
export const TITLE_LEVEL_LABELS: Record<TitleLevel, string> = {
  senior_full: '正高级',
  senior: '高级',
  intermediate: '中级',
  primary: '初级',
}

/**
 * The field snapshot of a title certificate version (attachment 1), as stored in
 * certificate_versions.fields. Dates are ISO (YYYY-MM-DD, birth month YYYY-MM).
 */
export interface TitleCertificateFields {
  name: string
  gender: '男' | '女'
  birthMonth: string
  idType: string
  idNumber: string
  employer: string
  level: TitleLevel
  titleName: string
  specialty: string
  reviewBody: string
  obtainedOn: string
}

/** The field snapshot of a vocational qualification certificate version (attachment 2). */
export interface VocationalCertificateFields {
  name: string
  gender: '男' | '女'
  birthMonth: string
  idType: string
  idNumber: string
  qualificationName: string
  /** 职业 or 执业: the certificate's title reads “（资格名称）职业资格证书” or “…执业资格证书”. */
  qualificationKind: '职业' | '执业'
  category: string
  level: string
  approvedOn: string
}

export type CertificateFields = TitleCertificateFields | VocationalCertificateFields

/** pending: numbered on final approval of its batch, not yet sealed and issued. */
export type CertificateStatus = 'pending' | 'active' | 'superseded' | 'revoked'

export interface CertificateSummary {
  id: number
  number: string
  family: Family
  level: string | null
  status: CertificateStatus
  holderName: string
  organisationName: string
  version: number
  issuedAt: string | null
  sealed: boolean
}

/**
 * Which document of a certificate: the certificate itself, or its slip — the 职称评审结果查询单
 * (attachment 3) for a title, the 考试合格成绩单 (attachment 4) for a vocational certificate.
 */
export const DOCUMENT_KINDS = ['certificate', 'slip'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]

export interface DocumentPreview {
  fileName: string
  /** The PDF, base64: the signed file when the version is sealed, else a fresh unsealed rendering. */
  pdfBase64: string
  sealed: boolean
}

export const certificates = {
  list: method(
    z
      .object({
        search: z.string().trim().max(64).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
  ).returns<CertificateSummary[]>(),
  preview: method(
    z
      .object({
        number: z.string().regex(/^[A-Z0-9]{4,32}$/, '证书编号只能由大写字母和数字组成'),
        version: z.number().int().positive().optional(),
        document: z.enum(DOCUMENT_KINDS).default('certificate'),
      })
      .strict(),
  ).returns<DocumentPreview>(),
  /** The register: by number, by ID number (and name), or by organisation, family, level, period and status; paged. */
  search: method(RegisterSearchSchema).returns<RegisterPage>(),
  /** A certificate with every version and its seals, its revocations, corrections and integrity records. */
  detail: method(RegisterNumberSchema).returns<CertificateDetail>(),
  /** The certificate's history from the audit log, newest first. */
  history: method(RegisterHistorySchema).returns<HistoryPage>(),
}
