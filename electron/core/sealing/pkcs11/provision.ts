import type { GenerateKeyPairRequest, InitializeTokenRequest, StoreCertificateRequest } from './protocol'
import type { TokenHost } from './token-host'

/**
 * Token set-up for `certdesk demo` and the tests, through the same worker as everything else.
 * Real seal keys arrive provisioned by their issuer; nothing here runs on them.
 */

/** C_InitToken on a slot whose token is not initialised yet, then the user PIN; resolves with the new token's serial. */
export async function initializeToken(host: TokenHost, request: InitializeTokenRequest): Promise<string> {
  return (await host.call('initializeToken', request)).serial
}

/** Options of `generateKeyPair`: `id` becomes the CKA_ID of both halves (and of the certificate later). */
export type GenerateKeyPairOptions = Omit<GenerateKeyPairRequest, 'id'> & { id: Buffer }

/**
 * A key pair on the token (private: CKA_SIGN, CKA_SENSITIVE, CKA_PRIVATE, optionally
 * CKA_ALWAYS_AUTHENTICATE; public: CKA_VERIFY), resolving with the public key's SubjectPublicKeyInfo DER.
 * Calling it again with the same `id` leaves two private keys under one CKA_ID: the ambiguous
 * token openSigner must refuse.
 */
export async function generateKeyPair(host: TokenHost, options: GenerateKeyPairOptions): Promise<{ spkiDer: Buffer }> {
  const { spkiDer } = await host.call('generateKeyPair', { ...options, id: new Uint8Array(options.id) })
  return { spkiDer: Buffer.from(spkiDer) }
}

/** Options of `storeCertificate`: the certificate's DER and the CKA_ID of its key. */
export type StoreCertificateOptions = Omit<StoreCertificateRequest, 'id' | 'der'> & { id: Buffer; der: Buffer }

/** Puts an X.509 certificate object on the token (public, CKA_ID linking it to its key). */
export async function storeCertificate(host: TokenHost, options: StoreCertificateOptions): Promise<void> {
  await host.call('storeCertificate', { ...options, id: new Uint8Array(options.id), der: new Uint8Array(options.der) })
}
