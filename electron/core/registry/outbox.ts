import type { Knex } from 'knex'
import type { EventType } from '../../contract/sync'

/** One effect the registry must receive, as written to the outbox with the change it publishes. */
export interface OutboxEvent {
  type: EventType
  /** Effects with the same key are delivered in the order they were written (a certificate's number). */
  orderingKey: string
  /** Derived from the effect itself, so the same effect can never be queued twice. */
  idempotencyKey: string
  payload: Record<string, unknown>
}

/** knex writes a multi-row insert for SQLite as one compound statement: a few hundred rows at a time. */
const CHUNK = 200

/**
 * Queues events in the caller's transaction: they commit with the change they publish or not
 * at all, which is what makes the registry's copy complete (registry/openapi.yaml).
 */
export async function enqueue(trx: Knex.Transaction, events: OutboxEvent[], now: string): Promise<void> {
  const rows = events.map((event) => ({
    ordering_key: event.orderingKey,
    event_type: event.type,
    payload: JSON.stringify(event.payload),
    idempotency_key: event.idempotencyKey,
    state: 'pending',
    attempts: 0,
    next_attempt_at: null,
    created_at: now,
  }))
  for (let start = 0; start < rows.length; start += CHUNK) await trx('outbox').insert(rows.slice(start, start + CHUNK))
}

export interface PublishedVersion {
  number: string
  version: number
  family: string
  level: string | null
  organisationCode: string
  issuedAt: string
  fields: Record<string, unknown>
  verificationCode: string
  pdfSha256: string
}

/** An issued (version 1) or corrected (later versions) certificate version. */
export function certificateVersionEvent(version: PublishedVersion): OutboxEvent {
  return {
    type: 'certificate.version',
    orderingKey: version.number,
    idempotencyKey: `cv:${version.number}:v${version.version}`,
    payload: { ...version },
  }
}

export interface PublishedRevocation {
  number: string
  version: number
  reason: 'report' | 'violation' | 'other'
  reasonText?: string
  documentNumber: string
  documentDate: string
  documentSha256: string | null
  revokedAt: string
}

export function revocationEvent(revocation: PublishedRevocation): OutboxEvent {
  return {
    type: 'certificate.revocation',
    orderingKey: revocation.number,
    idempotencyKey: `cr:${revocation.number}`,
    payload: { ...revocation },
  }
}

/** The ordering key of the audit checkpoints (no certificate number or `application:…` key reads so). */
export const AUDIT_ORDERING_KEY = 'audit'

export function checkpointEvent(checkpoint: { length: number; headHash: string; at: string }): OutboxEvent {
  return {
    type: 'audit.checkpoint',
    orderingKey: AUDIT_ORDERING_KEY,
    idempotencyKey: `ac:${checkpoint.length}`,
    payload: { ...checkpoint },
  }
}

export interface PublishedDecision {
  applicationId: string
  decision: 'approved' | 'returned'
  reason: string | null
  firstNumber: string | null
  lastNumber: string | null
  decidedAt: string
}

export function decisionEvent(decision: PublishedDecision): OutboxEvent {
  return {
    type: 'application.decision',
    orderingKey: `application:${decision.applicationId}`,
    idempotencyKey: `ad:${decision.applicationId}:${decision.decision}`,
    payload: { ...decision },
  }
}
