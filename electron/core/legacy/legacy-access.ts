import { requireRole, type Actor } from '../users/access'
import { AppError } from '../util/app-error'

/**
 * Who does what with legacy records and the documents of clause 9.
 *
 * - Importing historical records is data collection (数据归集), the institute's task (clause 2):
 *   only its clerks import. A body entering its own history would make the very evidence its
 *   own slips are later issued from, with nobody else's eyes on it.
 * - A slip is issued by the body that made the record (clause 9: “由相关评审机构…开具”; for exams
 *   the exam institution): its staff, with a reviewer's or clerk's account at that organisation.
 *   The institute's clerks issue too, for a body that no longer exists or has no account.
 * - The re-check (复核) of a senior title's slip is the institute's (clause 9), by a clerk who did
 *   not issue it: one person never approves what they made.
 */
export function isInstituteClerk(actor: Actor): boolean {
  return actor.roles.includes('clerk') && actor.organisationKind === 'institute'
}

export function requireInstituteClerk(actor: Actor | null, what: string): Actor {
  const user = requireRole(actor, 'clerk')
  if (!isInstituteClerk(user)) throw new AppError('FORBIDDEN', `只有市职业能力考试院的备案员可以${what}`)
  return user
}

/** Whether the user may issue a document for a record of `organisationId`. */
export function mayIssueFor(actor: Actor, organisationId: number): boolean {
  if (isInstituteClerk(actor)) return true
  return (actor.roles.includes('reviewer') || actor.roles.includes('clerk')) && actor.organisationId === organisationId
}

export const ISSUE_FORBIDDEN = '只有出具该记录的评审机构或考试机构的工作人员，或市职业能力考试院的备案员，可以开具查询单和成绩单'
