import { createHash, randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  certificateVersion,
  effectsOf,
  nextNumber,
  putVersion,
  sendHttp,
  startTestRegistry,
  storeFile,
  type TestRegistry,
} from '../helpers/registry-server'

// Faults injected on request, each observed as a client sees it; and the body size limits.

let registry: TestRegistry
let pdf: string

beforeAll(async () => {
  registry = await startTestRegistry()
  pdf = await storeFile(registry.client, randomBytes(1024))
})
afterEach(async () => {
  expect((await registry.admin('POST', '/_admin/faults', {})).status).toBe(200)
})
afterAll(async () => {
  await registry?.close()
})

const faults = async (settings: Record<string, number>) =>
  expect((await registry.admin('POST', '/_admin/faults', settings)).status).toBe(200)
const stats = async () => (await registry.admin('GET', '/_admin/faults/stats')).json()
const hangUp = { message: 'socket hang up', code: 'ECONNRESET' }

describe('injected faults', () => {
  it('delays requests by the latency asked', async () => {
    await faults({ latencyMs: 2000 })
    const slow = sendHttp(registry.url, { path: '/v1/status/T999999', timeoutMs: 200 })
    await expect(slow).rejects.toMatchObject({ code: 'ETIMEDOUT' })
    expect(await stats()).toMatchObject({ requests: 1, delayed: 1 })
  })

  it('drops the connection before doing anything', async () => {
    await faults({ dropRate: 1 })
    const number = nextNumber()
    await expect(putVersion(registry.client, certificateVersion(number, 1, pdf), `${number}-v1`)).rejects.toMatchObject(hangUp)
    expect(await stats()).toMatchObject({ requests: 1, dropped: 1 })
    await faults({})
    expect(await effectsOf(registry, number)).toEqual([])
  })

  it('answers 500 before doing anything', async () => {
    await faults({ errorRate: 1 })
    const number = nextNumber()
    const answer = await putVersion(registry.client, certificateVersion(number, 1, pdf), `${number}-v1`)
    expect([answer.status, answer.json().code]).toEqual([500, 'internal'])
    expect(await stats()).toMatchObject({ errors: 1 })
    expect(await effectsOf(registry, number)).toEqual([])
  })

  it('loses the answer after the work committed; the retry gets the stored answer', async () => {
    await faults({ loseResponseRate: 1 })
    const number = nextNumber()
    const payload = certificateVersion(number, 1, pdf)
    await expect(putVersion(registry.client, payload, `${number}-v1`)).rejects.toMatchObject(hangUp)
    const batch = registry.client.send('POST', '/v1/operations', {
      json: { operations: [{ idempotencyKey: `${number}-v2`, type: 'certificate.version', payload: certificateVersion(number, 2, pdf) }] },
    })
    await expect(batch).rejects.toMatchObject(hangUp)
    expect(await stats()).toMatchObject({ requests: 2, lostResponses: 2 })
    await faults({})
    expect((await effectsOf(registry, number)).map((effect) => effect.idempotencyKey)).toEqual([`${number}-v1`, `${number}-v2`])
    const retry = await putVersion(registry.client, payload, `${number}-v1`)
    expect([retry.status, retry.json().replayed]).toEqual([200, true])
    expect(await effectsOf(registry, number)).toHaveLength(2)
  })

  it('draws the same faults from the same seed', async () => {
    const outcomes = async () => {
      const seen: string[] = []
      for (let index = 0; index < 16; index += 1) {
        const answer = await sendHttp(registry.url, { path: '/v1/status/T999999' }).catch((error: Error) => error)
        seen.push(answer instanceof Error ? 'dropped' : String(answer.status))
      }
      return seen
    }
    await faults({ dropRate: 0.5, seed: 7 })
    const first = await outcomes()
    expect(await stats()).toMatchObject({ requests: 16, dropped: first.filter((outcome) => outcome === 'dropped').length })
    await faults({ dropRate: 0.5, seed: 7 })
    expect(await outcomes()).toEqual(first)
    expect(new Set(first)).toEqual(new Set(['dropped', '404']))
  })

  it('spares the admin API and the status page', async () => {
    await faults({ dropRate: 1 })
    expect((await sendHttp(registry.url, { path: '/c/T999999' })).status).toBe(404)
    expect((await registry.admin('GET', '/_admin/faults')).json()).toMatchObject({ dropRate: 1 })
    expect(await stats()).toMatchObject({ requests: 0 })
  })

  it('refuses rates outside 0–1', async () => {
    const answer = await registry.admin('POST', '/_admin/faults', { dropRate: 2 })
    expect([answer.status, answer.json().code]).toEqual([422, 'invalid'])
  })
})

describe('body size limits', () => {
  it('stores a file of 20 MB and refuses a larger one with 413', async () => {
    const limit = randomBytes(20 * 1024 * 1024)
    const stored = await storeFile(registry.client, limit)
    expect((await registry.client.send('HEAD', `/v1/files/${stored}`)).headers['content-length']).toBe(String(limit.length))
    const larger = Buffer.concat([limit, Buffer.from([1])])
    const sha256 = createHash('sha256').update(larger).digest('hex')
    const answer = await registry.client.send('PUT', `/v1/files/${sha256}`, { body: larger })
    expect([answer.status, answer.json().code]).toEqual([413, 'too_large'])
    expect((await registry.client.send('HEAD', `/v1/files/${sha256}`)).status).toBe(404)
  })

  it('refuses a JSON body over 16 MB with 413', async () => {
    const body = JSON.stringify({ operations: [], padding: 'x'.repeat(16 * 1024 * 1024) })
    const answer = await registry.client.send('POST', '/v1/operations', { body, headers: { 'content-type': 'application/json' } })
    expect([answer.status, answer.json().code]).toEqual([413, 'too_large'])
  })
})
