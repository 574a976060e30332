import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sha256Hex } from '../util/canonical'

/** This installation's credential towards the registry: an Ed25519 key pair and the client id it is registered under. */
export interface ClientIdentity {
  clientId: string
  publicKeyPem: string
  privateKey: KeyObject
}

function identityFile(dataDir: string): string {
  return join(dataDir, 'registry', 'identity.json')
}

/**
 * The installation's identity, made on first use: the private key stays in the data directory
 * (readable by its owner only) and never leaves it; the registry's operator registers the
 * public key and client id shown on the sync page.
 */
export function loadIdentity(dataDir: string): ClientIdentity {
  const file = identityFile(dataDir)
  if (!existsSync(file)) create(file)
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { clientId: string; privateKeyPem: string }
  const privateKey = createPrivateKey(stored.privateKeyPem)
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()
  return { clientId: stored.clientId, publicKeyPem, privateKey }
}

function create(file: string): void {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const clientId = `certdesk-${sha256Hex(spki).slice(0, 16)}`
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 })
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify({ clientId, privateKeyPem }), { mode: 0o600, flush: true })
  chmodSync(temporary, 0o600)
  renameSync(temporary, file)
}
