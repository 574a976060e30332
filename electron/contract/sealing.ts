import { z } from 'zod'
import { method } from './method'
import type { Family } from './roles'

/**
 * The seal-key holder's desk (clause 3): PKCS#11 modules and tokens, and batch signing jobs.
 * The PIN crosses this boundary once per batch (start, or resume after the key was pulled out)
 * and is never returned, stored or logged.
 */

/** Where a seal sits on a certificate: one seal on a title, the bureau's and the department's on a vocational one. */
export const SEAL_SLOTS = ['single', 'bureau', 'department'] as const
export type SealSlot = (typeof SEAL_SLOTS)[number]
export const SEAL_SLOT_LABELS: Record<SealSlot, string> = { single: '印章', bureau: '市人社局印章', department: '行业主管部门印章' }

/** The token's PIN state as the token reports it (CKF_USER_PIN_*). */
export interface PinFlags {
  loginRequired: boolean
  countLow: boolean
  finalTry: boolean
  locked: boolean
  toBeChanged: boolean
}

export interface TokenInfo {
  label: string
  manufacturer: string
  model: string
  serial: string
  flags: PinFlags
}

export interface TokenSlotInfo {
  slotId: string
  description: string
  /** Null when no token is inserted, or the slot holds an uninitialised token. */
  token: TokenInfo | null
}

export interface ModuleSuggestion {
  path: string
  vendor: string
  present: boolean
}

/** A signing certificate as read from a certificate or a token, with why it may not seal. */
export interface CertificateInfo {
  fingerprint: string
  subject: string
  issuer: string
  serialNumber: string
  notBefore: string
  notAfter: string
  /** e.g. "RSA 2048", "ECDSA P-256". */
  keyType: string
  /** Chinese reasons it cannot seal (expired, not yet valid, no signing key usage…); empty when usable. */
  problems: string[]
}

export interface TokenCertificateInfo extends CertificateInfo {
  /** CKA_ID (hex) and CKA_LABEL of the certificate object. */
  id: string
  label: string
  /** The DER, base64: what seals.register takes. */
  derBase64: string
  /** The seal already registered with this certificate, if any. */
  registeredSealId: number | null
}

export const JOB_STATES = ['ready', 'running', 'paused', 'waiting_token', 'waiting_pin', 'cancelled', 'completed'] as const
export type JobState = (typeof JOB_STATES)[number]
export const JOB_STATE_LABELS: Record<JobState, string> = {
  ready: '待开始',
  running: '签章中',
  paused: '已暂停',
  waiting_token: '等待插入密钥',
  waiting_pin: '等待输入 PIN',
  cancelled: '已取消',
  completed: '已完成',
}

export interface SigningJobInfo {
  id: number
  batchId: number
  batchLabel: string
  sealId: number
  sealName: string
  state: JobState
  total: number
  done: number
  failed: number
  /** Certificates per second over the last seconds of signing; null when not running. */
  rate: number | null
  /** Seconds left at that rate; null when unknown. */
  etaSeconds: number | null
  pausedReason: string | null
  lastError: string | null
  /** The PIN is needed to go on: after the key was re-inserted, or after the app was restarted. */
  needsPin: boolean
  timestamp: boolean
  tokenLabel: string | null
  createdByName: string
  createdAt: string
  finishedAt: string | null
}

/** An approved batch with certificates still missing a seal the user can apply. */
export interface SealableBatch {
  batchId: number
  batchLabel: string
  organisationName: string
  family: Family
  level: string | null
  /** Certificates of the batch still missing this seal. */
  remaining: number
  total: number
  sealId: number
  sealName: string
  /** An unfinished job of this batch and seal, if any. */
  openJobId: number | null
}

export interface JobItemInfo {
  number: string
  holderName: string
  state: string
  error: string | null
}

const Id = z.number().int().positive()
const Pin = z.string().min(4, 'PIN 码至少 4 位').max(64, 'PIN 码过长')
const ModulePath = z
  .string()
  .trim()
  .min(3)
  .max(500)
  .refine((path) => /\.(so|dll|dylib)(\.\d+)*$/i.test(path), 'PKCS#11 模块应为 .so、.dll 或 .dylib 文件')
const TokenChoice = z
  .object({ serial: z.string().max(64).optional(), label: z.string().max(64).optional() })
  .strict()
  .refine((token) => Boolean(token.serial || token.label), '请选择印章密钥')

export const sealing = {
  modules: method(z.object({}).strict()).returns<{ configured: string[]; suggestions: ModuleSuggestion[] }>(),
  setModules: method(z.object({ paths: z.array(ModulePath).max(10) }).strict()).returns<string[]>(),
  slots: method(z.object({ modulePath: ModulePath }).strict()).returns<TokenSlotInfo[]>(),
  tokenCertificates: method(z.object({ modulePath: ModulePath, token: TokenChoice }).strict()).returns<TokenCertificateInfo[]>(),
  batches: method(z.object({}).strict()).returns<SealableBatch[]>(),
  jobs: method(z.object({ batchId: Id.optional(), limit: z.number().int().min(1).max(200).default(50) }).strict()).returns<
    SigningJobInfo[]
  >(),
  job: method(z.object({ jobId: Id }).strict()).returns<SigningJobInfo>(),
  jobItems: method(
    z
      .object({
        jobId: Id,
        state: z.enum(['failed', 'pending', 'done']).default('failed'),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
  ).returns<JobItemInfo[]>(),
  createJob: method(z.object({ batchId: Id, sealId: Id }).strict()).returns<SigningJobInfo>(),
  start: method(
    z
      .object({
        jobId: Id,
        modulePath: ModulePath,
        token: TokenChoice,
        pin: Pin,
        confirmFinalTry: z.boolean().default(false),
        timestamp: z.boolean().default(false),
      })
      .strict(),
  ).returns<SigningJobInfo>(),
  pause: method(z.object({ jobId: Id }).strict()).returns<SigningJobInfo>(),
  /** The PIN only when the job says needsPin. */
  resume: method(
    z.object({ jobId: Id, pin: Pin.optional(), confirmFinalTry: z.boolean().default(false) }).strict(),
  ).returns<SigningJobInfo>(),
  cancel: method(z.object({ jobId: Id }).strict()).returns<SigningJobInfo>(),
}
