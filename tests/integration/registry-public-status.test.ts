import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maskName } from '../../registry/status'
import {
  certificateVersion,
  codeOf,
  nextNumber,
  putRevocation,
  putVersion,
  revocation,
  sendHttp,
  startTestRegistry,
  storeFile,
  type TestRegistry,
} from '../helpers/registry-server'

// What the QR code leads to: the public status as JSON and the page, without a signature.

let registry: TestRegistry
let pdf: string

beforeAll(async () => {
  registry = await startTestRegistry()
  pdf = await storeFile(registry.client, randomBytes(1024))
})
afterAll(async () => {
  await registry?.close()
})

async function issue(changes: Record<string, unknown> = {}, versions = 1): Promise<string> {
  const number = nextNumber()
  for (let version = 1; version <= versions; version += 1) {
    const answer = await putVersion(registry.client, certificateVersion(number, version, pdf, changes), `${number}-v${version}`)
    expect(answer.status).toBe(201)
  }
  return number
}

const statusOf = (path: string) => sendHttp(registry.url, { path })

describe('public status (JSON)', () => {
  it('says valid, and whether the code is the current version’s', async () => {
    const number = await issue()
    const matching = await statusOf(`/v1/status/${number}?c=${codeOf(1)}`)
    expect([matching.status, matching.json()]).toEqual([
      200,
      {
        number,
        status: 'valid',
        version: 1,
        codeMatches: true,
        holderName: '王*华',
        family: 'title',
        level: 'senior',
        issuedAt: '2026-12-01T08:00:00.000Z',
        revokedAt: null,
      },
    ])
    expect((await statusOf(`/v1/status/${number}`)).json()).toMatchObject({ status: 'valid', codeMatches: null })
    expect((await statusOf(`/v1/status/${number}?c=ZZZZZZZZ`)).json()).toMatchObject({ status: 'valid', codeMatches: false })
    expect((await statusOf(`/v1/status/${number}?c=<bad>`)).json()).toMatchObject({ status: 'valid', codeMatches: false })
  })

  it('says superseded for an older version’s code', async () => {
    const number = await issue({}, 2)
    expect((await statusOf(`/v1/status/${number}?c=${codeOf(1)}`)).json()).toMatchObject({
      status: 'superseded',
      version: 2,
      codeMatches: false,
    })
    expect((await statusOf(`/v1/status/${number}?c=${codeOf(2)}`)).json()).toMatchObject({ status: 'valid', codeMatches: true })
  })

  it('says revoked, whatever the code', async () => {
    const number = await issue({}, 2)
    expect((await putRevocation(registry.client, revocation(number, 2), `${number}-r`)).status).toBe(201)
    for (const code of [codeOf(1), codeOf(2)]) {
      expect((await statusOf(`/v1/status/${number}?c=${code}`)).json()).toMatchObject({
        status: 'revoked',
        revokedAt: '2026-12-05T02:00:00.000Z',
      })
    }
  })

  it('answers 404 for a number never published', async () => {
    for (const number of ['T999999', 'lower', 'X']) {
      const answer = await statusOf(`/v1/status/${number}`)
      expect([answer.status, answer.json().code]).toEqual([404, 'not_found'])
    }
  })

  it('masks the holder’s name: first and last kept, a two-character name its first, a single one nothing', async () => {
    const names: Array<[string, string]> = [
      ['王', '*'],
      ['王华', '王*'],
      ['王小华', '王*华'],
      ['欧阳小华', '欧**华'],
    ]
    for (const [name, masked] of names) {
      const number = await issue({ fields: { name } })
      expect((await statusOf(`/v1/status/${number}`)).json().holderName).toBe(masked)
    }
    expect(maskName('𠇔小华')).toBe('𠇔*华')
  })
})

describe('status page (HTML)', () => {
  const page = async (path: string) => {
    const answer = await statusOf(path)
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'")
    return { status: answer.status, html: answer.text() }
  }

  it('shows a valid certificate with the masked name and nothing personal beyond it', async () => {
    const number = await issue({ fields: { name: '王小华', idNumber: '110101198001011237', employer: '上海某某有限公司' } })
    const { status, html } = await page(`/c/${number}?c=${codeOf(1)}`)
    expect(status).toBe(200)
    expect(html).toContain('data-status="valid">有效<')
    for (const shown of [number, '王*华', '高级职称证书', '2026年12月1日']) expect(html).toContain(shown)
    for (const hidden of ['王小华', '110101198001011237', '上海某某有限公司', '男', '1980']) expect(html).not.toContain(hidden)
  })

  it('says 已被新版本取代, 已注销 and 未查到该证书', async () => {
    const corrected = await issue({}, 2)
    expect((await page(`/c/${corrected}?c=${codeOf(1)}`)).html).toContain('>已被新版本取代<')
    const revoked = await issue()
    await putRevocation(registry.client, revocation(revoked, 1), `${revoked}-r`)
    const revokedPage = await page(`/c/${revoked}?c=${codeOf(1)}`)
    expect(revokedPage.html).toContain('>已注销<')
    expect(revokedPage.html).toContain('注销日期')
    const unknown = await page('/c/T999999')
    expect([unknown.status, unknown.html.includes('>未查到该证书<')]).toEqual([404, true])
    const forged = await page(`/c/${corrected}?c=ZZZZZZZZ`)
    expect(forged.html).toContain('data-status="mismatch">校验码不符<')
  })

  it('escapes everything it shows', async () => {
    const number = await issue({ fields: { name: '<script>alert(1)</script>' }, level: '<b>senior</b>', family: 'vocational' })
    const { html } = await page(`/c/${number}`)
    expect(html).not.toMatch(/<script|<b>/)
    expect(html).toContain(`&#60;${'*'.repeat(23)}&#62;`)
    expect(html).toContain('职业资格证书（&#60;b&#62;senior&#60;/b&#62;）')
    const unknown = await page('/c/%3Cscript%3Ealert(1)%3C%2Fscript%3E')
    expect(unknown.status).toBe(404)
    expect(unknown.html).not.toContain('<script')
    expect(unknown.html).toContain('&#60;script&#62;')
  })
})
