import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signRequest } from '../../electron/core/registry/request-signature'
import {
  certificateVersion,
  effectsOf,
  nextNumber,
  putRevocation,
  putVersion,
  revocation,
  sendHttp,
  startTestRegistry,
  storeFile,
  testClient,
  type TestClient,
  type TestRegistry,
} from '../helpers/registry-server'

// The reference registry over real HTTP on 127.0.0.1: authentication, files, publications with
// idempotency and order, batches and organisation scope. Status pages, applications and faults
// are in the other registry-*.test.ts files.

let registry: TestRegistry
let client: TestClient
let pdf: string

beforeAll(async () => {
  registry = await startTestRegistry()
  client = registry.client
  pdf = await storeFile(client, randomBytes(2048))
})
afterAll(async () => {
  await registry?.close()
})

describe('authentication', () => {
  const path = '/v1/applications?limit=1'

  it('refuses a request without the signature headers', async () => {
    const answer = await sendHttp(registry.url, { path })
    expect(answer.status).toBe(401)
    expect(answer.json()).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('缺少签名请求头') })
  })

  it('refuses an unknown client', async () => {
    const stranger = testClient(registry.url, 'desk-unknown', 'WSHL')
    const answer = await stranger.send('GET', path)
    expect([answer.status, answer.json()]).toEqual([401, { code: 'unauthorized', message: '未登记的客户端' }])
  })

  it('refuses a stale timestamp, in either direction', async () => {
    const past = await client.send('GET', path, { now: new Date(Date.now() - 301_000) })
    const future = await client.send('GET', path, { now: new Date(Date.now() + 301_000) })
    for (const answer of [past, future]) {
      expect(answer.status).toBe(401)
      expect(answer.json()).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('5 分钟') })
    }
  })

  it('refuses a signature over another body, another path or by another key', async () => {
    const body = JSON.stringify({ operations: [] })
    const headers = signRequest(client.privateKey, client.clientId, { method: 'POST', pathAndQuery: '/v1/operations', body }, new Date())
    const tamperedBody = await sendHttp(registry.url, { method: 'POST', path: '/v1/operations', headers, body: body.replace('[]', '[1]') })
    const otherPath = signRequest(client.privateKey, client.clientId, { method: 'GET', pathAndQuery: path, body: '' }, new Date())
    const tamperedPath = await sendHttp(registry.url, { path: '/v1/applications?limit=2', headers: otherPath })
    const impostor = testClient(registry.url, client.clientId, 'WSHL')
    const wrongKey = await impostor.send('GET', path)
    for (const answer of [tamperedBody, tamperedPath, wrongKey]) {
      expect([answer.status, answer.json()]).toEqual([401, { code: 'unauthorized', message: '请求签名无效' }])
    }
  })

  it('refuses a malformed timestamp and a deactivated client', async () => {
    const headers = { ...signRequest(client.privateKey, client.clientId, { method: 'GET', pathAndQuery: path, body: '' }, new Date()) }
    headers['x-certdesk-timestamp'] = '2026-12-01 08:00:00'
    const malformed = await sendHttp(registry.url, { path, headers })
    expect(malformed.json()).toEqual({ code: 'unauthorized', message: '请求时间格式错误' })
    const retired = await registry.addClient('desk-retired', 'WSHL')
    await registry.admin('POST', '/_admin/clients', {
      clientId: retired.clientId,
      organisationCode: 'WSHL',
      publicKeyPem: retired.publicKeyPem,
      active: false,
    })
    const answer = await retired.send('GET', path)
    expect([answer.status, answer.json().message]).toEqual([401, '该客户端已停用'])
  })

  it('guards the admin API with its token', async () => {
    const none = await sendHttp(registry.url, { path: '/_admin/effects' })
    const wrong = await sendHttp(registry.url, { path: '/_admin/effects', headers: { authorization: 'Bearer nope' } })
    for (const answer of [none, wrong]) expect([answer.status, answer.json().code]).toEqual([401, 'unauthorized'])
    const invalidKey = await registry.admin('POST', '/_admin/clients', { clientId: 'desk-x', organisationCode: 'WSHL', publicKeyPem: 'x' })
    expect([invalidKey.status, invalidKey.json().code]).toEqual([422, 'invalid'])
  })

  it('answers unknown paths 404 and other methods 405', async () => {
    const unknown = await client.send('GET', '/v1/nothing')
    const method = await client.send('DELETE', `/v1/files/${pdf}`)
    expect([unknown.status, unknown.json().code, method.status]).toEqual([404, 'not_found', 405])
  })
})

