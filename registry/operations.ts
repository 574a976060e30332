import type { z } from 'zod'
import type { Knex } from 'knex'
import { canonicalJson, sha256Hex } from '../electron/core/util/canonical'
import { APPLIERS, type BatchState, type Needs } from './appliers'
import type { Caller } from './clients'
import type { ErrorBody } from './errors'
import { RegistryError } from './errors'
import { IDEMPOTENCY_KEY_PATTERN, OPERATION_SCHEMAS, OPERATION_TYPES, parseBody, type OperationType } from './schemas'

export interface Receipt {
  receiptId: string
  acceptedAt: string
  replayed: boolean
}

/** One operation's answer: the HTTP status the single write would have got, and its receipt or error. */
export interface OperationResult {
  idempotencyKey: string
  status: number
  receipt?: Receipt
  error?: ErrorBody
}

interface ParsedOperation {
  idempotencyKey: string
  type: OperationType
  payload: unknown
  /** SHA-256 of the canonical JSON of { type, payload } as sent: a batch item and a single write compare alike. */
  bodyHash: string
}

interface StoredAnswer {
  bodyHash: string
  response: { receiptId: string; acceptedAt: string }
}

function refused(idempotencyKey: string, error: RegistryError): OperationResult {
  return { idempotencyKey, status: error.status, error: error.toBody() }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Checks one operation on its own; a refusal is its result, the others still apply. */
function parseOperation(raw: unknown): ParsedOperation | OperationResult {
  const key = isRecord(raw) && typeof raw.idempotencyKey === 'string' ? raw.idempotencyKey : ''
  if (!isRecord(raw) || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return refused(key.slice(0, 64), new RegistryError('bad_request', '幂等键缺失或格式错误（最多 64 个字符 [A-Za-z0-9._:-]）'))
  }
  if (typeof raw.type !== 'string' || !OPERATION_TYPES.includes(raw.type as OperationType)) {
    return refused(key, new RegistryError('bad_request', `未知的操作类型：${String(raw.type).slice(0, 40)}`))
  }
  const type = raw.type as OperationType
  try {
    const payload: unknown = parseBody(OPERATION_SCHEMAS[type] as z.ZodType<unknown>, raw.payload)
    return { idempotencyKey: key, type, payload, bodyHash: sha256Hex(canonicalJson({ type, payload: raw.payload })) }
  } catch (error) {
    return refused(key, error as RegistryError)
  }
}

function emptyState(caller: Caller, acceptedAt: string): BatchState {
  return {
    caller,
    acceptedAt,
    certificates: new Map(),
    files: new Set(),
    applications: new Map(),
    rows: { certificates: new Map(), certificate_versions: [], revocations: [], audit_checkpoints: [], decisions: [] },
  }
}

/** Loads, in a handful of queries, everything the batch's rules will look at. */
async function loadState(trx: Knex.Transaction, caller: Caller, operations: ParsedOperation[], acceptedAt: string) {
  const state = emptyState(caller, acceptedAt)
  const needs: Needs = { certificates: [], files: [], applications: [] }
  for (const operation of operations) APPLIERS[operation.type].needs(operation.payload as never, needs)
  const certificates = (await trx('certificates')
    .leftJoin('revocations', 'revocations.number', 'certificates.number')
    .whereIn('certificates.number', [...new Set(needs.certificates)])
    .select(
      'certificates.number',
      'certificates.organisation_code',
      'certificates.family',
      'certificates.current_version',
      'certificates.created_at',
      'revocations.number as revoked_number',
    )) as Array<Record<string, string | number | null>>
  for (const row of certificates) {
    state.certificates.set(String(row.number), {
      organisationCode: String(row.organisation_code),
      family: String(row.family),
      currentVersion: Number(row.current_version),
      revoked: row.revoked_number !== null,
      createdAt: String(row.created_at),
    })
  }
  if (needs.files.length > 0) {
    for (const sha256 of await trx('files')
      .whereIn('sha256', [...new Set(needs.files)])
      .pluck('sha256'))
      state.files.add(sha256)
  }
  if (needs.applications.length > 0) {
    const applications = (await trx('applications')
      .whereIn('id', [...new Set(needs.applications)])
      .select('id', 'organisation_code')) as Array<{ id: string; organisation_code: string }>
    for (const row of applications) state.applications.set(row.id, row.organisation_code)
  }
  const answers = new Map<string, StoredAnswer>()
  const stored = (await trx('operations')
    .where({ client_id: caller.clientId })
    .whereIn('idempotency_key', [...new Set(operations.map((operation) => operation.idempotencyKey))])
    .select('idempotency_key', 'body_hash', 'response')) as Array<{ idempotency_key: string; body_hash: string; response: string }>
  for (const row of stored) answers.set(row.idempotency_key, { bodyHash: row.body_hash, response: JSON.parse(row.response) })
  return { state, answers }
}

/** Multi-row inserts kept under SQLite's limit of bound variables per statement. */
async function insertAll(trx: Knex.Transaction, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return
  const size = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]).length))
  for (let start = 0; start < rows.length; start += size) await trx(table).insert(rows.slice(start, start + size))
}

