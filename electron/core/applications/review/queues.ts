import type { Knex } from 'knex'
import type { Queue } from '../../../contract/applications'
import type { Actor } from '../../users/access'
import { scopeToOrganisation } from '../../users/scope'
import type { Db } from './batch-rows'

/**
 * Batches whose next stage the actor could take: submitted batches of the units their
 * organisation supervises (the bureau also supervises units without a parent), and for a bureau
 * reviewer vocational batches past stage 1 — minus what the actor submitted or approved at stage 1.
 */
function toReview(db: Db, query: Knex.QueryBuilder, actor: Actor, bureauId: number | null): Knex.QueryBuilder {
  const atBureau = actor.organisationId === bureauId
  return query
    .where((where) => where.whereNull('b.created_by').orWhereNot('b.created_by', actor.userId))
    .where((where) => {
      where.where((first) => {
        first.where('b.state', 'submitted')
        if (atBureau) first.where((parent) => parent.where('o.parent_id', actor.organisationId).orWhereNull('o.parent_id'))
        else first.where('o.parent_id', actor.organisationId)
      })
      if (atBureau) {
        where.orWhere((second) =>
          second
            .where('b.state', 'first_approved')
            .where('b.family', 'vocational')
            .whereNotExists(
              db('batch_reviews as r')
                .whereRaw('r.batch_id = b.id')
                .where({ 'r.stage': 1, 'r.decision': 'approved', 'r.reviewer_id': actor.userId })
                .select(db.raw('1')),
            ),
        )
      }
    })
}

/**
 * Narrows a query over `application_batches as b` joined with `organisations as o` to a queue,
 * within the actor's reach. Returns null for a queue that is empty by definition for the actor
 * (to_review for anyone but a reviewer).
 */
export function queueQuery(
  db: Db,
  query: Knex.QueryBuilder,
  queue: Queue,
  actor: Actor,
  bureauId: number | null,
): Knex.QueryBuilder | null {
  const scoped = scopeToOrganisation(db, query, actor, 'b.organisation_id')
  switch (queue) {
    case 'to_review':
      return actor.roles.includes('reviewer') ? toReview(db, scoped, actor, bureauId) : null
    case 'in_progress':
      return scoped.whereIn('b.state', ['submitted', 'first_approved'])
    case 'returned':
      return scoped.where('b.state', 'returned')
    case 'approved':
      return scoped.whereIn('b.state', ['approved', 'issued'])
    case 'submitted_by_me':
      return scoped.where('b.created_by', actor.userId)
    case 'all':
      return scoped
  }
}