describe('files', () => {
  it('stores a file by its hash, once, under the data directory', async () => {
    const bytes = randomBytes(4096)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const first = await client.send('PUT', `/v1/files/${sha256}`, { body: bytes })
    const again = await client.send('PUT', `/v1/files/${sha256}`, { body: bytes })
    expect([first.status, first.json(), again.status]).toEqual([201, { sha256, size: 4096 }, 200])
    expect(readFileSync(join(registry.dataDir, 'files', sha256.slice(0, 2), sha256.slice(2)))).toEqual(bytes)
    const head = await client.send('HEAD', `/v1/files/${sha256}`)
    expect([head.status, head.headers['content-length']]).toEqual([200, '4096'])
    const fetched = await client.send('GET', `/v1/files/${sha256}`)
    expect([fetched.status, fetched.body]).toEqual([200, bytes])
  })

  it('refuses bytes that do not hash to the address, and stores nothing', async () => {
    const sha256 = createHash('sha256').update('something else').digest('hex')
    const answer = await client.send('PUT', `/v1/files/${sha256}`, { body: 'these bytes' })
    expect([answer.status, answer.json().code]).toEqual([422, 'hash_mismatch'])
    expect((await client.send('HEAD', `/v1/files/${sha256}`)).status).toBe(404)
    expect(existsSync(join(registry.dataDir, 'files', sha256.slice(0, 2), sha256.slice(2)))).toBe(false)
    const malformed = await client.send('PUT', '/v1/files/ABC', { body: 'x' })
    expect([malformed.status, malformed.json().code]).toEqual([400, 'bad_request'])
  })

  it('stores the same file sent twice at once, and replaces a half-written one left without its row', async () => {
    const bytes = randomBytes(8192)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const answers = await Promise.all([1, 2].map(() => client.send('PUT', `/v1/files/${sha256}`, { body: bytes })))
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201])
    const leftover = randomBytes(8192)
    const leftoverSha = createHash('sha256').update(leftover).digest('hex')
    const path = join(registry.dataDir, 'files', leftoverSha.slice(0, 2), leftoverSha.slice(2))
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, leftover.subarray(0, 100))
    expect((await client.send('HEAD', `/v1/files/${leftoverSha}`)).status).toBe(404)
    expect((await client.send('PUT', `/v1/files/${leftoverSha}`, { body: leftover })).status).toBe(201)
    expect(readFileSync(path)).toEqual(leftover)
  })

  it('lets a client fetch only files it may see', async () => {
    const other = await registry.addClient('desk-jz-files', 'JZ')
    const bureau = await registry.addClient('desk-bureau-files', '*')
    const own = await storeFile(client, randomBytes(100))
    expect((await other.send('GET', `/v1/files/${own}`)).status).toBe(404)
    expect((await other.send('HEAD', `/v1/files/${own}`)).status).toBe(200)
    expect((await bureau.send('GET', `/v1/files/${own}`)).status).toBe(200)
    expect((await client.send('GET', `/v1/files/${'0'.repeat(64)}`)).json().code).toBe('not_found')
  })
})

