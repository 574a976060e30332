import type { Knex } from 'knex'
import type { CertificateStatus } from '../../contract/certificates'
import type { RegisterEntry, RegisterPage, RegisterSearch } from '../../contract/register'
import { convertLegacy15, normaliseIdNumber } from '../applications/id-number'
import type { Actor } from '../users/access'
import { scopeToOrganisation, seesWholeCity } from '../users/scope'
import { IDENTITY_COLUMNS, identityOf, type IdentityRow } from './certificate-identity'

/**
 * The index a search is answered from. SQLite chooses its plan without statistics (nothing runs
 * ANALYZE), so it guesses that every equality is selective and would happily walk the status
 * index for `status = 'active'` — nine in ten of a million rows. The register decides instead:
 * the most selective criterion given is looked up in its index, every other one is checked row
 * by row (written `+column`, which SQLite never uses an index for).
 */
export type SearchPath = 'number' | 'idNumber' | 'name' | 'organisation' | 'status' | 'period' | 'level' | 'scan'

/** Statuses few certificates have: their index beats any other filter but an organisation. */
const SPARSE_STATUSES: ReadonlySet<CertificateStatus> = new Set(['pending', 'superseded', 'revoked'])

export function searchPath(search: RegisterSearch, actor: Actor): SearchPath {
  if (search.number) return 'number'
  if (search.idNumber) return 'idNumber'
  if (search.name) return 'name'
  if (search.organisationId || !seesWholeCity(actor)) return 'organisation'
  if (search.status && SPARSE_STATUSES.has(search.status)) return 'status'
  if (search.issuedFrom || search.issuedTo) return 'period'
  if (search.level) return 'level'
  if (search.status) return 'status'
  return 'scan'
}

/** A day in Shanghai (UTC+8, no daylight saving) as the UTC instant it starts at, as issued_at stores it. */
export function shanghaiDayStart(day: string, plusDays = 0): string {
  const start = new Date(`${day}T00:00:00+08:00`)
  start.setUTCDate(start.getUTCDate() + plusDays)
  return start.toISOString()
}

/** An ID number as certificates store it: a 15-digit resident ID of before 1999 in its 18-character form. */
export function storedIdNumber(typed: string): string {
  const folded = normaliseIdNumber(typed)
  return /^\d{15}$/.test(folded) ? convertLegacy15(folded) : folded
}

type Condition = (query: Knex.QueryBuilder, seek: boolean) => void

/** `column op value`, seekable through an index or, with a unary plus, checked row by row only. */
function compare(column: string, op: '=' | '>=' | '<', value: unknown): Condition {
  return (query, seek) => {
    if (seek) query.where(column, op, value as Knex.Value)
    else query.whereRaw(`+?? ${op} ?`, [column, value as Knex.Value])
  }
}

/** Which criteria of the search may use an index on the chosen path. */
const SEEKABLE: Record<SearchPath, ReadonlySet<string>> = {
  number: new Set(['number']),
  idNumber: new Set(['idNumber', 'name']),
  name: new Set(['name']),
  // The columns of certificates_register_scope_index: status and legacy are in it too, but as
  // its last columns they are read from the index (covering), never sought.
  organisation: new Set(['organisationId', 'family', 'level', 'issuedFrom', 'issuedTo']),
  status: new Set(['status']),
  period: new Set(['issuedFrom', 'issuedTo']),
  level: new Set(['level']),
  scan: new Set(),
}

function conditions(search: RegisterSearch): Array<[string, Condition]> {
  const list: Array<[string, Condition | null]> = [
    ['number', search.number ? compare('c.number', '=', search.number) : null],
    ['idNumber', search.idNumber ? compare('c.holder_id_number', '=', storedIdNumber(search.idNumber)) : null],
    ['name', search.name ? compare('c.holder_name', '=', search.name) : null],
    ['organisationId', search.organisationId ? compare('c.organisation_id', '=', search.organisationId) : null],
    ['family', search.family ? compare('c.family', '=', search.family) : null],
    ['level', search.level ? compare('c.level', '=', search.level) : null],
    ['issuedFrom', search.issuedFrom ? compare('c.issued_at', '>=', shanghaiDayStart(search.issuedFrom)) : null],
    ['issuedTo', search.issuedTo ? compare('c.issued_at', '<', shanghaiDayStart(search.issuedTo, 1)) : null],
    ['status', search.status ? compare('c.status', '=', search.status) : null],
    ['legacy', search.legacy === undefined ? null : compare('c.legacy', '=', search.legacy ? 1 : 0)],
  ]
  return list.filter((entry): entry is [string, Condition] => entry[1] !== null)
}

/**
 * The ids of one page, newest first, from the indexes alone where the path allows: the details
 * of the page's rows are joined afterwards, for those rows only. One more id than the page
 * holds tells whether there is a next page, without counting anything.
 */
export function pageIdsQuery(db: Knex, actor: Actor, search: RegisterSearch): Knex.QueryBuilder {
  const path = searchPath(search, actor)
  const query = db('certificates as c').select('c.id')
  for (const [name, condition] of conditions(search)) condition(query, SEEKABLE[path].has(name))
  scopeToOrganisation(db, query, actor, 'c.organisation_id')
  if (search.cursor) query.where('c.id', '<', Number(search.cursor))
  return query.orderBy('c.id', 'desc').limit(search.limit + 1)
}

interface EntryRow extends IdentityRow {
  legacy: number | boolean
  current_version: number
  issued_at: string | null
  organisation_name: string
  pdf_hash: string | null
  integrity_records: number
}

function entryOf(row: EntryRow): RegisterEntry {
  return {
    ...identityOf(row),
    holderIdNumber: row.holder_id_number,
    organisationName: row.organisation_name,
    version: Number(row.current_version),
    issuedAt: row.issued_at,
    sealed: row.pdf_hash !== null,
    legacy: Boolean(row.legacy),
    integrityRecords: Number(row.integrity_records),
  }
}

/** One page of the register for the actor: their organisation's reach only, never counted whole. */
export async function searchRegister(db: Knex, actor: Actor, search: RegisterSearch): Promise<RegisterPage> {
  const rows = (await db
    .from(pageIdsQuery(db, actor, search).as('p'))
    .join('certificates as c', 'c.id', 'p.id')
    .join('organisations as o', 'o.id', 'c.organisation_id')
    .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
    .select(
      ...IDENTITY_COLUMNS,
      'c.legacy',
      'c.current_version',
      'c.issued_at',
      'o.name as organisation_name',
      'v.pdf_hash',
      // Records about the holder: one against this certificate carries the holder's ID number too.
      db.raw('(select count(*) from integrity_records as i where i.subject_id_number = c.holder_id_number) as integrity_records'),
    )
    .orderBy('c.id', 'desc')) as EntryRow[]
  const hasMore = rows.length > search.limit
  const items = rows.slice(0, search.limit).map(entryOf)
  return { items, hasMore, nextCursor: hasMore ? String(items[items.length - 1].id) : null }
}
