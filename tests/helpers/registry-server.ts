import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signRequest } from '../../electron/core/registry/request-signature'
import { startRegistry, type RunningRegistry } from '../../registry/server'

/** An HTTP answer, read whole. */
export interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  text(): string
  json<T = Record<string, unknown>>(): T
}

export interface HttpRequest {
  method?: string
  /** Path and query as sent (and signed), e.g. `/v1/applications?limit=5`. */
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** Give up (an error with code ETIMEDOUT) when no answer came in this many milliseconds. */
  timeoutMs?: number
  agent?: Agent | false
}

/**
 * A raw HTTP request on 127.0.0.1 with node:http (a fresh connection unless an agent is given),
 * so a destroyed connection shows as node's own `socket hang up`.
 */
export function sendHttp(baseUrl: string, options: HttpRequest): Promise<HttpAnswer> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: hostname,
        port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: options.agent ?? false,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          const body = Buffer.concat(chunks)
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            text: () => body.toString('utf8'),
            json: <T>() => JSON.parse(body.toString('utf8')) as T,
          })
        })
      },
    )
    if (options.timeoutMs !== undefined) {
      request.setTimeout(options.timeoutMs, () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })))
    }
    request.on('error', reject)
    request.end(options.body)
  })
}

/** A registered test client: its key pair and a signed request on top of signRequest. */
export interface TestClient {
  clientId: string
  organisationCode: string
  privateKey: KeyObject
  publicKeyPem: string
  /** A signed request; `json` is sent as the body with a JSON content type; `now` signs at another time. */
  send(
    method: string,
    path: string,
    options?: {
      json?: unknown
      body?: string | Buffer
      headers?: Record<string, string>
      now?: Date
      timeoutMs?: number
      agent?: Agent | false
    },
  ): Promise<HttpAnswer>
}

export interface TestRegistry extends RunningRegistry {
  /** A client of organisation `WSHL`, registered at start. */
  client: TestClient
  addClient(clientId: string, organisationCode: string): Promise<TestClient>
  /** A request to the admin API with the admin token (JSON in, answer as read). */
  admin(method: string, path: string, json?: unknown): Promise<HttpAnswer>
}

export function testClient(baseUrl: string, clientId: string, organisationCode: string): TestClient {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  return {
    clientId,
    organisationCode,
    privateKey,
    publicKeyPem,
    send(method, path, options = {}) {
      const body = options.json !== undefined ? JSON.stringify(options.json) : (options.body ?? '')
      const signature = signRequest(privateKey, clientId, { method, pathAndQuery: path, body }, options.now ?? new Date())
      const type: Record<string, string> = options.json !== undefined ? { 'content-type': 'application/json' } : {}
      return sendHttp(baseUrl, {
        method,
        path,
        body,
        headers: { ...type, ...signature, ...options.headers },
        timeoutMs: options.timeoutMs,
        agent: options.agent,
      })
    },
  }
}

/**
 * An in-process registry on a free port in a fresh temporary data directory, with one client
 * registered; `close` also removes the directory.
 */
export async function startTestRegistry(options: { organisationCode?: string } = {}): Promise<TestRegistry> {
  const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-registry-'))
  const running = await startRegistry({ port: 0, dataDir, adminToken: 'test-admin-token', log: () => undefined })
  const admin = (method: string, path: string, json?: unknown) =>
    sendHttp(running.url, {
      method,
      path,
      headers: { authorization: `Bearer ${running.adminToken}`, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    })
  const addClient = async (clientId: string, organisationCode: string) => {
    const client = testClient(running.url, clientId, organisationCode)
    const answer = await admin('POST', '/_admin/clients', { clientId, organisationCode, publicKeyPem: client.publicKeyPem })
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`registering ${clientId} failed: ${answer.text()}`)
    return client
  }
  const client = await addClient('desk-wshl', options.organisationCode ?? 'WSHL')
  return {
    ...running,
    client,
    addClient,
    admin,
    async close() {
      await running.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Stores bytes through PUT /v1/files/{sha256} and returns the hash. */
export async function storeFile(client: TestClient, bytes: Buffer): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const answer = await client.send('PUT', `/v1/files/${sha256}`, { body: bytes })
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`storing a file failed: ${answer.text()}`)
  return sha256
}

let numbers = 0
/** A fresh certificate number per call, so the tests of one file never share a certificate. */
export function nextNumber(prefix = 'T'): string {
  numbers += 1
  return `${prefix}${String(numbers).padStart(6, '0')}`
}

/** The short code of a test certificate's version: AAAAAAAA for version 1, BBBBBBBB for 2… */
export function codeOf(version: number): string {
  return String.fromCharCode(64 + version).repeat(8)
}

/** A certificate.version payload (a title certificate of 王小华 by WSHL) with the given changes. */
export function certificateVersion(number: string, version: number, pdfSha256: string, changes: Record<string, unknown> = {}) {
  return {
    number,
    version,
    family: 'title',
    level: 'senior',
    organisationCode: 'WSHL',
    issuedAt: '2026-12-01T08:00:00.000Z',
    fields: { name: '王小华', gender: '男', birthMonth: '1980-01', idNumber: '110101198001011237', titleName: '高级工程师' },
    verificationCode: codeOf(version),
    pdfSha256,
    ...changes,
  }
}

/** A certificate.revocation payload of `version`. */
export function revocation(number: string, version: number, changes: Record<string, unknown> = {}) {
  return {
    number,
    version,
    reason: 'violation',
    reasonText: '申报材料弄虚作假',
    documentNumber: '沪人社专〔2026〕12号',
    documentDate: '2026-12-05',
    documentSha256: null,
    revokedAt: '2026-12-05T02:00:00.000Z',
    ...changes,
  }
}

/** PUT /v1/certificates/{number}/versions/{version} with an idempotency key. */
export function putVersion(client: TestClient, payload: { number: string; version: number }, key: string): Promise<HttpAnswer> {
  return client.send('PUT', `/v1/certificates/${payload.number}/versions/${payload.version}`, {
    json: payload,
    headers: { 'idempotency-key': key },
  })
}

/** PUT /v1/certificates/{number}/revocation with an idempotency key. */
export function putRevocation(client: TestClient, payload: { number: string }, key: string): Promise<HttpAnswer> {
  return client.send('PUT', `/v1/certificates/${payload.number}/revocation`, { json: payload, headers: { 'idempotency-key': key } })
}

export interface Effect {
  sequence: number
  orderingKey: string
  type: string
  idempotencyKey: string
  clientId: string
}

/** The effects log for one ordering key (a certificate's number), in the order applied. */
export async function effectsOf(registry: TestRegistry, orderingKey: string): Promise<Effect[]> {
  const answer = await registry.admin('GET', `/_admin/effects?orderingKey=${encodeURIComponent(orderingKey)}`)
  return answer.json<{ items: Effect[] }>().items
}
