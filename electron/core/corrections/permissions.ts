import { CORRECTION_STATE_LABELS, type CorrectionState } from '../../contract/corrections'
import type { Actor } from '../users/access'

/** What the rules need of a request. */
export interface RequestFacts {
  state: CorrectionState
  submittedBy: number
}

/** Why a step is refused: who the actor is (FORBIDDEN) or where the request stands (INVALID_STATE). */
export interface Refusal {
  code: 'FORBIDDEN' | 'INVALID_STATE'
  message: string
}

const forbidden = (message: string): Refusal => ({ code: 'FORBIDDEN', message })
const invalidState = (message: string): Refusal => ({ code: 'INVALID_STATE', message })

/**
 * Who does what with a correction request (clause 7): the supervising department's reviewers
 * submit (the rows then check the certificates are under their department); a reviewer of the
 * bureau, never the submitter, decides; a clerk of the institute applies. Each returns why the
 * actor may not, in Chinese, or null when they may.
 */
export function submitRefusal(actor: Actor): Refusal | null {
  return actor.roles.includes('reviewer') ? null : forbidden('只有主管部门的审核员可以提交勘误申请')
}

export function decideRefusal(actor: Actor, request: RequestFacts): Refusal | null {
  if (request.state !== 'submitted') return invalidState(`该勘误申请${CORRECTION_STATE_LABELS[request.state]}，不能再审核`)
  if (!actor.roles.includes('reviewer') || actor.organisationKind !== 'bureau') return forbidden('勘误申请须由市人社局的审核员审核')
  if (request.submittedBy === actor.userId) return forbidden('不能审核自己提交的勘误申请，请由市人社局的其他审核员审核')
  return null
}

export function applyRefusal(actor: Actor, request: RequestFacts): Refusal | null {
  if (request.state === 'applied') return invalidState('该勘误申请已更正完毕')
  if (request.state !== 'approved') return invalidState(`该勘误申请${CORRECTION_STATE_LABELS[request.state]}，审核通过后才能更正`)
  if (!actor.roles.includes('clerk') || actor.organisationKind !== 'institute') return forbidden('勘误须由市职业能力考试院的备案员更正')
  return null
}
