import type { Knex } from 'knex'
import type { AuditEntry } from '../../contract/audit'
import type { HistoryEntry, HistoryPage, HistorySource } from '../../contract/register'
import type { AuditLog } from '../audit/audit-log'
import type { CertificateRow } from './register-detail'

/** The batch's entries that concern every certificate it made; the others are about single applicants. */
const BATCH_WIDE = new Set(['batch.import', 'batch.approve', 'batch.return', 'batch.issue'])
const BATCH_APPLICANT = new Set(['batch.exclude', 'batch.include'])

/** Audit object types whose entries the history shows, and where each comes from. */
const SOURCES: Record<string, HistorySource> = {
  certificate: 'certificate',
  application_batch: 'batch',
  correction_request: 'correction',
  revocation_request: 'revocation',
  integrity_record: 'integrity',
  legacy_import: 'legacy',
  query_slip: 'slip',
}

/** The objects whose audit entries make up a certificate's history, looked up by their own indexes. */
async function relatedObjects(db: Knex, certificate: CertificateRow): Promise<Array<{ objectType: string; objectIds: number[] }>> {
  const id = Number(certificate.id)
  const ids = async (query: Knex.QueryBuilder) => ((await query) as Array<{ id: number }>).map((row) => Number(row.id))
  return [
    { objectType: 'certificate', objectIds: [id] },
    { objectType: 'application_batch', objectIds: certificate.batch_id === null ? [] : [Number(certificate.batch_id)] },
    {
      objectType: 'correction_request',
      objectIds: await ids(db('correction_rows').where({ certificate_id: id }).distinct('request_id as id')),
    },
    {
      objectType: 'revocation_request',
      objectIds: await ids(db('revocations').where({ certificate_id: id }).whereNotNull('request_id').distinct('request_id as id')),
    },
    {
      objectType: 'integrity_record',
      objectIds: await ids(db('integrity_records').where({ subject_id_number: certificate.holder_id_number }).select('id')),
    },
    // A legacy record's import (clause 9), and the query slips and pass certificates issued from it.
    { objectType: 'legacy_import', objectIds: await ids(db('legacy_records').where({ certificate_id: id }).select('import_id as id')) },
    { objectType: 'query_slip', objectIds: await ids(db('query_slips').where({ certificate_id: id }).select('id')) },
  ]
}

/** Whether a batch entry is about this certificate: batch-wide, or naming its applicant. */
function concerns(entry: AuditEntry, applicantId: number | null): boolean {
  if (entry.objectType !== 'application_batch') return true
  if (BATCH_WIDE.has(entry.action)) return true
  if (!BATCH_APPLICANT.has(entry.action) || applicantId === null) return false
  const named = entry.details.applicantIds
  return Array.isArray(named) && named.map(Number).includes(applicantId)
}

function historyEntry(entry: AuditEntry): HistoryEntry {
  return {
    id: entry.id,
    at: entry.at,
    actorName: entry.actorName,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    details: entry.details,
    source: SOURCES[entry.objectType] ?? 'certificate',
  }
}

/**
 * A certificate's history from the audit log, newest first: its own entries (created, sealed,
 * issued, corrected, revoked), its batch's import and decisions, the entries of the correction
 * tables, revocations and integrity records that name it or its holder, and for a legacy record
 * its import and the slips issued from it.
 */
export async function certificateHistory(
  db: Knex,
  audit: AuditLog,
  certificate: CertificateRow,
  options: { beforeId?: number; limit: number },
): Promise<HistoryPage> {
  const raw = await audit.listByObjects(await relatedObjects(db, certificate), { beforeId: options.beforeId, limit: options.limit + 1 })
  const hasMore = raw.length > options.limit
  const page = raw.slice(0, options.limit)
  const applicantId = certificate.applicant_id === null ? null : Number(certificate.applicant_id)
  const entries = page.filter((entry) => concerns(entry, applicantId)).map(historyEntry)
  return { entries, hasMore, nextBeforeId: hasMore ? page[page.length - 1].id : null }
}
