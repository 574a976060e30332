import type { Knex } from 'knex'
import type { CertificateInfo } from '../../contract/sealing'
import type { SealInfo, SealScope } from '../../contract/seals'
import type { Family } from '../../contract/roles'
import { parseCertificate, sealCertificateProblems, type SealCertificate } from '../sealing/crypto/x509'
import type { SealLookup } from '../verification/pdf-verifier'

type Db = Knex | Knex.Transaction

export interface SealRow {
  id: number
  organisation_id: number
  organisation_name: string
  name: string
  purpose: string
  certificate_fingerprint: string
  certificate_pem: string
  appearance_hash: string | null
  applies_to: string
  active: number | boolean
  token_label: string | null
  token_serial: string | null
  created_at: string
  updated_at: string
}

/** A registered seal as core uses it: the row with its certificate parsed. */
export interface SealRecord {
  id: number
  organisationId: number
  organisationName: string
  name: string
  purpose: string
  certificate: SealCertificate
  appliesTo: SealScope[]
  appearanceHash: string | null
  active: boolean
  tokenLabel: string | null
  tokenSerial: string | null
  createdAt: string
  updatedAt: string
}

const KEY_TYPE_LABELS = { rsa: 'RSA', 'ec-p256': 'ECDSA P-256', unsupported: '不支持的密钥' } as const

/** What the desks read of a signing certificate, with why it may not seal at `at`. */
export function certificateInfo(certificate: SealCertificate, at: Date): CertificateInfo {
  return {
    fingerprint: certificate.fingerprint,
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumberHex,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    keyType: certificate.keyType === 'rsa' ? `RSA ${certificate.keyBits}` : KEY_TYPE_LABELS[certificate.keyType],
    problems: sealCertificateProblems(certificate, at),
  }
}

// Certificates are parsed once per stored PEM: the batch engine and the verifier look seals up often.
const parsed = new Map<string, SealCertificate>()

function certificateOf(row: SealRow): SealCertificate {
  let certificate = parsed.get(row.certificate_fingerprint)
  if (!certificate) {
    certificate = parseCertificate(row.certificate_pem)
    parsed.set(row.certificate_fingerprint, certificate)
  }
  return certificate
}

export function toRecord(row: SealRow): SealRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    name: row.name,
    purpose: row.purpose,
    certificate: certificateOf(row),
    appliesTo: JSON.parse(row.applies_to) as SealScope[],
    appearanceHash: row.appearance_hash,
    active: Boolean(row.active),
    tokenLabel: row.token_label,
    tokenSerial: row.token_serial,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toInfo(record: SealRecord, at: Date): SealInfo {
  return {
    id: record.id,
    organisationId: record.organisationId,
    organisationName: record.organisationName,
    name: record.name,
    purpose: record.purpose,
    certificate: certificateInfo(record.certificate, at),
    appliesTo: record.appliesTo,
    hasAppearance: record.appearanceHash !== null,
    tokenLabel: record.tokenLabel,
    tokenSerial: record.tokenSerial,
    active: record.active,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  }
}

export function sealQuery(db: Db): Knex.QueryBuilder {
  return db('seals as s').join('organisations as o', 'o.id', 's.organisation_id').select('s.*', 'o.name as organisation_name')
}

export async function findSeal(db: Db, where: { id?: number; fingerprint?: string }): Promise<SealRecord | null> {
  const query = sealQuery(db)
  if (where.id !== undefined) query.where('s.id', where.id)
  if (where.fingerprint !== undefined) query.where('s.certificate_fingerprint', where.fingerprint)
  const row = (await query.first()) as SealRow | undefined
  return row ? toRecord(row) : null
}

/** Whether a seal applies to certificates of this family and level. */
export function appliesTo(seal: Pick<SealRecord, 'appliesTo'>, family: Family, level: string | null): boolean {
  return seal.appliesTo.some((scope) => scope.family === family && (scope.level === '*' || scope.level === level))
}

/** The active seals of an organisation that apply to a family and level, oldest first. */
export async function sealsFor(db: Db, organisationId: number, family: Family, level: string | null): Promise<SealRecord[]> {
  const rows = (await sealQuery(db).where({ 's.organisation_id': organisationId, 's.active': true }).orderBy('s.id')) as SealRow[]
  return rows.map(toRecord).filter((seal) => appliesTo(seal, family, level))
}

/** Every registered seal by certificate fingerprint: what the verifier checks signers against. */
export async function registeredSeals(db: Db): Promise<SealLookup> {
  const rows = (await sealQuery(db)) as SealRow[]
  const seals = new Map(rows.map((row) => [row.certificate_fingerprint, { name: row.name, organisationName: row.organisation_name }]))
  return (fingerprint) => seals.get(fingerprint) ?? null
}
