import * as pkcs11js from 'pkcs11js'
import { AppError } from '../../util/app-error'
import { derChildren, derRead } from './der'
import { pkcs11Error } from './errors'
import { findToken, tokenInfo, type LoadedModule, type ModuleRegistry } from './modules'
import type { GenerateKeyPairRequest, InitializeTokenRequest, StoreCertificateRequest, TokenLogin } from './protocol'
import { attributes, closeSession, loginUser, openSession } from './session'
import { ecSpki, P256_PARAMETERS, rsaSpki } from './spki'

/**
 * The worker's side of provision.ts: set up tokens for `certdesk demo` and the tests. Never used
 * on a desk's real seal key (the issuer provisions those).
 */

/** CK_TOKEN_INFO's label is 32 bytes padded with blanks, and pkcs11js passes our string as is. */
function paddedLabel(label: string): string {
  const length = Buffer.byteLength(label, 'utf8')
  if (length > 32) throw new AppError('VALIDATION', '密钥标签不能超过 32 字节')
  return label + ' '.repeat(32 - length)
}

function uninitialisedSlot(loaded: LoadedModule): Buffer {
  const slot = loaded.pkcs11.C_GetSlotList(true).find((candidate) => !tokenInfo(loaded.pkcs11, candidate).flags.tokenInitialized)
  if (!slot) throw new AppError('INVALID_STATE', '没有尚未初始化的密钥插槽')
  return slot
}

/** C_InitToken on a free slot, then C_InitPIN through an SO session; returns the new token's serial. */
export function initializeToken(registry: ModuleRegistry, request: InitializeTokenRequest): { serial: string } {
  const loaded = registry.get(request.modulePath)
  const { pkcs11 } = loaded
  try {
    const before = new Set(pkcs11.C_GetSlotList(true).map((slot) => tokenInfo(pkcs11, slot).serial))
    pkcs11.C_InitToken(uninitialisedSlot(loaded), request.soPin, paddedLabel(request.label))
    // SoftHSM2 may renumber slots after C_InitToken: find the new token again, by label and new serial.
    const slot = pkcs11.C_GetSlotList(true).find((candidate) => {
      const token = tokenInfo(pkcs11, candidate)
      return token.label === request.label && !before.has(token.serial)
    })
    if (!slot) throw new AppError('INTERNAL', '初始化后找不到新的密钥')
    const session = openSession(loaded, slot, true)
    try {
      pkcs11.C_Login(session, pkcs11js.CKU_SO, request.soPin)
      pkcs11.C_InitPIN(session, request.userPin)
      pkcs11.C_Logout(session)
    } finally {
      closeSession(loaded, session)
    }
    return { serial: tokenInfo(pkcs11, slot).serial }
  } catch (error) {
    throw pkcs11Error('初始化密钥', error)
  }
}

/** Runs `work` in a read-write session logged in as the user. */
function withUserSession<T>(
  registry: ModuleRegistry,
  request: TokenLogin,
  operation: string,
  work: (loaded: LoadedModule, session: Buffer) => T,
): T {
  const loaded = registry.get(request.modulePath)
  const found = findToken(loaded, request.token)
  const session = openSession(loaded, found.slot, true)
  try {
    loginUser(loaded, found, session, request.userPin)
    return work(loaded, session)
  } catch (error) {
    throw pkcs11Error(operation, error)
  } finally {
    closeSession(loaded, session)
  }
}

function keyTemplates(request: GenerateKeyPairRequest): { publicKey: pkcs11js.Template; privateKey: pkcs11js.Template } {
  const id = Buffer.from(request.id)
  const common = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_ID, value: id },
    { type: pkcs11js.CKA_LABEL, value: request.label },
  ]
  const shape =
    request.keyType === 'rsa-2048'
      ? [
          { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 },
          { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
        ]
      : [{ type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMETERS }]
  return {
    publicKey: [...common, ...shape, { type: pkcs11js.CKA_VERIFY, value: true }],
    privateKey: [
      ...common,
      { type: pkcs11js.CKA_SIGN, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: request.alwaysAuthenticate ?? false },
    ],
  }
}

/**
 * A key pair generated on the token, and the SubjectPublicKeyInfo of its public half (for a CA to
 * certify). Called twice with one `id`, it makes the ambiguous token the KEY_NOT_FOUND test needs.
 */
export function generateKeyPair(registry: ModuleRegistry, request: GenerateKeyPairRequest): { spkiDer: Uint8Array } {
  return withUserSession(registry, request, '生成密钥', (loaded, session) => {
    const rsa = request.keyType === 'rsa-2048'
    const mechanism = { mechanism: rsa ? pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN : pkcs11js.CKM_EC_KEY_PAIR_GEN }
    const templates = keyTemplates(request)
    const pair = loaded.pkcs11.C_GenerateKeyPair(session, mechanism, templates.publicKey, templates.privateKey)
    const spkiDer = rsa
      ? rsaSpki(...(attributes(loaded, session, pair.publicKey, [pkcs11js.CKA_MODULUS, pkcs11js.CKA_PUBLIC_EXPONENT]) as [Buffer, Buffer]))
      : ecSpki(P256_PARAMETERS, attributes(loaded, session, pair.publicKey, [pkcs11js.CKA_EC_POINT])[0])
    return { spkiDer: new Uint8Array(spkiDer) }
  })
}

/** The serial number, issuer and subject of a certificate, as DER: what a certificate object carries. */
function certificateNames(der: Uint8Array): { serial: Buffer; issuer: Buffer; subject: Buffer } {
  const tbs = derChildren(der, derRead(der, 0))[0]
  const fields = derChildren(der, tbs)
  const rest = fields[0].tag === 0xa0 ? fields.slice(1) : fields
  const element = (index: number) => Buffer.from(der.subarray(rest[index].offset, rest[index].end))
  // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, subject, …
  return { serial: element(0), issuer: element(2), subject: element(4) }
}

/** An X.509 certificate object on the token, with the CKA_ID of its key. */
export function storeCertificate(registry: ModuleRegistry, request: StoreCertificateRequest): null {
  const names = certificateNames(request.der)
  return withUserSession(registry, request, '写入证书', (loaded, session) => {
    loaded.pkcs11.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_ID, value: Buffer.from(request.id) },
      { type: pkcs11js.CKA_LABEL, value: request.label },
      { type: pkcs11js.CKA_SUBJECT, value: names.subject },
      { type: pkcs11js.CKA_ISSUER, value: names.issuer },
      { type: pkcs11js.CKA_SERIAL_NUMBER, value: names.serial },
      { type: pkcs11js.CKA_VALUE, value: Buffer.from(request.der) },
    ])
    return null
  })
}
