import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { handleAdmin } from './admin'
import { ClientDirectory } from './clients'
import { matchRoute, noRoute, splitTarget, type RegistryContext } from './context'
import { openRegistryDatabase } from './db/database'
import { RegistryError } from './errors'
import { FaultInjector } from './faults'
import { RegistryFiles } from './files'
import { ConnectionClosed, errorReply, FILE_LIMIT_BYTES, JSON_LIMIT_BYTES, readBody, writeReply, type Reply } from './http'
import { STATUS_JSON_ROUTE, STATUS_PAGE_ROUTE } from './public-routes'
import { SIGNED_ROUTES } from './routes'

export interface RegistryOptions {
  /** 5190 by default; 0 picks a free port (tests). Always on 127.0.0.1. */
  port?: number
  /** The registry's database and files; `.registry-data` under the working directory by default. */
  dataDir?: string
  /** Random when not given. */
  adminToken?: string
  /** The registry's clock (signatures older than 5 minutes against it are refused). */
  now?: () => Date
  /** Where unexpected errors are reported; console.error by default. */
  log?: (message: string) => void
}

export interface RunningRegistry {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string
  port: number
  adminToken: string
  dataDir: string
  /** Stops accepting, lets requests in flight finish, then closes the database. */
  close(): Promise<void>
}

/** A signed /v1/ request: who it is first (before reading a byte of the body), then the body, then the signature. */
async function handleSigned(context: RegistryContext, request: IncomingMessage): Promise<Reply> {
  const { pathname, query } = splitTarget(request.url ?? '/')
  const method = request.method ?? 'GET'
  const publicMatch = matchRoute([STATUS_JSON_ROUTE], method, pathname)
  if ('route' in publicMatch) return publicMatch.route.handle(context, publicMatch.params, query)
  const match = matchRoute(SIGNED_ROUTES, method, pathname)
  if (!('route' in match)) throw noRoute(match.pathKnown || publicMatch.pathKnown)
  const client = await context.clients.identify(request)
  const body = await readBody(request, method === 'PUT' && pathname.startsWith('/v1/files/') ? FILE_LIMIT_BYTES : JSON_LIMIT_BYTES)
  const caller = context.clients.verify(client, request, body, context.now())
  return match.route.handle(context, { request, params: match.params, query, body, caller })
}

async function route(
  context: RegistryContext,
  request: IncomingMessage,
  response: ServerResponse,
  log: (message: string) => void,
): Promise<void> {
  const target = request.url ?? '/'
  const isV1 = target.startsWith('/v1/')
  // Faults apply to the protocol only: the admin API and the status page always answer.
  const fault = isV1 ? await context.faults.decide() : 'none'
  if (fault === 'drop') {
    request.socket.destroy()
    return
  }
  if (fault === 'error') {
    writeReply(response, errorReply(new RegistryError('internal', '服务器内部错误（注入的故障）')))
    return
  }
  let reply: Reply
  try {
    if (isV1) reply = await handleSigned(context, request)
    else if (target.startsWith('/_admin/')) reply = await handleAdmin(context, request)
    else {
      const { pathname, query } = splitTarget(target)
      const match = matchRoute([STATUS_PAGE_ROUTE], request.method ?? 'GET', pathname)
      if (!('route' in match)) throw noRoute(match.pathKnown)
      reply = await match.route.handle(context, match.params, query)
    }
  } catch (error) {
    if (error instanceof ConnectionClosed) return
    if (error instanceof URIError) reply = errorReply(new RegistryError('bad_request', '地址编码错误'))
    else if (error instanceof RegistryError) reply = errorReply(error)
    else {
      log(
        `[registry] ${request.method} ${target.split('?')[0]} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      )
      reply = errorReply(new RegistryError('internal', '服务器内部错误'))
    }
  }
  // The answer lost after the work committed: the client cannot tell this from a drop.
  if (fault === 'lose') request.socket.destroy()
  else writeReply(response, reply)
}

/**
 * Starts the reference registry of registry/openapi.yaml on 127.0.0.1: its own SQLite database
 * and files in `dataDir`, the signed protocol under /v1/, the public status page under /c/ and
 * the operator's API under /_admin/. For `npm run registry`, the tests and `certdesk demo`.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dataDir = resolve(options.dataDir ?? '.registry-data')
  mkdirSync(dataDir, { recursive: true })
  const db = await openRegistryDatabase(dataDir)
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url')
  const log = options.log ?? ((message: string) => console.error(message))
  const context: RegistryContext = {
    db,
    files: new RegistryFiles(db, dataDir),
    clients: new ClientDirectory(db),
    faults: new FaultInjector(),
    adminToken,
    now: options.now ?? (() => new Date()),
  }
  const inFlight = new Set<Promise<void>>()
  const server = createServer((request, response) => {
    const work = route(context, request, response, log)
      .catch((error: unknown) => {
        log(`[registry] answering failed: ${error instanceof Error ? error.message : String(error)}`)
        response.destroy()
      })
      .finally(() => inFlight.delete(work))
    inFlight.add(work)
  })
  // Longer than a client's pause between sync passes, so a kept-alive connection is rarely
  // closed by the server just as the client reuses it.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 5190, '127.0.0.1', () => resolveListen())
    })
  } catch (error) {
    await db.destroy()
    throw error
  }
  const port = (server.address() as AddressInfo).port
  let closing: Promise<void> | null = null
  const close = async () => {
    const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()))
    server.closeIdleConnections()
    await Promise.allSettled([...inFlight])
    server.closeAllConnections()
    await closed
    await db.destroy()
  }
  return { url: `http://127.0.0.1:${port}`, port, adminToken, dataDir, close: () => (closing ??= close()) }
}
