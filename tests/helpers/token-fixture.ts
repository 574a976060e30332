import { createHash } from 'node:crypto'
import { generateKeyPair, initializeToken, storeCertificate } from '../../electron/core/sealing/pkcs11/provision'
import type { TokenHost } from '../../electron/core/sealing/pkcs11/token-host'
import type { TestPki } from './openssl'
import { issueTokenCertificate, type TokenCertificateOptions } from './token-certificates'

/** PINs of the test tokens: distinctive, so a leak into any output is found by a plain search. */
export const SO_PIN = 'so-5150-7342'
export const USER_PIN = 'pin-2718-2818'

/** SHA-256 of a certificate's DER, hex: how openSigner names it. */
export function fingerprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex')
}

/** One key to put on the token, with a certificate from the test CA. */
export interface SealKeySpec extends Omit<TokenCertificateOptions, 'spkiDer'> {
  keyType: 'rsa-2048' | 'ec-p256'
  /** The CKA_ID, hex. */
  id: string
  alwaysAuthenticate?: boolean
}

export interface SealKey {
  id: Buffer
  der: Buffer
  fingerprint: string
}

/**
 * A freshly initialised token labelled `label` with the given keys, each with its certificate
 * (issued by openssl for the on-token public key) stored under the same CKA_ID.
 */
export async function provisionSealToken<Name extends string>(
  host: TokenHost,
  modulePath: string,
  pki: TestPki,
  label: string,
  keys: Record<Name, SealKeySpec>,
): Promise<{ serial: string; keys: Record<Name, SealKey> }> {
  const serial = await initializeToken(host, { modulePath, label, soPin: SO_PIN, userPin: USER_PIN })
  const token = { serial }
  const made = {} as Record<Name, SealKey>
  for (const [name, spec] of Object.entries(keys) as Array<[Name, SealKeySpec]>) {
    const id = Buffer.from(spec.id, 'hex')
    const login = { modulePath, token, userPin: USER_PIN }
    const { spkiDer } = await generateKeyPair(host, {
      ...login,
      keyType: spec.keyType,
      id,
      label: name,
      alwaysAuthenticate: spec.alwaysAuthenticate,
    })
    const { der } = issueTokenCertificate(pki, name, { ...spec, spkiDer })
    await storeCertificate(host, { ...login, id, label: name, der })
    made[name] = { id, der, fingerprint: fingerprintOf(der) }
  }
  return { serial, keys: made }
}
