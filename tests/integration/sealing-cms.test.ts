import { createHash, sign, verify, type KeyObject } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assembleSignedData,
  parseCertificate,
  sealCertificateProblems,
  signedAttributesFor,
  verifySignedData,
  type SealCertificate,
} from '../../electron/core/sealing/crypto'
import { parseDer, Tag } from '../../electron/core/sealing/crypto/der'
import {
  contextExplicit,
  contextImplicit,
  integer,
  octetString,
  oid,
  sequence,
  set,
  setOf,
} from '../../electron/core/sealing/crypto/der-writer'
import { OID } from '../../electron/core/sealing/crypto/oids'
import { createTestPki, openssl, type TestIdentity, type TestPki, opensslCmsVerify } from '../helpers/openssl'

/**
 * The CMS layer against openssl: certificates read as openssl reads them, and the SignedData we
 * assemble verifies with `openssl cms -verify`, while our verifier refuses what it must.
 */

const DAY = 86400_000
const SEAL_SUBJECT = '/C=CN/O=上海市职业技能鉴定中心/OU=证书管理处/CN=上海市职业技能鉴定中心电子印章'

type Entity = 'rsa' | 'ec' | 'other' | 'legacy' | 'expired' | 'future' | 'encipher' | 'rsa1024' | 'p384' | 'anyUse'
let work: string
let pki: TestPki<Entity>

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-cms-'))
  pki = createTestPki(join(work, 'pki'), {
    entities: {
      rsa: { subject: SEAL_SUBJECT },
      ec: { key: 'ec-p256', subject: '/C=CN/O=上海市职业技能鉴定中心/CN=鉴定中心电子印章（椭圆曲线）' },
      other: { subject: '/C=CN/O=另一家单位/CN=另一枚印章' },
      legacy: { key: 'ec-p256', stringMask: 'default', subject: '/C=CN/O=Société Générale/CN=上海印章/emailAddress=seal@example.cn' },
      expired: { key: 'ec-p256', notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) },
      future: { key: 'ec-p256', notBefore: new Date(Date.now() + 10 * DAY), notAfter: new Date(Date.now() + 400 * DAY) },
      encipher: { key: 'ec-p256', keyUsage: 'critical,keyEncipherment' },
      rsa1024: { key: 'rsa-1024' },
      p384: { key: 'ec-p384' },
      anyUse: { key: 'ec-p256', keyUsage: null },
    },
  })
}, 120_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

const certificateOf = (identity: TestIdentity) => parseCertificate(identity.certDer)

/** openssl's own reading of a certificate: subject, issuer, serial, dates, SHA-256 fingerprint. */
function opensslView(path: string): Record<string, string> {
  const nameopt = 'utf8,dn_rev,esc_2253,sep_comma_plus_space'
  const args = ['x509', '-in', path, '-noout', '-subject', '-issuer', '-serial', '-dates', '-fingerprint', '-sha256', '-nameopt', nameopt]
  const lines = openssl(args).stdout.toString('utf8').trim().split('\n')
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]))
}

function opensslKeyIdentifier(path: string): string {
  const text = openssl(['x509', '-in', path, '-noout', '-ext', 'subjectKeyIdentifier']).stdout.toString()
  return text.split('\n')[1].trim().replace(/:/g, '').toLowerCase()
}

