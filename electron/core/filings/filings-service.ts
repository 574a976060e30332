import type { Knex } from 'knex'
import { BATCH_STATE_LABELS, type BatchSource, type BatchState, type DownloadFile } from '../../contract/applications'
import { FILING_DOCUMENT_LABELS, type FilingDocument, type filings, type FilingSummary, type UnfiledBatch } from '../../contract/filings'
import type { ParsedInputOf } from '../../contract/method'
import type { Family } from '../../contract/roles'
import type { AuditLog } from '../audit/audit-log'
import { insertReturningId } from '../db/insert'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import type { SettingsService } from '../settings/settings-service'
import { readPdfUpload } from '../uploads/pdf-upload'
import type { UploadStore } from '../uploads/upload-store'
import { auditActor, requireRole, type Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'
import { checkPastDay } from '../util/calendar-day'
import { isoNow, type Clock } from '../util/clock'
import { documentHash, FILABLE_STATES, filingQuery, filingSummary, isOfflineEligible, unfiledBatches, type FilingRow } from './filing-rows'

const READERS = ['clerk', 'admin'] as const

/** A filing as the contract validated it: the scans are upload ids of PDFs. */
export type FilingInput = ParsedInputOf<(typeof filings)['record']>

interface BatchForFiling {
  id: number
  organisation_id: number
  family: Family
  state: BatchState
  source: BatchSource
  creator_kind: string | null
  electronic_count: number | string
}

/** What a filing stores besides its batch, checked before anything is read from disk. */
interface CheckedFiling {
  receivedOn: string
  paperCount: number
  electronicCount: number
  discrepancy: string | null
  consentReference: string | null
}

/**
 * Filing (备案, clauses 4–5) at the institute: the approved batches still waiting for their
 * paper production list and notice (with their age against the setting filing.reminderDays),
 * and the filing itself — recorded once per batch and never changed afterwards.
 */
export class FilingsService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly files: FileStore,
    private readonly uploads: UploadStore,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  async unfiled(
    actor: Actor | null,
    options: { overdueOnly: boolean; limit: number },
  ): Promise<{ reminderDays: number; items: UnfiledBatch[] }> {
    requireRole(actor, ...READERS)
    const reminderDays = await this.settings.value('filing.reminderDays')
    return { reminderDays, items: await unfiledBatches(this.db, this.clock.now(), reminderDays, options) }
  }

  async list(actor: Actor | null, filter: { batchId?: number; limit: number }): Promise<FilingSummary[]> {
    const user = requireRole(actor, ...READERS)
    const query = scopeToOrganisation(this.db, filingQuery(this.db), user, 'b.organisation_id').orderBy('f.id', 'desc').limit(filter.limit)
    if (filter.batchId) query.where('f.batch_id', filter.batchId)
    return ((await query) as FilingRow[]).map(filingSummary)
  }

  async document(actor: Actor | null, filingId: number, kind: FilingDocument): Promise<DownloadFile> {
    const user = requireRole(actor, ...READERS)
    const row = (await scopeToOrganisation(this.db, filingQuery(this.db).where('f.id', filingId), user, 'b.organisation_id').first()) as
      FilingRow | undefined
    if (!row) throw new AppError('NOT_FOUND', `备案记录 ${filingId} 不存在`)
    const hash = documentHash(row, kind)
    if (!hash) throw new AppError('NOT_FOUND', `该备案没有${FILING_DOCUMENT_LABELS[kind]}`)
    const file = await this.files.read(this.db, hash)
    const fileName = `制证申请${row.batch_id}-${FILING_DOCUMENT_LABELS[kind]}.pdf`
    return { fileName, mediaType: file.mediaType, base64: Buffer.from(file.bytes).toString('base64') }
  }

  /**
   * Records the filing of an approved batch by a clerk of the institute: checked whole first, the
   * scans stored by hash, the filing and its one audit entry committed together. A second filing
   * of the same batch is refused (also when two clerks race: filings.batch_id is unique).
   */
  async record(actor: Actor | null, input: FilingInput): Promise<FilingSummary> {
    const user = this.clerk(actor)
    const batch = await this.filableBatch(this.db, input.batchId)
    const checked = this.checked(input, batch)
    const scans = {
      list: await readPdfUpload(this.uploads, user, input.listScan, '纸质制证名单扫描件'),
      notice: input.noticeScan ? await readPdfUpload(this.uploads, user, input.noticeScan, '结果通知扫描件') : null,
      consent: input.consentDocument ? await readPdfUpload(this.uploads, user, input.consentDocument, '同意线下评审的文件') : null,
    }
    await writeTransaction(this.db, async (trx) => {
      await this.filableBatch(trx, input.batchId)
      const now = isoNow(this.clock)
      const put = async (bytes: Buffer | null, name: string) =>
        bytes ? (await this.files.put(trx, bytes, 'application/pdf', name)).hash : null
      const hashes = {
        list: await put(scans.list, 'list.pdf'),
        notice: await put(scans.notice, 'notice.pdf'),
        consent: await put(scans.consent, 'consent.pdf'),
      }
      const filingId = await insertReturningId(trx, 'filings', {
        batch_id: batch.id,
        received_on: checked.receivedOn,
        scan_hash: hashes.list,
        paper_count: checked.paperCount,
        electronic_count: checked.electronicCount,
        discrepancy: checked.discrepancy,
        offline: input.offline,
        consent_reference: checked.consentReference,
        recorded_by: user.userId,
        created_at: now,
      })
      if (hashes.notice || hashes.consent) {
        await trx('filing_documents').insert({ filing_id: filingId, notice_hash: hashes.notice, consent_hash: hashes.consent })
      }
      // The discrepancy note is free text and may name someone: the entry keeps its digest only.
      await this.audit.record(trx, auditActor(user), {
        action: 'filing.record',
        objectType: 'filing',
        objectId: filingId,
        after: { discrepancy: checked.discrepancy },
        details: {
          batchId: batch.id,
          receivedOn: checked.receivedOn,
          paperCount: checked.paperCount,
          electronicCount: checked.electronicCount,
          offline: input.offline,
          consentReference: checked.consentReference,
          scanHash: hashes.list,
          noticeHash: hashes.notice,
          consentHash: hashes.consent,
        },
      })
    })
    for (const upload of [input.listScan, input.noticeScan, input.consentDocument]) if (upload) await this.uploads.discard(user, upload)
    return (await this.list(user, { batchId: batch.id, limit: 1 }))[0]
  }

  private clerk(actor: Actor | null): Actor {
    const user = requireRole(actor, 'clerk')
    if (user.organisationKind !== 'institute') throw new AppError('FORBIDDEN', '备案须由市职业能力考试院的备案员登记')
    return user
  }

  /** The batch, approved or issued and not filed yet; read again inside the transaction. */
  private async filableBatch(db: Knex | Knex.Transaction, batchId: number): Promise<BatchForFiling> {
    const batch = (await db('application_batches as b')
      .leftJoin('users as u', 'u.id', 'b.created_by')
      .leftJoin('organisations as uo', 'uo.id', 'u.organisation_id')
      .where('b.id', batchId)
      .first(
        'b.id',
        'b.organisation_id',
        'b.family',
        'b.state',
        'b.source',
        'uo.kind as creator_kind',
        db.raw('(select count(*) from certificates as c where c.batch_id = b.id) as electronic_count'),
      )) as BatchForFiling | undefined
    if (!batch) throw new AppError('NOT_FOUND', `制证申请批次 ${batchId} 不存在`)
    if (!FILABLE_STATES.includes(batch.state)) {
      throw new AppError('INVALID_STATE', `制证申请批次 ${batchId} ${BATCH_STATE_LABELS[batch.state]}，审核通过后才能备案`)
    }
    const filed = (await db('filings').where({ batch_id: batchId }).first('received_on', 'created_at')) as
      { received_on: string } | undefined
    if (filed)
      throw new AppError('CONFLICT', `制证申请批次 ${batchId} 已经备案（收到日期 ${filed.received_on}），备案记录不能重复登记或修改`)
    return batch
  }

  /** Every rule on the fields, in Chinese, before any file is read. */
  private checked(input: FilingInput, batch: BatchForFiling): CheckedFiling {
    const receivedOn = checkPastDay(input.receivedOn, this.clock.now(), '收到纸质材料的日期')
    if (!Number.isSafeInteger(input.paperCount) || input.paperCount < 0) throw new AppError('VALIDATION', '纸质名单人数应为不小于 0 的整数')
    const electronicCount = Number(batch.electronic_count)
    const discrepancy = input.discrepancy?.trim() || null
    if (input.paperCount !== electronicCount && (!discrepancy || discrepancy.length < 2)) {
      throw new AppError(
        'VALIDATION',
        `纸质名单为 ${input.paperCount} 人，电子批次已编号 ${electronicCount} 人，数量不一致：请在“差异说明”中写明原因`,
      )
    }
    if (discrepancy && discrepancy.length > 2000) throw new AppError('VALIDATION', '差异说明不能超过 2000 字')
    return { receivedOn, paperCount: input.paperCount, electronicCount, discrepancy, consentReference: this.checkedConsent(input, batch) }
  }

  /** Clause 4's exception: only for an offline review the institute entered, always with the bureau's consent. */
  private checkedConsent(input: FilingInput, batch: BatchForFiling): string | null {
    const reference = input.consentReference?.trim() || null
    if (!input.offline) {
      if (reference || input.consentDocument) throw new AppError('VALIDATION', '只有线下评审的批次才需要填写市人社局的同意文件')
      return null
    }
    if (!isOfflineEligible(batch)) {
      throw new AppError('VALIDATION', '线下评审只适用于由市职业能力考试院代为录入的职称批次；该批次来自网上申请或由申请单位自行提交')
    }
    if (!reference || reference.length < 2) throw new AppError('VALIDATION', '线下评审须填写市人社局同意线下评审的文件文号')
    if (reference.length > 100) throw new AppError('VALIDATION', '同意文件的文号不能超过 100 字')
    if (!input.consentDocument) throw new AppError('VALIDATION', '线下评审须上传市人社局同意线下评审的文件（PDF）')
    return reference
  }
}
