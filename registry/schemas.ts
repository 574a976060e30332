import { z } from 'zod'
import { RegistryError } from './errors'

/** Zod schemas of registry/openapi.yaml's bodies, and the admin API's. */

export const NUMBER_PATTERN = /^[A-Z0-9]{4,32}$/
export const SHA256_PATTERN = /^[a-f0-9]{64}$/
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/
const VERIFICATION_CODE_PATTERN = /^[A-Z2-7]{8}$/
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/

const dateTime = z.iso.datetime({ offset: true })
const sha256 = z.string().regex(SHA256_PATTERN)
const ORGANISATION_CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/
const organisationCode = z.string().regex(ORGANISATION_CODE_PATTERN)

export const CertificateVersionSchema = z.object({
  number: z.string().regex(NUMBER_PATTERN),
  version: z.number().int().min(1),
  family: z.enum(['title', 'vocational']),
  level: z.string().max(64).nullable().optional(),
  organisationCode,
  issuedAt: dateTime,
  // The field snapshot is stored as sent; the status page needs the holder's name from it.
  fields: z.looseObject({ name: z.string().min(1).max(200) }),
  verificationCode: z.string().regex(VERIFICATION_CODE_PATTERN),
  pdfSha256: sha256,
})
export type CertificateVersion = z.infer<typeof CertificateVersionSchema>

export const RevocationSchema = z.object({
  number: z.string().regex(NUMBER_PATTERN),
  version: z.number().int().min(1),
  reason: z.enum(['report', 'violation', 'other']),
  reasonText: z.string().max(2000).optional(),
  documentNumber: z.string().min(1).max(128),
  documentDate: z.iso.date(),
  documentSha256: sha256.nullable().optional(),
  revokedAt: dateTime,
})
export type Revocation = z.infer<typeof RevocationSchema>

export const AuditCheckpointSchema = z.object({
  length: z.number().int().min(0),
  headHash: sha256,
  at: dateTime,
})
export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>

export const DecisionSchema = z.object({
  applicationId: z.string().min(1).max(128),
  decision: z.enum(['approved', 'returned']),
  reason: z.string().max(2000).nullable().optional(),
  firstNumber: z.string().max(32).nullable().optional(),
  lastNumber: z.string().max(32).nullable().optional(),
  decidedAt: dateTime,
})
export type Decision = z.infer<typeof DecisionSchema>

export const OPERATION_SCHEMAS = {
  'certificate.version': CertificateVersionSchema,
  'certificate.revocation': RevocationSchema,
  'audit.checkpoint': AuditCheckpointSchema,
  'application.decision': DecisionSchema,
} as const
export type OperationType = keyof typeof OPERATION_SCHEMAS
export const OPERATION_TYPES = Object.keys(OPERATION_SCHEMAS) as OperationType[]

/** The envelope of POST /v1/operations; each operation is checked on its own (never all-or-nothing). */
export const OperationBatchSchema = z.object({ operations: z.array(z.unknown()).max(500) })

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, '不是有效的 base64')

export const AdminClientSchema = z.object({
  clientId: z.string().regex(CLIENT_ID_PATTERN),
  organisationCode: z.union([z.literal('*'), organisationCode]),
  publicKeyPem: z.string().min(1).max(4096),
  active: z.boolean().optional(),
})

export const AdminFaultsSchema = z.object({
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  loseResponseRate: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
})

export const AdminApplicationSchema = z.object({
  id: z.string().min(1).max(128),
  organisationCode,
  family: z.enum(['title', 'vocational']),
  workbook: base64.min(1),
  workbookName: z.string().min(1).max(255),
  photosZip: base64.nullable().optional(),
  notice: base64.nullable().optional(),
  submittedAt: dateTime.optional(),
})

// Chinese messages per parse, not through z.config: that would change them for the whole process
// (the registry also runs inside `certdesk demo`).
const chineseMessages = { error: z.locales.zhCN().localeError }

/** A zod failure as one Chinese sentence naming the first problem's place. */
function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0]
  const place = issue.path.length > 0 ? issue.path.join('.') : '请求内容'
  return `请求内容不符合协议：${place}（${issue.message}）`
}

/** Parses `value` or refuses it as `invalid` (422), naming the first problem. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown, code: 'invalid' | 'bad_request' = 'invalid'): T {
  const parsed = schema.safeParse(value, chineseMessages)
  if (!parsed.success) throw new RegistryError(code, describeIssues(parsed.error))
  return parsed.data
}
