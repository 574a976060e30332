import type { Knex } from 'knex'
import type { ApplyingOrganisation } from '../../../contract/applications'
import type { Family } from '../../../contract/roles'
import type { Actor } from '../../users/access'
import { grantedLevels } from '../../organisations/grants'
import { seesWholeCity } from '../../users/scope'
import { AppError } from '../../util/app-error'

type Db = Knex | Knex.Transaction

/** Title batches come from review bodies, vocational batches from exam institutions (clauses 4–5). */
const KIND_OF: Record<Family, string> = { title: 'review_body', vocational: 'exam_institution' }

interface OrganisationRow {
  id: number
  name: string
  code: string | null
  kind: string
  parent_id: number | null
  active: number | boolean
}

/**
 * Who may import a batch for an applying organisation: its own staff (the review body or exam
 * institution submitting), the reviewers of its supervising department entering it on its
 * behalf, and the institute's clerks (offline reviews, clause 4). Whoever imports is the
 * submitter, and never approves the batch.
 */
function mayImportFor(actor: Actor, organisation: OrganisationRow): boolean {
  if (!actor.roles.includes('reviewer') && !actor.roles.includes('clerk')) return false
  if (actor.roles.includes('clerk') && seesWholeCity(actor)) return true
  return organisation.id === actor.organisationId || organisation.parent_id === actor.organisationId
}

async function familiesGranted(db: Db, ids: number[]): Promise<Map<number, Family[]>> {
  const rows = (await db('organisation_grants').whereIn('organisation_id', ids).distinct('organisation_id', 'family')) as Array<{
    organisation_id: number
    family: Family
  }>
  const families = new Map<number, Family[]>()
  for (const row of rows) families.set(row.organisation_id, [...(families.get(row.organisation_id) ?? []), row.family])
  return families
}

/** The organisations the actor may import for, each with the families it is granted. */
export async function applyingOrganisations(db: Db, actor: Actor): Promise<ApplyingOrganisation[]> {
  const rows = (await db('organisations')
    .whereIn('kind', Object.values(KIND_OF))
    .where({ active: true })
    .orderBy('name')
    .select('id', 'name', 'code', 'kind', 'parent_id', 'active')) as OrganisationRow[]
  const allowed = rows.filter((row) => mayImportFor(actor, row))
  const grants = await familiesGranted(
    db,
    allowed.map((row) => row.id),
  )
  return allowed.map((row) => ({ id: row.id, name: row.name, code: row.code, families: grants.get(row.id) ?? [] }))
}

const COLUMNS = ['id', 'name', 'code', 'kind', 'parent_id', 'active'] as const

/** Loads the applying organisation and refuses, in Chinese, anything that cannot apply for the family. */
export async function requireApplyingOrganisation(db: Db, actor: Actor, organisationId: number, family: Family): Promise<OrganisationRow> {
  const row = (await db('organisations')
    .where({ id: organisationId })
    .first(...COLUMNS)) as OrganisationRow | undefined
  if (!row || !mayImportFor(actor, row)) throw new AppError('NOT_FOUND', '申报机构不存在，或不在您可以代为申报的范围内')
  return checkApplyingOrganisation(db, row, family)
}

/** The applying organisation of an application submitted on the online platform, by its code. */
export async function applyingOrganisationByCode(db: Db, code: string, family: Family): Promise<OrganisationRow> {
  const row = (await db('organisations')
    .where({ code })
    .first(...COLUMNS)) as OrganisationRow | undefined
  if (!row) throw new AppError('NOT_FOUND', `没有代码为 ${code} 的申报机构`)
  return checkApplyingOrganisation(db, row, family)
}

async function checkApplyingOrganisation(db: Db, row: OrganisationRow, family: Family): Promise<OrganisationRow> {
  if (!row.active) throw new AppError('INVALID_STATE', `${row.name} 已停用，不能申报`)
  if (row.kind !== KIND_OF[family]) {
    const expected = family === 'title' ? '评审机构' : '考试机构'
    throw new AppError('VALIDATION', `${row.name} 不是${expected}，不能申报${family === 'title' ? '职称证书' : '职业资格证书'}`)
  }
  if (!row.code) throw new AppError('INVALID_STATE', `${row.name} 尚未分配机构代码（证书编号的一部分），请联系系统管理员`)
  if ((await grantedLevels(db, row.id, family)).length === 0) {
    throw new AppError(
      'FORBIDDEN',
      `${row.name} 未获准申请${family === 'title' ? '职称证书' : '职业资格证书'}，请联系系统管理员配置申报范围`,
    )
  }
  return row
}
