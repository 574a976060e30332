import type { Knex } from 'knex'
import { SLIP_KIND_LABELS, type SlipKind, type SlipState } from '../../contract/legacy'
import type { RegistryStatus, VerificationReport } from '../../contract/verification'
import { slipState, type SlipRow } from './slip-queries'

/**
 * How the verifier recognises an issued slip. A slip is not sealed through the sealing engine:
 * its seals are the issuing body's office stamp and, for senior titles, the bureau's — ink on the
 * printed paper in clause 9's procedure — and the engine signs certificate versions only. What
 * makes a slip verifiable is the register: its number leads to its record (legacy.lookupSlip),
 * and its exact file is recognised by the SHA-256 stored at issue, so a changed file is unknown.
 */
export interface SlipFileMatch {
  kind: SlipKind
  number: string
  state: SlipState
  certificateNumber: string
}

const STATUS_OF: Record<SlipState, RegistryStatus> = {
  issued: 'active',
  pending_recheck: 'pending',
  refused: 'revoked',
  record_revoked: 'revoked',
}

/** A slip's status as the verifier words a file's: in force, not yet in force, or void. */
export function registryStatusOf(row: Pick<SlipRow, 'recheck_state' | 'certificate_status'>): RegistryStatus {
  return STATUS_OF[slipState(row)]
}

/** The issued slip whose file has exactly this hash, if any. */
export async function slipByFile(db: Knex, hash: string): Promise<SlipFileMatch | null> {
  const row = (await db('query_slips as q')
    .join('certificates as c', 'c.id', 'q.certificate_id')
    .where('q.pdf_hash', hash)
    .first('q.kind', 'q.number', 'q.recheck_state', 'c.status as certificate_status', 'c.number as certificate_number')) as
    Pick<SlipRow, 'kind' | 'number' | 'recheck_state' | 'certificate_status' | 'certificate_number'> | undefined
  if (!row) return null
  return { kind: row.kind, number: row.number, state: slipState(row), certificateNumber: row.certificate_number }
}

const VERDICTS: Record<SlipState, (label: string, number: string) => string> = {
  issued: (label, number) => `与本系统开具的${label} ${number} 完全一致（${label}不加电子签章，以登记记录为准）`,
  pending_recheck: (label, number) => `${label} ${number} 尚待市职业能力考试院复核，尚未生效`,
  refused: (label, number) => `${label} ${number} 复核未通过，已作废`,
  record_revoked: (label, number) => `${label} ${number} 所依据的证书记录已注销，该${label}已失效`,
}

/** The verifier's report for a file recognised as an issued slip: the register's word replaces the missing signature. */
export function slipReport(report: Omit<VerificationReport, 'registryStatus' | 'version'>, slip: SlipFileMatch): VerificationReport {
  const label = SLIP_KIND_LABELS[slip.kind]
  const summary = VERDICTS[slip.state](label, slip.number)
  const valid = slip.state === 'issued'
  return {
    ...report,
    valid,
    summary,
    certificateNumber: slip.certificateNumber,
    version: null,
    registryStatus: STATUS_OF[slip.state],
    problems: valid ? [] : [summary],
    slip: { kind: slip.kind, number: slip.number, state: slip.state },
  }
}
