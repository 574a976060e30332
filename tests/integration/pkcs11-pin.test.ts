import { verify, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as pkcs11js from 'pkcs11js'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TokenFlags } from '../../electron/core/sealing/pkcs11/protocol'
import { TokenHost } from '../../electron/core/sealing/pkcs11/token-host'
import { AppError } from '../../electron/core/util/app-error'
import { createTestPki } from '../helpers/openssl'
import { configureShim } from '../helpers/pkcs11-shim'
import { createSoftHsm, type SoftHsm } from '../helpers/softhsm'
import { provisionSealToken, SO_PIN, USER_PIN, type SealKey } from '../helpers/token-fixture'

/**
 * PIN handling through the pass-through shim, which gives SoftHSM2 the retry counter real USB
 * keys have (3 tries) and logs every C_Login it receives, so "no login was attempted" is provable.
 */
const WRONG_PIN = 'wrong-3141-5926'
const PINS = [USER_PIN, SO_PIN, WRONG_PIN]

let root: string
let softhsm: SoftHsm
let shim: string
let loginLog: string
let host: TokenHost
let serial: string
let keys: Record<'plain' | 'always', SealKey>
const errors: AppError[] = []
const output: string[] = []

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AppError)
  errors.push(error as AppError)
  return error as AppError
}

/** The C_Login lines of the shim's log: "C_Login user=<CKU> forwarded=<0|1> rv=0x<CKR>". */
function logins(): string[] {
  return readFileSync(loginLog, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('C_Login'))
}

async function flags(): Promise<TokenFlags> {
  const slots = await host.listSlots(shim)
  return slots.find((slot) => slot.token?.serial === serial)!.token!.flags
}

function openOptions(key: SealKey, pin: string, confirmFinalTry = false) {
  return { modulePath: shim, token: { serial }, certificateFingerprint: key.fingerprint, pin, confirmFinalTry }
}

function verifies(key: SealKey, data: Buffer, signature: Buffer): boolean {
  return verify('sha256', data, new X509Certificate(key.der).publicKey, signature)
}

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
    vi.spyOn(stream, 'write').mockImplementation((...args: unknown[]) => {
      output.push(String(args[0]))
      return write(...args)
    })
  }
  root = mkdtempSync(join(tmpdir(), 'certdesk-pkcs11-pin-'))
  softhsm = createSoftHsm(root)
  loginLog = join(root, 'login.log')
  shim = configureShim({ target: softhsm.modulePath, pinTries: 3, loginLog })
  host = new TokenHost()
  const token = await provisionSealToken(host, shim, createTestPki(join(root, 'pki')), 'CertDesk PIN 测试', {
    plain: { keyType: 'rsa-2048', id: '01' },
    always: { keyType: 'rsa-2048', id: '02', alwaysAuthenticate: true },
  })
  serial = token.serial
  keys = token.keys
}, 120_000)

afterAll(async () => {
  await host?.close()
  vi.restoreAllMocks()
  rmSync(root, { recursive: true, force: true })
})

/** C_SignInit + C_Sign from this thread, without the context-specific login: what SoftHSM2 says. */
function signWithoutContextLogin(id: Buffer): string {
  const pkcs11 = new pkcs11js.PKCS11()
  pkcs11.load(softhsm.modulePath)
  try {
    pkcs11.C_Initialize()
  } catch (error) {
    expect((error as Error).message).toBe('CKR_CRYPTOKI_ALREADY_INITIALIZED')
  }
  const slot = pkcs11.C_GetSlotList(true).find((candidate) => pkcs11.C_GetTokenInfo(candidate).serialNumber.trim() === serial)!
  const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION)
  try {
    // Logged in already: the worker's signer holds the token's login for the whole process.
    pkcs11.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: id },
    ])
    const key = pkcs11.C_FindObjects(session)!
    pkcs11.C_FindObjectsFinal(session)
    pkcs11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key)
    pkcs11.C_Sign(session, Buffer.from('no context login'), Buffer.alloc(256))
    return 'CKR_OK'
  } catch (error) {
    return (error as Error).message
  } finally {
    pkcs11.C_CloseSession(session)
  }
}

