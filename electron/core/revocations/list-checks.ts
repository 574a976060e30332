import type { Knex } from 'knex'
import { REVOCATION_STATE_LABELS, type RevocationState } from '../../contract/revocations'
import type { Actor } from '../users/access'
import { scopeToOrganisation } from '../users/scope'
import { AppError } from '../util/app-error'
import type { ListedNumber, ListProblem } from './revocation-list'

type Db = Knex | Knex.Transaction

/** A certificate a list names, as the checks and the recording read it. */
export interface ListedCertificate {
  id: number
  number: string
  status: string
  legacy: boolean
  organisation_id: number
  organisation_name: string
  /** The organisation's supervising department; null for one directly under nobody (the bureau supervises it). */
  parent_id: number | null
  parent_name: string | null
}

/** The states in which a revocation still holds its certificates: no second one may be recorded. */
export const OPEN_REVOCATION_STATES: RevocationState[] = ['submitted', 'approved']

const STATUS_WORDS: Record<string, string> = { pending: '尚未签章发证', superseded: '已被新版本取代', revoked: '已注销' }
/** How many problems the refusal's message spells out; `details` carries every one. */
const SHOWN_PROBLEMS = 10
const CHUNK = 500

async function certificatesByNumber(db: Db, actor: Actor, numbers: string[]): Promise<Map<string, ListedCertificate>> {
  const found = new Map<string, ListedCertificate>()
  for (let start = 0; start < numbers.length; start += CHUNK) {
    const query = db('certificates as c')
      .join('organisations as o', 'o.id', 'c.organisation_id')
      .leftJoin('organisations as p', 'p.id', 'o.parent_id')
      .whereIn('c.number', numbers.slice(start, start + CHUNK))
      .select(
        'c.id',
        'c.number',
        'c.status',
        'c.legacy',
        'c.organisation_id',
        'o.name as organisation_name',
        'o.parent_id',
        'p.name as parent_name',
      )
    const rows = (await scopeToOrganisation(db, query, actor, 'c.organisation_id')) as ListedCertificate[]
    for (const row of rows) found.set(row.number, { ...row, id: Number(row.id), legacy: Boolean(row.legacy) })
  }
  return found
}

/** Open revocations of these certificates, by certificate id: request id and state. */
async function openRevocations(db: Db, ids: number[]): Promise<Map<number, { requestId: number | null; state: RevocationState }>> {
  const open = new Map<number, { requestId: number | null; state: RevocationState }>()
  for (let start = 0; start < ids.length; start += CHUNK) {
    const rows = (await db('revocations')
      .whereIn('certificate_id', ids.slice(start, start + CHUNK))
      .whereIn('state', OPEN_REVOCATION_STATES)
      .select('certificate_id', 'request_id', 'state')) as Array<{
      certificate_id: number
      request_id: number | null
      state: RevocationState
    }>
    for (const row of rows) open.set(Number(row.certificate_id), { requestId: row.request_id, state: row.state })
  }
  return open
}

/**
 * Why this certificate cannot be revoked by the actor's department, or null. Clause 7: the
 * supervising department of the review body or exam institution verifies and issues the document.
 */
function refusalOf(certificate: ListedCertificate, actor: Actor, bureau: { id: number; name: string }): string | null {
  const number = certificate.number
  if (certificate.legacy) return `证书 ${number} 是历史（纸质）证书记录，不是电子证书，不能在此注销`
  if (certificate.status !== 'active')
    return `证书 ${number} ${STATUS_WORDS[certificate.status] ?? certificate.status}，只能注销现行有效的证书`
  const supervisor = certificate.parent_id === null ? bureau : { id: Number(certificate.parent_id), name: certificate.parent_name ?? '' }
  if (supervisor.id !== actor.organisationId) {
    return `证书 ${number} 由${certificate.organisation_name}颁发，须由其主管部门${supervisor.name}登记注销`
  }
  return null
}

/**
 * Checks every entry of a list against the register: the number exists and the actor's
 * department may see it, the certificate is active, its supervising department is the actor's,
 * it is named once and is not already under revocation. Every problem is collected; any one
 * refuses the whole list with a VALIDATION error naming each entry, so nothing is recorded.
 */
export async function checkListedCertificates(
  db: Db,
  actor: Actor,
  entries: ListedNumber[],
  problems: ListProblem[],
  bureau: { id: number; name: string },
): Promise<ListedCertificate[]> {
  const found = await certificatesByNumber(db, actor, [...new Set(entries.map((entry) => entry.number))])
  const open = await openRevocations(
    db,
    [...found.values()].map((certificate) => certificate.id),
  )
  const firstSeen = new Map<string, string>()
  const certificates: ListedCertificate[] = []
  const all = [...problems]
  for (const { number, where } of entries) {
    const earlier = firstSeen.get(number)
    const certificate = found.get(number)
    const pending = certificate ? open.get(certificate.id) : undefined
    const message = earlier
      ? `证书 ${number} 在名单中重复（${earlier}已列出）`
      : !certificate
        ? `证书 ${number} 不存在，或不在您的管理范围内`
        : (refusalOf(certificate, actor, bureau) ??
          (pending
            ? `证书 ${number} 已在注销申请 ${pending.requestId ?? ''} 中（${REVOCATION_STATE_LABELS[pending.state]}），不能重复登记`
            : null))
    if (!earlier) firstSeen.set(number, where)
    if (message) all.push({ where, message })
    else certificates.push(certificate!)
  }
  if (all.length > 0) throw listRefusal(all)
  return certificates
}

/** The whole list refused: the first problems in the message, every one in `details`. */
export function listRefusal(problems: ListProblem[]): AppError {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((problem) => `${problem.where}：${problem.message}`)
  const more = problems.length > SHOWN_PROBLEMS ? `；另有 ${problems.length - SHOWN_PROBLEMS} 处问题` : ''
  return new AppError(
    'VALIDATION',
    `注销名单未通过检查（共 ${problems.length} 处问题），整份名单均未登记：${shown.join('；')}${more}`,
    problems.map((problem) => ({ path: problem.where, message: problem.message })),
  )
}