describe('publications', () => {
  it('publishes a version once: the same key and body replays the stored answer', async () => {
    const number = nextNumber()
    const payload = certificateVersion(number, 1, pdf)
    const first = await putVersion(client, payload, `${number}-v1`)
    expect(first.status).toBe(201)
    expect(first.json()).toEqual({ receiptId: expect.any(String), acceptedAt: expect.any(String), replayed: false })
    // Canonical JSON: the same body with its keys in another order is the same body.
    const reordered = Object.fromEntries(Object.entries(payload).reverse())
    const replay = await putVersion(client, reordered as typeof payload, `${number}-v1`)
    expect([replay.status, replay.json()]).toEqual([200, { ...first.json(), replayed: true }])
    expect((await effectsOf(registry, number)).map((effect) => effect.idempotencyKey)).toEqual([`${number}-v1`])
    const stored = (await registry.admin('GET', `/_admin/certificates/${number}`)).json()
    expect(stored).toMatchObject({ currentVersion: 1, versions: [{ version: 1, payload, pdfSha256: pdf }], revocation: null })
  })

  it('refuses the same key with another body, and changes nothing', async () => {
    const number = nextNumber()
    await putVersion(client, certificateVersion(number, 1, pdf), `${number}-v1`)
    const other = certificateVersion(number, 1, pdf, { fields: { name: '李四' } })
    const answer = await putVersion(client, other, `${number}-v1`)
    expect([answer.status, answer.json().code]).toEqual([409, 'idempotency_conflict'])
    expect(await effectsOf(registry, number)).toHaveLength(1)
    const stored = (await registry.admin('GET', `/_admin/certificates/${number}`)).json<{ versions: Array<{ payload: typeof other }> }>()
    expect(stored.versions[0].payload.fields.name).toBe('王小华')
  })

  it('applies version 2 only after version 1, and the early one once resent', async () => {
    const number = nextNumber()
    const early = await putVersion(client, certificateVersion(number, 2, pdf), `${number}-v2`)
    expect([early.status, early.json().code]).toEqual([409, 'out_of_order'])
    expect(await effectsOf(registry, number)).toEqual([])
    expect((await putVersion(client, certificateVersion(number, 1, pdf), `${number}-v1`)).status).toBe(201)
    expect((await putVersion(client, certificateVersion(number, 2, pdf), `${number}-v2`)).status).toBe(201)
    const again = await putVersion(client, certificateVersion(number, 2, pdf), `${number}-v2-again`)
    expect([again.status, again.json().code]).toEqual([409, 'out_of_order'])
    expect((await effectsOf(registry, number)).map((effect) => effect.idempotencyKey)).toEqual([`${number}-v1`, `${number}-v2`])
  })

  it('revokes only an issued certificate at its current version, once', async () => {
    const number = nextNumber()
    const early = await putRevocation(client, revocation(number, 1), `${number}-r`)
    expect([early.status, early.json().code]).toEqual([409, 'out_of_order'])
    await putVersion(client, certificateVersion(number, 1, pdf), `${number}-v1`)
    await putVersion(client, certificateVersion(number, 2, pdf), `${number}-v2`)
    const stale = await putRevocation(client, revocation(number, 1), `${number}-r-stale`)
    expect([stale.status, stale.json().code]).toEqual([409, 'out_of_order'])
    expect((await putRevocation(client, revocation(number, 2), `${number}-r`)).status).toBe(201)
    const twice = await putRevocation(client, revocation(number, 2), `${number}-r-twice`)
    const after = await putVersion(client, certificateVersion(number, 3, pdf), `${number}-v3`)
    expect([twice.status, twice.json().code, after.status, after.json().code]).toEqual([409, 'out_of_order', 409, 'out_of_order'])
    const types = (await effectsOf(registry, number)).map((effect) => effect.type)
    expect(types).toEqual(['certificate.version', 'certificate.version', 'certificate.revocation'])
    expect((await registry.admin('GET', `/_admin/certificates/${number}`)).json().revocation).toMatchObject({ version: 2 })
  })

  it('needs the PDF stored first, and applies once it is', async () => {
    const number = nextNumber()
    const bytes = randomBytes(512)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const missing = await putVersion(client, certificateVersion(number, 1, sha256), `${number}-v1`)
    expect([missing.status, missing.json().code]).toEqual([422, 'file_missing'])
    await storeFile(client, bytes)
    expect((await putVersion(client, certificateVersion(number, 1, sha256), `${number}-v1`)).status).toBe(201)
  })

  it('validates every body, with Chinese messages', async () => {
    const number = nextNumber()
    const invalid = await putVersion(client, certificateVersion(number, 1, pdf, { verificationCode: 'abc' }), `${number}-v1`)
    expect([invalid.status, invalid.json().code]).toEqual([422, 'invalid'])
    expect(invalid.json().message).toMatch(/^请求内容不符合协议：verificationCode/)
    const noKey = await client.send('PUT', `/v1/certificates/${number}/versions/1`, { json: certificateVersion(number, 1, pdf) })
    expect([noKey.status, noKey.json().code]).toEqual([400, 'bad_request'])
    const mismatch = await client.send('PUT', `/v1/certificates/${number}/versions/2`, {
      json: certificateVersion(number, 1, pdf),
      headers: { 'idempotency-key': 'k' },
    })
    expect([mismatch.status, mismatch.json().code]).toEqual([422, 'invalid'])
    const notJson = await client.send('PUT', `/v1/certificates/${number}/versions/1`, { body: '{', headers: { 'idempotency-key': 'k' } })
    expect([notJson.status, notJson.json()]).toEqual([400, { code: 'bad_request', message: '请求内容不是有效的 JSON' }])
  })
})

