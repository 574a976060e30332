import type { IncomingMessage } from 'node:http'
import { applicationDetail, seedApplication } from './applications'
import { isAdmin } from './clients'
import { matchRoute, noRoute, splitTarget, type RegistryContext } from './context'
import { RegistryError } from './errors'
import { JSON_LIMIT_BYTES, jsonReply, parseJson, readBody, type Reply } from './http'
import { AdminApplicationSchema, AdminClientSchema, AdminFaultsSchema, parseBody } from './schemas'

/**
 * The operator's API under /_admin/, with `Authorization: Bearer <admin token>`: registering
 * clients, seeding applications, injecting faults, and reading back what was applied. Never
 * subject to the injected faults.
 */

interface AdminCall {
  params: string[]
  query: URLSearchParams
  body: () => Promise<unknown>
}

interface AdminRoute {
  method: string
  pattern: RegExp
  handle(context: RegistryContext, call: AdminCall): Promise<Reply>
}

async function registerClient(context: RegistryContext, call: AdminCall): Promise<Reply> {
  const input = parseBody(AdminClientSchema, await call.body())
  const created = await context.clients.register(input, context.now())
  return jsonReply(created ? 201 : 200, {
    clientId: input.clientId,
    organisationCode: input.organisationCode,
    active: input.active ?? true,
  })
}

async function setFaults(context: RegistryContext, call: AdminCall): Promise<Reply> {
  return jsonReply(200, context.faults.configure(parseBody(AdminFaultsSchema, await call.body())))
}

async function getFaults(context: RegistryContext): Promise<Reply> {
  return jsonReply(200, context.faults.settings())
}

async function faultStats(context: RegistryContext): Promise<Reply> {
  return jsonReply(200, context.faults.stats())
}

async function addApplication(context: RegistryContext, call: AdminCall): Promise<Reply> {
  const input = parseBody(AdminApplicationSchema, await call.body())
  return jsonReply(201, await seedApplication(context.db, context.files, input, context.now()))
}

async function getApplication(context: RegistryContext, call: AdminCall): Promise<Reply> {
  const detail = await applicationDetail(context.db, call.params[0])
  if (!detail) throw new RegistryError('not_found', `申请 ${call.params[0]} 不存在`)
  return jsonReply(200, detail)
}

function whole(value: string | null, name: string, fallback: number, maximum: number): number {
  if (value === null) return fallback
  if (!/^\d{1,15}$/.test(value) || Number(value) > maximum)
    throw new RegistryError('bad_request', `${name} 必须是不超过 ${maximum} 的非负整数`)
  return Number(value)
}

async function listEffects(context: RegistryContext, call: AdminCall): Promise<Reply> {
  const after = whole(call.query.get('after'), 'after', 0, Number.MAX_SAFE_INTEGER)
  const limit = Math.max(1, whole(call.query.get('limit'), 'limit', 1000, 100_000))
  const orderingKey = call.query.get('orderingKey')
  const query = context.db('effects').where('sequence', '>', after).orderBy('sequence').limit(limit)
  if (orderingKey !== null) query.where({ ordering_key: orderingKey })
  const rows = (await query.select()) as Array<Record<string, string | number>>
  const items = rows.map((row) => ({
    sequence: Number(row.sequence),
    orderingKey: row.ordering_key,
    type: row.operation_type,
    idempotencyKey: row.idempotency_key,
    clientId: row.client_id,
    appliedAt: row.applied_at,
  }))
  return jsonReply(200, { items, next: items.length > 0 ? String(items[items.length - 1].sequence) : null })
}

async function getCertificate(context: RegistryContext, call: AdminCall): Promise<Reply> {
  const number = call.params[0]
  const certificate = (await context.db('certificates').where({ number }).first()) as Record<string, string | number> | undefined
  if (!certificate) throw new RegistryError('not_found', `证书 ${number} 未登记`)
  const versions = (await context.db('certificate_versions').where({ number }).orderBy('version')) as Array<Record<string, string | number>>
  const revocation = (await context.db('revocations').where({ number }).first()) as Record<string, string | number> | undefined
  return jsonReply(200, {
    number,
    organisationCode: certificate.organisation_code,
    family: certificate.family,
    currentVersion: Number(certificate.current_version),
    versions: versions.map((row) => ({
      version: Number(row.version),
      payload: JSON.parse(String(row.payload)),
      verificationCode: row.verification_code,
      pdfSha256: row.pdf_sha256,
      arrivalSequence: Number(row.arrival_sequence),
      clientId: row.client_id,
      acceptedAt: row.accepted_at,
    })),
    revocation: revocation
      ? {
          version: Number(revocation.version),
          payload: JSON.parse(String(revocation.payload)),
          arrivalSequence: Number(revocation.arrival_sequence),
          clientId: revocation.client_id,
          acceptedAt: revocation.accepted_at,
        }
      : null,
  })
}

const ADMIN_ROUTES: AdminRoute[] = [
  { method: 'POST', pattern: /^\/_admin\/clients$/, handle: registerClient },
  { method: 'POST', pattern: /^\/_admin\/faults$/, handle: setFaults },
  { method: 'GET', pattern: /^\/_admin\/faults$/, handle: getFaults },
  { method: 'GET', pattern: /^\/_admin\/faults\/stats$/, handle: faultStats },
  { method: 'POST', pattern: /^\/_admin\/applications$/, handle: addApplication },
  { method: 'GET', pattern: /^\/_admin\/applications\/([^/]+)$/, handle: getApplication },
  { method: 'GET', pattern: /^\/_admin\/effects$/, handle: listEffects },
  { method: 'GET', pattern: /^\/_admin\/certificates\/([^/]+)$/, handle: getCertificate },
]

export async function handleAdmin(context: RegistryContext, request: IncomingMessage): Promise<Reply> {
  if (!isAdmin(request, context.adminToken)) throw new RegistryError('unauthorized', '缺少或错误的管理令牌')
  const { pathname, query } = splitTarget(request.url ?? '/')
  const match = matchRoute(ADMIN_ROUTES, request.method ?? 'GET', pathname)
  if (!('route' in match)) throw noRoute(match.pathKnown)
  const body = async () => {
    const bytes = await readBody(request, JSON_LIMIT_BYTES)
    return bytes.length === 0 ? {} : parseJson(bytes)
  }
  return match.route.handle(context, { params: match.params, query, body })
}
