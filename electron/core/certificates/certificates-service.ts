import type { Knex } from 'knex'
import type {
  CertificateSummary,
  DocumentKind,
  DocumentPreview,
  TitleCertificateFields,
  TitleLevel,
  VocationalCertificateFields,
} from '../../contract/certificates'
import type { Family } from '../../contract/roles'
import type { DocumentRenderer } from '../documents'
import type { FileStore } from '../files/file-store'
import type { SealAppearancesService } from '../seals/seal-appearances-service'
import type { SettingsService } from '../settings/settings-service'
import { requireRole, type Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { renderTask } from '../documents/render-task'
import { DocumentTasks, selectVersionRow, type VersionRow } from './document-task'

const ALL_ROLES = ['reviewer', 'clerk', 'sealer', 'admin'] as const

/** `<number>-v<version>.pdf` for a certificate, `<number>-query-slip.pdf` / `-pass-certificate.pdf` for its slip. */
function fileNameOf(row: VersionRow, document: DocumentKind): string {
  if (document === 'certificate') return `${row.number}-v${row.version}.pdf`
  return `${row.number}-${row.family === 'title' ? 'query-slip' : 'pass-certificate'}.pdf`
}

/** Certificates as the desks look them up, and their documents for preview. */
export class CertificatesService {
  constructor(
    private readonly db: Knex,
    private readonly files: FileStore,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly sealAppearances: SealAppearancesService,
    /** Created on first use: loading the CJK font is not start-up work. */
    private readonly renderer: () => Promise<DocumentRenderer>,
  ) {}

  async list(actor: Actor | null, filter: { search?: string; limit: number }): Promise<CertificateSummary[]> {
    const user = requireRole(actor, ...ALL_ROLES)
    const query = this.db('certificates as c')
      .join('organisations as o', 'o.id', 'c.organisation_id')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .select(
        'c.id',
        'c.number',
        'c.family',
        'c.level',
        'c.status',
        'c.holder_name',
        'c.issued_at',
        'c.current_version',
        'o.name as organisation_name',
        'v.pdf_hash',
      )
      .orderBy('c.id', 'desc')
      .limit(filter.limit)
    scopeToOrganisation(this.db, query, user, 'c.organisation_id')
    if (filter.search) {
      const search = filter.search
      query.where((where) => where.where('c.number', search.toUpperCase()).orWhere('c.holder_name', 'like', `%${search}%`))
    }
    const rows = (await query) as Array<Record<string, unknown>>
    return rows.map((row) => ({
      id: Number(row.id),
      number: String(row.number),
      family: row.family as Family,
      level: (row.level as string | null) ?? null,
      status: row.status as CertificateSummary['status'],
      holderName: String(row.holder_name),
      organisationName: String(row.organisation_name),
      version: Number(row.current_version),
      issuedAt: (row.issued_at as string | null) ?? null,
      sealed: row.pdf_hash !== null,
    }))
  }

  private async loadVersion(user: Actor, number: string, version?: number): Promise<VersionRow> {
    const query = selectVersionRow(
      this.db('certificates as c')
        .join('organisations as o', 'o.id', 'c.organisation_id')
        .join('certificate_versions as v', 'v.certificate_id', 'c.id')
        .where('c.number', number),
    )
    if (version) query.where('v.version', version)
    else query.where('v.version', this.db.ref('c.current_version'))
    scopeToOrganisation(this.db, query, user, 'c.organisation_id')
    const row = (await query.first()) as VersionRow | undefined
    if (!row) throw new AppError('NOT_FOUND', `证书 ${number}${version ? ` 第 ${version} 版` : ''} 不存在或不在您的管理范围内`)
    return row
  }

  /**
   * The sealed file when there is one; otherwise a fresh rendering marked as a preview. The slip
   * (query slip or pass certificate) is always rendered fresh from the database.
   */
  async preview(actor: Actor | null, number: string, version?: number, document: DocumentKind = 'certificate'): Promise<DocumentPreview> {
    const user = requireRole(actor, ...ALL_ROLES)
    const row = await this.loadVersion(user, number, version)
    const sealed = document === 'certificate' && row.pdf_hash !== null
    const { fileName, bytes } = sealed
      ? { fileName: fileNameOf(row, document), bytes: (await this.files.read(this.db, row.pdf_hash!)).bytes }
      : await this.renderDocument(row, document, true)
    return { fileName, pdfBase64: Buffer.from(bytes).toString('base64'), sealed }
  }

  /** Renders a version, or its slip, from the stored snapshot (the CLI's `certdesk render`). */
  async renderVersion(
    actor: Actor | null,
    number: string,
    version?: number,
    document: DocumentKind = 'certificate',
  ): Promise<{ fileName: string; bytes: Uint8Array }> {
    const user = requireRole(actor, ...ALL_ROLES)
    return this.renderDocument(await this.loadVersion(user, number, version), document, false)
  }

  private async renderDocument(
    row: VersionRow,
    document: DocumentKind,
    preview: boolean,
  ): Promise<{ fileName: string; bytes: Uint8Array }> {
    const bytes = document === 'slip' ? await this.renderSlip(row, preview) : await this.render(row, preview)
    return { fileName: fileNameOf(row, document), bytes }
  }

  /**
   * The slip of clause 9, filled from the database and issued today by the body that issued the
   * certificate: a 职称评审结果查询单 for a title (with the bureau's seal too for senior titles),
   * a 考试合格成绩单 for a vocational certificate.
   */
  private async renderSlip(row: VersionRow, preview: boolean): Promise<Uint8Array> {
    const today = isoNow(this.clock).slice(0, 10)
    const slipNumber = `CX${today.replaceAll('-', '')}${String(row.certificate_id).padStart(6, '0')}`
    const office = { slot: 'single' as const, organisationName: row.organisation_name, purpose: '' }
    const renderer = await this.renderer()
    if (row.family === 'title') {
      const fields = JSON.parse(row.fields) as TitleCertificateFields
      const senior = fields.level === 'senior' || fields.level === 'senior_full'
      const bureau = senior ? (await this.tasks().sealPlan(row))[0].input : null
      return renderer.renderQuerySlip({
        number: slipNumber,
        fields: {
          name: fields.name,
          idNumber: fields.idNumber,
          reviewedOn: fields.obtainedOn,
          reviewBody: fields.reviewBody,
          level: fields.level as TitleLevel,
          titleName: fields.titleName,
          specialty: fields.specialty,
          certificateNumber: row.number,
        },
        issuer: row.organisation_name,
        seals: bureau ? [office, { ...bureau, slot: 'bureau' as const }] : [office],
        issuedOn: today,
        preview,
      })
    }
    const fields = JSON.parse(row.fields) as VocationalCertificateFields
    return renderer.renderPassCertificate({
      number: slipNumber,
      fields: {
        name: fields.name,
        gender: fields.gender,
        idNumber: fields.idNumber,
        examYear: fields.approvedOn.slice(0, 4),
        qualificationName: fields.qualificationName,
        level: fields.level,
        specialty: fields.category,
        managementNumber: row.number,
      },
      issuer: row.organisation_name,
      seals: [office],
      issuedOn: today,
      preview,
    })
  }

  private tasks(): DocumentTasks {
    return new DocumentTasks(this.db, this.files, this.settings, this.sealAppearances)
  }

  private async render(row: VersionRow, preview: boolean): Promise<Uint8Array> {
    return renderTask(await this.renderer(), await this.tasks().certificate(row, { preview }))
  }
}
