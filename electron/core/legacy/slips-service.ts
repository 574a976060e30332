import type { Knex } from 'knex'
import { SLIP_KIND_LABELS, type SlipDocument, type SlipLookup, type SlipQueue, type SlipSummary } from '../../contract/legacy'
import { isoDay } from '../applications/checks/dates'
import type { AuditLog } from '../audit/audit-log'
import { DocumentTasks } from '../certificates/document-task'
import { insertReturningId } from '../db/insert'
import { writeTransaction } from '../db/transaction'
import type { DocumentRenderer } from '../documents'
import type { FileStore } from '../files/file-store'
import type { SealAppearancesService } from '../seals/seal-appearances-service'
import type { SettingsService } from '../settings/settings-service'
import { auditActor, requireRole, requireSignedIn, type Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { requireInstituteClerk } from './legacy-access'
import { issueBlocker } from './legacy-records'
import { allocateSlipNumber } from './slip-numbers'
import { maskIdNumber, selectSlips, slipState, toSlipSummary, type SlipRow } from './slip-queries'
import { isSeniorTitle, renderSlip, sameDocument, slipContent, slipSeals, type SlipContent, type SlipSource } from './slip-render'
import { registryStatusOf } from './slip-verification'

export interface SlipsServiceDependencies {
  db: Knex
  audit: AuditLog
  files: FileStore
  settings: SettingsService
  clock: Clock
  appearances: SealAppearancesService
  /** Created on first use: loading the CJK font is not start-up work. */
  renderer: () => Promise<DocumentRenderer>
}

/**
 * The documents of clause 9 issued from legacy records: a numbered, recorded query slip or pass
 * certificate, its PDF stored by hash; a senior title's query slip waits for the institute's
 * re-check (复核) before it may be printed.
 */
export class SlipsService {
  constructor(private readonly deps: SlipsServiceDependencies) {}

  async issue(actor: Actor | null, certificateId: number, reason: string): Promise<SlipSummary> {
    const user = requireRole(actor, 'reviewer', 'clerk')
    const { db, files, audit, clock } = this.deps
    // Seals and the font are read before the write transaction: its one connection is then taken.
    const planned = await this.loadSource(db, user, certificateId)
    const issuedOn = isoDay(clock.now())
    const seals = await slipSeals(this.tasks(), planned, slipContent(planned, issuedOn))
    const renderer = await this.deps.renderer()
    const id = await writeTransaction(db, async (trx) => {
      // Again under the lock: another slip or a revocation may have come in meanwhile.
      const source = await this.loadSource(trx, user, certificateId)
      const content = slipContent(source, issuedOn)
      const number = await allocateSlipNumber(trx, content.kind, Number(issuedOn.slice(0, 4)))
      const pdf = await renderSlip(renderer, content, seals, number, false)
      const { hash } = await files.put(trx, pdf, 'application/pdf', `${number}.pdf`)
      const recheck = isSeniorTitle(source) ? 'pending' : null
      const slipId = await insertReturningId(trx, 'query_slips', {
        kind: content.kind,
        number,
        certificate_id: certificateId,
        organisation_id: source.organisation_id,
        fields: JSON.stringify(content),
        pdf_hash: hash,
        recheck_state: recheck,
        reason,
        issued_by: user.userId,
        issued_at: isoNow(clock),
      })
      // The reason and the holder stay out of the log: they are personal data.
      await audit.record(trx, auditActor(user), {
        action: 'slip.issue',
        objectType: 'query_slip',
        objectId: slipId,
        details: { kind: content.kind, number, certificateId, recheck, pdf: hash },
      })
      return slipId
    })
    return this.summary(user, id)
  }

  /** The record a slip is made from, refused when the user may not issue for it or it is not a live legacy record. */
  private async loadSource(db: Knex | Knex.Transaction, user: Actor, certificateId: number): Promise<SlipSource> {
    const row = (await db('certificates as c')
      .join('organisations as o', 'o.id', 'c.organisation_id')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .where('c.id', certificateId)
      .first('c.family', 'c.level', 'c.number', 'c.status', 'c.legacy', 'c.organisation_id', 'o.name as organisation_name', 'v.fields')) as
      (SlipSource & { status: string; legacy: number | boolean }) | undefined
    if (!row) throw new AppError('NOT_FOUND', '该证书记录不存在')
    if (!row.legacy) {
      throw new AppError(
        'INVALID_STATE',
        `证书 ${row.number} 是电子证书，持证人可下载电子证书，不开具${row.family === 'title' ? '查询单' : '成绩单'}`,
      )
    }
    const pending = (await db('query_slips').where({ certificate_id: certificateId, recheck_state: 'pending' }).first('number')) as
      { number: string } | undefined
    const blocker = issueBlocker(user, row, pending?.number)
    if (blocker) throw new AppError(blocker.startsWith('只有') ? 'FORBIDDEN' : 'INVALID_STATE', blocker)
    return row
  }

  /** The slips the user's organisation oversees; `recheck`: those waiting for the institute. */
  async list(actor: Actor | null, queue: SlipQueue, limit: number): Promise<SlipSummary[]> {
    const user = requireRole(actor, 'reviewer', 'clerk')
    if (queue === 'recheck') requireInstituteClerk(user, '复核查询单')
    const query = selectSlips(this.deps.db).orderBy('q.id', 'desc').limit(limit)
    scopeToOrganisation(this.deps.db, query, user, 'q.organisation_id')
    if (queue === 'recheck') query.where('q.recheck_state', 'pending')
    return ((await query) as SlipRow[]).map((row) => toSlipSummary(row, user))
  }

  /**
   * The institute's 复核: confirming checks the slip against the record as it stands now (a record
   * corrected or revoked since cannot be confirmed); refusing needs a reason. Never by the issuer.
   */
  async recheck(actor: Actor | null, slipId: number, decision: 'confirm' | 'refuse', reason: string | null): Promise<SlipSummary> {
    const user = requireInstituteClerk(actor, '复核查询单')
    const { db, audit, clock } = this.deps
    await writeTransaction(db, async (trx) => {
      const slip = (await selectSlips(trx).where('q.id', slipId).first()) as SlipRow | undefined
      if (!slip) throw new AppError('NOT_FOUND', '该查询单不存在')
      if (slip.recheck_state !== 'pending') throw new AppError('INVALID_STATE', `查询单 ${slip.number} 不在待复核状态`)
      if (slip.issued_by === user.userId) throw new AppError('FORBIDDEN', '复核人不能是开具该查询单的人')
      if (decision === 'confirm') await this.checkAgainstRecord(trx, slip)
      const decided = decision === 'confirm' ? 'confirmed' : 'refused'
      const now = isoNow(clock)
      await trx('slip_rechecks').insert({ slip_id: slipId, decision: decided, reason, rechecked_by: user.userId, rechecked_at: now })
      const updated = await trx('query_slips').where({ id: slipId, recheck_state: 'pending' }).update({ recheck_state: decided })
      if (updated !== 1) throw new AppError('INVALID_STATE', `查询单 ${slip.number} 已被复核`)
      await audit.record(trx, auditActor(user), {
        action: 'slip.recheck',
        objectType: 'query_slip',
        objectId: slipId,
        details: { number: slip.number, decision: decided },
      })
    })
    return this.summary(user, slipId)
  }

  private async checkAgainstRecord(trx: Knex.Transaction, slip: SlipRow): Promise<void> {
    if (slip.certificate_status !== 'active')
      throw new AppError('INVALID_STATE', `证书记录 ${slip.certificate_number} 已不是有效状态，不能确认该查询单，请驳回`)
    const stored = JSON.parse(slip.fields) as SlipContent
    const source = (await this.sourceOf(trx, slip.certificate_id))!
    if (!sameDocument(stored.document, slipContent(source, stored.issuedOn).document)) {
      throw new AppError('INVALID_STATE', `查询单 ${slip.number} 的内容与证书库中的记录不一致（记录已更正），请驳回后重新开具`)
    }
  }

  /** The issued file when it may be printed; otherwise a watermarked rendering of the same content. */
  async document(actor: Actor | null, slipId: number): Promise<SlipDocument> {
    const user = requireRole(actor, 'reviewer', 'clerk')
    const slip = await this.visibleSlip(user, slipId)
    const fileName = `${slip.number}-${slip.kind === 'query_slip' ? 'query-slip' : 'pass-certificate'}.pdf`
    if (toSlipSummary(slip, user).printable) {
      const { bytes } = await this.deps.files.read(this.deps.db, slip.pdf_hash!)
      return { fileName, pdfBase64: Buffer.from(bytes).toString('base64'), final: true }
    }
    const source = (await this.sourceOf(this.deps.db, slip.certificate_id))!
    const content = JSON.parse(slip.fields) as SlipContent
    const seals = await slipSeals(this.tasks(), source, content)
    const bytes = await renderSlip(await this.deps.renderer(), content, seals, slip.number, true)
    return { fileName: fileName.replace(/\.pdf$/, '-preview.pdf'), pdfBase64: Buffer.from(bytes).toString('base64'), final: false }
  }

  /** What a slip's number leads to, for anyone signed in who holds the paper in their hands. */
  async lookup(actor: Actor | null, number: string): Promise<SlipLookup> {
    requireSignedIn(actor)
    const slip = (await selectSlips(this.deps.db).where('q.number', number).first()) as SlipRow | undefined
    if (!slip) throw new AppError('NOT_FOUND', `没有编号为 ${number} 的查询单或成绩单：该编号不是本系统开具的`)
    const content = JSON.parse(slip.fields) as SlipContent
    return {
      number: slip.number,
      kind: slip.kind,
      state: slipState(slip),
      registryStatus: registryStatusOf(slip),
      issuedOn: content.issuedOn,
      issuerName: slip.organisation_name,
      certificateNumber: slip.certificate_number,
      holderName: slip.holder_name,
      idNumberMasked: maskIdNumber(slip.holder_id_number),
      pdfHash: slip.pdf_hash,
    }
  }

  private async visibleSlip(user: Actor, slipId: number): Promise<SlipRow> {
    const query = selectSlips(this.deps.db).where('q.id', slipId)
    scopeToOrganisation(this.deps.db, query, user, 'q.organisation_id')
    const slip = (await query.first()) as SlipRow | undefined
    if (!slip)
      throw new AppError('NOT_FOUND', `该${SLIP_KIND_LABELS.query_slip}或${SLIP_KIND_LABELS.pass_certificate}不存在或不在您的管理范围内`)
    return slip
  }

  private async summary(user: Actor, slipId: number): Promise<SlipSummary> {
    const slip = (await selectSlips(this.deps.db).where('q.id', slipId).first()) as SlipRow
    return toSlipSummary(slip, user)
  }

  private async sourceOf(db: Knex | Knex.Transaction, certificateId: number): Promise<SlipSource | undefined> {
    return (await db('certificates as c')
      .join('organisations as o', 'o.id', 'c.organisation_id')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .where('c.id', certificateId)
      .first('c.family', 'c.level', 'c.number', 'c.organisation_id', 'o.name as organisation_name', 'v.fields')) as SlipSource | undefined
  }

  private tasks(): DocumentTasks {
    return new DocumentTasks(this.deps.db, this.deps.files, this.deps.settings, this.deps.appearances)
  }
}
