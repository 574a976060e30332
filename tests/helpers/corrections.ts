import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CorrectionImportResult } from '../../electron/contract/corrections'
import type { Core } from '../../electron/core/app'
import type { Actor } from '../../electron/core/users/access'
import { insertActiveCertificates } from '../fixtures/corrections/certificates'
import { proofPdf, writeCorrectionTable, writeProofFolder, type TableRow } from '../fixtures/corrections/tables'
import { createDemoCore } from './calls'
import type { TestCore } from './core'

export { certificateOf, correctionRow, insertActiveCertificates, type IssuedCertificate } from '../fixtures/corrections/certificates'

/** What a test submits: the table's rows, and optionally an explanation and a folder of proofs. */
export interface TableSubmission {
  rows: TableRow[]
  proofs?: Record<string, Buffer>
  explanation?: boolean
  fileName?: string
}

/** Writes the table (and proofs) into `work` and imports it as `actor`, as the CLI and the upload path do. */
export async function submitTable(core: Core, actor: Actor, work: string, submission: TableSubmission): Promise<CorrectionImportResult> {
  const dir = mkdtempSync(join(work, 'table-'))
  const tablePath = await writeCorrectionTable(join(dir, submission.fileName ?? '勘误汇总表.xlsx'), submission.rows)
  const proofsPath = submission.proofs ? await writeProofFolder(join(dir, 'proofs'), submission.proofs) : null
  const explanationPath = submission.explanation === false ? null : join(dir, '情况说明.pdf')
  if (explanationPath) writeFileSync(explanationPath, proofPdf('explanation'))
  return core.corrections.importTable(actor, { tablePath, fileName: submission.fileName ?? '勘误汇总表.xlsx', explanationPath, proofsPath })
}

/**
 * The demo data with twelve issued WSHL title certificates (index 1–12; 10 revoked, 11 numbered
 * but not yet issued, 12 a legacy paper record) and two JSKS vocational ones (index 1–2).
 */
export async function correctionsTemplate(): Promise<TestCore> {
  const test = await createDemoCore()
  const titles = await insertActiveCertificates(test.core, { organisationCode: 'WSHL', family: 'title', count: 12 })
  await insertActiveCertificates(test.core, { organisationCode: 'JSKS', family: 'vocational', count: 2 })
  await test.core.db('certificates').where({ id: titles[9].id }).update({ status: 'revoked' })
  await test.core.db('certificates').where({ id: titles[10].id }).update({ status: 'pending' })
  await test.core.db('certificate_versions').where({ certificate_id: titles[10].id }).update({ status: 'pending', issued_at: null })
  await test.core.db('certificates').where({ id: titles[11].id }).update({ legacy: true })
  return test
}
