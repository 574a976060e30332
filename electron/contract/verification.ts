import { z } from 'zod'
import type { SlipKind, SlipState } from './legacy'
import { method } from './method'
import type { SealSlot } from './sealing'
import { UploadIdSchema } from './uploads'

/** What the app's verifier says of one signature in a PDF. */
export interface SignatureCheck {
  fieldName: string | null
  slot: SealSlot | null
  /** The registered seal that made it, when its certificate is registered here. */
  sealName: string | null
  organisationName: string | null
  signer: string
  issuer: string
  /** SHA-256 of the signer's certificate. */
  fingerprint: string | null
  /** /M of the signature dictionary, ISO. */
  signingTime: string | null
  timestamp: { time: string; valid: boolean } | null
  coversWholeFile: boolean
  valid: boolean
  problems: string[]
}

/** Registry status of the certificate version the file is (issue 6 adds corrections and revocations). */
export type RegistryStatus = 'active' | 'superseded' | 'revoked' | 'pending' | 'unknown'

export interface VerificationReport {
  valid: boolean
  /** The one-line verdict in Chinese: why it is valid, or the first reason it is not. */
  summary: string
  certificateNumber: string | null
  version: number | null
  registryStatus: RegistryStatus
  signatures: SignatureCheck[]
  /** Signature fields still unsigned: seals the certificate is still missing. */
  unsignedFields: string[]
  /** Problems of the file as a whole (changes after signing, unreadable structure…). */
  problems: string[]
  /** Set when the file is a query slip or pass certificate issued here (clause 9), recognised by its hash. */
  slip?: { kind: SlipKind; number: string; state: SlipState }
}

export const verification = {
  /** Checks a PDF uploaded through uploads.* (purpose 'attachment', one file). */
  verify: method(z.object({ uploadId: UploadIdSchema }).strict()).returns<VerificationReport>(),
}
