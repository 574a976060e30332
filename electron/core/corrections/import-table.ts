import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Knex } from 'knex'
import { ID_TYPES } from '../../contract/application-format'
import type { CorrectionRefusal } from '../../contract/corrections'
import { bureau } from '../applications/review/stages'
import type { AuditLog } from '../audit/audit-log'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import type { SettingsService } from '../settings/settings-service'
import { readPdfFile } from '../uploads/pdf-upload'
import { auditActor, type Actor } from '../users/access'
import { isoNow, type Clock } from '../util/clock'
import { checkTable, type CheckedTable } from './check-table'
import { writeCorrectionErrorWorkbook } from './table/error-workbook'
import { storeRequest } from './store-request'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** A refusal lists this many messages; the error workbook has them all. */
const MAX_MESSAGES = 200

export interface ImportDeps {
  db: Knex
  audit: AuditLog
  files: FileStore
  settings: SettingsService
  clock: Clock
}

export interface TableImport {
  tablePath: string
  /** The name to show and keep (the upload's or the CLI's file name). */
  fileName: string
  explanationPath: string | null
  proofsPath: string | null
}

/**
 * Checks a correction table whole and stores it as a submitted request, or refuses it whole: a
 * refused table changes nothing and comes back with its row messages and error workbook.
 */
export async function importTable(
  deps: ImportDeps,
  user: Actor,
  input: TableImport,
): Promise<CorrectionRefusal | { accepted: true; id: number }> {
  const explanation = input.explanationPath ? await readPdfFile(input.explanationPath, '情况说明') : null
  const extraIdTypes = await deps.settings.value('applications.extraIdTypes')
  const checked = await checkTable(deps.db, {
    tablePath: input.tablePath,
    fileName: input.fileName,
    proofsPath: input.proofsPath,
    supervisorId: user.organisationId,
    bureauId: (await bureau(deps.db))?.id ?? null,
    today: deps.clock.now(),
    idTypes: new Set([...ID_TYPES, ...extraIdTypes.map((type) => type.trim()).filter(Boolean)]),
  })
  if (checked.errorCount > 0) return refusal(checked, input.fileName)
  const fileName = basename(input.fileName).slice(0, 200)
  const table = await readFile(input.tablePath)
  const id = await writeTransaction(deps.db, async (trx) => {
    const stored = await storeRequest(trx, deps.files, {
      organisationId: user.organisationId,
      submittedBy: user.userId,
      now: isoNow(deps.clock),
      fileName,
      table,
      explanation: explanation ? { name: basename(input.explanationPath!).slice(0, 200), bytes: explanation } : null,
      rows: checked.rows,
      proofs: checked.proofs,
    })
    // Counts, field keys and hashes only: the audit log never carries names or ID numbers.
    await deps.audit.record(trx, auditActor(user), {
      action: 'correction.submit',
      objectType: 'correction_request',
      objectId: stored.id,
      details: {
        rows: checked.rows.length,
        certificates: new Set(checked.rows.map((row) => row.certificate!.id)).size,
        fields: fieldCounts(checked),
        proofs: checked.proofs.size,
        table: stored.tableHash,
        explanation: stored.explanationHash,
      },
    })
    return stored.id
  })
  return { accepted: true, id }
}

async function refusal(checked: CheckedTable, fileName: string): Promise<CorrectionRefusal> {
  const messages = checked.rows.flatMap((row) => row.issues.map((issue) => issue.message))
  const bytes = await writeCorrectionErrorWorkbook(checked.rows)
  const stem = basename(fileName).replace(/\.xlsx$/i, '')
  return {
    accepted: false,
    rowCount: checked.rows.length,
    errorCount: messages.length,
    messages: messages.slice(0, MAX_MESSAGES),
    errorWorkbook: { fileName: `${stem}-错误清单.xlsx`, mediaType: XLSX, base64: bytes.toString('base64') },
  }
}

function fieldCounts(checked: CheckedTable): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const row of checked.rows) counts[row.field!] = (counts[row.field!] ?? 0) + 1
  return counts
}
