import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { effectsOf, startTestRegistry, type TestClient, type TestRegistry } from '../helpers/registry-server'

// The online platform's submissions pulled after a cursor, the decisions pushed back, and the
// audit checkpoints of each client.

let registry: TestRegistry
let client: TestClient

beforeAll(async () => {
  registry = await startTestRegistry()
  client = registry.client
})
afterAll(async () => {
  await registry?.close()
})

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

async function submit(id: string, organisationCode = 'WSHL', extra: Record<string, unknown> = {}) {
  const answer = await registry.admin('POST', '/_admin/applications', {
    id,
    organisationCode,
    family: 'title',
    workbook: Buffer.from(`workbook of ${id}`).toString('base64'),
    workbookName: `${id}.xlsx`,
    submittedAt: '2026-12-01T08:00:00.000Z',
    ...extra,
  })
  expect(answer.status).toBe(201)
}

type Page = { items: Array<{ id: string }>; next: string | null }

async function page(query: string, as: TestClient = client): Promise<Page> {
  const answer = await as.send('GET', `/v1/applications${query}`)
  expect(answer.status).toBe(200)
  return answer.json<Page>()
}

describe('applications', () => {
  it('pages after a cursor, in submission order, each application once, only the caller’s organisation', async () => {
    await submit('A1')
    await submit('A2', 'JZ')
    await submit('A3', 'WSHL', { photosZip: Buffer.from('zip').toString('base64'), notice: Buffer.from('pdf').toString('base64') })
    await submit('A4')
    await submit('A5')
    const first = await page('?limit=2')
    expect(first.items).toEqual([
      {
        id: 'A1',
        organisationCode: 'WSHL',
        family: 'title',
        submittedAt: '2026-12-01T08:00:00.000Z',
        workbookSha256: sha256('workbook of A1'),
        workbookName: 'A1.xlsx',
        photosSha256: null,
        noticeSha256: null,
      },
      expect.objectContaining({ id: 'A3', photosSha256: sha256('zip'), noticeSha256: sha256('pdf') }),
    ])
    const second = await page(`?after=${first.next}&limit=2`)
    expect(second.items.map((item) => item.id)).toEqual(['A4', 'A5'])
    const third = await page(`?after=${second.next}&limit=2`)
    expect(third).toEqual({ items: [], next: null })
    await submit('A6')
    expect((await page(`?after=${second.next}`)).items.map((item) => item.id)).toEqual(['A6'])
    const bureau = await registry.addClient('desk-bureau-applications', '*')
    expect((await page('?limit=100', bureau)).items.map((item) => item.id)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6'])
  })

  it('serves the attachments of the caller’s applications only', async () => {
    await submit('B1')
    const workbook = await client.send('GET', `/v1/files/${sha256('workbook of B1')}`)
    expect([workbook.status, workbook.text()]).toEqual([200, 'workbook of B1'])
    const other = await registry.addClient('desk-jz-applications', 'JZ')
    expect((await other.send('GET', `/v1/files/${sha256('workbook of B1')}`)).status).toBe(404)
  })

  it('refuses a malformed cursor or limit, and a second application with the same id', async () => {
    for (const query of ['?limit=0', '?limit=101', '?limit=x', '?after=abc', '?after=-1']) {
      const answer = await client.send('GET', `/v1/applications${query}`)
      expect([answer.status, answer.json().code]).toEqual([400, 'bad_request'])
    }
    await submit('C1')
    const twice = await registry.admin('POST', '/_admin/applications', {
      id: 'C1',
      organisationCode: 'WSHL',
      family: 'title',
      workbook: 'eA==',
      workbookName: 'x.xlsx',
    })
    expect(twice.status).toBe(409)
  })
})

describe('decisions', () => {
  const decision = (applicationId: string, changes: Record<string, unknown> = {}) => ({
    applicationId,
    decision: 'approved',
    reason: null,
    firstNumber: 'T2026000001',
    lastNumber: 'T2026000020',
    decidedAt: '2026-12-02T08:00:00.000Z',
    ...changes,
  })
  const put = (as: TestClient, id: string, body: unknown, key: string) =>
    as.send('PUT', `/v1/applications/${id}/decision`, { json: body, headers: { 'idempotency-key': key } })

  it('records a decision once, replays it, and refuses an unknown application', async () => {
    await submit('D1')
    const first = await put(client, 'D1', decision('D1'), 'D1-decision')
    const replay = await put(client, 'D1', decision('D1'), 'D1-decision')
    expect([first.status, replay.status, replay.json().replayed]).toEqual([201, 200, true])
    const unknown = await put(client, 'D404', decision('D404'), 'D404-decision')
    expect([unknown.status, unknown.json().code]).toEqual([404, 'not_found'])
    const detail = (await registry.admin('GET', '/_admin/applications/D1')).json()
    expect(detail.decisions).toEqual([
      expect.objectContaining({ decision: 'approved', firstNumber: 'T2026000001', clientId: client.clientId }),
    ])
    expect((await effectsOf(registry, 'application:D1')).map((effect) => effect.type)).toEqual(['application.decision'])
  })

  it('refuses another organisation’s application and a body for another application', async () => {
    await submit('D2', 'JZ')
    const foreign = await put(client, 'D2', decision('D2', { decision: 'returned', reason: '材料不全' }), 'D2-decision')
    expect([foreign.status, foreign.json().code]).toEqual([403, 'forbidden'])
    const mismatch = await put(client, 'D2', decision('D1'), 'D2-mismatch')
    expect([mismatch.status, mismatch.json().code]).toEqual([422, 'invalid'])
  })
})

describe('audit checkpoints', () => {
  const checkpoint = (length: number) => ({ length, headHash: sha256(`entry ${length}`), at: '2026-12-01T09:00:00.000Z' })
  const post = (as: TestClient, body: unknown, key: string) =>
    as.send('POST', '/v1/audit/checkpoints', { json: body, headers: { 'idempotency-key': key } })

  it('answers the latest checkpoint of the calling client', async () => {
    const auditor = await registry.addClient('desk-audit', 'WSHL')
    const none = await auditor.send('GET', '/v1/audit/checkpoints/latest')
    expect([none.status, none.json().code]).toEqual([404, 'not_found'])
    expect((await post(auditor, checkpoint(10), 'cp-10')).status).toBe(201)
    expect((await post(auditor, checkpoint(25), 'cp-25')).status).toBe(201)
    expect((await post(auditor, checkpoint(10), 'cp-10')).status).toBe(200)
    expect((await auditor.send('GET', '/v1/audit/checkpoints/latest')).json()).toEqual(checkpoint(25))
    const other = await registry.addClient('desk-audit-other', 'WSHL')
    expect((await other.send('GET', '/v1/audit/checkpoints/latest')).status).toBe(404)
    const invalid = await post(auditor, { length: -1, headHash: 'x', at: 'today' }, 'cp-bad')
    expect([invalid.status, invalid.json().code]).toEqual([422, 'invalid'])
  })
})
