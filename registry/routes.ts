import { sha256Hex } from '../electron/core/util/canonical'
import { listApplications, pageQuery } from './applications'
import type { Call, RegistryContext, Route } from './context'
import { RegistryError } from './errors'
import { jsonReply, parseJson, type Reply } from './http'
import { applyOperations } from './operations'
import { IDEMPOTENCY_KEY_PATTERN, OperationBatchSchema, parseBody, SHA256_PATTERN, type OperationType } from './schemas'

/** The signed routes of registry/openapi.yaml under /v1/ (the public status is in public-routes.ts). */

function sha256Param(call: Call): string {
  const sha256 = call.params[0]
  if (!SHA256_PATTERN.test(sha256)) throw new RegistryError('bad_request', 'SHA-256 必须是 64 位小写十六进制')
  return sha256
}

async function putFile(context: RegistryContext, call: Call): Promise<Reply> {
  const sha256 = sha256Param(call)
  if (sha256Hex(call.body) !== sha256) throw new RegistryError('hash_mismatch', '文件内容的 SHA-256 与地址中的不一致')
  const created = await context.files.put(sha256, call.body, call.caller.clientId, context.now())
  return jsonReply(created ? 201 : 200, { sha256, size: call.body.length })
}

async function headFile(context: RegistryContext, call: Call): Promise<Reply> {
  const size = await context.files.size(sha256Param(call))
  return size === null
    ? { status: 404 }
    : { status: 200, headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) } }
}

async function getFile(context: RegistryContext, call: Call): Promise<Reply> {
  const sha256 = sha256Param(call)
  const bytes = (await context.files.mayRead(call.caller, sha256)) ? await context.files.read(sha256) : null
  if (!bytes) throw new RegistryError('not_found', '文件不存在，或无权查看')
  return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: bytes }
}

async function postOperations(context: RegistryContext, call: Call): Promise<Reply> {
  const { operations } = parseBody(OperationBatchSchema, parseJson(call.body), 'bad_request')
  return jsonReply(200, { results: await applyOperations(context.db, call.caller, operations, context.now()) })
}

/** A single write is a batch of one: the same rules, the same idempotency, its result as the answer. */
async function singleWrite(context: RegistryContext, call: Call, type: OperationType, payload: unknown): Promise<Reply> {
  const key = call.request.headers['idempotency-key']
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new RegistryError('bad_request', '缺少 Idempotency-Key 请求头，或格式错误（最多 64 个字符 [A-Za-z0-9._:-]）')
  }
  const [result] = await applyOperations(context.db, call.caller, [{ idempotencyKey: key, type, payload }], context.now())
  return jsonReply(result.status, result.receipt ?? result.error)
}

function field(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[name] : undefined
}

function mustMatchPath(matches: boolean): void {
  if (!matches) throw new RegistryError('invalid', '地址中的编号与请求内容不一致')
}

async function putVersion(context: RegistryContext, call: Call): Promise<Reply> {
  const payload = parseJson(call.body)
  mustMatchPath(
    field(payload, 'number') === call.params[0] && /^\d{1,9}$/.test(call.params[1]) && field(payload, 'version') === Number(call.params[1]),
  )
  return singleWrite(context, call, 'certificate.version', payload)
}

async function putRevocation(context: RegistryContext, call: Call): Promise<Reply> {
  const payload = parseJson(call.body)
  mustMatchPath(field(payload, 'number') === call.params[0])
  return singleWrite(context, call, 'certificate.revocation', payload)
}

async function putDecision(context: RegistryContext, call: Call): Promise<Reply> {
  const payload = parseJson(call.body)
  mustMatchPath(field(payload, 'applicationId') === call.params[0])
  return singleWrite(context, call, 'application.decision', payload)
}

async function postCheckpoint(context: RegistryContext, call: Call): Promise<Reply> {
  return singleWrite(context, call, 'audit.checkpoint', parseJson(call.body))
}

async function latestCheckpoint(context: RegistryContext, call: Call): Promise<Reply> {
  const row = (await context.db('audit_checkpoints').where({ client_id: call.caller.clientId }).orderBy('id', 'desc').first()) as
    { length: number; head_hash: string; at: string } | undefined
  if (!row) throw new RegistryError('not_found', '该客户端尚未发布审计检查点')
  return jsonReply(200, { length: Number(row.length), headHash: row.head_hash, at: row.at })
}

async function getApplications(context: RegistryContext, call: Call): Promise<Reply> {
  const { after, limit } = pageQuery(call.query)
  return jsonReply(200, await listApplications(context.db, call.caller, after, limit))
}

export const SIGNED_ROUTES: Route[] = [
  { method: 'PUT', pattern: /^\/v1\/files\/([^/]+)$/, handle: putFile },
  { method: 'HEAD', pattern: /^\/v1\/files\/([^/]+)$/, handle: headFile },
  { method: 'GET', pattern: /^\/v1\/files\/([^/]+)$/, handle: getFile },
  { method: 'POST', pattern: /^\/v1\/operations$/, handle: postOperations },
  { method: 'PUT', pattern: /^\/v1\/certificates\/([^/]+)\/versions\/([^/]+)$/, handle: putVersion },
  { method: 'PUT', pattern: /^\/v1\/certificates\/([^/]+)\/revocation$/, handle: putRevocation },
  { method: 'POST', pattern: /^\/v1\/audit\/checkpoints$/, handle: postCheckpoint },
  { method: 'GET', pattern: /^\/v1\/audit\/checkpoints\/latest$/, handle: latestCheckpoint },
  { method: 'GET', pattern: /^\/v1\/applications$/, handle: getApplications },
  { method: 'PUT', pattern: /^\/v1\/applications\/([^/]+)\/decision$/, handle: putDecision },
]
