import type { Knex } from 'knex'
import type { Family } from '../../contract/roles'

type Db = Knex | Knex.Transaction

/** A seal a certificate needs: which slot of the layout, and whose seal goes there. */
export interface RequiredSeal {
  slot: 'single' | 'bureau' | 'department'
  organisationId: number
  organisationName: string
}

interface OrganisationRow {
  id: number
  name: string
  kind: string
  parent_id: number | null
}

async function organisation(db: Db, id: number | null): Promise<OrganisationRow | undefined> {
  return id === null ? undefined : db<OrganisationRow>('organisations').where({ id }).first('id', 'name', 'kind', 'parent_id')
}

async function bureau(db: Db): Promise<OrganisationRow> {
  const row = (await db('organisations').where({ kind: 'bureau', active: true }).orderBy('id').first('id', 'name', 'kind', 'parent_id')) as
    OrganisationRow | undefined
  if (!row) throw new Error('no bureau organisation configured')
  return row
}

/**
 * Clause 3 of the notice: senior titles carry the bureau's seal; intermediate and primary
 * titles the seal configured for the review body (organisation_grants.seal_organisation_id),
 * else its supervising department's; vocational certificates both the bureau's and the
 * industry department's (the exam institution's supervising department).
 */
export async function requiredSeals(
  db: Db,
  certificate: { family: Family; level: string | null; organisationId: number },
): Promise<RequiredSeal[]> {
  const city = await bureau(db)
  const issuer = await organisation(db, certificate.organisationId)
  const seal = (slot: RequiredSeal['slot'], row: OrganisationRow): RequiredSeal => ({
    slot,
    organisationId: row.id,
    organisationName: row.name,
  })
  if (certificate.family === 'vocational') {
    const department = (await organisation(db, issuer?.parent_id ?? null)) ?? city
    return [seal('bureau', city), seal('department', department)]
  }
  if (certificate.level === 'senior_full' || certificate.level === 'senior') return [seal('single', city)]
  const grant = (await db('organisation_grants')
    .where({ organisation_id: certificate.organisationId, family: 'title', level: certificate.level ?? '' })
    .first('seal_organisation_id')) as { seal_organisation_id: number | null } | undefined
  const configured = await organisation(db, grant?.seal_organisation_id ?? null)
  const department = configured ?? (await organisation(db, issuer?.parent_id ?? null)) ?? city
  return [seal('single', department)]
}
