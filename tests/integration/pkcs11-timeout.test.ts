import { verify, X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isTokenFault } from '../../electron/core/sealing/pkcs11/errors'
import { TokenHost } from '../../electron/core/sealing/pkcs11/token-host'
import { createTestPki } from '../helpers/openssl'
import { configureShim } from '../helpers/pkcs11-shim'
import { createSoftHsm } from '../helpers/softhsm'
import { provisionSealToken, USER_PIN, type SealKey } from '../helpers/token-fixture'

/**
 * A token that hangs in C_Sign (the shim sleeps far longer than the host waits): the call times
 * out, the window's thread keeps running all along, and a fresh worker serves the next calls.
 */
let root: string
let shim: string
let host: TokenHost
let serial: string
let seal: SealKey

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'certdesk-pkcs11-timeout-'))
  const softhsm = createSoftHsm(root)
  shim = configureShim({ target: softhsm.modulePath, signDelayMs: 0 })
  host = new TokenHost({ signTimeoutMs: 400 })
  const token = await provisionSealToken(host, shim, createTestPki(join(root, 'pki')), 'CertDesk 超时测试', {
    seal: { keyType: 'rsa-2048', id: '01' },
  })
  serial = token.serial
  seal = token.keys.seal
}, 120_000)

afterAll(async () => {
  process.env.CERTDESK_SHIM_SIGN_DELAY_MS = '0'
  await host?.close()
  rmSync(root, { recursive: true, force: true })
})

function open() {
  return host.openSigner({ modulePath: shim, token: { serial }, certificateFingerprint: seal.fingerprint, pin: USER_PIN })
}

function verifies(data: Buffer, signature: Buffer): boolean {
  return verify('sha256', data, new X509Certificate(seal.der).publicKey, signature)
}

describe('a token that stops answering', () => {
  it('times out with TOKEN_TIMEOUT while the main thread keeps running, then works again with a fresh worker', async () => {
    const signer = await open()
    expect(verifies(Buffer.from('quick'), await signer.sign(Buffer.from('quick')))).toBe(true)

    // The shim reads the delay at every C_Sign: from now on the "USB key" takes 5 s per signature.
    process.env.CERTDESK_SHIM_SIGN_DELAY_MS = '5000'
    let ticks = 0
    const timer = setInterval(() => (ticks += 1), 20)
    const timedOut = await signer.sign(Buffer.from('hangs')).catch((error: unknown) => error)
    clearInterval(timer)
    expect(timedOut).toMatchObject({ code: 'TOKEN_TIMEOUT' })
    expect(isTokenFault(timedOut)).toBe(true)
    expect(ticks).toBeGreaterThan(0)

    // Its worker was replaced: the signer it held is gone.
    expect(await signer.sign(Buffer.from('stale')).catch((error: unknown) => error)).toMatchObject({ code: 'TOKEN_UNAVAILABLE' })

    // The old thread is still asleep inside C_Sign; the new one initialises the module again
    // (CKR_CRYPTOKI_ALREADY_INITIALIZED, tolerated) and works.
    process.env.CERTDESK_SHIM_SIGN_DELAY_MS = '0'
    expect((await host.listSlots(shim)).some((slot) => slot.token?.serial === serial)).toBe(true)
    const again = await open()
    const data = Buffer.from('after the hang')
    expect(verifies(data, await again.sign(data))).toBe(true)
    await again.close()
  })
})