describe('parseCertificate', () => {
  it.each(['rsa', 'ec', 'legacy'] as const)('reads the %s certificate as openssl does', (name) => {
    const identity = pki.entities[name]
    const certificate = certificateOf(identity)
    const view = opensslView(identity.certPath)
    expect(certificate.subject).toBe(view.subject)
    expect(certificate.issuer).toBe(view.issuer)
    expect(certificate.serialNumberHex).toBe(view.serial.toLowerCase())
    expect(certificate.notBefore).toEqual(new Date(view.notBefore))
    expect(certificate.notAfter).toEqual(new Date(view.notAfter))
    expect(certificate.fingerprint).toBe(view['sha256 Fingerprint'].replace(/:/g, '').toLowerCase())
    expect(certificate.subjectKeyIdentifier).toBe(opensslKeyIdentifier(identity.certPath))
    expect(certificate.issuerDer).toEqual(certificateOf(pki.ca).subjectDer)
    const spki = openssl(['pkey', '-pubin', '-outform', 'DER'], {
      input: openssl(['x509', '-in', identity.certPath, '-noout', '-pubkey']).stdout,
    })
    expect(certificate.spkiDer).toEqual(spki.stdout)
    expect(parseCertificate(identity.certPem)).toMatchObject({ fingerprint: certificate.fingerprint, subject: certificate.subject })
  })

  it('reads Chinese names, key types and extensions', () => {
    const rsa = certificateOf(pki.entities.rsa)
    expect(rsa.subject).toBe('CN=上海市职业技能鉴定中心电子印章, OU=证书管理处, O=上海市职业技能鉴定中心, C=CN')
    expect(rsa.issuer).toBe('CN=CertDesk 测试根 CA, O=CertDesk 测试, C=CN')
    expect(rsa).toMatchObject({ subjectCommonName: '上海市职业技能鉴定中心电子印章', subjectOrganisation: '上海市职业技能鉴定中心' })
    expect(rsa).toMatchObject({
      keyType: 'rsa',
      keyBits: 2048,
      isCa: false,
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      extendedKeyUsage: null,
    })
    expect(certificateOf(pki.entities.ec)).toMatchObject({
      keyType: 'ec-p256',
      keyBits: 256,
      subjectCommonName: '鉴定中心电子印章（椭圆曲线）',
    })
    // BMPString CN, T61String O (Latin-1), IA5String e-mail: the string types older CAs write.
    expect(certificateOf(pki.entities.legacy)).toMatchObject({ subjectCommonName: '上海印章', subjectOrganisation: 'Société Générale' })
    expect(certificateOf(pki.entities.legacy).subject).toBe('emailAddress=seal@example.cn, CN=上海印章, O=Société Générale, C=CN')
    const stringTags = parseDer(certificateOf(pki.entities.legacy).subjectDer).children.map((rdn) => rdn.children[0].children[1].tagNumber)
    expect(stringTags).toEqual([Tag.printableString, Tag.teletexString, Tag.bmpString, Tag.ia5String])
    expect(certificateOf(pki.ca)).toMatchObject({ isCa: true, keyUsage: ['keyCertSign', 'cRLSign'] })
    expect(certificateOf(pki.entities.anyUse).keyUsage).toBeNull()
    expect(certificateOf(pki.entities.p384)).toMatchObject({ keyType: 'unsupported', keyBits: 384 })
    expect(certificateOf(pki.entities.rsa1024)).toMatchObject({ keyType: 'rsa', keyBits: 1024 })
  })

  it('gives a public key that verifies what the private key signed', () => {
    for (const name of ['rsa', 'ec'] as const) {
      const message = Buffer.from('印章')
      const signature = sign('sha256', message, pki.entities[name].privateKey)
      expect(verify('sha256', message, certificateOf(pki.entities[name]).publicKey, signature)).toBe(true)
    }
  })

  it('refuses what is not a certificate with SEAL_CERTIFICATE_INVALID', () => {
    expect(() => parseCertificate(Buffer.from('not a certificate'))).toThrow(expect.objectContaining({ code: 'SEAL_CERTIFICATE_INVALID' }))
    expect(() => parseCertificate(pki.entities.rsa.certDer.subarray(0, 300))).toThrow(/证书格式错误/)
    expect(() => parseCertificate(pki.entities.rsa.keyPem)).toThrow(/证书格式错误/)
  })
})

describe('sealCertificateProblems', () => {
  const chinaTime = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')

  it('finds nothing wrong with RSA-2048 and P-256 seal certificates, nor with one without keyUsage', () => {
    for (const name of ['rsa', 'ec', 'anyUse'] as const)
      expect(sealCertificateProblems(certificateOf(pki.entities[name]), new Date())).toEqual([])
  })

  it('names each reason a certificate may not seal, in Chinese', () => {
    const now = new Date()
    const expired = certificateOf(pki.entities.expired)
    expect(sealCertificateProblems(expired, now)).toEqual([`已过期（有效期至 ${chinaTime(expired.notAfter)}）`])
    const future = certificateOf(pki.entities.future)
    expect(sealCertificateProblems(future, now)).toEqual([`尚未生效（${chinaTime(future.notBefore)} 起生效）`])
    expect(sealCertificateProblems(certificateOf(pki.entities.encipher), now)).toEqual(['没有数字签名或不可否认用途'])
    expect(sealCertificateProblems(certificateOf(pki.ca), now)).toEqual(['没有数字签名或不可否认用途', '是 CA 证书'])
    const unsupported = '密钥类型不受支持（仅支持 RSA 2048 位及以上与 ECDSA P-256）'
    expect(sealCertificateProblems(certificateOf(pki.entities.rsa1024), now)).toEqual([unsupported])
    expect(sealCertificateProblems(certificateOf(pki.entities.p384), now)).toEqual([unsupported])
    // The same certificate, judged at another moment.
    expect(sealCertificateProblems(future, new Date(future.notBefore.getTime() + DAY))).toEqual([])
  })
})

