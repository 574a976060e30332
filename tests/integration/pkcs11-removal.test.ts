import { verify, X509Certificate } from 'node:crypto'
import { mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isTokenFault } from '../../electron/core/sealing/pkcs11/errors'
import { TokenHost } from '../../electron/core/sealing/pkcs11/token-host'
import { createTestPki } from '../helpers/openssl'
import { createSoftHsm, type SoftHsm } from '../helpers/softhsm'
import { provisionSealToken, USER_PIN, type SealKey } from '../helpers/token-fixture'

/**
 * The key pulled out mid-batch, emulated by moving SoftHSM2's token directory away: the open
 * session's C_Sign then fails (CKR_OBJECT_HANDLE_INVALID), and once the directory is back only
 * C_Finalize + C_Initialize makes the token usable again.
 */
let root: string
let softhsm: SoftHsm
let host: TokenHost
let serial: string
let seal: SealKey

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'certdesk-pkcs11-removal-'))
  softhsm = createSoftHsm(root)
  host = new TokenHost()
  const token = await provisionSealToken(host, softhsm.modulePath, createTestPki(join(root, 'pki')), 'CertDesk 拔出测试', {
    seal: { keyType: 'ec-p256', id: '0a' },
  })
  serial = token.serial
  seal = token.keys.seal
}, 120_000)

afterAll(async () => {
  await host?.close()
  rmSync(root, { recursive: true, force: true })
})

function open() {
  return host.openSigner({ modulePath: softhsm.modulePath, token: { serial }, certificateFingerprint: seal.fingerprint, pin: USER_PIN })
}

function verifies(data: Buffer, signature: Buffer): boolean {
  return verify('sha256', data, { key: new X509Certificate(seal.der).publicKey, dsaEncoding: 'der' }, signature)
}

describe('a key removed mid-batch', () => {
  it('rejects with TOKEN_UNAVAILABLE while the key is out, and signs again after reinitialize once it is back', async () => {
    const signer = await open()
    const data = Buffer.from('before removal')
    expect(verifies(data, await signer.sign(data))).toBe(true)

    renameSync(softhsm.tokenDir, `${softhsm.tokenDir}.away`)
    const removed = await signer.sign(Buffer.from('while removed')).catch((error: unknown) => error)
    expect(removed).toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
    expect(isTokenFault(removed)).toBe(true)

    renameSync(`${softhsm.tokenDir}.away`, softhsm.tokenDir)
    // Back in, but the old session stays dead, as with SoftHSM2 and many USB-key drivers.
    expect(await signer.sign(Buffer.from('old session')).catch((error: unknown) => error)).toMatchObject({ code: 'TOKEN_UNAVAILABLE' })

    await host.reinitialize(softhsm.modulePath)
    // The signer was dropped with its module's state: the caller must open a new one.
    expect(await signer.sign(Buffer.from('stale signer')).catch((error: unknown) => error)).toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
    await signer.close()
    const again = await open()
    const after = Buffer.from('after reinitialize')
    expect(verifies(after, await again.sign(after))).toBe(true)
    await again.close()
  })
})
