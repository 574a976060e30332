import type { Knex } from 'knex'
import type { DownloadFile } from '../../contract/applications'
import {
  CORRECTION_QUEUES,
  CORRECTION_STATE_LABELS,
  PHOTO_FIELD,
  type CorrectionDetail,
  type CorrectionImportResult,
  type CorrectionQueue,
  type CorrectionSummary,
} from '../../contract/corrections'
import type { AuditLog, AuditRecord } from '../audit/audit-log'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import type { SettingsService } from '../settings/settings-service'
import { folderOrZipPath, type UploadStore } from '../uploads/upload-store'
import { auditActor, requireRole, type Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { writeNewVersions } from './apply'
import { writeDecision, type RowDecisionInput } from './decide'
import { importTable, type TableImport } from './import-table'
import { applyRefusal, decideRefusal, submitRefusal, type Refusal, type RequestFacts } from './permissions'
import { documentsOf, loadVisibleRequest, queueQuery, requestQuery, rowsOf, summarise, type RequestRecord } from './queries'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const READERS = ['reviewer', 'clerk', 'admin'] as const

function factsOf(record: RequestRecord): RequestFacts {
  return { state: record.state, submittedBy: Number(record.submitted_by) }
}

/**
 * Corrections (勘误, clause 7): the correction summary table's template and import, the bureau's
 * review of a request (whole or row by row, the photo only with explicit consent), and the
 * institute's application of it as new certificate versions. Every rule is enforced here; the
 * renderer mirrors it through canDecide / canApply and their refusals.
 */
export class CorrectionsService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly files: FileStore,
    private readonly settings: SettingsService,
    private readonly uploads: UploadStore,
    private readonly clock: Clock,
  ) {}

  /** The blank template (no data in it, so the CLI writes it without a user). exceljs loads on first use. */
  async templateBytes(): Promise<Buffer> {
    const { writeCorrectionTemplate } = await import('./table/template')
    return writeCorrectionTemplate()
  }

  async template(actor: Actor | null): Promise<DownloadFile> {
    requireRole(actor, ...READERS)
    return { fileName: '证书信息勘误汇总表模板.xlsx', mediaType: XLSX, base64: (await this.templateBytes()).toString('base64') }
  }

  /** The renderer's import: the table, explanation and proofs sent earlier through uploads.*. */
  async importUploaded(
    actor: Actor | null,
    input: { table: string; explanation: string | null; proofs: string | null },
  ): Promise<CorrectionImportResult> {
    const table = await this.uploads.resolve(actor, input.table, 'workbook')
    if (table.files.length !== 1) throw new AppError('VALIDATION', '请只选择一个勘误汇总表（Excel 工作簿）')
    const explanation = input.explanation ? await this.uploads.resolve(actor, input.explanation, 'notice') : null
    if (explanation && explanation.files.length !== 1) throw new AppError('VALIDATION', '请只选择一个情况说明的 PDF 文件')
    const proofs = input.proofs ? await this.uploads.resolve(actor, input.proofs, 'attachment') : null
    const proofsPath = proofs ? folderOrZipPath(proofs) : null
    const result = await this.importTable(actor, {
      tablePath: table.files[0].path,
      fileName: table.files[0].name,
      explanationPath: explanation?.files[0].path ?? null,
      proofsPath,
    })
    // A refused table keeps its uploads for a corrected retry; the dialog discards them when left.
    if (result.accepted) for (const upload of [table, explanation, proofs]) if (upload) await this.uploads.discard(actor, upload.id)
    return result
  }

  /** Checks a table whole; stores it as a submitted request, or refuses it whole with its error workbook. */
  async importTable(actor: Actor | null, input: TableImport): Promise<CorrectionImportResult> {
    const user = requireRole(actor, 'reviewer')
    const refused = submitRefusal(user)
    if (refused) throw new AppError(refused.code, refused.message)
    const deps = { db: this.db, audit: this.audit, files: this.files, settings: this.settings, clock: this.clock }
    const outcome = await importTable(deps, user, input)
    if (!outcome.accepted) return outcome
    const [request] = await summarise(this.db, [await loadVisibleRequest(this.db, user, outcome.id)])
    return { accepted: true, request }
  }

  async queues(actor: Actor | null): Promise<Array<{ queue: CorrectionQueue; count: number }>> {
    const user = requireRole(actor, ...READERS)
    const counts: Array<{ queue: CorrectionQueue; count: number }> = []
    for (const queue of CORRECTION_QUEUES) {
      const query = queueQuery(this.db, queue, user)
      if (!query) continue
      const row = (await query.clearSelect().count({ n: '*' }).first()) as { n: number | string }
      counts.push({ queue, count: Number(row.n) })
    }
    return counts
  }

  async list(actor: Actor | null, input: { queue: CorrectionQueue; limit: number }): Promise<CorrectionSummary[]> {
    const user = requireRole(actor, ...READERS)
    const query = queueQuery(this.db, input.queue, user)
    if (!query) return []
    return summarise(this.db, (await query.orderBy('q.id', 'desc').limit(input.limit)) as RequestRecord[])
  }

  async get(actor: Actor | null, id: number): Promise<CorrectionDetail> {
    const user = requireRole(actor, ...READERS)
    const record = await loadVisibleRequest(this.db, user, id)
    const [summary] = await summarise(this.db, [record])
    const decide = decideRefusal(user, factsOf(record))
    const apply = applyRefusal(user, factsOf(record))
    return {
      ...summary,
      decisionReason: record.decision_reason,
      rows: await rowsOf(this.db, id),
      documents: await documentsOf(this.db, id),
      canDecide: decide === null,
      decideRefusal: record.state === 'submitted' ? (decide?.message ?? null) : null,
      canApply: apply === null,
      applyRefusal: record.state === 'approved' ? (apply?.message ?? null) : null,
    }
  }

  /** A photo row's current or new photo; null for a row that does not correct the photo. */
  async photo(actor: Actor | null, rowId: number, which: 'old' | 'new'): Promise<{ mediaType: string; base64: string } | null> {
    const user = requireRole(actor, ...READERS)
    const query = this.db('correction_rows as r').join('correction_requests as q', 'q.id', 'r.request_id').where('r.id', rowId)
    const row = (await scopeToOrganisation(this.db, query, user, 'q.organisation_id').first('r.field', 'r.old_value', 'r.new_value')) as
      { field: string; old_value: string; new_value: string } | undefined
    if (!row) throw new AppError('NOT_FOUND', `勘误行 ${rowId} 不存在，或不在您的管理范围内`)
    const hash = which === 'old' ? row.old_value : row.new_value
    if (row.field !== PHOTO_FIELD || hash === '') return null
    const file = await this.files.read(this.db, hash)
    return { mediaType: file.mediaType, base64: Buffer.from(file.bytes).toString('base64') }
  }

  /** The table as submitted, the explanation, or one proof by its file name. */
  async document(
    actor: Actor | null,
    requestId: number,
    kind: 'table' | 'explanation' | 'proof',
    fileName?: string,
  ): Promise<DownloadFile> {
    const user = requireRole(actor, ...READERS)
    await loadVisibleRequest(this.db, user, requestId)
    const query = this.db('correction_documents').where({ request_id: requestId, kind })
    if (kind === 'proof') query.whereRaw('lower(file_name) = ?', [(fileName ?? '').normalize('NFC').toLowerCase()])
    const document = (await query.first('file_name', 'file_hash')) as { file_name: string; file_hash: string } | undefined
    if (!document)
      throw new AppError('NOT_FOUND', kind === 'explanation' ? '该勘误申请没有附情况说明' : `该勘误申请中没有文件 ${fileName ?? ''}`)
    const file = await this.files.read(this.db, document.file_hash)
    return { fileName: document.file_name, mediaType: file.mediaType, base64: Buffer.from(file.bytes).toString('base64') }
  }

  /** The bureau's decision on every row; a reviewer of the bureau, never the submitter. */
  async decide(actor: Actor | null, requestId: number, rows: RowDecisionInput[], reason?: string): Promise<CorrectionDetail> {
    const user = requireRole(actor, 'reviewer')
    await this.change(user, requestId, decideRefusal, (trx, now) =>
      writeDecision(trx, { id: requestId, userId: user.userId, now }, rows, reason?.trim() || null),
    )
    return this.get(user, requestId)
  }

  /** The institute applies an approved request: a new, pending version of each certificate. */
  async apply(actor: Actor | null, requestId: number): Promise<CorrectionDetail> {
    const user = requireRole(actor, 'clerk')
    await this.change(user, requestId, applyRefusal, async (trx, now) => {
      const { records, skipped } = await writeNewVersions(trx, requestId, now)
      await this.audit.recordMany(trx, auditActor(user), records)
      await trx('correction_requests').where({ id: requestId }).update({ state: 'applied', applied_by: user.userId, applied_at: now })
      return {
        action: 'correction.apply',
        objectType: 'correction_request',
        objectId: requestId,
        details: { requestId, versions: records.length, skipped },
      }
    })
    return this.get(user, requestId)
  }

  /**
   * A decision or an application: allowed for the actor on the request as seen, then re-read in
   * the write transaction, where a request someone else moved on meanwhile is refused. The change
   * and its audit entry commit together.
   */
  private async change(
    user: Actor,
    requestId: number,
    refusalOf: (actor: Actor, request: RequestFacts) => Refusal | null,
    work: (trx: Knex.Transaction, now: string) => Promise<AuditRecord>,
  ): Promise<void> {
    const seen = await loadVisibleRequest(this.db, user, requestId)
    const refusal = refusalOf(user, factsOf(seen))
    if (refusal) throw new AppError(refusal.code, refusal.message)
    await writeTransaction(this.db, async (trx) => {
      const current = (await requestQuery(trx).where('q.id', requestId).first()) as RequestRecord
      if (current.state !== seen.state) {
        throw new AppError('INVALID_STATE', `该勘误申请已由他人处理（${CORRECTION_STATE_LABELS[current.state]}），请刷新后查看`)
      }
      const entry = await work(trx, isoNow(this.clock))
      await this.audit.record(trx, auditActor(user), entry)
    })
  }
}
