import type { Knex } from 'knex'
import { VOCATIONAL_LEVELS } from '../../contract/application-format'
import { TITLE_LEVEL_LABELS, TITLE_LEVELS, type TitleLevel } from '../../contract/certificates'
import { ANY_LEVEL, type OrganisationGrant } from '../../contract/organisations'
import { ORGANISATION_KIND_LABELS, type Family, type OrganisationKind } from '../../contract/roles'
import type { AuditActor, AuditLog } from '../audit/audit-log'
import type { Actor } from '../users/access'
import { seesWholeCity } from '../users/scope'
import { AppError } from '../util/app-error'

type Db = Knex | Knex.Transaction

/** Which kind of organisation applies for which family (clauses 4 and 5). */
const FAMILY_OF_KIND: Partial<Record<OrganisationKind, Family>> = { review_body: 'title', exam_institution: 'vocational' }

/** Whose seal an intermediate or primary title may carry (clause 3). */
const SEAL_KINDS: readonly OrganisationKind[] = ['bureau', 'district_bureau', 'industry_department']

/** Levels whose seal the notice leaves to configuration; senior titles always carry the bureau's. */
const CONFIGURABLE_SEAL_LEVELS: readonly string[] = ['intermediate', 'primary'] satisfies TitleLevel[]

interface GrantRow {
  family: Family
  level: string
  seal_organisation_id: number | null
}

interface OrganisationRow {
  id: number
  name: string
  kind: OrganisationKind
  code: string | null
  parent_id: number | null
  active: boolean | number
}

/** The order people expect: title levels from 正高级 down, vocational '*' first then 一级…不分级. */
function rank(grant: OrganisationGrant): number {
  const order: readonly string[] = grant.family === 'title' ? TITLE_LEVELS : [ANY_LEVEL, ...VOCATIONAL_LEVELS]
  return (grant.family === 'title' ? 0 : 100) + order.indexOf(grant.level)
}

function levelLabel(grant: Pick<OrganisationGrant, 'family' | 'level'>): string {
  if (grant.family === 'title') return TITLE_LEVEL_LABELS[grant.level as TitleLevel] ?? grant.level
  return grant.level === ANY_LEVEL ? '全部级别' : grant.level
}

async function organisationRow(db: Db, id: number): Promise<OrganisationRow | undefined> {
  return (await db('organisations').where({ id }).first('id', 'name', 'kind', 'code', 'parent_id', 'active')) as OrganisationRow | undefined
}

/** The grants of an organisation, in level order. */
export async function grantsOf(db: Db, organisationId: number): Promise<OrganisationGrant[]> {
  const rows = (await db('organisation_grants')
    .where({ organisation_id: organisationId })
    .select('family', 'level', 'seal_organisation_id')) as GrantRow[]
  return rows
    .map((row) => ({
      family: row.family,
      level: row.level,
      sealOrganisationId: row.seal_organisation_id === null ? null : Number(row.seal_organisation_id),
    }))
    .sort((left, right) => rank(left) - rank(right))
}

/** The levels an organisation may apply for in a family; may contain '*' (every vocational level). */
export async function grantedLevels(db: Db, organisationId: number, family: Family): Promise<string[]> {
  return (await db('organisation_grants').where({ organisation_id: organisationId, family }).pluck('level')) as string[]
}

/** Whether the organisation may apply for certificates of this family and level ('*' grants every level). */
export async function isGranted(db: Db, organisationId: number, family: Family, level: string): Promise<boolean> {
  const levels = await grantedLevels(db, organisationId, family)
  return levels.includes(level) || levels.includes(ANY_LEVEL)
}

/**
 * Who may read an organisation's grants: admins and the desks that see the whole city, and a
 * department's reviewers for itself and the units directly under it.
 */
export async function requireReadableOrganisation(db: Db, actor: Actor, organisationId: number): Promise<OrganisationRow> {
  const row = await organisationRow(db, organisationId)
  const inScope = row && (seesWholeCity(actor) || row.id === actor.organisationId || row.parent_id === actor.organisationId)
  if (!row || !inScope) throw new AppError('NOT_FOUND', '机构不存在，或不在您的管辖范围内')
  return row
}

