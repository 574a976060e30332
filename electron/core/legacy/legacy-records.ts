import type { Knex } from 'knex'
import type { LegacyDesk, LegacyRecord, LegacyRecordDetail } from '../../contract/legacy'
import type { Family } from '../../contract/roles'
import { foldFullWidth } from '../applications/checks/cell-text'
import { IDENTITY_COLUMNS, identityOf, type IdentityRow } from '../certificates/certificate-identity'
import { normaliseIdNumber } from '../applications/id-number'
import { requireRole, type Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'
import { ISSUE_FORBIDDEN, isInstituteClerk, mayIssueFor } from './legacy-access'
import { maskIdNumber, selectSlips, toSlipSummary, type SlipRow } from './slip-queries'

interface RecordRow extends IdentityRow {
  organisation_id: number
  organisation_name: string
  fields: string
  slip_count: number | string
}

/** The legacy records of the register, as the 历史记录与查询单 page lists and opens them. */
export class LegacyRecordsService {
  constructor(private readonly db: Knex) {}

  async desk(actor: Actor | null): Promise<LegacyDesk> {
    const user = requireRole(actor, 'reviewer', 'clerk')
    const institute = isInstituteClerk(user)
    const pending = institute
      ? Number(((await this.db('query_slips').where({ recheck_state: 'pending' }).count({ n: '*' })) as Array<{ n: number }>)[0].n)
      : 0
    return { canImport: institute, canRecheck: institute, pendingRechecks: pending }
  }

  /** Newest first; `search` is a number, a whole ID number, or (part of) a name. */
  async list(actor: Actor | null, filter: { family?: Family; search?: string; limit: number }): Promise<LegacyRecord[]> {
    const user = requireRole(actor, 'reviewer', 'clerk')
    const query = this.records().orderBy('c.id', 'desc').limit(filter.limit)
    scopeToOrganisation(this.db, query, user, 'c.organisation_id')
    if (filter.family) query.where('c.family', filter.family)
    if (filter.search) {
      const text = filter.search
      const folded = foldFullWidth(text)
        .replace(/[\s\-/._·]/g, '')
        .toUpperCase()
      query.where((where) =>
        where
          .where('c.number', folded)
          .orWhere('c.holder_id_number', normaliseIdNumber(text))
          .orWhere('c.holder_name', 'like', `%${text}%`),
      )
    }
    return ((await query) as RecordRow[]).map(toRecord)
  }

  async record(actor: Actor | null, id: number): Promise<LegacyRecordDetail> {
    const user = requireRole(actor, 'reviewer', 'clerk')
    const query = this.records()
      .leftJoin('legacy_records as lr', 'lr.certificate_id', 'c.id')
      .leftJoin('legacy_imports as li', 'li.id', 'lr.import_id')
      .leftJoin('users as iu', 'iu.id', 'li.imported_by')
      .select('lr.row_number', 'li.file_name', 'li.imported_at', 'iu.display_name as imported_by_name')
      .where('c.id', id)
    scopeToOrganisation(this.db, query, user, 'c.organisation_id')
    const row = (await query.first()) as
      | (RecordRow & { row_number: number | null; file_name: string | null; imported_at: string | null; imported_by_name: string | null })
      | undefined
    if (!row) throw new AppError('NOT_FOUND', '该历史记录不存在或不在您的管理范围内')
    const slips = ((await selectSlips(this.db).where('q.certificate_id', id).orderBy('q.id', 'desc')) as SlipRow[]).map((slip) =>
      toSlipSummary(slip, user),
    )
    const pending = slips.find((slip) => slip.state === 'pending_recheck')
    return {
      ...toRecord(row),
      fields: JSON.parse(row.fields) as Record<string, string>,
      fileName: row.file_name,
      rowNumber: row.row_number,
      importedAt: row.imported_at,
      importedByName: row.imported_by_name,
      slips,
      issueBlocker: issueBlocker(user, row, pending?.number),
    }
  }

  private records(): Knex.QueryBuilder {
    return this.db('certificates as c')
      .join('organisations as o', 'o.id', 'c.organisation_id')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .where('c.legacy', true)
      .select(
        ...IDENTITY_COLUMNS,
        'c.organisation_id',
        'o.name as organisation_name',
        'v.fields',
        this.db('query_slips as qs').count('*').whereRaw('qs.certificate_id = c.id').as('slip_count'),
      )
  }
}

/** Why this user cannot issue a document for this record now; null when they can. */
export function issueBlocker(actor: Actor, row: { status: string; organisation_id: number }, pendingSlip?: string): string | null {
  if (!mayIssueFor(actor, row.organisation_id)) return ISSUE_FORBIDDEN
  if (row.status === 'revoked') return '该记录已注销，不能开具查询单或成绩单'
  if (row.status !== 'active') return '该记录当前不是有效状态，不能开具'
  if (pendingSlip) return `该记录已有一份待复核的查询单 ${pendingSlip}，请等待考试院复核后再开具`
  return null
}

function toRecord(row: RecordRow): LegacyRecord {
  const fields = JSON.parse(row.fields) as Record<string, string>
  return {
    ...identityOf(row),
    idNumberMasked: maskIdNumber(row.holder_id_number),
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    qualification: row.family === 'title' ? fields.titleName : fields.qualificationName,
    obtained: row.family === 'title' ? fields.obtainedOn : fields.examYear,
    slipCount: Number(row.slip_count),
  }
}