describe('PINs, PIN flags and context-specific logins', () => {
  it('signs several times in a row with a CKA_ALWAYS_AUTHENTICATE key, one CKU_CONTEXT_SPECIFIC login per signature', async () => {
    const before = logins().length
    const signer = await host.openSigner(openOptions(keys.always, USER_PIN))
    expect(signer.alwaysAuthenticate).toBe(true)
    const data = [1, 2, 3].map((index) => Buffer.from(`always ${index}`))
    const signatures = await Promise.all(data.map((item) => signer.sign(item)))
    expect(signatures.every((signature, index) => verifies(keys.always, data[index], signature))).toBe(true)
    expect(logins().slice(before)).toEqual([
      'C_Login user=1 forwarded=1 rv=0x0',
      ...data.map(() => `C_Login user=${pkcs11js.CKU_CONTEXT_SPECIFIC} forwarded=1 rv=0x0`),
    ])
    // SoftHSM2 does enforce the attribute: without that login it refuses to sign.
    expect(signWithoutContextLogin(keys.always.id)).toBe('CKR_USER_NOT_LOGGED_IN')
    await signer.close()
    const plain = await host.openSigner(openOptions(keys.plain, USER_PIN))
    expect(plain.alwaysAuthenticate).toBe(false)
    await plain.close()
  })

  it('reports count-low and final-try, and attempts no login on the final try without confirmation', async () => {
    expect(await flags()).toMatchObject({ userPinCountLow: false, userPinFinalTry: false, userPinLocked: false })
    expect((await rejection(host.openSigner(openOptions(keys.plain, WRONG_PIN)))).code).toBe('PIN_INCORRECT')
    expect(await flags()).toMatchObject({ userPinCountLow: true, userPinFinalTry: false, userPinLocked: false })
    const second = await rejection(host.openSigner(openOptions(keys.plain, WRONG_PIN)))
    expect(second.message).toContain('只剩最后一次尝试机会')
    expect(await flags()).toMatchObject({ userPinCountLow: true, userPinFinalTry: true, userPinLocked: false })

    const before = logins().length
    expect((await rejection(host.openSigner(openOptions(keys.plain, USER_PIN)))).code).toBe('PIN_FINAL_TRY')
    expect((await rejection(host.listCertificates(shim, { serial }, { pin: USER_PIN }))).code).toBe('PIN_FINAL_TRY')
    expect(logins()).toHaveLength(before)

    const signer = await host.openSigner(openOptions(keys.plain, USER_PIN, true))
    expect(logins().slice(before)).toEqual(['C_Login user=1 forwarded=1 rv=0x0'])
    expect(await flags()).toMatchObject({ userPinCountLow: false, userPinFinalTry: false, userPinLocked: false })
    expect(verifies(keys.plain, Buffer.from('ok'), await signer.sign(Buffer.from('ok')))).toBe(true)
    await signer.close()
  })

  it('reports a locked PIN and refuses without attempting a login', async () => {
    await rejection(host.openSigner(openOptions(keys.plain, WRONG_PIN)))
    await rejection(host.openSigner(openOptions(keys.plain, WRONG_PIN)))
    const last = await rejection(host.openSigner(openOptions(keys.plain, WRONG_PIN, true)))
    expect(last).toMatchObject({ code: 'PIN_INCORRECT' })
    expect(last.message).toContain('PIN 码已被锁定')
    expect(await flags()).toMatchObject({ userPinLocked: true })

    const before = logins().length
    const locked = await rejection(host.openSigner(openOptions(keys.plain, USER_PIN, true)))
    expect(locked.code).toBe('PIN_LOCKED')
    expect(logins()).toHaveLength(before)
  })

  it('never lets a PIN reach an error message, stdout/stderr or the login log', () => {
    expect(errors.length).toBeGreaterThanOrEqual(7)
    const texts = [...errors.map((error) => error.message), output.join(''), readFileSync(loginLog, 'utf8')]
    for (const text of texts) for (const pin of PINS) expect(text).not.toContain(pin)
  })
})
