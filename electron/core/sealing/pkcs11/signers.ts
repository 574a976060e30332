import { createHash } from 'node:crypto'
import * as pkcs11js from 'pkcs11js'
import { ERROR_CODES } from '../../../contract/errors'
import { AppError } from '../../util/app-error'
import { ecdsaRawToDer } from './ecdsa'
import { ckrName, pkcs11Error } from './errors'
import { findToken, ulongValue, type FoundToken, type LoadedModule, type ModuleRegistry } from './modules'
import type { KeyType, OpenSignerRequest, SignerOpened } from './protocol'
import { attributes, certificates, checkPinState, closeSession, findAll, loginUser, openSession, pinText } from './session'

type Mechanism = 'sha256-rsa-pkcs' | 'rsa-pkcs' | 'ecdsa'

const MECHANISMS: Record<Mechanism, number> = {
  'sha256-rsa-pkcs': pkcs11js.CKM_SHA256_RSA_PKCS,
  'rsa-pkcs': pkcs11js.CKM_RSA_PKCS,
  ecdsa: pkcs11js.CKM_ECDSA,
}

/** The DER DigestInfo prefix of a SHA-256 hash (RFC 8017 §9.2), for tokens with bare CKM_RSA_PKCS only. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex')

/** Room for any signature we can meet (RSA-8192 is 1,024 bytes); pkcs11js trims it. */
const SIGNATURE_ROOM = 1024

interface SigningKey {
  key: Buffer
  keyType: KeyType
  mechanism: Mechanism
  alwaysAuthenticate: boolean
}

interface SignerRecord extends SigningKey {
  loaded: LoadedModule
  slot: Buffer
  session: Buffer
  /** Only for CKA_ALWAYS_AUTHENTICATE keys, which need it after every C_SignInit; zero-filled on close. */
  pin: Uint8Array | null
}

function findCertificate(loaded: LoadedModule, session: Buffer, fingerprint: string): { der: Uint8Array; id: string } {
  const wanted = fingerprint.toLowerCase()
  const certificate = certificates(loaded, session).find((candidate) => candidate.fingerprint === wanted)
  if (!certificate) throw new AppError('KEY_NOT_FOUND', `印章密钥中没有这张证书（SHA-256 ${wanted.slice(0, 16)}…）`)
  if (certificate.id === '') throw new AppError('KEY_NOT_FOUND', '印章密钥中的这张证书没有 CKA_ID，无法确定它的签名私钥')
  return certificate
}

function keyTypeOf(value: Buffer): KeyType {
  const type = ulongValue(value)
  if (type === pkcs11js.CKK_RSA) return 'rsa'
  if (type === pkcs11js.CKK_EC) return 'ec'
  throw new AppError('KEY_NOT_FOUND', `印章密钥中的签名私钥类型不受支持（CKA_KEY_TYPE 0x${type.toString(16)}）`)
}

function alwaysAuthenticate(loaded: LoadedModule, session: Buffer, key: Buffer): boolean {
  try {
    return attributes(loaded, session, key, [pkcs11js.CKA_ALWAYS_AUTHENTICATE])[0][0] === 1
  } catch (error) {
    // PKCS#11 2.20 tokens may not know the attribute at all: then the key does not need it.
    if (ckrName(error) === 'CKR_ATTRIBUTE_TYPE_INVALID') return false
    throw error
  }
}

/** CKM_SHA256_RSA_PKCS where the token has it; many USB keys offer only bare CKM_RSA_PKCS. */
function rsaMechanism(loaded: LoadedModule, slot: Buffer): Mechanism {
  try {
    const mechanisms = loaded.pkcs11.C_GetMechanismList(slot)
    if (!mechanisms.includes(pkcs11js.CKM_SHA256_RSA_PKCS) && mechanisms.includes(pkcs11js.CKM_RSA_PKCS)) return 'rsa-pkcs'
  } catch {
    // A token that cannot list its mechanisms gets the standard one.
  }
  return 'sha256-rsa-pkcs'
}

/** Exactly one private key with the certificate's CKA_ID that may sign: none or several is an error, never a guess. */
function findSigningKey(loaded: LoadedModule, found: FoundToken, session: Buffer, id: string): SigningKey {
  const template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
    { type: pkcs11js.CKA_SIGN, value: true },
  ]
  const keys = findAll(loaded, session, template)
  if (keys.length === 0) throw new AppError('KEY_NOT_FOUND', `${ERROR_CODES.KEY_NOT_FOUND}：没有 CKA_ID 为 ${id} 的签名私钥`)
  if (keys.length > 1) {
    throw new AppError('KEY_NOT_FOUND', `${ERROR_CODES.KEY_NOT_FOUND}：有 ${keys.length} 把 CKA_ID 同为 ${id} 的签名私钥，无法确定用哪一把`)
  }
  const key = keys[0]
  const keyType = keyTypeOf(attributes(loaded, session, key, [pkcs11js.CKA_KEY_TYPE])[0])
  const mechanism = keyType === 'ec' ? 'ecdsa' : rsaMechanism(loaded, found.slot)
  return { key, keyType, mechanism, alwaysAuthenticate: alwaysAuthenticate(loaded, session, key) }
}

