import { createHash, randomBytes, sign } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assembleSignedData,
  parseCertificate,
  readTstInfo,
  requestTimestamp,
  signedAttributesFor,
  verifySignedData,
  verifyTimestampToken,
} from '../../electron/core/sealing/crypto'
import { readSignedData } from '../../electron/core/sealing/crypto/signed-data'
import { createTestPki, openssl, type TestPki, opensslCmsVerify } from '../helpers/openssl'
import { startOpensslTsa, type OpensslTsa } from '../helpers/openssl-tsa'

/** The RFC 3161 client and the timestamp checks against a real openssl TSA on 127.0.0.1. */

let work: string
let pki: TestPki<'rsa' | 'ec'>
let tsa: OpensslTsa

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-timestamp-'))
  pki = createTestPki(join(work, 'pki'), {
    entities: { rsa: { subject: '/C=CN/O=上海市职业技能鉴定中心/CN=鉴定中心电子印章' }, ec: { key: 'ec-p256' } },
  })
  tsa = await startOpensslTsa(join(work, 'tsa'))
}, 120_000)

afterAll(async () => {
  await tsa?.close()
  rmSync(work, { recursive: true, force: true })
})

function write(name: string, bytes: Buffer): string {
  const path = join(work, name)
  writeFileSync(path, bytes)
  return path
}

/** `openssl ts -verify` of a token over `data`, trusting the TSA's CA. */
function opensslTsVerify(token: Buffer, data: Buffer, label: string) {
  const args = [
    'ts',
    '-verify',
    '-in',
    write(`${label}.tst`, token),
    '-token_in',
    '-data',
    write(`${label}.sig`, data),
    '-CAfile',
    tsa.caPath,
  ]
  return openssl(args, { allowFailure: true })
}

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }
}

async function closed(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
}

describe('requestTimestamp against openssl ts -reply', () => {
  it('returns a token openssl ts -verify accepts for the signature value, and so does verifyTimestampToken', async () => {
    const signatureValue = randomBytes(256)
    const before = tsa.requests()
    const token = await requestTimestamp(tsa.url, signatureValue)
    expect(tsa.requests()).toBe(before + 1)
    const result = opensslTsVerify(token, signatureValue, 'granted')
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout.toString()).toContain('Verification: OK')
    const check = verifyTimestampToken(token, signatureValue)
    expect(check).toMatchObject({ valid: true, problems: [] })
    expect(check.tsa?.fingerprint).toBe(parseCertificate(tsa.tsa.certDer).fingerprint)
    const eContent = readSignedData(token).eContent as Buffer
    const info = readTstInfo(eContent)
    expect(check.genTime).toEqual(info.genTime)
    expect(info).toMatchObject({ policy: '1.2.3.4.1', hashedMessage: createHash('sha256').update(signatureValue).digest() })
    expect(info.nonce).not.toBeNull()
  })

  it('refuses the token for another signature value, as openssl does', async () => {
    const signatureValue = randomBytes(64)
    const token = await requestTimestamp(tsa.url, signatureValue)
    const other = randomBytes(64)
    expect(opensslTsVerify(token, other, 'other-value').status).not.toBe(0)
    expect(verifyTimestampToken(token, other)).toMatchObject({ valid: false, problems: ['时间戳不是为这个签名值签发的（消息印记不符）'] })
  })

  it('refuses a token whose TSTInfo was changed, without throwing', async () => {
    const signatureValue = randomBytes(64)
    const token = await requestTimestamp(tsa.url, signatureValue)
    const genTime = Buffer.from(
      readTstInfo(readSignedData(token).eContent as Buffer)
        .genTime.toISOString()
        .slice(0, 4),
    )
    const tampered = Buffer.from(token)
    tampered[tampered.indexOf(genTime) + 3] ^= 0x01
    const check = verifyTimestampToken(tampered, signatureValue)
    expect(check.valid).toBe(false)
    expect(check.problems).toContain('内容摘要不符：messageDigest 与被签内容不一致（内容签名后被修改过）')
    expect(verifyTimestampToken(token.subarray(0, 500), signatureValue)).toMatchObject({ valid: false, genTime: null })
  })

  it('verifies a token whose TSA writes signingCertificateV2 (ess_cert_id_alg sha256)', async () => {
    const v2 = await startOpensslTsa(join(work, 'tsa-v2'), { essCertIdAlgorithm: 'sha256' })
    try {
      const signatureValue = randomBytes(64)
      const token = await requestTimestamp(v2.url, signatureValue)
      const result = openssl(
        ['ts', '-verify', '-in', write('v2.tst', token), '-token_in', '-data', write('v2.sig', signatureValue), '-CAfile', v2.caPath],
        { allowFailure: true },
      )
      expect(result.status, result.stderr).toBe(0)
      expect(verifyTimestampToken(token, signatureValue)).toMatchObject({ valid: true, problems: [] })
    } finally {
      await v2.close()
    }
  }, 60_000)
})

