import type { Knex } from 'knex'
import type { DownloadFile } from '../../contract/applications'
import type { ParsedInputOf } from '../../contract/method'
import type { RevocationDetail, RevocationReason, revocations, RevocationState, RevocationSummary } from '../../contract/revocations'
import { bureau as findBureau } from '../applications/review/stages'
import type { AuditLog, AuditRecord } from '../audit/audit-log'
import { insertReturningId } from '../db/insert'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import { readPdfUpload } from '../uploads/pdf-upload'
import type { UploadStore } from '../uploads/upload-store'
import { auditActor, requireRole, type Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'
import { checkPastDay } from '../util/calendar-day'
import { isoNow, type Clock } from '../util/clock'
import { executeRevocation } from './execution'
import { checkListedCertificates, type ListedCertificate } from './list-checks'
import { readRevocationList } from './revocation-list'
import { loadVisibleRequest, requestCertificates, requestQuery, summaryOf, type RequestRow } from './revocation-rows'
import { assertMay, assertState, decisionRefusal, executionRefusal, nextStepRefusal } from './revocation-rules'
import { writeRevocationTemplate } from './revocation-template'

const READERS = ['reviewer', 'clerk', 'admin'] as const
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const CHUNK = 200
/** Up to this many certificate numbers go into the recording's audit entry; the revocations rows list them all. */
const AUDITED_NUMBERS = 100

/** A recording as the contract validated it: the formal document is an upload id of a PDF. */
export type RevocationRequest = ParsedInputOf<(typeof revocations)['record']>

/** A step on a request inside the write transaction: the change, and the audit entries it makes. */
type Step = (trx: Knex.Transaction, row: RequestRow, now: string, user: Actor) => Promise<AuditRecord[]>

/**
 * Revocation (注销, clause 7): recorded by the supervising department with the formal document,
 * approved or rejected by the bureau, executed by the institute. Every rule is enforced here;
 * the renderer mirrors them through canDecide / canExecute / refusal.
 */
export class RevocationsService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly files: FileStore,
    private readonly uploads: UploadStore,
    private readonly clock: Clock,
  ) {}

  async template(actor: Actor | null): Promise<DownloadFile> {
    requireRole(actor, ...READERS)
    return { fileName: '注销证书名单.xlsx', mediaType: XLSX, base64: (await writeRevocationTemplate()).toString('base64') }
  }

  /**
   * Records a revocation for every certificate of the list, or for none: the list is read and
   * every entry checked first, then the document, the request and one row per certificate are
   * stored in one transaction, where the checks run again against what others did meanwhile.
   */
  async record(actor: Actor | null, input: RevocationRequest): Promise<RevocationDetail> {
    const user = requireRole(actor, 'reviewer')
    const fields = this.checkedFields(input)
    const bureau = await this.bureau()
    const read = await readRevocationList(input.list, this.uploads, user)
    await checkListedCertificates(this.db, user, read.entries, read.problems, bureau)
    const document = await readPdfUpload(this.uploads, user, input.document, '注销文件')
    const id = await writeTransaction(this.db, async (trx) => {
      const certificates = await checkListedCertificates(trx, user, read.entries, [], bureau)
      const now = isoNow(this.clock)
      const hash = (await this.files.put(trx, document, 'application/pdf', 'revocation.pdf')).hash
      const requestId = await insertReturningId(trx, 'revocation_requests', {
        organisation_id: user.organisationId,
        ...fields,
        document_hash: hash,
        state: 'submitted',
        certificate_count: certificates.length,
        recorded_by: user.userId,
        created_at: now,
      })
      await this.insertRows(trx, requestId, certificates, {
        ...fields,
        organisation_id: user.organisationId,
        document_hash: hash,
        recorded_by: user.userId,
        created_at: now,
      })
      await this.audit.record(trx, auditActor(user), recordingEntry(requestId, certificates, fields.reason_kind, hash, fields.reason_text))
      return requestId
    })
    for (const upload of [input.document, ...(input.list.kind === 'workbook' ? [input.list.uploadId] : [])]) {
      await this.uploads.discard(user, upload)
    }
    return this.get(user, id)
  }

  async list(actor: Actor | null, filter: { state?: RevocationState; limit: number }): Promise<RevocationSummary[]> {
    const user = requireRole(actor, ...READERS)
    const query = scopeToOrganisation(this.db, requestQuery(this.db), user, 'q.organisation_id')
    if (filter.state) query.where('q.state', filter.state)
    const rows = (await query.orderBy('q.id', 'desc').limit(filter.limit)) as RequestRow[]
    return rows.map(summaryOf)
  }

  async get(actor: Actor | null, id: number): Promise<RevocationDetail> {
    const user = requireRole(actor, ...READERS)
    const row = await loadVisibleRequest(this.db, user, id)
    const refusal = nextStepRefusal(user, row)
    return {
      ...summaryOf(row),
      certificates: await requestCertificates(this.db, row.id),
      canDecide: row.state === 'submitted' && refusal === null,
      canExecute: row.state === 'approved' && refusal === null,
      refusal,
    }
  }

  /** The formal document cancelling the result, as recorded. */
  async document(actor: Actor | null, id: number): Promise<DownloadFile> {
    const user = requireRole(actor, ...READERS)
    const row = await loadVisibleRequest(this.db, user, id)
    const file = await this.files.read(this.db, row.document_hash)
    return { fileName: `注销申请${row.id}-注销文件.pdf`, mediaType: file.mediaType, base64: Buffer.from(file.bytes).toString('base64') }
  }

  async approve(actor: Actor | null, id: number): Promise<RevocationDetail> {
    return this.step(actor, id, 'submitted', '审核', decisionRefusal, async (trx, row, now, user) => {
      await trx('revocation_requests').where({ id }).update({ state: 'approved', decided_by: user.userId, decided_at: now })
      await trx('revocations').where({ request_id: id }).update({ state: 'approved', approved_by: user.userId, approved_at: now })
      return [transition(row, 'revocation.approve', 'approved')]
    })
  }

  async reject(actor: Actor | null, id: number, reason: string): Promise<RevocationDetail> {
    const text = reason.trim()
    if (text.length < 2 || text.length > 500) throw new AppError('VALIDATION', '请填写不予通过的原因（2–500 字）')
    return this.step(actor, id, 'submitted', '审核', decisionRefusal, async (trx, row, now, user) => {
      await trx('revocation_requests')
        .where({ id })
        .update({ state: 'rejected', decided_by: user.userId, decided_at: now, rejection_reason: text })
      await trx('revocations').where({ request_id: id }).update({ state: 'rejected' })
      // The reason is free text and may name someone: the entry keeps its digest only.
      return [{ ...transition(row, 'revocation.reject', 'rejected'), after: { state: 'rejected', reason: text } }]
    })
  }

  /** Irreversible: the certificates become revoked and the registry is told, in one transaction. */
  async execute(actor: Actor | null, id: number): Promise<RevocationDetail> {
    return this.step(actor, id, 'approved', '执行注销', executionRefusal, (trx, row, now, user) =>
      executeRevocation(trx, row, user.userId, now),
    )
  }

  /**
   * Every decision and the execution: the actor must be allowed the step; inside the write
   * transaction the request is read again, so a request someone else moved on is refused.
   */
  private async step(
    actor: Actor | null,
    id: number,
    from: RevocationState,
    name: string,
    refusalOf: (actor: Actor, row: RequestRow) => string | null,
    change: Step,
  ): Promise<RevocationDetail> {
    const user = requireRole(actor, ...READERS)
    const seen = await loadVisibleRequest(this.db, user, id)
    assertMay(refusalOf(user, seen))
    assertState(seen, from, name)
    await writeTransaction(this.db, async (trx) => {
      const row = await loadVisibleRequest(trx, user, id)
      assertState(row, from, name)
      const entries = await change(trx, row, isoNow(this.clock), user)
      await this.audit.recordMany(trx, auditActor(user), entries)
    })
    return this.get(user, id)
  }

  /** The fields as stored, checked here too: the CLI and tests call core without the contract's schema. */
  private checkedFields(input: RevocationRequest) {
    const documentNumber = input.documentNumber.trim()
    if (documentNumber.length < 2 || documentNumber.length > 100) throw new AppError('VALIDATION', '请填写注销文件的文号（2–100 字）')
    if (!['report', 'violation', 'other'].includes(input.reason)) throw new AppError('VALIDATION', '注销原因应为举报、违纪违规或其他')
    const reasonText = input.reasonText?.trim() || null
    if (input.reason === 'other' && !reasonText) throw new AppError('VALIDATION', '注销原因为“其他”时，请说明具体原因')
    if (reasonText && reasonText.length > 2000) throw new AppError('VALIDATION', '注销原因说明不能超过 2000 字')
    return {
      document_number: documentNumber,
      document_date: checkPastDay(input.documentDate, this.clock.now(), '注销文件的日期'),
      reason_kind: input.reason,
      reason_text: reasonText,
    }
  }

  private async bureau(): Promise<{ id: number; name: string }> {
    const found = await findBureau(this.db)
    if (!found) throw new AppError('INVALID_STATE', '系统中没有市人社局，无法审核注销申请，请联系系统管理员')
    return found
  }

  private async insertRows(
    trx: Knex.Transaction,
    requestId: number,
    certificates: ListedCertificate[],
    common: Record<string, unknown>,
  ): Promise<void> {
    // organisation_id (in `common`) is the recording department, as on the request: the
    // certificate's own organisation is a join away.
    const rows = certificates.map((certificate) => ({
      ...common,
      request_id: requestId,
      certificate_id: certificate.id,
      state: 'submitted',
    }))
    for (let start = 0; start < rows.length; start += CHUNK) await trx('revocations').insert(rows.slice(start, start + CHUNK))
  }
}

/** A decision's audit entry on the request. */
function transition(row: RequestRow, action: string, state: RevocationState): AuditRecord {
  return {
    action,
    objectType: 'revocation_request',
    objectId: row.id,
    before: { state: row.state },
    after: { state },
    details: { count: Number(row.certificate_count), organisationId: Number(row.organisation_id) },
  }
}

/** The recording's entry: counts, the document's hash and the numbers — never names, ID numbers or the free-text reason. */
function recordingEntry(
  requestId: number,
  certificates: ListedCertificate[],
  reason: RevocationReason,
  documentHash: string,
  reasonText: string | null,
): AuditRecord {
  const numbers = certificates.map((certificate) => certificate.number).sort()
  return {
    action: 'revocation.record',
    objectType: 'revocation_request',
    objectId: requestId,
    after: { state: 'submitted', reasonText },
    details: {
      count: certificates.length,
      reason,
      documentHash,
      ...(numbers.length <= AUDITED_NUMBERS ? { numbers } : { firstNumber: numbers[0], lastNumber: numbers.at(-1) }),
    },
  }
}
