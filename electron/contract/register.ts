import { z } from 'zod'
import type { CertificateFields, CertificateStatus, CertificateSummary } from './certificates'
import type { IntegrityRecord } from './integrity'
import { FAMILIES } from './roles'

/**
 * The certificate register (证书登记簿): find any certificate by number, by ID number and name,
 * or by organisation, family, level and period; see every version, its seals, its revocation,
 * its corrections, its integrity records and its history from the audit log.
 */

export const CERTIFICATE_STATUSES = ['pending', 'active', 'superseded', 'revoked'] as const satisfies readonly CertificateStatus[]

const FULL_WIDTH = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF08\uFF09]/g
const SPACES = /[\s\u200B-\u200D\u2060]/g

/**
 * Folds what people type or paste into a number or ID number: full-width digits, letters and
 * brackets to ASCII, spaces (also the ideographic one) removed, letters upper-cased.
 */
export function foldIdentifier(raw: string): string {
  return raw
    .replace(FULL_WIDTH, (character) => String.fromCharCode(character.charCodeAt(0) - 0xfee0))
    .replace(SPACES, '')
    .toUpperCase()
}

/** A certificate number as typed into the register: case and full-width forms do not matter. */
export const NumberQuerySchema = z
  .string()
  .max(64)
  .transform(foldIdentifier)
  .pipe(z.string().regex(/^[A-Z0-9]{4,32}$/, '证书编号应为 4–32 位字母和数字'))

/** An ID number of any 证件类型 (resident ID, passport, Hong Kong/Macau/Taiwan permits). */
export const IdNumberQuerySchema = z
  .string()
  .max(64)
  .transform(foldIdentifier)
  .pipe(z.string().regex(/^[0-9A-Z()-]{4,32}$/, '证件号码应为 4–32 位字母、数字或括号'))

export const HolderNameSchema = z.string().trim().min(1, '请填写姓名').max(64, '姓名不能超过 64 个字符')

/** A calendar day, YYYY-MM-DD, that exists. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`)
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
  }, '日期不存在')

export const RegisterSearchSchema = z
  .object({
    number: NumberQuerySchema.optional(),
    idNumber: IdNumberQuerySchema.optional(),
    name: HolderNameSchema.optional(),
    organisationId: z.number().int().positive().optional(),
    family: z.enum(FAMILIES).optional(),
    level: z.string().trim().min(1).max(16).optional(),
    /** Issue dates, inclusive, as days in Shanghai (UTC+8). */
    issuedFrom: IsoDateSchema.optional(),
    issuedTo: IsoDateSchema.optional(),
    status: z.enum(CERTIFICATE_STATUSES).optional(),
    legacy: z.boolean().optional(),
    /** The `nextCursor` of the page before: results continue after it. */
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,15}$/, '分页位置无效')
      .optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict()
  .refine((value) => !value.issuedFrom || !value.issuedTo || value.issuedFrom <= value.issuedTo, {
    message: '发证日期的起始日不能晚于截止日',
    path: ['issuedTo'],
  })
export type RegisterSearch = z.output<typeof RegisterSearchSchema>

/** One row of the register's results. */
export interface RegisterEntry extends CertificateSummary {
  /** Shown to the desks (never written to a log). */
  holderIdNumber: string
  legacy: boolean
  /** Integrity records (诚信档案) about this certificate or its holder. */
  integrityRecords: number
}

/** A page of results, newest first; no total is counted (a million rows would have to be read). */
export interface RegisterPage {
  items: RegisterEntry[]
  hasMore: boolean
  nextCursor: string | null
}

/** One signature on a version (version_seals), with the seal's name. */
export interface VersionSealInfo {
  slot: string
  sealId: number
  sealName: string
  sealOrganisationName: string
  signedAt: string
  signedByName: string | null
}

export interface VersionInfo {
  version: number
  /** pending (waiting for its seals), active, superseded (by a later version) or revoked. */
  status: string
  fields: CertificateFields
  createdAt: string
  issuedAt: string | null
  supersededAt: string | null
  sealed: boolean
  /** SHA-256 of the issued file, what the verifier and the registry know it by. */
  pdfSha256: string | null
  /** The correction row that made this version, if a correction did. */
  correctionRowId: number | null
  seals: VersionSealInfo[]
}

/** A revocation (注销) recorded against the certificate, in whatever state it is. */
export interface RevocationInfo {
  id: number
  state: string
  documentNumber: string
  documentDate: string
  reasonKind: string
  reasonText: string | null
  createdAt: string
  approvedAt: string | null
  executedAt: string | null
}

/** A row of a correction table (勘误汇总表) that named this certificate. */
export interface CorrectionInfo {
  requestId: number
  requestState: string
  seq: number
  field: string
  oldValue: string
  newValue: string
  reason: string
  decision: string | null
  submittedAt: string
  appliedAt: string | null
}

export interface CertificateRecord {
  id: number
  number: string
  family: CertificateSummary['family']
  level: string | null
  status: CertificateStatus
  holderName: string
  holderIdNumber: string
  organisationId: number
  organisationName: string
  organisationCode: string | null
  legacy: boolean
  currentVersion: number
  batchId: number | null
  issuedAt: string | null
  createdAt: string
}

export interface CertificateDetail {
  certificate: CertificateRecord
  /** Every version, newest first. */
  versions: VersionInfo[]
  revocations: RevocationInfo[]
  corrections: CorrectionInfo[]
  /** About this certificate, or about its holder (by ID number). */
  integrity: IntegrityRecord[]
}

/** Which object an entry of the history is about: the certificate itself or what acted on it. */
export const HISTORY_SOURCES = ['certificate', 'batch', 'correction', 'revocation', 'integrity', 'legacy', 'slip'] as const
export type HistorySource = (typeof HISTORY_SOURCES)[number]

/** An audit entry about the certificate (hashes left out: the audit page checks the chain). */
export interface HistoryEntry {
  id: number
  at: string
  actorName: string
  action: string
  objectType: string
  objectId: string | null
  details: Record<string, unknown>
  source: HistorySource
}

export interface HistoryPage {
  entries: HistoryEntry[]
  hasMore: boolean
  /** The `beforeId` of the next page (entries of the page may have been left out as not about this certificate). */
  nextBeforeId: number | null
}

export const RegisterNumberSchema = z.object({ number: NumberQuerySchema }).strict()

export const RegisterHistorySchema = z
  .object({
    number: NumberQuerySchema,
    /** Older entries than this one (the last entry of the page before). */
    beforeId: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .strict()