function signingInput(mechanism: Mechanism, data: Buffer): Buffer {
  if (mechanism === 'sha256-rsa-pkcs') return data
  const digest = createHash('sha256').update(data).digest()
  return mechanism === 'rsa-pkcs' ? Buffer.concat([SHA256_DIGEST_INFO, digest]) : digest
}

/** CKU_CONTEXT_SPECIFIC, which a CKA_ALWAYS_AUTHENTICATE key needs between C_SignInit and C_Sign. */
function contextLogin(record: SignerRecord, pin: Uint8Array): void {
  const { pkcs11 } = record.loaded
  try {
    pkcs11.C_Login(record.session, pkcs11js.CKU_CONTEXT_SPECIFIC, pinText(pin))
  } catch (error) {
    try {
      // The failed login leaves the signing operation active; a C_Sign (refused) ends it.
      pkcs11.C_Sign(record.session, Buffer.alloc(1), Buffer.alloc(SIGNATURE_ROOM))
    } catch {
      // Refused, as expected.
    }
    throw pkcs11Error('签名前验证 PIN', error)
  }
}

function signWith(record: SignerRecord, data: Buffer): Buffer {
  const { pkcs11 } = record.loaded
  pkcs11.C_SignInit(record.session, { mechanism: MECHANISMS[record.mechanism] }, record.key)
  if (record.pin) contextLogin(record, record.pin)
  const signature = pkcs11.C_Sign(record.session, signingInput(record.mechanism, data), Buffer.alloc(SIGNATURE_ROOM))
  return record.keyType === 'ec' ? ecdsaRawToDer(signature) : signature
}

/** The open signers of one worker: a session, a key and (for always-authenticate keys) the PIN each. */
export class SignerTable {
  private readonly signers = new Map<number, SignerRecord>()
  private nextId = 1

  /** Logs in, finds the certificate by fingerprint and its one signing key; the PIN bytes are zeroed unless the key needs them. */
  open(registry: ModuleRegistry, request: OpenSignerRequest): SignerOpened {
    let keepPin = false
    try {
      const loaded = registry.get(request.modulePath)
      const found = findToken(loaded, request.token)
      checkPinState(found.token.flags, request.confirmFinalTry)
      const session = openSession(loaded, found.slot)
      try {
        loginUser(loaded, found, session, pinText(request.pin))
        const certificate = findCertificate(loaded, session, request.certificateFingerprint)
        const key = findSigningKey(loaded, found, session, certificate.id)
        keepPin = key.alwaysAuthenticate
        const signerId = this.nextId++
        this.signers.set(signerId, { ...key, loaded, slot: found.slot, session, pin: keepPin ? request.pin : null })
        return { signerId, keyType: key.keyType, alwaysAuthenticate: key.alwaysAuthenticate, certificateDer: certificate.der }
      } catch (error) {
        this.release(loaded, found.slot, session)
        throw error
      }
    } catch (error) {
      throw pkcs11Error('打开印章密钥', error)
    } finally {
      if (!keepPin) request.pin.fill(0)
    }
  }

  /** One signature over `data`: RSA PKCS#1 v1.5 with SHA-256, or ECDSA over SHA-256(data) as DER. */
  sign(signerId: number, data: Uint8Array): Buffer {
    const record = this.signers.get(signerId)
    if (!record) throw new AppError('TOKEN_UNAVAILABLE', `${ERROR_CODES.TOKEN_UNAVAILABLE}（签名会话已失效，请重新打开印章密钥）`)
    try {
      return signWith(record, Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    } catch (error) {
      throw pkcs11Error('签名', error)
    }
  }

  /** C_Logout (unless another signer shares the login) and C_CloseSession; the PIN zero-filled. */
  close(signerId: number): void {
    const record = this.signers.get(signerId)
    if (!record) return
    this.signers.delete(signerId)
    record.pin?.fill(0)
    this.release(record.loaded, record.slot, record.session)
  }

  /** Forgets the signers of a module that was re-initialised or finalised: their sessions died with it. */
  drop(loaded?: LoadedModule): void {
    for (const [signerId, record] of this.signers) {
      if (loaded && record.loaded !== loaded) continue
      record.pin?.fill(0)
      this.signers.delete(signerId)
    }
  }

  private release(loaded: LoadedModule, slot: Buffer, session: Buffer): void {
    const shared = [...this.signers.values()].some((other) => other.loaded === loaded && other.slot.equals(slot))
    if (!shared) {
      try {
        loaded.pkcs11.C_Logout(session)
      } catch {
        // Not logged in, or the token is gone: either way nobody is logged in any more.
      }
    }
    closeSession(loaded, session)
  }
}
