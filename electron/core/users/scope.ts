import type { Knex } from 'knex'
import type { Actor } from './access'

type Db = Knex | Knex.Transaction

/** Organisation kinds whose staff work for the whole city (the bureau, the institute). */
export function seesWholeCity(actor: Actor): boolean {
  return actor.organisationKind === 'bureau' || actor.organisationKind === 'institute' || actor.roles.includes('admin')
}

/**
 * Scopes a query on a table with an organisation column to what the actor's organisation
 * oversees: the bureau, the institute and admins see the whole city; a department sees its
 * own rows and those of the units directly under it.
 */
export function scopeToOrganisation(db: Db, query: Knex.QueryBuilder, actor: Actor, column: string): Knex.QueryBuilder {
  if (seesWholeCity(actor)) return query
  return query.where((where) =>
    where.where(column, actor.organisationId).orWhereIn(column, db('organisations').select('id').where('parent_id', actor.organisationId)),
  )
}
