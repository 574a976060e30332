import type { PublicRoute, RegistryContext } from './context'
import { RegistryError } from './errors'
import { jsonReply, type Reply } from './http'
import { NUMBER_PATTERN } from './schemas'
import { publicStatus, type PublicStatus } from './status'
import { renderStatusPage, renderUnknownPage, STATUS_PAGE_HEADERS } from './status-page'

async function lookUp(context: RegistryContext, number: string, query: URLSearchParams): Promise<PublicStatus | null> {
  if (!NUMBER_PATTERN.test(number)) return null
  const code = query.get('c')
  // A code of the wrong shape is kept (and matches nothing): it marks a printout as not genuine.
  return publicStatus(context.db, number, code ? code.slice(0, 64) : null)
}

async function statusJson(context: RegistryContext, params: string[], query: URLSearchParams): Promise<Reply> {
  const status = await lookUp(context, params[0], query)
  if (!status) throw new RegistryError('not_found', '未查到该证书')
  return jsonReply(200, status)
}

async function statusPage(context: RegistryContext, params: string[], query: URLSearchParams): Promise<Reply> {
  const status = await lookUp(context, params[0], query)
  return status
    ? { status: 200, headers: STATUS_PAGE_HEADERS, body: renderStatusPage(status) }
    : { status: 404, headers: STATUS_PAGE_HEADERS, body: renderUnknownPage(params[0]) }
}

/** GET /v1/status/{number} (JSON, under /v1/ so faults apply) and GET /c/{number} (the page the QR code opens). */
export const STATUS_JSON_ROUTE: PublicRoute = { method: 'GET', pattern: /^\/v1\/status\/([^/]+)$/, handle: statusJson }
export const STATUS_PAGE_ROUTE: PublicRoute = { method: 'GET', pattern: /^\/c\/([^/]+)$/, handle: statusPage }
