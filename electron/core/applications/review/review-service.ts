import type { Knex } from 'knex'
import {
  BATCH_STATE_LABELS,
  QUEUES,
  type ApplicantRow,
  type BatchDetail,
  type BatchIssue,
  type BatchSummary,
  type DownloadFile,
  type Queue,
} from '../../../contract/applications'
import type { AuditLog } from '../../audit/audit-log'
import { writeTransaction } from '../../db/transaction'
import type { FileStore } from '../../files/file-store'
import type { SettingsService } from '../../settings/settings-service'
import { auditActor, requireRole, type Actor } from '../../users/access'
import { scopeToOrganisation } from '../../users/scope'
import { AppError } from '../../util/app-error'
import { isoNow, type Clock } from '../../util/clock'
import { applicantRows, batchIssues, numberRange } from './applicant-rows'
import { batchQuery, loadVisibleBatch, summarise, type BatchRow } from './batch-rows'
import { contentBlockers } from './blockers'
import { writeDecision, type DecisionContext, type DecisionEntry } from './decisions'
import { productionListFile } from './production-list-file'
import { queueQuery } from './queues'
import { reviewsOf } from './reviews'
import { acknowledgeWarnings, auditedIds, excludeApplicants, includeApplicants } from './selections'
import { assertMayDecide, assertOpen, bureau, decisionRefusal, stageContext } from './stages'

const READERS = ['reviewer', 'clerk', 'admin'] as const

/** Free-text reasons are checked here too: the CLI calls core without the contract's schema. */
function checkedReason(reason: string): string {
  const trimmed = reason.trim()
  if (trimmed.length < 2) throw new AppError('VALIDATION', '请填写原因（至少 2 个字）')
  if (trimmed.length > 500) throw new AppError('VALIDATION', '原因不能超过 500 字')
  return trimmed
}

/**
 * The review desk (审核, clauses 4–6): the queues, a batch with its applicants and issues, and
 * the decisions — exclude, include, acknowledge, return, approve — with the certificate numbers
 * given on final approval. Every rule (who decides which stage, four eyes, what blocks approval)
 * is enforced here; the renderer only mirrors it through canApprove / canReturn / approveBlockers.
 */
