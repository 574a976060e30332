import type { Knex } from 'knex'
import type { CertificateFields, TitleCertificateFields, VocationalCertificateFields } from '../../contract/certificates'
import type { Family } from '../../contract/roles'
import type { RenderTask } from '../documents/render-task'
import type { SealInput } from '../documents/types'
import type { FileStore } from '../files/file-store'
import type { SealAppearancesService } from '../seals/seal-appearances-service'
import { sealsFor } from '../seals/seal-records'
import type { SettingsService } from '../settings/settings-service'
import { requiredSeals, type RequiredSeal } from './seal-rules'

/** A certificate version as documents are made from it. */
export interface VersionRow {
  certificate_id: number
  version_id: number
  number: string
  family: Family
  level: string | null
  status: string
  organisation_id: number
  organisation_name: string
  organisation_code: string | null
  version: number
  fields: string
  photo_hash: string | null
  pdf_hash: string | null
  issued_at: string | null
  created_at: string
}

/** The columns of VersionRow, for queries joining certificates, organisations and certificate_versions. */
export function selectVersionRow(query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query
    .select(
      'c.id as certificate_id',
      'c.number',
      'c.family',
      'c.level',
      'c.status',
      'c.organisation_id',
      'o.name as organisation_name',
      'o.code as organisation_code',
    )
    .select('v.id as version_id', 'v.version', 'v.fields', 'v.photo_hash', 'v.pdf_hash', 'v.issued_at', 'v.created_at')
}

export interface SealPlan extends RequiredSeal {
  /** The seal that will sign this slot (the oldest active registered seal that applies), if any. */
  sealId: number | null
}

/**
 * Builds render tasks for certificate versions. One instance serves one request or one
 * signing job: the verification URL, the seal plan of each organisation/family/level and the
 * appearances are looked up once and reused, since a batch shares them all.
 */
export class DocumentTasks {
  private baseUrl: Promise<string> | null = null
  private readonly plans = new Map<string, Promise<Array<SealPlan & { input: SealInput }>>>()

  constructor(
    private readonly db: Knex,
    private readonly files: FileStore,
    private readonly settings: SettingsService,
    private readonly appearances: SealAppearancesService,
  ) {}

  /** Clause 3's seals of this certificate, with the registered seal planned for each slot. */
  async sealPlan(row: Pick<VersionRow, 'family' | 'level' | 'organisation_id'>): Promise<Array<SealPlan & { input: SealInput }>> {
    const key = `${row.organisation_id}/${row.family}/${row.level}`
    let plan = this.plans.get(key)
    if (!plan) {
      plan = this.loadPlan(row)
      this.plans.set(key, plan)
    }
    return plan
  }

  private async loadPlan(row: Pick<VersionRow, 'family' | 'level' | 'organisation_id'>): Promise<Array<SealPlan & { input: SealInput }>> {
    const required = await requiredSeals(this.db, { family: row.family, level: row.level, organisationId: row.organisation_id })
    const uploaded = await this.appearances.pngsFor(required.map((seal) => seal.organisationId))
    return Promise.all(
      required.map(async (seal) => {
        const registered = (await sealsFor(this.db, seal.organisationId, row.family, row.level))[0]
        // The seal's own appearance, else its organisation's uploaded one, else the drawn seal.
        const png = registered?.appearanceHash
          ? (await this.files.read(this.db, registered.appearanceHash)).bytes
          : uploaded.get(seal.organisationId)
        const input: SealInput = { slot: seal.slot, organisationName: seal.organisationName, purpose: registered?.purpose, png }
        return { ...seal, sealId: registered?.id ?? null, input }
      }),
    )
  }

  /**
   * The certificate document of a version; `sealFields` for sealing, `preview` for the
   * watermark; `photo` when the caller already read it (a batch does, without a query per photo).
   */
  async certificate(
    row: VersionRow,
    options: { preview: boolean; sealFields?: boolean; photo?: { bytes: Uint8Array; mediaType: string } },
  ): Promise<RenderTask> {
    const fields = JSON.parse(row.fields) as CertificateFields
    const photo = options.photo ?? (row.photo_hash ? await this.files.read(this.db, row.photo_hash) : null)
    const common = {
      number: row.number,
      photo: photo ? { bytes: photo.bytes, type: photo.mediaType === 'image/png' ? ('png' as const) : ('jpeg' as const) } : undefined,
      verifyBaseUrl: await (this.baseUrl ??= this.settings.value('verification.baseUrl')),
      issuer: row.organisation_name,
      seals: (await this.sealPlan(row)).map((seal) => seal.input),
      // The version's date, so a re-rendering (a resumed batch) gives the same document.
      issuedOn: (row.issued_at ?? row.created_at).slice(0, 10),
      preview: options.preview,
      sealFields: options.sealFields,
    }
    return row.family === 'title'
      ? { kind: 'title', input: { ...common, fields: fields as TitleCertificateFields } }
      : { kind: 'vocational', input: { ...common, fields: fields as VocationalCertificateFields } }
  }
}