interface Sealed {
  cms: Buffer
  signedAttributes: Buffer
  signature: Buffer
}

function seal(content: Buffer, certificate: SealCertificate, key: KeyObject, extra: Buffer[] = []): Sealed {
  const signedAttributes = signedAttributesFor({ contentDigest: createHash('sha256').update(content).digest(), certificate })
  const signature = sign('sha256', signedAttributes, { key, dsaEncoding: 'der' })
  return { cms: assembleSignedData({ signedAttributes, signature, certificate, extraCertificates: extra }), signedAttributes, signature }
}

const digestOf = (content: Buffer) => (algorithm: 'sha256' | 'sha384' | 'sha512') => createHash(algorithm).update(content).digest()

/** `openssl cms -verify` of a detached signature over `content`, trusting the test CA. */
function opensslVerify(cms: Buffer, content: Buffer, label: string) {
  const cmsPath = join(work, `${label}.der`)
  const contentPath = join(work, `${label}.bin`)
  writeFileSync(cmsPath, cms)
  writeFileSync(contentPath, content)
  return opensslCmsVerify(cmsPath, contentPath, pki.ca.certPath)
}

describe.each([
  ['rsa', 'rsaEncryption'],
  ['ec', 'ecdsa-with-SHA256'],
] as const)('detached CMS with the %s key', (name, signatureAlgorithm) => {
  const content = Buffer.from(`%PDF-1.7 签章测试内容 ${name}\n`.repeat(50))

  it('verifies with openssl cms -verify and with verifySignedData', () => {
    const identity = pki.entities[name]
    const { cms } = seal(content, certificateOf(identity), identity.privateKey, [pki.ca.certDer])
    const result = opensslVerify(cms, content, `${name}-good`)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stderr).toContain('Verification successful')
    const check = verifySignedData(cms, digestOf(content))
    expect(check).toMatchObject({
      valid: true,
      problems: [],
      digestAlgorithm: 'sha256',
      signatureAlgorithm,
      hasSigningCertificateV2: true,
      timestamp: null,
    })
    expect(check.signer?.fingerprint).toBe(certificateOf(identity).fingerprint)
    expect(check.certificates.map((certificate) => certificate.subjectCommonName).sort()).toEqual(
      [certificateOf(identity).subjectCommonName, 'CertDesk 测试根 CA'].sort(),
    )
  })

  it('is detached, carries signingCertificateV2 and no signingTime (openssl cms -cmsout -print)', () => {
    const identity = pki.entities[name]
    const { cms } = seal(content, certificateOf(identity), identity.privateKey)
    const path = join(work, `${name}-print.der`)
    writeFileSync(path, cms)
    const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', path]).stdout.toString('utf8')
    expect(printed).toContain('eContent: <ABSENT>')
    expect(printed).toMatch(/signingCertificateV2/)
    expect(printed).toContain('pkcs7-data')
    expect(printed).not.toMatch(/signingTime/)
  })

  it('is refused by both when a content byte changes', () => {
    const identity = pki.entities[name]
    const { cms } = seal(content, certificateOf(identity), identity.privateKey)
    const tampered = Buffer.from(content)
    tampered[100] ^= 0x20
    expect(opensslVerify(cms, tampered, `${name}-tampered`).status).not.toBe(0)
    const check = verifySignedData(cms, digestOf(tampered))
    expect(check.valid).toBe(false)
    expect(check.problems).toEqual(['内容摘要不符：messageDigest 与被签内容不一致（内容签名后被修改过）'])
  })
})

