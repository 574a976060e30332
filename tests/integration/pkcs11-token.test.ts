import { createHash, verify, X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isTokenFault } from '../../electron/core/sealing/pkcs11/errors'
import { generateKeyPair, storeCertificate } from '../../electron/core/sealing/pkcs11/provision'
import { TokenHost } from '../../electron/core/sealing/pkcs11/token-host'
import { AppError } from '../../electron/core/util/app-error'
import { createTestPki, openssl, type TestPki } from '../helpers/openssl'
import { createSoftHsm, type SoftHsm } from '../helpers/softhsm'
import { issueTokenCertificate } from '../helpers/token-certificates'
import { fingerprintOf, provisionSealToken, USER_PIN, SO_PIN, type SealKey } from '../helpers/token-fixture'

/** Every rejection of the file, to prove at the end that no message carries a PIN. */
const errors: AppError[] = []

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AppError)
  errors.push(error as AppError)
  return error as AppError
}

let root: string
let softhsm: SoftHsm
let pki: TestPki
let host: TokenHost
let serial: string
let keys: Record<'rsa' | 'ec' | 'ambiguous', SealKey>
let orphan: SealKey
const LABEL = 'CertDesk 测试印章'

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'certdesk-pkcs11-'))
  softhsm = createSoftHsm(root)
  pki = createTestPki(join(root, 'pki'))
  host = new TokenHost()
  const token = await provisionSealToken(host, softhsm.modulePath, pki, LABEL, {
    rsa: { keyType: 'rsa-2048', id: '01', subject: '/C=CN/O=上海市职业技能鉴定中心/CN=RSA 电子印章' },
    ec: { keyType: 'ec-p256', id: '02', subject: '/C=CN/O=上海市职业技能鉴定中心/CN=EC 电子印章' },
    ambiguous: { keyType: 'rsa-2048', id: '04' },
  })
  serial = token.serial
  keys = token.keys
  const login = { modulePath: softhsm.modulePath, token: { serial }, userPin: USER_PIN }
  // A second private key under the ambiguous certificate's CKA_ID.
  await generateKeyPair(host, { ...login, keyType: 'rsa-2048', id: keys.ambiguous.id, label: 'ambiguous-twin' })
  // A certificate whose key is somewhere else entirely (a software key of the test PKI).
  const elsewhere = pki.issue('orphan', { key: 'ec-p256' })
  orphan = { id: Buffer.from('03', 'hex'), der: elsewhere.certDer, fingerprint: fingerprintOf(elsewhere.certDer) }
  await storeCertificate(host, { ...login, id: orphan.id, label: 'orphan', der: orphan.der })
}, 120_000)

afterAll(async () => {
  await host?.close()
  rmSync(root, { recursive: true, force: true })
})

function openOptions(key: SealKey, pin = USER_PIN) {
  return { modulePath: softhsm.modulePath, token: { serial }, certificateFingerprint: key.fingerprint, pin }
}

function verifies(key: SealKey, data: Buffer, signature: Buffer): boolean {
  const publicKey = new X509Certificate(key.der).publicKey
  return verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, signature)
}

