import type { IncomingMessage } from 'node:http'
import type { Knex } from 'knex'
import type { Caller, ClientDirectory } from './clients'
import { RegistryError } from './errors'
import type { FaultInjector } from './faults'
import type { RegistryFiles } from './files'
import type { Reply } from './http'

/** What every handler works with; one per running registry. */
export interface RegistryContext {
  db: Knex
  files: RegistryFiles
  clients: ClientDirectory
  faults: FaultInjector
  adminToken: string
  now(): Date
}

/** One request as a handler sees it: its decoded path parameters, query, body and (when signed) caller. */
export interface Call {
  request: IncomingMessage
  params: string[]
  query: URLSearchParams
  body: Buffer
  caller: Caller
}

export interface Route {
  method: string
  pattern: RegExp
  handle(context: RegistryContext, call: Call): Promise<Reply>
}

/** A route anyone may call (the status the QR code leads to): no signature, no body. */
export interface PublicRoute {
  method: string
  pattern: RegExp
  handle(context: RegistryContext, params: string[], query: URLSearchParams): Promise<Reply>
}

/** Splits a request target into its path and query without URL's resolution (`//host/…` stays a path). */
export function splitTarget(target: string): { pathname: string; query: URLSearchParams } {
  const mark = target.indexOf('?')
  return mark < 0
    ? { pathname: target, query: new URLSearchParams() }
    : { pathname: target.slice(0, mark), query: new URLSearchParams(target.slice(mark + 1)) }
}

/** The route for a method and path, with its decoded parameters; else whether the path is known (another method's). */
export function matchRoute<R extends { method: string; pattern: RegExp }>(
  routes: R[],
  method: string,
  pathname: string,
): { route: R; params: string[] } | { pathKnown: boolean } {
  let pathKnown = false
  for (const route of routes) {
    const match = route.pattern.exec(pathname)
    if (!match) continue
    pathKnown = true
    if (route.method !== method) continue
    return { route, params: match.slice(1).map((part) => decodeURIComponent(part)) }
  }
  return { pathKnown }
}

/** 404 for an unknown path, 405 for a known path with another method. */
export function noRoute(pathKnown: boolean): RegistryError {
  return pathKnown ? new RegistryError('bad_request', '不支持的请求方法', 405) : new RegistryError('not_found', '没有这个地址')
}
