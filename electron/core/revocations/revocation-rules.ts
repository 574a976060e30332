import { REVOCATION_STATE_LABELS } from '../../contract/revocations'
import type { Actor } from '../users/access'
import { AppError } from '../util/app-error'
import type { RequestRow } from './revocation-rows'

/**
 * Who takes each step of a revocation (clause 7): the bureau reviews what the supervising
 * department recorded — never the person who recorded it — and the institute executes.
 * Each function says why the actor may not, in Chinese, or null when they may.
 */

export function decisionRefusal(actor: Actor, row: RequestRow): string | null {
  if (!actor.roles.includes('reviewer') || actor.organisationKind !== 'bureau') return '注销申请须由市人社局的审核员审核'
  if (Number(row.recorded_by) === actor.userId) return '不能审核自己登记的注销申请，请由市人社局的其他审核员审核'
  return null
}

export function executionRefusal(actor: Actor): string | null {
  if (!actor.roles.includes('clerk') || actor.organisationKind !== 'institute') return '注销须由市职业能力考试院的备案员执行'
  return null
}

/** Why the actor cannot act on the request now (its state, or who they are), or null when they can. */
export function nextStepRefusal(actor: Actor, row: RequestRow): string | null {
  if (row.state === 'submitted') return decisionRefusal(actor, row)
  if (row.state === 'approved') return executionRefusal(actor)
  return null
}

/** Refuses a step on a request that is not (or no longer) in the state the step starts from. */
export function assertState(row: RequestRow, expected: RequestRow['state'], step: string): void {
  if (row.state === expected) return
  throw new AppError('INVALID_STATE', `该注销申请${REVOCATION_STATE_LABELS[row.state]}，不能${step}`)
}

export function assertMay(refusal: string | null): void {
  if (refusal) throw new AppError('FORBIDDEN', refusal)
}
