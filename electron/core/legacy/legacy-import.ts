import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Knex } from 'knex'
import type { DownloadFile } from '../../contract/applications'
import type { LegacyImportResult, LegacyOrganisation } from '../../contract/legacy'
import type { Family } from '../../contract/roles'
import type { CheckedRow } from '../applications/types'
import { readCheckedRows } from '../applications/checks/read-rows'
import type { AuditLog } from '../audit/audit-log'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import type { SettingsService } from '../settings/settings-service'
import type { UploadStore } from '../uploads/upload-store'
import { auditActor, requireRole, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { requireInstituteClerk } from './legacy-access'
import { checkAgainstRegister, checkDuplicatesInWorkbook } from './legacy-duplicates'
import { writeLegacyErrorWorkbook } from './legacy-error-workbook'
import { LEGACY_KIND_LABELS } from './legacy-format'
import { createLegacyRowChecker } from './legacy-rows'
import { storeLegacyRecords } from './legacy-store'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** Messages returned with a refusal; the error workbook holds every one. */
const MESSAGES_SHOWN = 200
const ORGANISATION_KIND: Record<Family, string> = { title: 'review_body', vocational: 'exam_institution' }

export interface LegacyImportRequest {
  family: Family
  organisationId: number
  workbookPath: string
  fileName: string
}

const hasError = (row: CheckedRow) => row.issues.some((issue) => issue.severity === 'error')

/**
 * The import of historical title and exam records (clause 9) into the register: read with the
 * intake's safe streaming reader, every cell checked with the intake's checks plus the legacy
 * rules, then stored whole in one transaction — or refused whole with an error workbook.
 */
export class LegacyImportService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly files: FileStore,
    private readonly settings: SettingsService,
    private readonly uploads: UploadStore,
    private readonly clock: Clock,
  ) {}

  /** The blank template (no data in it). exceljs loads on first use. */
  async template(actor: Actor | null, family: Family): Promise<DownloadFile> {
    requireRole(actor, 'reviewer', 'clerk')
    const { writeLegacyTemplate } = await import('./legacy-template')
    const bytes = await writeLegacyTemplate(family, { extraIdTypes: await this.settings.value('applications.extraIdTypes') })
    return { fileName: `${LEGACY_KIND_LABELS[family]}导入模板.xlsx`, mediaType: XLSX, base64: bytes.toString('base64') }
  }

  /** Review bodies (titles) or exam institutions (exams), deactivated ones too: old records outlive bodies. */
  async organisations(actor: Actor | null, family: Family): Promise<LegacyOrganisation[]> {
    requireInstituteClerk(actor, '导入历史记录')
    const rows = (await this.db('organisations')
      .where({ kind: ORGANISATION_KIND[family] })
      .orderBy('name')
      .select('id', 'name', 'active')) as Array<{ id: number; name: string; active: number | boolean }>
    return rows.map((row) => ({ id: row.id, name: row.name, active: Boolean(row.active) }))
  }

  /** The renderer's import: a workbook sent earlier through uploads.*, discarded once stored. */
  async importUploaded(
    actor: Actor | null,
    input: { family: Family; organisationId: number; workbook: string },
  ): Promise<LegacyImportResult> {
    const upload = await this.uploads.resolve(actor, input.workbook, 'workbook')
    if (upload.files.length !== 1) throw new AppError('VALIDATION', '请只选择一个 Excel 工作簿')
    const file = upload.files[0]
    const result = await this.importFile(actor, { ...input, workbookPath: file.path, fileName: file.name })
    if (result.accepted) await this.uploads.discard(actor, upload.id)
    return result
  }

  async importFile(actor: Actor | null, request: LegacyImportRequest): Promise<LegacyImportResult> {
    const user = requireInstituteClerk(actor, '导入历史记录')
    const organisation = await this.requireOrganisation(request.organisationId, request.family)
    const rows = await this.readRows(request)
    checkDuplicatesInWorkbook(rows, request.family)
    const fileName = basename(request.fileName).slice(0, 200)
    const workbook = await readFile(request.workbookPath)
    // The register checks run under the write lock, so two imports never both take one number.
    const stored = await writeTransaction(this.db, async (trx) => {
      await checkAgainstRegister(trx, rows, request.family)
      if (rows.some(hasError)) return null
      const now = isoNow(this.clock)
      const { hash } = await this.files.put(trx, workbook, XLSX, fileName)
      const importId = await storeLegacyRecords(trx, {
        family: request.family,
        organisationId: organisation.id,
        fileName,
        hash,
        userId: user.userId,
        now,
        rows,
      })
      // Counts and hashes only: the audit log never carries names or ID numbers.
      await this.audit.record(trx, auditActor(user), {
        action: 'legacy.import',
        objectType: 'legacy_import',
        objectId: importId,
        details: { family: request.family, organisationId: organisation.id, records: rows.length, workbook: hash },
      })
      return importId
    })
    if (stored === null) return this.refusal(request.family, rows)
    const warnings = rows.flatMap((row) => row.issues.map((issue) => issue.message))
    return { accepted: true, importId: stored, imported: rows.length, warnings: warnings.slice(0, MESSAGES_SHOWN) }
  }

  private async refusal(family: Family, rows: CheckedRow[]): Promise<LegacyImportResult> {
    const refused = rows.filter(hasError)
    const messages = refused.flatMap((row) => row.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.message))
    const bytes = await writeLegacyErrorWorkbook(family, refused)
    return {
      accepted: false,
      rowCount: rows.length,
      errorCount: messages.length,
      messages: messages.slice(0, MESSAGES_SHOWN),
      errorWorkbook: { fileName: `${LEGACY_KIND_LABELS[family]}错误说明.xlsx`, mediaType: XLSX, base64: bytes.toString('base64') },
    }
  }

  private async requireOrganisation(id: number, family: Family): Promise<{ id: number; name: string }> {
    const row = (await this.db('organisations').where({ id }).first('id', 'name', 'kind')) as
      { id: number; name: string; kind: string } | undefined
    if (!row) throw new AppError('NOT_FOUND', '所选机构不存在')
    if (row.kind !== ORGANISATION_KIND[family]) {
      throw new AppError(
        'VALIDATION',
        `${row.name} 不是${family === 'title' ? '评审机构' : '考试机构'}，不能导入${LEGACY_KIND_LABELS[family]}`,
      )
    }
    return row
  }

  private async readRows(request: LegacyImportRequest): Promise<CheckedRow[]> {
    const checker = createLegacyRowChecker({
      family: request.family,
      today: this.clock.now(),
      extraIdTypes: await this.settings.value('applications.extraIdTypes'),
    })
    return readCheckedRows(request.workbookPath, request.fileName, checker)
  }
}
