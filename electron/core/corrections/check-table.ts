import type { Knex } from 'knex'
import { checkAgainstCertificate, loadCertificates } from './checks/certificates'
import { checkConflicts, checkMergedIdentity } from './checks/consistency'
import { checkFonts } from './checks/fonts'
import { checkNewIdNumbers } from './checks/new-id-numbers'
import { checkNewValues } from './checks/new-values'
import { checkRowCells } from './checks/row-cells'
import { failed, type CorrectionRow } from './checks/types'
import { collectProofs, type ProofContent } from './proofs/proof-step'
import { openProofSource } from './proofs/proof-source'
import { readCorrectionTable } from './table/read-table'

export interface TableCheckInput {
  tablePath: string
  fileName: string
  /** A folder or ZIP of proofs, or null. */
  proofsPath: string | null
  /** The submitting department: every certificate must be under its supervision. */
  supervisorId: number
  bureauId: number | null
  today: Date
  idTypes: ReadonlySet<string>
}

export interface CheckedTable {
  rows: CorrectionRow[]
  errorCount: number
  proofs: Map<string, ProofContent>
}

/**
 * Every check of a correction table, in the order that keeps messages useful: each row on its
 * own, against its certificate (one lookup per 500 numbers), the corrected values through the
 * intake's checks, the proofs and the new photo, then across rows (conflicts, the ID number with
 * 性别 and 出生年月), against other certificates, and the certificate font. Nothing is written.
 */
export async function checkTable(db: Knex, input: TableCheckInput): Promise<CheckedTable> {
  const rows = await readCorrectionTable(input.tablePath, input.fileName)
  for (const row of rows) checkRowCells(row)
  const numbers = rows.filter((row) => !failed(row)).map((row) => row.text.number)
  const certificates = await loadCertificates(db, numbers, input.bureauId)
  for (const row of rows) checkAgainstCertificate(row, certificates.get(row.text.number), input.supervisorId, input.today)
  checkNewValues(rows, { today: input.today, idTypes: input.idTypes })
  const source = input.proofsPath ? await openProofSource(input.proofsPath) : null
  let proofs: Map<string, ProofContent>
  try {
    proofs = await collectProofs(source, rows)
  } finally {
    await source?.close()
  }
  checkConflicts(rows)
  checkMergedIdentity(rows, input.today)
  await checkNewIdNumbers(db, rows)
  checkFonts(rows)
  return { rows, errorCount: rows.reduce((sum, row) => sum + row.issues.length, 0), proofs }
}