export class ReviewService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly files: FileStore,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  /** How many batches each queue holds for the actor. */
  async queues(actor: Actor | null): Promise<Array<{ queue: Queue; count: number }>> {
    const user = requireRole(actor, ...READERS)
    const bureauId = (await bureau(this.db))?.id ?? null
    const counts: Array<{ queue: Queue; count: number }> = []
    for (const queue of QUEUES) {
      const base = this.db('application_batches as b').join('organisations as o', 'o.id', 'b.organisation_id')
      const query = queueQuery(this.db, base, queue, user, bureauId)
      const row = query ? ((await query.count({ n: '*' }).first()) as { n: number | string }) : { n: 0 }
      counts.push({ queue, count: Number(row.n) })
    }
    return counts
  }

  /** The batches of a queue, newest first. */
  async list(actor: Actor | null, input: { queue: Queue; limit: number }): Promise<BatchSummary[]> {
    const user = requireRole(actor, ...READERS)
    const bureauId = (await bureau(this.db))?.id ?? null
    const query = queueQuery(this.db, batchQuery(this.db), input.queue, user, bureauId)
    if (!query) return []
    return summarise(this.db, (await query.orderBy('b.id', 'desc').limit(input.limit)) as BatchRow[])
  }

  async get(actor: Actor | null, id: number): Promise<BatchDetail> {
    const user = requireRole(actor, ...READERS)
    return this.detail(user, await loadVisibleBatch(this.db, user, id))
  }

  private async detail(user: Actor, batch: BatchRow): Promise<BatchDetail> {
    const [summary] = await summarise(this.db, [batch])
    const context = await stageContext(this.db, batch)
    const refusal = decisionRefusal(user, batch, context)
    const blockers = context.next ? [...(refusal ? [refusal] : []), ...(await contentBlockers(this.db, batch, context.final))] : []
    return {
      ...summary,
      hasNotice: batch.notice_file_hash !== null,
      reviews: await reviewsOf(this.db, batch.id),
      nextStage: context.next,
      canApprove: context.next !== null && blockers.length === 0,
      canReturn: context.next !== null && refusal === null,
      approveBlockers: blockers,
      numbers: await numberRange(this.db, batch),
    }
  }

  async applicants(actor: Actor | null, batchId: number): Promise<ApplicantRow[]> {
    const user = requireRole(actor, ...READERS)
    return applicantRows(this.db, await loadVisibleBatch(this.db, user, batchId))
  }

  async issues(actor: Actor | null, batchId: number): Promise<BatchIssue[]> {
    const user = requireRole(actor, ...READERS)
    await loadVisibleBatch(this.db, user, batchId)
    return batchIssues(this.db, batchId)
  }

  /** The applicant's ID photo, or null when the batch came without one for them. */
  async photo(actor: Actor | null, applicantId: number): Promise<{ mediaType: string; base64: string } | null> {
    const user = requireRole(actor, ...READERS)
    const query = this.db('applicants as a').join('application_batches as b', 'b.id', 'a.batch_id').where('a.id', applicantId)
    const row = (await scopeToOrganisation(this.db, query, user, 'b.organisation_id').first('a.photo_hash')) as
      { photo_hash: string | null } | undefined
    if (!row) throw new AppError('NOT_FOUND', `申请人 ${applicantId} 不存在，或不在您的管理范围内`)
    if (!row.photo_hash) return null
    const file = await this.files.read(this.db, row.photo_hash)
    return { mediaType: file.mediaType, base64: Buffer.from(file.bytes).toString('base64') }
  }

  /** The formal result notice (正式发文) attached at import. */
  async notice(actor: Actor | null, batchId: number): Promise<DownloadFile> {
    const user = requireRole(actor, ...READERS)
    const batch = await loadVisibleBatch(this.db, user, batchId)
    if (!batch.notice_file_hash) throw new AppError('NOT_FOUND', '该批次没有附正式发文的结果通知')
    return this.download(batch.notice_file_hash, `制证申请${batch.id}-结果通知.pdf`)
  }

  /** The rows that failed the checks at import, with an error column, to correct and import again. */
  async errorWorkbook(actor: Actor | null, batchId: number): Promise<DownloadFile> {
    const user = requireRole(actor, ...READERS)
    const batch = await loadVisibleBatch(this.db, user, batchId)
    if (!batch.error_workbook_hash) throw new AppError('NOT_FOUND', '该批次导入时没有发现错误，没有错误清单')
    return this.download(batch.error_workbook_hash, `制证申请${batch.id}-错误清单.xlsx`)
  }

  private async download(hash: string, fileName: string): Promise<DownloadFile> {
    const file = await this.files.read(this.db, hash)
    return { fileName, mediaType: file.mediaType, base64: Buffer.from(file.bytes).toString('base64') }
  }

  /** The paper production list (纸质制证名单) to sign, stamp and file; only once approved. */
  async productionList(actor: Actor | null, batchId: number, format: 'xlsx' | 'pdf'): Promise<DownloadFile> {
    const user = requireRole(actor, ...READERS)
    const batch = await loadVisibleBatch(this.db, user, batchId)
    if (batch.state !== 'approved' && batch.state !== 'issued') {
      throw new AppError('INVALID_STATE', `该批次${BATCH_STATE_LABELS[batch.state]}，审核通过后才能导出制证名单`)
    }
    return productionListFile(this.db, batch, format)
  }

  async acknowledge(actor: Actor | null, batchId: number, issueIds: number[]): Promise<BatchDetail> {
    return this.decide(actor, batchId, async (trx, decision) => {
      const { changed, codes } = await acknowledgeWarnings(trx, batchId, issueIds, { by: decision.user.userId, now: decision.now })
      return {
        action: 'batch.acknowledge',
        details: { batchId, stage: decision.stage.stage, count: changed, issueIds: auditedIds(issueIds), codes },
      }
    })
  }

  async exclude(actor: Actor | null, batchId: number, applicantIds: number[], reason: string): Promise<BatchDetail> {
    const text = checkedReason(reason)
    return this.decide(actor, batchId, async (trx, decision) => {
      const { changed, excluded } = await excludeApplicants(trx, batchId, applicantIds, {
        reason: text,
        by: decision.user.userId,
        now: decision.now,
      })
      // The reason is free text and may name someone: the entry keeps its digest only.
      return {
        action: 'batch.exclude',
        after: { applicantIds, reason: text },
        details: { batchId, stage: decision.stage.stage, count: changed, excluded, applicantIds: auditedIds(applicantIds) },
      }
    })
  }

  async include(actor: Actor | null, batchId: number, applicantIds: number[]): Promise<BatchDetail> {
    return this.decide(actor, batchId, async (trx, decision) => {
      const { changed, excluded } = await includeApplicants(trx, batchId, applicantIds, decision.now)
      return {
        action: 'batch.include',
        details: { batchId, stage: decision.stage.stage, count: changed, excluded, applicantIds: auditedIds(applicantIds) },
      }
    })
  }

  async returnBatch(actor: Actor | null, batchId: number, reason: string): Promise<BatchDetail> {
    const text = checkedReason(reason)
    return this.decide(actor, batchId, (trx, decision) => writeDecision(trx, decision, { decision: 'returned', reason: text }))
  }

  /**
   * Stage 1 of a vocational batch moves it to first_approved; the final approval (a title's only
   * stage, a vocational batch's second) numbers every applicant left, in the same transaction.
   */
  async approve(actor: Actor | null, batchId: number): Promise<BatchDetail> {
    // Read before the transaction: the one pooled connection is the transaction's until it ends.
    const numbering = {
      layout: await this.settings.value('numbering.layout'),
      legacyStarts: await this.settings.value('numbering.legacyStarts'),
    }
    return this.decide(actor, batchId, async (trx, decision) => {
      const blockers = await contentBlockers(trx, decision.batch, decision.final)
      if (blockers.length > 0) throw new AppError('INVALID_STATE', `该批次现在不能审核通过：${blockers.join('；')}`)
      return writeDecision(trx, decision, { decision: 'approved', reason: null, numbering })
    })
  }

  /**
   * Every decision: the reviewer must be able to take the batch's current stage; inside the write
   * transaction the batch is read again, and a batch someone else moved on meanwhile is refused.
   * The change and its one audit entry commit together.
   */
  private async decide(
    actor: Actor | null,
    batchId: number,
    change: (trx: Knex.Transaction, decision: DecisionContext) => Promise<DecisionEntry>,
  ): Promise<BatchDetail> {
    const user = requireRole(actor, 'reviewer')
    const seen = await loadVisibleBatch(this.db, user, batchId)
    const context = await stageContext(this.db, seen)
    assertOpen(user, seen, context)
    assertMayDecide(user, seen, context)
    await writeTransaction(this.db, async (trx) => {
      const batch = (await batchQuery(trx).where('b.id', batchId).first()) as BatchRow
      if (batch.state !== seen.state) {
        throw new AppError('INVALID_STATE', `该批次已由他人处理（${BATCH_STATE_LABELS[batch.state]}），请刷新后查看`)
      }
      const decision: DecisionContext = { user, batch, stage: context.next!, final: context.final, now: isoNow(this.clock) }
      const entry = await change(trx, decision)
      await this.audit.record(trx, auditActor(user), {
        action: entry.action,
        objectType: 'application_batch',
        objectId: batchId,
        before: entry.before,
        after: entry.after,
        details: entry.details,
      })
    })
    return this.get(user, batchId)
  }
}
