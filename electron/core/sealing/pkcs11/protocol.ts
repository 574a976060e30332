import type { ApiErrorBody } from '../../../contract/errors'

/**
 * The messages between TokenHost (main thread) and token-worker.ts. Plain data only: buffers
 * travel as Uint8Array (structured clone turns a Buffer into one anyway).
 */

/** Which token: by serial and/or label, never by slot index (slots move, SoftHSM adds free ones). */
export interface TokenSelector {
  serial?: string
  label?: string
}

/** The token's CKF_* flags the desks care about, PIN state first. */
export interface TokenFlags {
  loginRequired: boolean
  userPinCountLow: boolean
  userPinFinalTry: boolean
  userPinLocked: boolean
  userPinToBeChanged: boolean
  tokenInitialized: boolean
}

/** CK_TOKEN_INFO, blank padding trimmed. */
export interface TokenDescription {
  label: string
  manufacturer: string
  model: string
  serial: string
  flags: TokenFlags
}

/** One slot of a module; `slotId` is informative only (decimal CK_SLOT_ID). */
export interface SlotDescription {
  slotId: string
  description: string
  manufacturer: string
  tokenPresent: boolean
  token: TokenDescription | null
}

/** An X.509 certificate object on a token. */
export interface TokenCertificate {
  label: string
  /** CKA_ID in lower-case hex: the link to its private key. */
  id: string
  der: Uint8Array
  /** SHA-256 of `der`, lower-case hex: how openSigner names the certificate. */
  fingerprint: string
}

export type KeyType = 'rsa' | 'ec'

export interface OpenSignerRequest {
  modulePath: string
  token: TokenSelector
  certificateFingerprint: string
  /** UTF-8 bytes, transferred: the worker zero-fills them once it no longer needs them. */
  pin: Uint8Array
  confirmFinalTry: boolean
}

export interface SignerOpened {
  signerId: number
  keyType: KeyType
  alwaysAuthenticate: boolean
  certificateDer: Uint8Array
}

export interface InitializeTokenRequest {
  modulePath: string
  label: string
  soPin: string
  userPin: string
}

export interface TokenLogin {
  modulePath: string
  token: TokenSelector
  userPin: string
}

export interface GenerateKeyPairRequest extends TokenLogin {
  keyType: 'rsa-2048' | 'ec-p256'
  id: Uint8Array
  label: string
  alwaysAuthenticate?: boolean
}

export interface StoreCertificateRequest extends TokenLogin {
  id: Uint8Array
  label: string
  der: Uint8Array
}

/** Every operation the worker answers, with its arguments and its result. */
export interface TokenOperations {
  listSlots: { args: { modulePath: string }; result: SlotDescription[] }
  listCertificates: {
    args: { modulePath: string; token: TokenSelector; pin: Uint8Array | null; confirmFinalTry: boolean }
    result: TokenCertificate[]
  }
  openSigner: { args: OpenSignerRequest; result: SignerOpened }
  sign: { args: { signerId: number; data: Uint8Array }; result: Uint8Array }
  closeSigner: { args: { signerId: number }; result: null }
  reinitialize: { args: { modulePath: string }; result: null }
  finalize: { args: Record<string, never>; result: null }
  initializeToken: { args: InitializeTokenRequest; result: { serial: string } }
  generateKeyPair: { args: GenerateKeyPairRequest; result: { spkiDer: Uint8Array } }
  storeCertificate: { args: StoreCertificateRequest; result: null }
}

export type TokenOperation = keyof TokenOperations

export type TokenRequest = { [Op in TokenOperation]: { id: number; op: Op; args: TokenOperations[Op]['args'] } }[TokenOperation]

export type TokenReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ApiErrorBody }

/** What the worker gets at start: a flag it raises once 'finalize' is done (see TokenHost's exit hook). */
export interface TokenWorkerData {
  finalized: SharedArrayBuffer
}