/** One batch's progress: its state, the stored answers by key, the last effect sequence and the rows to write. */
interface Run {
  state: BatchState
  answers: Map<string, StoredAnswer>
  sequence: number
  effects: Array<Record<string, unknown>>
  operations: Array<Record<string, unknown>>
}

/** Answers one operation against the batch so far, and records it when it applies. */
function decide(run: Run, operation: ParsedOperation): OperationResult {
  const { idempotencyKey, type, payload, bodyHash } = operation
  const known = run.answers.get(idempotencyKey)
  if (known) {
    return known.bodyHash === bodyHash
      ? { idempotencyKey, status: 200, receipt: { ...known.response, replayed: true } }
      : refused(idempotencyKey, new RegistryError('idempotency_conflict', `幂等键 ${idempotencyKey} 已用于内容不同的请求`))
  }
  const applier = APPLIERS[type]
  const refusal = applier.check(payload as never, run.state)
  if (refusal) return refused(idempotencyKey, refusal)
  run.sequence += 1
  const sequence = run.sequence
  const { caller, acceptedAt } = run.state
  applier.apply(payload as never, run.state, sequence)
  const orderingKey = applier.orderingKey(payload as never, caller)
  const response = { receiptId: `rcpt_${sequence}`, acceptedAt }
  run.answers.set(idempotencyKey, { bodyHash, response })
  const common = { ordering_key: orderingKey, idempotency_key: idempotencyKey, client_id: caller.clientId }
  run.effects.push({ ...common, sequence, operation_type: type, applied_at: acceptedAt })
  run.operations.push({
    ...common,
    type,
    body_hash: bodyHash,
    status: 201,
    response: JSON.stringify(response),
    effect_sequence: sequence,
    accepted_at: acceptedAt,
  })
  return { idempotencyKey, status: 201, receipt: { ...response, replayed: false } }
}

/** Writes what the batch applied, a few multi-row statements per table. */
async function writeRun(trx: Knex.Transaction, run: Run): Promise<void> {
  if (run.effects.length === 0) return
  // Effects first: every other row names the effect that brought it.
  await insertAll(trx, 'effects', run.effects)
  const certificates = [...run.state.rows.certificates.values()]
  for (let start = 0; start < certificates.length; start += 5000) {
    await trx('certificates')
      .insert(certificates.slice(start, start + 5000))
      .onConflict('number')
      .merge(['organisation_code', 'family', 'current_version', 'updated_at'])
  }
  await insertAll(trx, 'certificate_versions', run.state.rows.certificate_versions)
  await insertAll(trx, 'revocations', run.state.rows.revocations)
  await insertAll(trx, 'audit_checkpoints', run.state.rows.audit_checkpoints)
  await insertAll(trx, 'decisions', run.state.rows.decisions)
  await insertAll(trx, 'operations', run.operations)
}

/**
 * Applies a batch of operations in one transaction, each on its own and in the order given
 * (never all-or-nothing): a known key with the same body gets its stored answer (200,
 * replayed), with another body 409; an applied one gets its receipt (201) and one row in the
 * effects log. Only applied operations are stored, so a refused one may be resent with its key.
 */
export async function applyOperations(db: Knex, caller: Caller, raw: unknown[], now: Date): Promise<OperationResult[]> {
  const results: OperationResult[] = new Array(raw.length)
  const parsed: Array<{ index: number; operation: ParsedOperation }> = []
  raw.forEach((item, index) => {
    const outcome = parseOperation(item)
    if ('status' in outcome) results[index] = outcome
    else parsed.push({ index, operation: outcome })
  })
  if (parsed.length === 0) return results
  await db.transaction(async (trx) => {
    const operations = parsed.map((item) => item.operation)
    const { state, answers } = await loadState(trx, caller, operations, now.toISOString())
    const last = (await trx('effects').max('sequence as last').first()) as { last: number | null } | undefined
    const run: Run = { state, answers, sequence: Number(last?.last ?? 0), effects: [], operations: [] }
    for (const { index, operation } of parsed) results[index] = decide(run, operation)
    await writeRun(trx, run)
  })
  return results
}
