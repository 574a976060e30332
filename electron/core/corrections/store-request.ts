import type { Knex } from 'knex'
import { insertReturningId } from '../db/insert'
import type { FileStore } from '../files/file-store'
import type { CorrectionRow } from './checks/types'
import type { ProofContent } from './proofs/proof-step'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** knex writes a multi-row insert for SQLite as a compound SELECT, capped at 500 terms. */
const CHUNK = 400

export interface StoredTable {
  organisationId: number
  submittedBy: number
  now: string
  fileName: string
  table: Buffer
  explanation: { name: string; bytes: Buffer } | null
  rows: CorrectionRow[]
  proofs: Map<string, ProofContent>
}

/**
 * Stores an accepted table inside the caller's write transaction: the request, its files (the
 * table as submitted, the explanation, each named proof) and one row per table row, each with the
 * certificate version it was checked against. Returns the request's id and the files' hashes.
 */
export async function storeRequest(
  trx: Knex.Transaction,
  files: FileStore,
  input: StoredTable,
): Promise<{ id: number; tableHash: string; explanationHash: string | null }> {
  // One after the other: FileStore writes the same bytes through the same temporary name.
  const tableHash = (await files.put(trx, input.table, XLSX, input.fileName)).hash
  const explanationHash = input.explanation
    ? (await files.put(trx, input.explanation.bytes, 'application/pdf', input.explanation.name)).hash
    : null
  const id = await insertReturningId(trx, 'correction_requests', {
    organisation_id: input.organisationId,
    state: 'submitted',
    explanation_hash: explanationHash,
    submitted_by: input.submittedBy,
    submitted_at: input.now,
  })
  const documents = [{ request_id: id, kind: 'table', file_name: input.fileName, file_hash: tableHash }]
  if (input.explanation)
    documents.push({ request_id: id, kind: 'explanation', file_name: input.explanation.name, file_hash: explanationHash! })
  for (const proof of input.proofs.values()) {
    const hash = (await files.put(trx, proof.bytes, proof.mediaType, proof.name)).hash
    documents.push({ request_id: id, kind: 'proof', file_name: proof.name, file_hash: hash })
  }
  await trx('correction_documents').insert(documents)
  const rows = input.rows.map((row) => ({
    request_id: id,
    seq: row.rowNumber,
    certificate_id: row.certificate!.id,
    field: row.field!,
    old_value: row.oldValue ?? '',
    new_value: row.newValue!,
    reason: row.text.reason,
    proofs: row.proofNames.length > 0 ? JSON.stringify(row.proofNames) : null,
    base_version: row.certificate!.version,
  }))
  for (let start = 0; start < rows.length; start += CHUNK) await trx('correction_rows').insert(rows.slice(start, start + CHUNK))
  return { id, tableHash, explanationHash }
}