describe('refusals', () => {
  const content = Buffer.from('%PDF-1.7 refusals\n')

  it('refuses a signature made by another key', () => {
    const { cms } = seal(content, certificateOf(pki.entities.rsa), pki.entities.other.privateKey)
    expect(opensslVerify(cms, content, 'other-key').status).not.toBe(0)
    const check = verifySignedData(cms, digestOf(content))
    expect(check.valid).toBe(false)
    expect(check.problems).toEqual(['签名值无效：签名与签名属性、签名者证书的公钥不符'])
  })

  it('refuses a swapped certificate: signingCertificateV2 names the one that signed', () => {
    const signer = certificateOf(pki.entities.rsa)
    const signedAttributes = signedAttributesFor({ contentDigest: digestOf(content)('sha256'), certificate: signer })
    const signature = sign('sha256', signedAttributes, pki.entities.rsa.privateKey)
    const cms = assembleSignedData({ signedAttributes, signature, certificate: certificateOf(pki.entities.other) })
    expect(opensslVerify(cms, content, 'swapped').status).not.toBe(0)
    const check = verifySignedData(cms, digestOf(content))
    expect(check.valid).toBe(false)
    expect(check.problems).toContain('signingCertificateV2 中的证书摘要与签名者证书不符')
    expect(check.problems).toContain('signingCertificateV2 中的颁发者与序列号与签名者证书不符')
  })

  const attribute = (type: string, value: Buffer) => sequence(oid(type), set(value))

  function sealWith(attributes: Buffer[], identity: TestIdentity): Buffer {
    const signedAttributes = setOf(attributes)
    const signature = sign('sha256', signedAttributes, identity.privateKey)
    return assembleSignedData({ signedAttributes, signature, certificate: certificateOf(identity) })
  }

  it('refuses a CMS without signingCertificateV2, which openssl alone would accept', () => {
    const attributes = [attribute(OID.contentType, oid(OID.data)), attribute(OID.messageDigest, octetString(digestOf(content)('sha256')))]
    const cms = sealWith(attributes, pki.entities.ec)
    expect(opensslVerify(cms, content, 'no-ess').status).toBe(0)
    const check = verifySignedData(cms, digestOf(content))
    expect(check).toMatchObject({ valid: false, hasSigningCertificateV2: false })
    expect(check.problems).toEqual(['签名属性中缺少 signingCertificateV2（ETSI.CAdES.detached 要求）'])
  })

  it('refuses a signingCertificateV2 whose issuerSerial names another serial number', () => {
    const certificate = certificateOf(pki.entities.ec)
    const issuerSerial = sequence(sequence(contextExplicit(4, certificate.issuerDer)), integer(Buffer.from([1])))
    const essCertId = sequence(octetString(Buffer.from(certificate.fingerprint, 'hex')), issuerSerial)
    const attributes = [
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.messageDigest, octetString(digestOf(content)('sha256'))),
      attribute(OID.signingCertificateV2, sequence(sequence(essCertId))),
    ]
    const check = verifySignedData(sealWith(attributes, pki.entities.ec), digestOf(content))
    expect(check.problems).toEqual(['signingCertificateV2 中的颁发者与序列号与签名者证书不符'])
  })

  it('refuses to assemble what a token mix-up would produce', () => {
    const ec = certificateOf(pki.entities.ec)
    const signedAttributes = signedAttributesFor({ contentDigest: digestOf(content)('sha256'), certificate: ec })
    const rawSignature = sign('sha256', signedAttributes, { key: pki.entities.ec.privateKey, dsaEncoding: 'ieee-p1363' })
    expect(() => assembleSignedData({ signedAttributes, signature: rawSignature, certificate: ec })).toThrow(/ecdsaRawToDer/)
    const rsa = certificateOf(pki.entities.rsa)
    const shortSignature = sign('sha256', signedAttributes, pki.entities.rsa1024.privateKey)
    expect(() => assembleSignedData({ signedAttributes, signature: shortSignature, certificate: rsa })).toThrow(/RSA 签名长度 128 字节/)
    const retagged = Buffer.from(signedAttributes)
    retagged[0] = 0xa0
    expect(() => assembleSignedData({ signedAttributes: retagged, signature: rawSignature, certificate: ec })).toThrow(/0x31/)
    expect(() => signedAttributesFor({ contentDigest: Buffer.alloc(20), certificate: ec })).toThrow(/32 字节/)
    const p384 = certificateOf(pki.entities.p384)
    expect(() => assembleSignedData({ signedAttributes, signature: rawSignature, certificate: p384 })).toThrow(
      expect.objectContaining({ code: 'SEAL_CERTIFICATE_INVALID' }),
    )
  })

  it('refuses a CMS whose signer certificate is missing', () => {
    const { cms } = seal(content, certificateOf(pki.entities.ec), pki.entities.ec.privateKey)
    const fields = parseDer(cms).children[1].children[0].children.map((field) => field.raw)
    fields[3] = contextImplicit(0, set(pki.ca.certDer))
    const withoutSigner = sequence(oid(OID.signedData), contextExplicit(0, sequence(...fields)))
    const check = verifySignedData(withoutSigner, digestOf(content))
    expect(check).toMatchObject({ valid: false, signer: null })
    expect(check.problems).toEqual(['签名数据中找不到签名者的证书'])
  })
})
