import { AppError } from '../../util/app-error'
import type { KeyType, SignerOpened } from './protocol'

/** What a TokenSigner needs from its TokenHost: the two calls that name an open signer. */
export interface SignerChannel {
  sign(signerId: number, generation: number, data: Uint8Array): Promise<Uint8Array>
  close(signerId: number, generation: number): Promise<void>
}

/**
 * One open signing key on a token (a logged-in session in the token worker). `generation` is the
 * worker it lives in: once that worker is replaced (after a timeout) the signer is gone, and
 * `sign` rejects with TOKEN_UNAVAILABLE until the caller opens a new one.
 */
export class TokenSigner {
  readonly keyType: KeyType
  /** Whether the key is CKA_ALWAYS_AUTHENTICATE: each signature then costs one more PIN check on the token. */
  readonly alwaysAuthenticate: boolean
  /** The certificate the key was found by, as DER. */
  readonly certificateDer: Buffer
  private closed = false

  constructor(
    private readonly channel: SignerChannel,
    private readonly opened: SignerOpened,
    private readonly generation: number,
  ) {
    this.keyType = opened.keyType
    this.alwaysAuthenticate = opened.alwaysAuthenticate
    this.certificateDer = Buffer.from(opened.certificateDer.buffer, opened.certificateDer.byteOffset, opened.certificateDer.byteLength)
  }

  /**
   * A signature over `data` (for CMS, the DER of the signed attributes): RSA PKCS#1 v1.5 with
   * SHA-256, or ECDSA over SHA-256(data) as a DER ECDSA-Sig-Value. Several may be in flight; the
   * token worker takes them one after another.
   */
  async sign(data: Buffer): Promise<Buffer> {
    if (this.closed) throw new AppError('INVALID_STATE', '签名会话已关闭')
    // Our own copy, transferred rather than cloned: the caller's Buffer may be a slice of Node's
    // shared pool, which must never be detached.
    const copy = new Uint8Array(data)
    const signature = await this.channel.sign(this.opened.signerId, this.generation, copy)
    return Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength)
  }

  /** Logs out and closes the session; the worker zero-fills the PIN it kept for this key, if any. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.channel.close(this.opened.signerId, this.generation)
  }
}
