import { createHash } from 'node:crypto'
import * as pkcs11js from 'pkcs11js'
import { ERROR_CODES } from '../../../contract/errors'
import { AppError } from '../../util/app-error'
import { ckrName, pkcs11Error } from './errors'
import { findToken, tokenInfo, type FoundToken, type LoadedModule } from './modules'
import type { TokenCertificate, TokenFlags, TokenSelector } from './protocol'

/** C_OpenSession on `slot`; read-write only for provisioning. */
export function openSession(loaded: LoadedModule, slot: Buffer, readWrite = false): Buffer {
  const flags = pkcs11js.CKF_SERIAL_SESSION | (readWrite ? pkcs11js.CKF_RW_SESSION : 0)
  try {
    return loaded.pkcs11.C_OpenSession(slot, flags)
  } catch (error) {
    throw pkcs11Error('打开会话', error)
  }
}

/** C_CloseSession, ignoring failure: the session may already be gone with its token. */
export function closeSession(loaded: LoadedModule, session: Buffer): void {
  try {
    loaded.pkcs11.C_CloseSession(session)
  } catch {
    // Closed by a removal or a C_Finalize already.
  }
}

/** Every object matching `template`, however many the token holds. */
export function findAll(loaded: LoadedModule, session: Buffer, template: pkcs11js.Template): Buffer[] {
  const { pkcs11 } = loaded
  pkcs11.C_FindObjectsInit(session, template)
  try {
    const handles: Buffer[] = []
    for (let batch = pkcs11.C_FindObjects(session, 64); batch.length > 0; batch = pkcs11.C_FindObjects(session, 64)) handles.push(...batch)
    return handles
  } finally {
    pkcs11.C_FindObjectsFinal(session)
  }
}

/** The values of `types` on one object, in the order asked. */
export function attributes(loaded: LoadedModule, session: Buffer, handle: Buffer, types: number[]): Buffer[] {
  const values = loaded.pkcs11.C_GetAttributeValue(
    session,
    handle,
    types.map((type) => ({ type })),
  )
  return values.map((attribute) => attribute.value as Buffer)
}

/**
 * Refuses before any C_Login a token cannot afford: a locked PIN, or the final try without the
 * user's explicit confirmation (one more wrong PIN would lock the seal until the issuer unlocks it).
 */
export function checkPinState(flags: TokenFlags, confirmFinalTry: boolean): void {
  if (flags.userPinLocked) throw new AppError('PIN_LOCKED')
  if (flags.userPinFinalTry && !confirmFinalTry) throw new AppError('PIN_FINAL_TRY')
}

/** What the token says about its PIN after a wrong one, added to PIN_INCORRECT's message. */
function afterWrongPin(loaded: LoadedModule, slot: Buffer): string {
  try {
    const { flags } = tokenInfo(loaded.pkcs11, slot)
    if (flags.userPinLocked) return '，PIN 码已被锁定'
    if (flags.userPinFinalTry) return '，只剩最后一次尝试机会'
    if (flags.userPinCountLow) return '，剩余尝试次数不多'
  } catch {
    // The PIN state is a courtesy; the error below stands without it.
  }
  return ''
}

/**
 * C_Login CKU_USER with `pin` (used for this one call, kept nowhere). An already logged-in token
 * is fine: the login belongs to the token and the process, so another session of ours holds it.
 */
export function loginUser(loaded: LoadedModule, found: FoundToken, session: Buffer, pin: string): void {
  try {
    loaded.pkcs11.C_Login(session, pkcs11js.CKU_USER, pin)
  } catch (error) {
    if (ckrName(error) === 'CKR_USER_ALREADY_LOGGED_IN') return
    const failure = pkcs11Error('登录', error)
    if (failure.code !== 'PIN_INCORRECT') throw failure
    throw new AppError('PIN_INCORRECT', `${ERROR_CODES.PIN_INCORRECT}${afterWrongPin(loaded, found.slot)}（登录：${ckrName(error)}）`)
  }
}

/** The X.509 certificate objects on the session's token. */
export function certificates(loaded: LoadedModule, session: Buffer): TokenCertificate[] {
  const template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ]
  return findAll(loaded, session, template).map((handle) => {
    const [der, id, label] = attributes(loaded, session, handle, [pkcs11js.CKA_VALUE, pkcs11js.CKA_ID, pkcs11js.CKA_LABEL])
    return {
      der: new Uint8Array(der),
      id: id.toString('hex'),
      label: label.toString('utf8'),
      fingerprint: createHash('sha256').update(der).digest('hex'),
    }
  })
}

/**
 * The PIN as the string pkcs11js's C_Login insists on, read in place from the bytes (no copy that
 * could not be zero-filled); the string itself lives only for the call.
 */
export function pinText(pin: Uint8Array): string {
  return Buffer.from(pin.buffer, pin.byteOffset, pin.byteLength).toString('utf8')
}

/** Options of `listCertificates`: a PIN for tokens that show certificates only after a login. */
export interface ListCertificatesOptions {
  pin: Uint8Array | null
  confirmFinalTry: boolean
}

/** The certificates on one token, after a login when a PIN is given. */
export function listCertificates(loaded: LoadedModule, selector: TokenSelector, options: ListCertificatesOptions): TokenCertificate[] {
  const found = findToken(loaded, selector)
  if (options.pin) checkPinState(found.token.flags, options.confirmFinalTry)
  const session = openSession(loaded, found.slot)
  try {
    if (options.pin) loginUser(loaded, found, session, pinText(options.pin))
    return certificates(loaded, session)
  } catch (error) {
    throw pkcs11Error('读取证书', error)
  } finally {
    options.pin?.fill(0)
    // Closing our only session ends the login too (PKCS#11 §5.6); a signer's session keeps it.
    closeSession(loaded, session)
  }
}
