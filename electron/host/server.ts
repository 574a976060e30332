import { timingSafeEqual } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import type { Dispatcher } from '../core/api/dispatch'
import { AppError } from '../core/util/app-error'
import { CONTENT_SECURITY_POLICY } from '../main/security'

export const SESSION_HEADER = 'x-certdesk-session'
const MAX_BODY_BYTES = 1024 * 1024

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
}

export interface WebHostOptions {
  dispatcher: Dispatcher
  /** The built renderer (out/renderer). */
  staticDir: string
  /** The browser preload that defines window.api over HTTP (out/host/web-preload.js). */
  webPreloadFile: string
  /** Random per start; every API call must carry it. */
  token: string
  port?: number
}

export interface WebHost {
  server: Server
  port: number
  /** The address to open, token included. */
  url: string
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

function send(response: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra })
  response.end(body)
}

function sendJson(response: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  send(response, status, JSON.stringify(value), 'application/json; charset=utf-8', extra)
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Refuses requests that did not come from a page of this host on loopback: a foreign Host
 * header (DNS rebinding) or a foreign Origin (another site in the same browser).
 */
export function isLoopbackRequest(headers: IncomingMessage['headers'], port: number): boolean {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`]
  if (!headers.host || !allowed.includes(headers.host)) return false
  const origin = headers.origin
  return origin === undefined || allowed.some((host) => origin === `http://${host}`)
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) {
      // Stop reading: the rest is drained unread so the client gets the answer at once.
      request.resume()
      throw new PayloadTooLarge()
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

class PayloadTooLarge extends AppError {
  constructor() {
    super('VALIDATION', `请求内容过大（上限 ${MAX_BODY_BYTES / 1024 / 1024} MB）`)
  }
}

function failure(error: AppError) {
  return { ok: false, error: error.toBody() }
}

async function handleApi(request: IncomingMessage, response: ServerResponse, options: WebHostOptions, channel: string): Promise<void> {
  const authorization = request.headers.authorization ?? ''
  const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : ''
  if (!sameSecret(token, options.token)) {
    sendJson(response, 401, failure(new AppError('UNAUTHENTICATED', '缺少或错误的访问令牌：请使用 Web 服务启动时打印的地址打开')))
    return
  }
  if (request.method !== 'POST' || !String(request.headers['content-type'] ?? '').startsWith('application/json')) {
    sendJson(response, 405, failure(new AppError('VALIDATION', '只接受 JSON 格式的 POST 请求')))
    return
  }
  let payload: unknown
  try {
    const body = await readBody(request)
    payload = body.length === 0 ? {} : JSON.parse(body)
  } catch (error) {
    const status = error instanceof PayloadTooLarge ? 413 : 400
    sendJson(response, status, failure(error instanceof AppError ? error : new AppError('VALIDATION', '请求内容不是有效的 JSON')), {
      Connection: 'close',
    })
    return
  }
  const sessionHeader = request.headers[SESSION_HEADER]
  const sessionId = typeof sessionHeader === 'string' && sessionHeader.length > 0 ? sessionHeader : null
  const outcome = await options.dispatcher({ channel, payload, sessionId })
  const extra: Record<string, string> = outcome.session === undefined ? {} : { [SESSION_HEADER]: outcome.session ?? '' }
  sendJson(response, 200, outcome.result, extra)
}

/** Serves a file of the built renderer; index.html gets the web preload before its own scripts. */
async function handleStatic(response: ServerResponse, options: WebHostOptions, pathname: string): Promise<void> {
  if (pathname === '/web-preload.js') {
    send(response, 200, await readFile(options.webPreloadFile), MEDIA_TYPES['.js'])
    return
  }
  const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '')
  const file = join(options.staticDir, relative)
  if (!file.startsWith(options.staticDir + sep) || relative.split(/[/\\]/).includes('..')) {
    send(response, 404, 'Not found', 'text/plain; charset=utf-8')
    return
  }
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) {
    send(response, 404, 'Not found', 'text/plain; charset=utf-8')
    return
  }
  let body: Buffer | string = await readFile(file)
  if (relative === 'index.html') body = body.toString('utf8').replace('<head>', '<head>\n    <script src="/web-preload.js"></script>')
  send(response, 200, body, MEDIA_TYPES[extname(file)] ?? 'application/octet-stream')
}

/**
 * The web host: the built renderer and the contract over HTTP on 127.0.0.1 only, for tests
 * and development in a plain browser. Never part of the packaged desktop app.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  let port = options.port ?? 0
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (!isLoopbackRequest(request.headers, port)) {
      send(response, 403, 'Forbidden', 'text/plain; charset=utf-8')
      return
    }
    const work = url.pathname.startsWith('/api/')
      ? handleApi(request, response, options, url.pathname.slice(5))
      : request.method === 'GET' || request.method === 'HEAD'
        ? handleStatic(response, options, url.pathname)
        : Promise.resolve(send(response, 405, 'Method not allowed', 'text/plain; charset=utf-8'))
    work.catch((error: unknown) => {
      console.error('[certdesk host] request failed:', error instanceof Error ? error.message : 'unknown error')
      if (!response.headersSent) sendJson(response, 500, failure(new AppError('INTERNAL')))
      else response.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/?token=${options.token}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
