import { mayActFor, type Caller } from './clients'
import { RegistryError } from './errors'
import type { AuditCheckpoint, CertificateVersion, Decision, OperationType, Revocation } from './schemas'

type Row = Record<string, unknown>

export interface CertificateState {
  organisationCode: string
  family: string
  currentVersion: number
  revoked: boolean
  createdAt: string
}

/**
 * What one batch reads once and then changes in memory as its operations apply in order, and
 * the rows it will write: a batch of 500 costs a few queries, not a few per operation.
 */
export interface BatchState {
  caller: Caller
  acceptedAt: string
  certificates: Map<string, CertificateState>
  files: Set<string>
  /** Application id → its organisation code. */
  applications: Map<string, string>
  rows: {
    certificates: Map<string, Row>
    certificate_versions: Row[]
    revocations: Row[]
    audit_checkpoints: Row[]
    decisions: Row[]
  }
}

/** What an operation's rules need loaded before the batch runs. */
export interface Needs {
  certificates: string[]
  files: string[]
  applications: string[]
}

/** The rules of one operation type: what it needs, whether it may apply now, and its rows. */
export interface Applier<T> {
  orderingKey(payload: T, caller: Caller): string
  needs(payload: T, into: Needs): void
  /** Null when the operation may apply; never changes anything. */
  check(payload: T, state: BatchState): RegistryError | null
  apply(payload: T, state: BatchState, sequence: number): void
}

function forbidden(code: string): RegistryError {
  return new RegistryError('forbidden', `无权操作机构 ${code} 的数据`)
}

function fileMissing(sha256: string): RegistryError {
  return new RegistryError('file_missing', `文件 ${sha256.slice(0, 12)}… 尚未上传：请先 PUT /v1/files/${sha256}`)
}

const certificateVersion: Applier<CertificateVersion> = {
  orderingKey: (payload) => payload.number,
  needs(payload, into) {
    into.certificates.push(payload.number)
    into.files.push(payload.pdfSha256)
  },
  check(payload, state) {
    const certificate = state.certificates.get(payload.number)
    if (!mayActFor(state.caller, payload.organisationCode)) return forbidden(payload.organisationCode)
    if (certificate && !mayActFor(state.caller, certificate.organisationCode)) return forbidden(certificate.organisationCode)
    if (!state.files.has(payload.pdfSha256)) return fileMissing(payload.pdfSha256)
    if (certificate?.revoked) return new RegistryError('out_of_order', `证书 ${payload.number} 已注销，不能再发布新版本`)
    const expected = (certificate?.currentVersion ?? 0) + 1
    if (payload.version > expected) {
      return new RegistryError(
        'out_of_order',
        `证书 ${payload.number} 第 ${payload.version} 版先于第 ${expected} 版到达：请先发布第 ${expected} 版`,
      )
    }
    if (payload.version < expected) {
      return new RegistryError('out_of_order', `证书 ${payload.number} 已有第 ${payload.version} 版（当前为第 ${expected - 1} 版）`)
    }
    return null
  },
  apply(payload, state, sequence) {
    const previous = state.certificates.get(payload.number)
    const certificate: CertificateState = {
      organisationCode: payload.organisationCode,
      family: payload.family,
      currentVersion: payload.version,
      revoked: false,
      createdAt: previous?.createdAt ?? state.acceptedAt,
    }
    state.certificates.set(payload.number, certificate)
    state.rows.certificates.set(payload.number, {
      number: payload.number,
      organisation_code: certificate.organisationCode,
      family: certificate.family,
      current_version: certificate.currentVersion,
      created_at: certificate.createdAt,
      updated_at: state.acceptedAt,
    })
    state.rows.certificate_versions.push({
      number: payload.number,
      version: payload.version,
      payload: JSON.stringify(payload),
      verification_code: payload.verificationCode,
      pdf_sha256: payload.pdfSha256,
      organisation_code: payload.organisationCode,
      issued_at: payload.issuedAt,
      arrival_sequence: sequence,
      client_id: state.caller.clientId,
      accepted_at: state.acceptedAt,
    })
  },
}

const certificateRevocation: Applier<Revocation> = {
  orderingKey: (payload) => payload.number,
  needs(payload, into) {
    into.certificates.push(payload.number)
    if (payload.documentSha256) into.files.push(payload.documentSha256)
  },
  check(payload, state) {
    const certificate = state.certificates.get(payload.number)
    if (!certificate) return new RegistryError('out_of_order', `证书 ${payload.number} 尚未发布，不能注销：请先发布其第 1 版`)
    if (!mayActFor(state.caller, certificate.organisationCode)) return forbidden(certificate.organisationCode)
    if (payload.documentSha256 && !state.files.has(payload.documentSha256)) return fileMissing(payload.documentSha256)
    if (certificate.revoked) return new RegistryError('out_of_order', `证书 ${payload.number} 已注销`)
    if (payload.version !== certificate.currentVersion) {
      return new RegistryError(
        'out_of_order',
        `注销针对证书 ${payload.number} 第 ${payload.version} 版，但登记的当前版本为第 ${certificate.currentVersion} 版`,
      )
    }
    return null
  },
  apply(payload, state, sequence) {
    const certificate = state.certificates.get(payload.number) as CertificateState
    certificate.revoked = true
    state.rows.revocations.push({
      number: payload.number,
      version: payload.version,
      reason: payload.reason,
      reason_text: payload.reasonText ?? null,
      document_number: payload.documentNumber,
      document_date: payload.documentDate,
      document_sha256: payload.documentSha256 ?? null,
      revoked_at: payload.revokedAt,
      payload: JSON.stringify(payload),
      arrival_sequence: sequence,
      client_id: state.caller.clientId,
      accepted_at: state.acceptedAt,
    })
  },
}

const auditCheckpoint: Applier<AuditCheckpoint> = {
  // The client's own outbox key for its checkpoints; the effect's client id tells installations apart.
  orderingKey: () => 'audit',
  needs() {},
  check: () => null,
  apply(payload, state, sequence) {
    state.rows.audit_checkpoints.push({
      client_id: state.caller.clientId,
      length: payload.length,
      head_hash: payload.headHash,
      at: payload.at,
      arrival_sequence: sequence,
      accepted_at: state.acceptedAt,
    })
  },
}

const applicationDecision: Applier<Decision> = {
  orderingKey: (payload) => `application:${payload.applicationId}`,
  needs(payload, into) {
    into.applications.push(payload.applicationId)
  },
  check(payload, state) {
    const organisationCode = state.applications.get(payload.applicationId)
    if (organisationCode === undefined) return new RegistryError('not_found', `申请 ${payload.applicationId} 不存在`)
    return mayActFor(state.caller, organisationCode) ? null : forbidden(organisationCode)
  },
  apply(payload, state, sequence) {
    state.rows.decisions.push({
      application_id: payload.applicationId,
      decision: payload.decision,
      reason: payload.reason ?? null,
      first_number: payload.firstNumber ?? null,
      last_number: payload.lastNumber ?? null,
      decided_at: payload.decidedAt,
      arrival_sequence: sequence,
      client_id: state.caller.clientId,
      accepted_at: state.acceptedAt,
    })
  },
}

export const APPLIERS: { [K in OperationType]: Applier<never> } = {
  'certificate.version': certificateVersion,
  'certificate.revocation': certificateRevocation,
  'audit.checkpoint': auditCheckpoint,
  'application.decision': applicationDecision,
}