describe.each(['rsa', 'ec'] as const)('a CMS with a signature timestamp (%s key)', (name) => {
  const content = Buffer.from(`%PDF-1.7 时间戳测试 ${name}\n`.repeat(20))
  const digest = createHash('sha256').update(content).digest()

  async function timestamped(): Promise<{ cms: Buffer; signature: Buffer }> {
    const identity = pki.entities[name]
    const certificate = parseCertificate(identity.certDer)
    const signedAttributes = signedAttributesFor({ contentDigest: digest, certificate })
    const signature = sign('sha256', signedAttributes, identity.privateKey)
    const timestampToken = await requestTimestamp(tsa.url, signature)
    return {
      cms: assembleSignedData({ signedAttributes, signature, certificate, extraCertificates: [pki.ca.certDer], timestampToken }),
      signature,
    }
  }

  it('still passes openssl cms -verify, and verifySignedData reports the timestamp valid with its genTime', async () => {
    const { cms, signature } = await timestamped()
    const cmsPath = write(`${name}-stamped.der`, cms)
    const contentPath = write(`${name}-stamped.bin`, content)
    const result = opensslCmsVerify(cmsPath, contentPath, pki.ca.certPath)
    expect(result.status, result.stderr).toBe(0)
    const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', cmsPath]).stdout.toString()
    expect(printed).toMatch(/unsignedAttrs:[\s\S]*id-smime-aa-timeStampToken/)
    const check = verifySignedData(cms, () => digest)
    expect(check).toMatchObject({ valid: true, problems: [] })
    expect(check.timestamp).toMatchObject({ valid: true, problems: [] })
    expect(check.timestamp?.genTime).toBeInstanceOf(Date)
    expect(check.timestamp?.tsa?.subjectCommonName).toBe('CertDesk 测试时间戳服务')
    expect(check.timestamp?.genTime).toEqual(verifyTimestampToken(extractToken(cms), signature).genTime)
  })

  it('is refused when the token stamps another signature value', async () => {
    const identity = pki.entities[name]
    const certificate = parseCertificate(identity.certDer)
    const signedAttributes = signedAttributesFor({ contentDigest: digest, certificate })
    const signature = sign('sha256', signedAttributes, identity.privateKey)
    const timestampToken = await requestTimestamp(tsa.url, randomBytes(32))
    const check = verifySignedData(assembleSignedData({ signedAttributes, signature, certificate, timestampToken }), () => digest)
    expect(check.valid).toBe(false)
    expect(check.timestamp?.valid).toBe(false)
    expect(check.problems).toEqual(['签名时间戳无效：时间戳不是为这个签名值签发的（消息印记不符）'])
  })
})

function extractToken(cms: Buffer): Buffer {
  const info = readSignedData(cms).signerInfos[0]
  return info.unsignedValues.get('1.2.840.113549.1.9.16.2.14')?.[0].raw as Buffer
}

describe('requestTimestamp failures', () => {
  const signatureValue = Buffer.from('签名值')

  it('passes on the TSA’s own rejection text (status rejection, failInfo badAlg)', async () => {
    await expect(requestTimestamp(tsa.rejectUrl, signatureValue)).rejects.toMatchObject({
      code: 'TIMESTAMP_FAILED',
      message:
        '时间戳服务没有给出有效的时间戳：服务拒绝了请求（rejection）：Message digest algorithm is not supported.（不支持的摘要算法）',
    })
  })

  it('names an HTTP error', async () => {
    await expect(requestTimestamp(tsa.errorUrl, signatureValue)).rejects.toMatchObject({
      code: 'TIMESTAMP_FAILED',
      message: '时间戳服务没有给出有效的时间戳：服务返回 HTTP 500 Internal Server Error',
    })
  })

  it('names a closed port', async () => {
    const { server, url } = await listen(() => undefined)
    await closed(server)
    await expect(requestTimestamp(url, signatureValue)).rejects.toMatchObject({
      code: 'TIMESTAMP_FAILED',
      message: expect.stringMatching(/^时间戳服务没有给出有效的时间戳：无法连接 127\.0\.0\.1:\d+（连接被拒绝/),
    })
  })

  it('names a TSA that never answers', async () => {
    const { server, url } = await listen(() => undefined)
    try {
      await expect(requestTimestamp(url, signatureValue, { timeoutMs: 200 })).rejects.toMatchObject({
        code: 'TIMESTAMP_FAILED',
        message: expect.stringMatching(/在 0\.2 秒内没有应答$/),
      })
    } finally {
      await closed(server)
    }
  })

  it('names an answer that is not a timestamp reply (a proxy’s error page)', async () => {
    const { server, url } = await listen((_request, response) =>
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>登录</html>'),
    )
    try {
      await expect(requestTimestamp(url, signatureValue)).rejects.toMatchObject({
        code: 'TIMESTAMP_FAILED',
        message: expect.stringContaining('应答不是有效的时间戳应答（Content-Type: text/html'),
      })
    } finally {
      await closed(server)
    }
  })

  it('refuses addresses that are not http or https', async () => {
    await expect(requestTimestamp('ftp://127.0.0.1/', signatureValue)).rejects.toMatchObject({ code: 'TIMESTAMP_FAILED' })
    await expect(requestTimestamp('不是地址', signatureValue)).rejects.toThrow(/服务地址无效/)
  })
})