describe('PKCS#11 token layer on a real SoftHSM2 token', () => {
  it('lists the slots, the token with its flags, and SoftHSM’s free uninitialised slot', async () => {
    const slots = await host.listSlots(softhsm.modulePath)
    const ours = slots.find((slot) => slot.token?.serial === serial)
    expect(ours?.token).toMatchObject({
      label: LABEL,
      manufacturer: 'SoftHSM project',
      model: 'SoftHSM v2',
      flags: { loginRequired: true, tokenInitialized: true, userPinCountLow: false, userPinFinalTry: false, userPinLocked: false },
    })
    expect(slots.some((slot) => slot.token && !slot.token.flags.tokenInitialized)).toBe(true)
  })

  it('lists the certificates on the token with CKA_ID, CKA_LABEL, DER and fingerprint', async () => {
    const certificates = await host.listCertificates(softhsm.modulePath, { label: LABEL })
    const byId = Object.fromEntries(certificates.map((certificate) => [certificate.id, certificate]))
    expect(Object.keys(byId).sort()).toEqual(['01', '02', '03', '04'])
    expect(byId['01']).toMatchObject({ label: 'rsa', fingerprint: keys.rsa.fingerprint })
    expect(byId['02'].der.equals(keys.ec.der)).toBe(true)
    expect(byId['02'].fingerprint).toBe(createHash('sha256').update(byId['02'].der).digest('hex'))
    // After a login too (some tokens only show their objects then).
    expect(await host.listCertificates(softhsm.modulePath, { serial }, { pin: USER_PIN })).toHaveLength(4)
  })

  it('signs with the RSA key; node:crypto verifies against the certificate, with several signatures in flight', async () => {
    const signer = await host.openSigner(openOptions(keys.rsa))
    expect(signer).toMatchObject({ keyType: 'rsa', alwaysAuthenticate: false })
    expect(signer.certificateDer.equals(keys.rsa.der)).toBe(true)
    const data = Array.from({ length: 8 }, (_, index) => Buffer.from(`signed attributes #${index}`))
    const signatures = await Promise.all(data.map((item) => signer.sign(item)))
    expect(signatures.map((signature, index) => verifies(keys.rsa, data[index], signature))).toEqual(data.map(() => true))
    await signer.close()
  })

  it('signs with the EC P-256 key, the raw r‖s returned as a DER ECDSA-Sig-Value', async () => {
    const signer = await host.openSigner(openOptions(keys.ec))
    expect(signer.keyType).toBe('ec')
    const data = Buffer.from('3181a0 签名属性', 'utf8')
    const signature = await signer.sign(data)
    expect(signature[0]).toBe(0x30)
    expect(verifies(keys.ec, data, signature)).toBe(true)
    await signer.close()
    await expect(signer.sign(data)).rejects.toMatchObject({ code: 'INVALID_STATE' })
  })

  it('refuses a wrong PIN with PIN_INCORRECT and opens no signer', async () => {
    const error = await rejection(host.openSigner(openOptions(keys.rsa, 'wrong-pin-9999')))
    expect(error.code).toBe('PIN_INCORRECT')
    expect(error.message).toContain('CKR_PIN_INCORRECT')
    expect(error.message).not.toContain('wrong-pin-9999')
  })

  it('finds no key for a certificate without one, and refuses to guess between two: KEY_NOT_FOUND, said differently', async () => {
    const none = await rejection(host.openSigner(openOptions(orphan)))
    const several = await rejection(host.openSigner(openOptions(keys.ambiguous)))
    expect([none.code, several.code]).toEqual(['KEY_NOT_FOUND', 'KEY_NOT_FOUND'])
    expect(none.message).toContain('没有 CKA_ID 为 03 的签名私钥')
    expect(several.message).toContain('有 2 把 CKA_ID 同为 04 的签名私钥')
    const unknown = await rejection(host.openSigner({ ...openOptions(keys.rsa), certificateFingerprint: '00'.repeat(32) }))
    expect(unknown.code).toBe('KEY_NOT_FOUND')
  })

  it('answers TOKEN_MODULE for a module that is missing, relative, or not PKCS#11, and TOKEN_UNAVAILABLE for an absent token', async () => {
    for (const modulePath of [join(root, 'no-such-module.so'), 'libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/libz.so.1']) {
      expect((await rejection(host.listSlots(modulePath))).code).toBe('TOKEN_MODULE')
    }
    const absent = await rejection(host.openSigner({ ...openOptions(keys.rsa), token: { serial: 'no-such-serial' } }))
    expect(absent.code).toBe('TOKEN_UNAVAILABLE')
    expect(isTokenFault(absent)).toBe(true)
  })

  it('tolerates a second C_Initialize in the process: a second TokenHost signs too', async () => {
    const second = new TokenHost()
    try {
      const signer = await second.openSigner(openOptions(keys.ec))
      const data = Buffer.from('second host')
      expect(verifies(keys.ec, data, await signer.sign(data))).toBe(true)
      await signer.close()
    } finally {
      await second.close()
    }
    // Closing it finalised the module for the whole process (one TokenHost per process, as
    // documented): the first host sees a token fault and recovers as after a removal.
    const fault = await rejection(host.openSigner(openOptions(keys.rsa)))
    expect(isTokenFault(fault)).toBe(true)
    await host.reinitialize(softhsm.modulePath)
    const signer = await host.openSigner(openOptions(keys.rsa))
    expect(verifies(keys.rsa, Buffer.from('again'), await signer.sign(Buffer.from('again')))).toBe(true)
    await signer.close()
  })

  it('issues certificates for on-token keys with a validity window and key usage of the test’s choosing', () => {
    const spkiDer = new X509Certificate(keys.rsa.der).publicKey.export({ type: 'spki', format: 'der' })
    const notBefore = new Date('2020-01-01T00:00:00Z')
    const notAfter = new Date('2021-01-01T00:00:00Z')
    const expired = issueTokenCertificate(pki, 'expired', { spkiDer, notBefore, notAfter, keyUsage: 'critical,keyEncipherment' })
    const certificate = new X509Certificate(expired.der)
    expect([new Date(certificate.validFrom), new Date(certificate.validTo)]).toEqual([notBefore, notAfter])
    expect(certificate.verify(new X509Certificate(pki.ca.certDer).publicKey)).toBe(true)
    expect(certificate.publicKey.export({ type: 'spki', format: 'der' }).equals(spkiDer)).toBe(true)
    expect(openssl(['x509', '-in', expired.path, '-noout', '-ext', 'keyUsage']).stdout.toString()).toContain('Key Encipherment')
  })

  it('never puts a PIN in an error message', () => {
    expect(errors.length).toBeGreaterThan(5)
    for (const error of errors) {
      for (const pin of [USER_PIN, SO_PIN, 'wrong-pin-9999']) expect(error.message).not.toContain(pin)
    }
  })
})
