import { applications } from './applications'
import { audit } from './audit'
import { auth } from './auth'
import { certificates } from './certificates'
import { corrections } from './corrections'
import { integrity } from './integrity'
import { dashboard } from './dashboard'
import { filings } from './filings'
import { legacy } from './legacy'
import { revocations } from './revocations'
import type { ApiErrorBody } from './errors'
import type { AnyMethod, InputOf, OutputOf } from './method'
import { organisations } from './organisations'
import type { Result } from './result'
import { sealing } from './sealing'
import { seals } from './seals'
import { settings } from './settings'
import { uploads } from './uploads'
import { sync } from './sync'
import { users } from './users'
import { verification } from './verification'

/**
 * The one contract between the renderer and the core, implemented by core/api, served by
 * electron/main over IPC and electron/host over HTTP, consumed by preload and renderer/src/api.
 * A new capability adds one file and one line here.
 */
export const contract = {
  auth,
  organisations,
  users,
  settings,
  audit,
  dashboard,
  certificates,
  corrections,
  integrity,
  seals,
  uploads,
  applications,
  sealing,
  verification,
  sync,
  revocations,
  filings,
  legacy,
}

export type Contract = typeof contract
export type DomainName = keyof Contract
export type Channel = { [D in DomainName]: `${D}.${Extract<keyof Contract[D], string>}` }[DomainName]

/** What preload (and the web host's browser preload) put on `window.api`: envelopes, never throws. */
export type RawApi = {
  [D in DomainName]: {
    [M in keyof Contract[D]]: (input: InputOf<Contract[D][M]>) => Promise<Result<OutputOf<Contract[D][M]>>>
  }
}

/** What renderer code uses: the value, or an ApiError thrown. */
export type Api = {
  [D in DomainName]: {
    [M in keyof Contract[D]]: (input?: InputOf<Contract[D][M]>) => Promise<OutputOf<Contract[D][M]>>
  }
}

/** Every channel with its method, in contract order. */
export function listChannels(): Array<{ channel: Channel; domain: DomainName; name: string; method: AnyMethod }> {
  return (Object.keys(contract) as DomainName[]).flatMap((domain) =>
    Object.entries(contract[domain] as Record<string, AnyMethod>).map(([name, method]) => ({
      channel: `${domain}.${name}` as Channel,
      domain,
      name,
      method,
    })),
  )
}

export function findMethod(channel: string): AnyMethod | undefined {
  const [domain, name, extra] = channel.split('.')
  if (extra !== undefined || !domain || !name) return undefined
  if (!Object.prototype.hasOwnProperty.call(contract, domain)) return undefined
  const methods = contract[domain as DomainName] as Record<string, AnyMethod>
  return Object.prototype.hasOwnProperty.call(methods, name) ? methods[name] : undefined
}

export type { ApiErrorBody, Result }
export * from './errors'
export * from './roles'
export type { AppStatus, SessionUser } from './auth'
export type { Organisation, OrganisationGrant } from './organisations'
export type { UserSummary } from './users'
export type { SettingKey, SettingValues } from './settings'
export type { AuditEntry, AuditVerification } from './audit'
export type { DashboardCount, DashboardGroup } from './dashboard'
export type { CertificateSummary, DocumentPreview } from './certificates'
export type {
  CorrectionDetail,
  CorrectionImportResult,
  CorrectionQueue,
  CorrectionRefusal,
  CorrectionRowView,
  CorrectionState,
  CorrectionSummary,
} from './corrections'
export type { CertificateDetail, HistoryEntry, HistoryPage, RegisterEntry, RegisterPage, VersionInfo } from './register'
export type { IntegrityEvidence, IntegrityKind, IntegrityRecord } from './integrity'
export type { SealAppearanceInfo, SealInfo, SealScope } from './seals'
export type { JobState, SealableBatch, SealSlot, SigningJobInfo, TokenCertificateInfo, TokenSlotInfo } from './sealing'
export type { SignatureCheck, VerificationReport } from './verification'
export type { OutboxItem, OutboxState, SyncStatus } from './sync'
export type { RevocationCertificate, RevocationDetail, RevocationReason, RevocationState, RevocationSummary } from './revocations'
export type { FilingDocument, FilingSummary, UnfiledBatch } from './filings'
export type { LegacyDesk, LegacyImportResult, LegacyRecord, LegacyRecordDetail, SlipDocument, SlipLookup, SlipSummary } from './legacy'
export type { UploadInfo, UploadPurpose } from './uploads'
export type {
  ApplicantRow,
  ApplyingOrganisation,
  BatchDetail,
  BatchIssue,
  BatchState,
  BatchSummary,
  DownloadFile,
  ImportResult,
  Queue,
} from './applications'