describe('batches of operations', () => {
  it('answers every operation on its own, in order, never all-or-nothing', async () => {
    const [a, b, c] = [nextNumber(), nextNumber(), nextNumber()]
    const checkpoint = { length: 10, headHash: 'a'.repeat(64), at: '2026-12-01T09:00:00.000Z' }
    const operations = [
      { idempotencyKey: `${a}-v1`, type: 'certificate.version', payload: certificateVersion(a, 1, pdf) },
      { idempotencyKey: `${a}-v2`, type: 'certificate.version', payload: certificateVersion(a, 2, pdf) },
      { idempotencyKey: `${b}-v1`, type: 'certificate.version', payload: certificateVersion(b, 1, pdf, { family: 'none' }) },
      { idempotencyKey: `${c}-v2`, type: 'certificate.version', payload: certificateVersion(c, 2, pdf) },
      { idempotencyKey: `${a}-r`, type: 'certificate.revocation', payload: revocation(a, 2) },
      { idempotencyKey: `${a}-v1`, type: 'certificate.version', payload: certificateVersion(a, 1, pdf) },
      { idempotencyKey: `${a}-v2`, type: 'certificate.version', payload: certificateVersion(a, 3, pdf) },
      { idempotencyKey: 'batch-checkpoint', type: 'audit.checkpoint', payload: checkpoint },
      { idempotencyKey: 'bad key!', type: 'audit.checkpoint', payload: checkpoint },
      { idempotencyKey: 'batch-unknown', type: 'certificate.burn', payload: {} },
      { idempotencyKey: `${c}-v1`, type: 'certificate.version', payload: certificateVersion(c, 1, pdf) },
    ]
    const answer = await client.send('POST', '/v1/operations', { json: { operations } })
    expect(answer.status).toBe(200)
    const results = answer.json<{ results: Array<{ idempotencyKey: string; status: number; error?: { code: string } }> }>().results
    expect(results.map((result) => [result.idempotencyKey, result.status, result.error?.code])).toEqual([
      [`${a}-v1`, 201, undefined],
      [`${a}-v2`, 201, undefined],
      [`${b}-v1`, 422, 'invalid'],
      [`${c}-v2`, 409, 'out_of_order'],
      [`${a}-r`, 201, undefined],
      [`${a}-v1`, 200, undefined],
      [`${a}-v2`, 409, 'idempotency_conflict'],
      ['batch-checkpoint', 201, undefined],
      ['bad key!', 400, 'bad_request'],
      ['batch-unknown', 400, 'bad_request'],
      [`${c}-v1`, 201, undefined],
    ])
    expect((await effectsOf(registry, a)).map((effect) => effect.idempotencyKey)).toEqual([`${a}-v1`, `${a}-v2`, `${a}-r`])
    expect(await effectsOf(registry, b)).toEqual([])
    expect((await effectsOf(registry, c)).map((effect) => effect.idempotencyKey)).toEqual([`${c}-v1`])
    const [firstEffect] = await effectsOf(registry, a)
    const page = (await registry.admin('GET', `/_admin/effects?after=${firstEffect.sequence}&limit=2`)).json<{
      items: Array<{ sequence: number }>
    }>()
    expect(page.items.map((effect) => effect.sequence)).toEqual([firstEffect.sequence + 1, firstEffect.sequence + 2])
    // The single write answers what the batch stored: same key, same body, same receipt.
    const single = await putVersion(client, certificateVersion(a, 1, pdf), `${a}-v1`)
    expect([single.status, single.json().receiptId]).toEqual([200, (results[0] as { receipt?: { receiptId: string } }).receipt?.receiptId])
  })

  it('refuses a malformed batch as a whole', async () => {
    const tooMany = Array.from({ length: 501 }, (_, index) => ({ idempotencyKey: `k${index}`, type: 'audit.checkpoint', payload: {} }))
    for (const json of [{ operations: tooMany }, { operations: 'none' }, []]) {
      const answer = await client.send('POST', '/v1/operations', { json })
      expect([answer.status, answer.json().code]).toEqual([400, 'bad_request'])
    }
  })
})

describe('organisation scope', () => {
  it('lets a client act only for its own organisation, and the bureau for all', async () => {
    const other = await registry.addClient('desk-jz', 'JZ')
    const bureau = await registry.addClient('desk-bureau', '*')
    const number = nextNumber()
    const foreign = await putVersion(client, certificateVersion(number, 1, pdf, { organisationCode: 'JZ' }), `${number}-v1`)
    expect([foreign.status, foreign.json().code]).toEqual([403, 'forbidden'])
    expect((await putVersion(client, certificateVersion(number, 1, pdf), `${number}-v1`)).status).toBe(201)
    const takeOver = await putVersion(other, certificateVersion(number, 2, pdf, { organisationCode: 'JZ' }), `${number}-v2`)
    const revoke = await putRevocation(other, revocation(number, 1), `${number}-r`)
    expect([takeOver.status, revoke.status]).toEqual([403, 403])
    expect((await putVersion(bureau, certificateVersion(number, 2, pdf), `${number}-v2`)).status).toBe(201)
    expect((await effectsOf(registry, number)).map((effect) => effect.clientId)).toEqual(['desk-wshl', 'desk-bureau'])
  })

  it('keeps idempotency keys per client', async () => {
    const bureau = await registry.addClient('desk-bureau-keys', '*')
    const [a, b] = [nextNumber(), nextNumber()]
    expect((await putVersion(client, certificateVersion(a, 1, pdf), 'shared-key')).status).toBe(201)
    expect((await putVersion(bureau, certificateVersion(b, 1, pdf), 'shared-key')).status).toBe(201)
  })
})