/** Checks one grant's seal organisation: only for 中级/初级 titles, and only a seal-owning kind. */
async function checkSeal(db: Db, grant: OrganisationGrant): Promise<void> {
  if (grant.sealOrganisationId === null) return
  if (grant.family !== 'title' || !CONFIGURABLE_SEAL_LEVELS.includes(grant.level)) {
    throw new AppError('VALIDATION', `${levelLabel(grant)}证书的印章由规定确定（第三条），不能另行指定用章机构`)
  }
  const seal = await organisationRow(db, grant.sealOrganisationId)
  if (!seal) throw new AppError('VALIDATION', `${levelLabel(grant)}证书的用章机构不存在`)
  if (!SEAL_KINDS.includes(seal.kind)) {
    const allowed = SEAL_KINDS.map((kind) => ORGANISATION_KIND_LABELS[kind]).join('、')
    throw new AppError('VALIDATION', `${levelLabel(grant)}证书的用章机构只能是${allowed}，“${seal.name}”不是`)
  }
  if (!seal.active) throw new AppError('VALIDATION', `用章机构“${seal.name}”已停用`)
}

/** Refuses, in Chinese, grants the organisation's kind cannot hold, duplicates and misplaced seals. */
async function checkGrants(db: Db, organisation: OrganisationRow, grants: OrganisationGrant[]): Promise<void> {
  const family = FAMILY_OF_KIND[organisation.kind]
  if (grants.length > 0 && !family) {
    throw new AppError(
      'VALIDATION',
      `只有评审机构和考试机构可以配置申报范围，“${organisation.name}”是${ORGANISATION_KIND_LABELS[organisation.kind]}`,
    )
  }
  const wrong = grants.find((grant) => grant.family !== family)
  if (wrong) {
    const expected = family === 'title' ? '评审机构只能申请职称证书' : '考试机构只能申请职业资格证书'
    throw new AppError('VALIDATION', `${expected}，不能授予“${levelLabel(wrong)}”${wrong.family === 'title' ? '职称' : '职业资格'}`)
  }
  const seen = new Set<string>()
  for (const grant of grants) {
    if (seen.has(grant.level)) throw new AppError('VALIDATION', `“${levelLabel(grant)}”重复出现`)
    seen.add(grant.level)
  }
  if (seen.has(ANY_LEVEL) && seen.size > 1) {
    throw new AppError('VALIDATION', '已选“全部级别”时不能再单独选择级别')
  }
  for (const grant of grants) await checkSeal(db, grant)
}

/**
 * Replaces an organisation's grants as a whole inside the caller's write transaction, checked
 * and audited as one entry. Shared by the admin screen and the demo seed, so both check alike.
 */
export async function replaceGrants(
  trx: Knex.Transaction,
  audit: AuditLog,
  by: AuditActor,
  organisationId: number,
  grants: OrganisationGrant[],
  extraDetails: Record<string, unknown> = {},
): Promise<OrganisationGrant[]> {
  const organisation = await organisationRow(trx, organisationId)
  if (!organisation) throw new AppError('NOT_FOUND', '机构不存在')
  await checkGrants(trx, organisation, grants)
  const before = await grantsOf(trx, organisationId)
  await trx('organisation_grants').where({ organisation_id: organisationId }).delete()
  if (grants.length > 0) {
    await trx('organisation_grants').insert(
      grants.map((grant) => ({
        organisation_id: organisationId,
        family: grant.family,
        level: grant.level,
        seal_organisation_id: grant.sealOrganisationId,
      })),
    )
  }
  const after = await grantsOf(trx, organisationId)
  await audit.record(trx, by, {
    action: 'organisation.grants',
    objectType: 'organisation',
    objectId: organisationId,
    before,
    after,
    details: { code: organisation.code, levels: after.map((grant) => grant.level), ...extraDetails },
  })
  return after
}
