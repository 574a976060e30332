import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { ClientIdentity } from './client-identity'
import { signRequest } from './request-signature'

/** The registry answered: its status and body (JSON parsed when it says so). */
export interface RegistryResponse {
  status: number
  json: unknown
  body: Buffer
}

/** The registry could not be reached, or gave no answer: nothing is known about the request's effect. */
export class RegistryUnreachable extends Error {}

const TIMEOUT_MS = 30_000
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024

/**
 * Signed HTTP requests to the registry (registry/openapi.yaml): every request carries the
 * installation's client id, the time and an Ed25519 signature; connections are kept alive.
 */
export class RegistryClient {
  private readonly agent: HttpAgent
  private readonly base: URL

  constructor(
    baseUrl: string,
    private readonly identity: ClientIdentity,
    private readonly timeoutMs = TIMEOUT_MS,
    // The registry checks the signature's time against its own clock: wall time, whatever the app's clock is.
    private readonly now: () => Date = () => new Date(),
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`)
    const options = { keepAlive: true, maxSockets: 8 }
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options)
  }

  async request(method: string, path: string, body?: Buffer | object, headers: Record<string, string> = {}): Promise<RegistryResponse> {
    const url = new URL(path.replace(/^\//, ''), this.base)
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body))
    const signed = signRequest(
      this.identity.privateKey,
      this.identity.clientId,
      { method, pathAndQuery: url.pathname + url.search, body: bytes },
      this.now(),
    )
    const contentType: Record<string, string> =
      body === undefined ? {} : { 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json' }
    return this.send(url, method, bytes, { ...signed, ...contentType, 'content-length': String(bytes.length), ...headers })
  }

  private send(url: URL, method: string, bytes: Buffer, headers: Record<string, string>): Promise<RegistryResponse> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise((resolve, reject) => {
      const request = send(url, { method, headers, agent: this.agent, timeout: this.timeoutMs }, (response) => {
        readBody(response).then(resolve, reject)
      })
      request.on('timeout', () => request.destroy(new RegistryUnreachable(`电子证照库在 ${this.timeoutMs / 1000} 秒内没有应答`)))
      request.on('error', (error: Error) =>
        reject(error instanceof RegistryUnreachable ? error : new RegistryUnreachable(`无法连接电子证照库：${error.message}`)),
      )
      request.end(bytes)
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

function readBody(response: IncomingMessage): Promise<RegistryResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    response.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_RESPONSE_BYTES) response.destroy(new RegistryUnreachable('电子证照库的应答过大'))
      else chunks.push(chunk)
    })
    response.on('error', (error) => reject(new RegistryUnreachable(`电子证照库的应答中断：${error.message}`)))
    response.on('aborted', () => reject(new RegistryUnreachable('电子证照库的应答中断')))
    response.on('end', () => {
      const body = Buffer.concat(chunks)
      const isJson = String(response.headers['content-type'] ?? '').includes('json')
      let json: unknown = null
      if (isJson && body.length > 0) {
        try {
          json = JSON.parse(body.toString('utf8'))
        } catch {
          reject(new RegistryUnreachable('电子证照库的应答不是有效的 JSON'))
          return
        }
      }
      resolve({ status: response.statusCode ?? 0, json, body })
    })
  })
}
