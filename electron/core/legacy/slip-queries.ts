import type { Knex } from 'knex'
import type { SlipKind, SlipState, SlipSummary } from '../../contract/legacy'
import type { Actor } from '../users/access'
import { isInstituteClerk } from './legacy-access'

type Db = Knex | Knex.Transaction

/** One query_slips row with what its summary shows. */
export interface SlipRow {
  id: number
  number: string
  kind: SlipKind
  certificate_id: number
  organisation_id: number
  fields: string
  pdf_hash: string | null
  recheck_state: 'pending' | 'confirmed' | 'refused' | null
  reason: string | null
  issued_by: number
  issued_at: string
  certificate_number: string
  certificate_status: string
  holder_name: string
  holder_id_number: string
  level: string | null
  organisation_name: string
  issued_by_name: string
  recheck_decision: 'confirmed' | 'refused' | null
  recheck_reason: string | null
  rechecked_by_name: string | null
  rechecked_at: string | null
}

/** The slips with their record, issuing body, issuer and re-check, for the desks' lists. */
export function selectSlips(db: Db): Knex.QueryBuilder {
  return db('query_slips as q')
    .join('certificates as c', 'c.id', 'q.certificate_id')
    .join('organisations as o', 'o.id', 'q.organisation_id')
    .join('users as u', 'u.id', 'q.issued_by')
    .leftJoin('slip_rechecks as r', 'r.slip_id', 'q.id')
    .leftJoin('users as ru', 'ru.id', 'r.rechecked_by')
    .select(
      'q.id',
      'q.number',
      'q.kind',
      'q.certificate_id',
      'q.organisation_id',
      'q.fields',
      'q.pdf_hash',
      'q.recheck_state',
      'q.reason',
      'q.issued_by',
      'q.issued_at',
      'c.number as certificate_number',
      'c.status as certificate_status',
      'c.holder_name',
      'c.holder_id_number',
      'c.level',
      'o.name as organisation_name',
      'u.display_name as issued_by_name',
      'r.decision as recheck_decision',
      'r.reason as recheck_reason',
      'ru.display_name as rechecked_by_name',
      'r.rechecked_at',
    )
}

/** A slip's state: a revoked record voids every slip issued from it, whatever its re-check said. */
export function slipState(row: Pick<SlipRow, 'recheck_state' | 'certificate_status'>): SlipState {
  if (row.certificate_status === 'revoked') return 'record_revoked'
  if (row.recheck_state === 'pending') return 'pending_recheck'
  if (row.recheck_state === 'refused') return 'refused'
  return 'issued'
}

export function toSlipSummary(row: SlipRow, actor: Actor): SlipSummary {
  const state = slipState(row)
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    state,
    certificateId: row.certificate_id,
    certificateNumber: row.certificate_number,
    holderName: row.holder_name,
    level: row.level,
    organisationName: row.organisation_name,
    reason: row.reason,
    issuedByName: row.issued_by_name,
    issuedAt: row.issued_at,
    needsRecheck: row.recheck_state !== null,
    recheck:
      row.recheck_decision && row.rechecked_at
        ? { decision: row.recheck_decision, reason: row.recheck_reason, byName: row.rechecked_by_name ?? '', at: row.rechecked_at }
        : null,
    printable: state === 'issued' && row.pdf_hash !== null,
    canRecheck: state === 'pending_recheck' && isInstituteClerk(actor) && actor.userId !== row.issued_by,
  }
}

/** 3101********0022: enough to compare with the paper, never the whole number. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length)
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`
}
