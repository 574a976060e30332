import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Knex } from 'knex'
import type { BatchSource, BatchSummary, DownloadFile } from '../../../contract/applications'
import { FAMILY_LABELS } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import type { AuditActor, AuditLog } from '../../audit/audit-log'
import { writeTransaction } from '../../db/transaction'
import type { FileStore, PackWriter } from '../../files/file-store'
import type { SettingsService } from '../../settings/settings-service'
import type { UploadStore } from '../../uploads/upload-store'
import { auditActor, requireRole, type Actor } from '../../users/access'
import { AppError } from '../../util/app-error'
import { isoNow, type Clock } from '../../util/clock'
import { checkDuplicatesInBatch } from '../checks/duplicates'
import { readCheckedRows } from '../checks/read-rows'
import { createRowChecker } from '../checks/row-checker'
import { writeErrorWorkbook } from '../exports/error-workbook'
import { openPhotoSource, type PhotoSource } from '../photos/photo-source'
import type { CheckedRow, RowIssue } from '../types'
import { applyingOrganisationByCode, applyingOrganisations, requireApplyingOrganisation } from './applying-organisation'
import { checkExistingCertificates, checkGrantedLevels, checkReviewBody } from './database-checks'
import { collectPhotos } from './photos-step'
import { storeBatch } from './store-batch'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** Who submitted a batch pulled from the registry: the online platform, through the sync. */
export const REGISTRY_ACTOR: AuditActor = { userId: null, username: 'registry' }
/** A result notice is a scanned document: generous, but not unbounded. */
const MAX_NOTICE_BYTES = 50 * 1024 * 1024

export interface ImportRequest {
  family: Family
  organisationId: number
  /** The workbook on disk, and the name to show and keep (the upload's or the CLI's file name). */
  workbookPath: string
  fileName: string
  /** A folder of photos or a ZIP. */
  photosPath: string | null
  noticePath: string | null
  source?: BatchSource
}

/**
 * The intake of production applications: the unified-format template, and the import of a
 * workbook with its photos and result notice into an application batch with its issue list.
 * Everything is read and checked first; the batch is then stored in one transaction, so a
 * refused file or a failure halfway leaves nothing behind.
 */
