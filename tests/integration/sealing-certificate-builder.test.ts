import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ecdsaRawToDer,
  issueCertificate,
  parseCertificate,
  sealCertificateProblems,
  spkiFromEcPoint,
  spkiFromRsa,
  type SealCertificate,
} from '../../electron/core/sealing/crypto'
import { octetString } from '../../electron/core/sealing/crypto/der-writer'
import { OID } from '../../electron/core/sealing/crypto/oids'
import { openssl } from '../helpers/openssl'

/**
 * The certificate builder (certdesk demo, tests) checked by openssl: what it issues verifies
 * with `openssl verify` and reads back with the names, usage and validity asked for.
 */

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-builder-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('certificate builder', () => {
  const inHours = (hours: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + hours * 3600_000)

  async function nodeCa(): Promise<{ der: Buffer; certificate: SealCertificate; key: KeyObject }> {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const der = await issueCertificate({
      subject: { commonName: 'CertDesk 演示根 CA', organisation: 'CertDesk 演示', country: 'CN' },
      publicKey: keys.publicKey.export({ type: 'spki', format: 'der' }),
      notBefore: inHours(-1),
      notAfter: inHours(24 * 3650),
      isCa: true,
      pathLength: 0,
      keyUsage: ['keyCertSign', 'cRLSign'],
      algorithm: 'sha256WithRSAEncryption',
      sign: async (tbs) => sign('sha256', tbs, keys.privateKey),
    })
    return { der, certificate: parseCertificate(der), key: keys.privateKey }
  }

  function pem(der: Buffer, label: string): string {
    const path = join(work, `${label}.pem`)
    writeFileSync(path, openssl(['x509', '-inform', 'DER', '-outform', 'PEM'], { input: der }).stdout)
    return path
  }

  it('issues a CA and a seal certificate that openssl verifies and reads back as chosen', async () => {
    const ca = await nodeCa()
    const seal = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const notBefore = inHours(-2)
    const notAfter = new Date('2051-03-01T00:00:00Z')
    const der = await issueCertificate({
      subject: {
        commonName: '上海市职业技能鉴定中心电子印章',
        organisation: '上海市职业技能鉴定中心',
        organisationalUnit: '证书管理处',
        country: 'CN',
      },
      publicKey: seal.publicKey.export({ type: 'spki', format: 'der' }),
      issuer: ca.certificate,
      notBefore,
      notAfter,
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      algorithm: 'sha256WithRSAEncryption',
      sign: async (tbs) => sign('sha256', tbs, ca.key),
    })
    const caPath = pem(ca.der, 'builder-ca')
    const sealPath = pem(der, 'builder-seal')
    expect(openssl(['verify', '-CAfile', caPath, sealPath]).stdout.toString()).toBe(`${sealPath}: OK\n`)
    expect(openssl(['verify', '-CAfile', caPath, caPath]).status).toBe(0)
    const text = openssl(['x509', '-in', sealPath, '-noout', '-text', '-nameopt', 'utf8']).stdout.toString('utf8')
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/)
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/)
    expect(text).toContain('Subject: C=CN, O=上海市职业技能鉴定中心, OU=证书管理处, CN=上海市职业技能鉴定中心电子印章')
    expect(text).toContain('Issuer: C=CN, O=CertDesk 演示, CN=CertDesk 演示根 CA')
    expect(text).toContain('Not After : Mar  1 00:00:00 2051 GMT')
    expect(text).toContain(
      `X509v3 Authority Key Identifier: \n                ${ca.certificate.subjectKeyIdentifier?.toUpperCase().match(/../g)?.join(':')}`,
    )
    const caText = openssl(['x509', '-in', caPath, '-noout', '-text']).stdout.toString()
    expect(caText).toMatch(/CA:TRUE, pathlen:0/)
    expect(caText).toMatch(/Certificate Sign, CRL Sign/)
    expect(parseCertificate(der)).toMatchObject({
      notBefore,
      notAfter,
      keyType: 'ec-p256',
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      isCa: false,
    })
    expect(sealCertificateProblems(parseCertificate(der), new Date())).toEqual([])
  })

  it('signs through a token-like callback answering ECDSA r‖s, converted with ecdsaRawToDer', async () => {
    const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const caDer = await issueCertificate({
      subject: { commonName: 'CertDesk 椭圆曲线 CA' },
      publicKey: caKeys.publicKey.export({ type: 'spki', format: 'der' }),
      notBefore: inHours(-1),
      notAfter: inHours(24 * 365),
      isCa: true,
      keyUsage: ['keyCertSign'],
      algorithm: 'ecdsa-with-SHA256',
      sign: async (tbs) => ecdsaRawToDer(sign('sha256', tbs, { key: caKeys.privateKey, dsaEncoding: 'ieee-p1363' })),
    })
    const subjectKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const der = await issueCertificate({
      subject: { commonName: '时间戳测试' },
      publicKey: subjectKeys.publicKey.export({ type: 'spki', format: 'der' }),
      issuer: parseCertificate(caDer),
      notBefore: inHours(-1),
      notAfter: inHours(24 * 30),
      keyUsage: ['digitalSignature'],
      extendedKeyUsage: [OID.timeStamping],
      algorithm: 'ecdsa-with-SHA256',
      sign: async (tbs) => ecdsaRawToDer(sign('sha256', tbs, { key: caKeys.privateKey, dsaEncoding: 'ieee-p1363' })),
    })
    const path = pem(der, 'builder-ec-issued')
    expect(openssl(['verify', '-CAfile', pem(caDer, 'builder-ec-ca'), path]).status).toBe(0)
    const text = openssl(['x509', '-in', path, '-noout', '-text']).stdout.toString()
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256')
    expect(text).toMatch(/X509v3 Extended Key Usage: \s+Time Stamping/)
    expect(parseCertificate(der).extendedKeyUsage).toEqual([OID.timeStamping])
  })

  it('refuses a signer whose answer does not verify (raw r‖s where DER is due)', async () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const options = {
      subject: { commonName: '错误的签名编码' },
      publicKey: keys.publicKey.export({ type: 'spki', format: 'der' }),
      notBefore: inHours(-1),
      notAfter: inHours(24),
      keyUsage: ['digitalSignature' as const],
      algorithm: 'ecdsa-with-SHA256' as const,
      sign: async (tbs: Buffer) => sign('sha256', tbs, { key: keys.privateKey, dsaEncoding: 'ieee-p1363' }),
    }
    await expect(issueCertificate(options)).rejects.toThrow(/证书签名与颁发者公钥不符/)
    await expect(issueCertificate({ ...options, algorithm: 'sha256WithRSAEncryption' })).rejects.toThrow(/密钥类型/)
  })

  it('builds SubjectPublicKeyInfo from a token’s RSA modulus and EC point, byte for byte as node exports it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const jwk = rsa.publicKey.export({ format: 'jwk' })
    const rsaSpki = spkiFromRsa(Buffer.from(jwk.n as string, 'base64url'), Buffer.from(jwk.e as string, 'base64url'))
    expect(rsaSpki).toEqual(rsa.publicKey.export({ type: 'spki', format: 'der' }))
    const message = Buffer.from('印章')
    expect(
      verify('sha256', message, createPublicKey({ key: rsaSpki, format: 'der', type: 'spki' }), sign('sha256', message, rsa.privateKey)),
    ).toBe(true)

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(ec.publicKey.export({ format: 'jwk' }).x as string, 'base64url'),
      Buffer.from(ec.publicKey.export({ format: 'jwk' }).y as string, 'base64url'),
    ])
    const ecSpki = spkiFromEcPoint(point)
    expect(ecSpki).toEqual(ec.publicKey.export({ type: 'spki', format: 'der' }))
    expect(spkiFromEcPoint(octetString(point))).toEqual(ecSpki)
    expect(
      verify('sha256', message, createPublicKey({ key: ecSpki, format: 'der', type: 'spki' }), sign('sha256', message, ec.privateKey)),
    ).toBe(true)
    const offCurve = Buffer.from(point)
    offCurve[64] ^= 1
    expect(() => spkiFromEcPoint(offCurve)).toThrow(/不在 P-256 曲线上/)
    expect(() => spkiFromEcPoint(point.subarray(1))).toThrow(/格式错误/)
  })
})
