import type { Knex } from 'knex'
import type { Organisation, OrganisationGrant } from '../../contract/organisations'
import type { OrganisationKind } from '../../contract/roles'
import type { AuditActor, AuditLog } from '../audit/audit-log'
import { insertReturningId } from '../db/insert'
import { writeTransaction } from '../db/transaction'
import { auditActor, requireRole, requireSignedIn, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { grantsOf, replaceGrants, requireReadableOrganisation } from './grants'

export interface OrganisationFields {
  name: string
  kind: OrganisationKind
  code: string | null
  parentId: number | null
  organisingUnit: string | null
}

type Db = Knex | Knex.Transaction

async function listOrganisations(db: Db, filter: { includeInactive?: boolean; id?: number }): Promise<Organisation[]> {
  const query = db('organisations as o')
    .leftJoin('organisations as p', 'p.id', 'o.parent_id')
    .select('o.*', 'p.name as parent_name', db('users').count('*').where('users.organisation_id', db.ref('o.id')).as('user_count'))
    .orderBy([{ column: 'o.kind' }, { column: 'o.name' }])
  if (!filter.includeInactive) query.where('o.active', true)
  if (filter.id) query.where('o.id', filter.id)
  const rows = (await query) as Array<Record<string, unknown>>
  return rows.map((row) => ({
    id: Number(row.id),
    name: String(row.name),
    kind: row.kind as OrganisationKind,
    code: (row.code as string | null) ?? null,
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    parentName: (row.parent_name as string | null) ?? null,
    organisingUnit: (row.organising_unit as string | null) ?? null,
    active: Boolean(row.active),
    userCount: Number(row.user_count),
  }))
}

/** Refuses a duplicate name or code, and a parent that would make a loop. */
async function checkFields(db: Db, fields: Partial<OrganisationFields>, id?: number): Promise<void> {
  if (fields.name !== undefined) {
    const clash = await db('organisations')
      .where({ name: fields.name })
      .whereNot('id', id ?? 0)
      .first('id')
    if (clash) throw new AppError('CONFLICT', `机构名称“${fields.name}”已存在`)
  }
  if (fields.code) {
    const clash = (await db('organisations')
      .where({ code: fields.code })
      .whereNot('id', id ?? 0)
      .first('name')) as { name: string } | undefined
    if (clash) throw new AppError('CONFLICT', `机构代码“${fields.code}”已分配给“${clash.name}”，代码不能重复`)
  }
  if (fields.parentId) {
    let cursor: number | null = fields.parentId
    for (let depth = 0; cursor !== null; depth += 1) {
      if (cursor === id || depth > 32) throw new AppError('VALIDATION', '上级机构不能是该机构本身或其下级机构')
      const parent = (await db('organisations').where({ id: cursor }).first('parent_id')) as { parent_id: number | null } | undefined
      if (!parent) throw new AppError('NOT_FOUND', '所选上级机构不存在')
      cursor = parent.parent_id
    }
  }
}

/**
 * Inserts an organisation inside the caller's transaction, checked and audited. Shared by the
 * admin screen, first-run setup (the bureau) and the demo seed, so all three check and record alike.
 */
export async function insertOrganisation(
  trx: Knex.Transaction,
  audit: AuditLog,
  by: AuditActor,
  clock: Clock,
  fields: OrganisationFields,
  extraDetails: Record<string, unknown> = {},
): Promise<Organisation> {
  await checkFields(trx, fields)
  const now = isoNow(clock)
  const id = await insertReturningId(trx, 'organisations', {
    name: fields.name,
    kind: fields.kind,
    code: fields.code,
    parent_id: fields.parentId,
    organising_unit: fields.organisingUnit,
    active: true,
    created_at: now,
    updated_at: now,
  })
  const created = (await listOrganisations(trx, { id, includeInactive: true }))[0]
  await audit.record(trx, by, {
    action: 'organisation.create',
    objectType: 'organisation',
    objectId: id,
    after: { ...created, userCount: undefined },
    details: { name: fields.name, kind: fields.kind, code: fields.code, ...extraDetails },
  })
  return created
}

/** Organisations and their bureau-assigned codes. Everyone signed in may read; admins change. */
export class OrganisationsService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor | null, filter: { includeInactive?: boolean }): Promise<Organisation[]> {
    requireSignedIn(actor)
    return listOrganisations(this.db, filter)
  }

  async create(actor: Actor | null, fields: OrganisationFields): Promise<Organisation> {
    const admin = requireRole(actor, 'admin')
    return writeTransaction(this.db, (trx) => insertOrganisation(trx, this.audit, auditActor(admin), this.clock, fields))
  }

  async update(actor: Actor | null, input: Partial<OrganisationFields> & { id: number; active?: boolean }): Promise<Organisation> {
    const admin = requireRole(actor, 'admin')
    return writeTransaction(this.db, async (trx) => {
      const [before] = await listOrganisations(trx, { id: input.id, includeInactive: true })
      if (!before) throw new AppError('NOT_FOUND', '机构不存在')
      await checkFields(trx, input, input.id)
      if (input.active === false && admin.organisationId === input.id) throw new AppError('INVALID_STATE', '不能停用自己所在的机构')
      const patch: Record<string, unknown> = { updated_at: isoNow(this.clock) }
      if (input.name !== undefined) patch.name = input.name
      if (input.kind !== undefined) patch.kind = input.kind
      if (input.code !== undefined) patch.code = input.code
      if (input.parentId !== undefined) patch.parent_id = input.parentId
      if (input.organisingUnit !== undefined) patch.organising_unit = input.organisingUnit
      if (input.active !== undefined) patch.active = input.active
      await trx('organisations').where({ id: input.id }).update(patch)
      const [after] = await listOrganisations(trx, { id: input.id, includeInactive: true })
      await this.audit.record(trx, auditActor(admin), {
        action: 'organisation.update',
        objectType: 'organisation',
        objectId: input.id,
        before: { ...before, userCount: undefined },
        after: { ...after, userCount: undefined },
        details: { changed: Object.keys(input).filter((key) => key !== 'id'), code: after.code },
      })
      return after
    })
  }

  /** What an applying organisation may apply for; admins and the desks in its scope read it. */
  async grants(actor: Actor | null, input: { organisationId: number }): Promise<OrganisationGrant[]> {
    const reader = requireRole(actor, 'admin', 'reviewer', 'clerk')
    await requireReadableOrganisation(this.db, reader, input.organisationId)
    return grantsOf(this.db, input.organisationId)
  }

  /** Replaces the organisation's grants as a whole, in one transaction and one audit entry. */
  async setGrants(actor: Actor | null, input: { organisationId: number; grants: OrganisationGrant[] }): Promise<OrganisationGrant[]> {
    const admin = requireRole(actor, 'admin')
    return writeTransaction(this.db, (trx) => replaceGrants(trx, this.audit, auditActor(admin), input.organisationId, input.grants))
  }
}