export class ImportService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly files: FileStore,
    private readonly settings: SettingsService,
    private readonly uploads: UploadStore,
    private readonly clock: Clock,
    private readonly summarise: (actor: Actor, batchId: number) => Promise<BatchSummary>,
  ) {}

  /** The blank template: no data in it, so the CLI may write it without a user. exceljs loads on first use, not at start. */
  async templateBytes(family: Family): Promise<Buffer> {
    const { writeTemplate } = await import('../exports/template')
    return Buffer.from(await writeTemplate(family, { extraIdTypes: await this.settings.value('applications.extraIdTypes') }))
  }

  async template(actor: Actor | null, family: Family): Promise<DownloadFile> {
    requireRole(actor, 'reviewer', 'clerk', 'admin')
    const bytes = await this.templateBytes(family)
    return { fileName: `${FAMILY_LABELS[family]}制证申请模板.xlsx`, mediaType: XLSX, base64: Buffer.from(bytes).toString('base64') }
  }

  async applyingOrganisations(actor: Actor | null) {
    return applyingOrganisations(this.db, requireRole(actor, 'reviewer', 'clerk'))
  }

  /** The renderer's import: files sent earlier through uploads.*. */
  async importUploaded(
    actor: Actor | null,
    input: { family: Family; organisationId: number; workbook: string; photos: string | null; notice: string | null },
  ): Promise<{ batch: BatchSummary }> {
    const workbook = await this.uploads.resolve(actor, input.workbook, 'workbook')
    if (workbook.files.length !== 1) throw new AppError('VALIDATION', '请只选择一个 Excel 工作簿')
    const photos = input.photos ? await this.uploads.resolve(actor, input.photos, 'photos') : null
    const notice = input.notice ? await this.uploads.resolve(actor, input.notice, 'notice') : null
    if (notice && notice.files.length !== 1) throw new AppError('VALIDATION', '请只选择一个正式发文的 PDF 文件')
    // One ZIP is read as a ZIP; anything else (a picked folder) as a folder of photos.
    const photosPath = photos
      ? photos.files.length === 1 && /\.zip$/i.test(photos.files[0].name)
        ? photos.files[0].path
        : photos.dir
      : null
    const batch = await this.importBatch(actor, {
      family: input.family,
      organisationId: input.organisationId,
      workbookPath: workbook.files[0].path,
      fileName: workbook.files[0].name,
      photosPath,
      noticePath: notice?.files[0].path ?? null,
    })
    for (const upload of [workbook, photos, notice]) if (upload) await this.uploads.discard(actor, upload.id)
    return { batch }
  }

  async importBatch(actor: Actor | null, request: ImportRequest): Promise<BatchSummary> {
    const user = requireRole(actor, 'reviewer', 'clerk')
    const organisation = await requireApplyingOrganisation(this.db, user, request.organisationId, request.family)
    const batchId = await this.importFor({ actor: auditActor(user), userId: user.userId }, organisation, request)
    return this.summarise(user, batchId)
  }

  /**
   * An application submitted on the online platform and pulled from the registry: the same
   * checks and the same batch as an import, submitted by the registry (no user), and stored in
   * one transaction with `taken` (the inbox's record that it was taken, exactly once).
   */
  async importPulled(
    request: Omit<ImportRequest, 'organisationId'> & { organisationCode: string },
    taken: (trx: Knex.Transaction, batchId: number) => Promise<void>,
  ): Promise<number> {
    const organisation = await applyingOrganisationByCode(this.db, request.organisationCode, request.family)
    return this.importFor({ actor: REGISTRY_ACTOR, userId: null }, organisation, { ...request, organisationId: organisation.id }, taken)
  }

  private async importFor(
    submitter: { actor: AuditActor; userId: number | null },
    organisation: { id: number; name: string },
    request: ImportRequest,
    taken?: (trx: Knex.Transaction, batchId: number) => Promise<void>,
  ): Promise<number> {
    const notice = request.noticePath ? await readNotice(request.noticePath) : null
    // The photo folder or ZIP is indexed while the workbook is read: the two wait on the disk apart.
    const opening = request.photosPath ? openPhotoSource(request.photosPath) : Promise.resolve(null)
    // Handled below (awaited, or closed on failure); this only keeps an early refusal from counting as unhandled.
    opening.catch(() => undefined)
    let rows: CheckedRow[]
    try {
      rows = await this.readRows(request)
      await checkGrantedLevels(this.db, organisation.id, request.family, rows)
      await checkExistingCertificates(this.db, request.family, rows)
    } catch (error) {
      await opening.then((source) => source?.close()).catch(() => undefined)
      throw error
    }
    if (request.family === 'title') checkReviewBody(organisation.name, rows)
    const photoSource: PhotoSource | null = await opening
    let pack: PackWriter | null = null
    let stored = false
    try {
      pack = await this.files.openPack()
      const photos = await collectPhotos(photoSource, rows, pack)
      const batchIssues: RowIssue[] = notice
        ? []
        : [{ column: null, severity: 'warning', code: 'NOTICE_MISSING', message: '未附正式发文的评审（考试）结果通知' }]
      const errorRows = rows.filter((row) => row.issues.some((item) => item.severity === 'error'))
      const errorWorkbook =
        errorRows.length > 0
          ? await writeErrorWorkbook(
              request.family,
              errorRows.map((row) => ({
                rowNumber: row.rowNumber,
                original: row.original,
                messages: row.issues.map((item) => item.message),
              })),
            )
          : null
      // The cell texts served the error workbook; the batch keeps the checked fields only.
      for (const row of rows) row.original = []
      const photoPack = pack
      const batchId = await writeTransaction(this.db, async (trx) => {
        await photoPack.commit(trx)
        const now = isoNow(this.clock)
        const noticeHash = notice ? (await this.files.put(trx, notice, 'application/pdf', 'notice.pdf')).hash : null
        const errorWorkbookHash = errorWorkbook ? (await this.files.put(trx, errorWorkbook, XLSX, 'errors.xlsx')).hash : null
        const id = await storeBatch(trx, {
          organisationId: organisation.id,
          family: request.family,
          source: request.source ?? 'import',
          declarationYear: this.clock.now().getFullYear(),
          fileName: basename(request.fileName).slice(0, 200),
          noticeHash,
          errorWorkbookHash,
          createdBy: submitter.userId,
          now,
          rows,
          photos,
          batchIssues,
        })
        // Counts and hashes only: the audit log never carries names or ID numbers.
        await taken?.(trx, id)
        await this.audit.record(trx, submitter.actor, {
          action: 'batch.import',
          objectType: 'application_batch',
          objectId: id,
          details: {
            family: request.family,
            organisationId: organisation.id,
            source: request.source ?? 'import',
            applicants: rows.length,
            photos: photos.size,
            errors: rows.reduce((sum, row) => sum + row.issues.filter((item) => item.severity === 'error').length, 0),
            notice: noticeHash,
          },
        })
        return id
      })
      stored = true
      return batchId
    } finally {
      await photoSource?.close()
      if (!stored && pack) await abortQuietly(pack)
    }
  }

  /** Streams the first sheet through the row checks; the whole file is refused on a bad header or no data. */
  private async readRows(request: ImportRequest): Promise<CheckedRow[]> {
    const checker = createRowChecker({
      family: request.family,
      today: this.clock.now(),
      extraIdTypes: await this.settings.value('applications.extraIdTypes'),
    })
    const rows = await readCheckedRows(request.workbookPath, request.fileName, checker)
    checkDuplicatesInBatch(rows, request.family)
    return rows
  }
}

async function abortQuietly(pack: PackWriter): Promise<void> {
  await pack.abort().catch(() => undefined)
}

/** The formal result notice must be a PDF (by its header, not its name). */
async function readNotice(path: string): Promise<Buffer> {
  if ((await stat(path)).size > MAX_NOTICE_BYTES) {
    throw new AppError('VALIDATION', `正式发文的 PDF 不能超过 ${MAX_NOTICE_BYTES / 1024 / 1024} MB`)
  }
  const bytes = await readFile(path)
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new AppError('VALIDATION', '上传的正式发文不是 PDF 文件')
  return bytes
}
