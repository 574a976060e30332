import type { Knex } from 'knex'
import type { CertificateDetail, HistoryPage, RegisterPage, RegisterSearch } from '../../contract/register'
import type { AuditLog } from '../audit/audit-log'
import { requireRole, type Actor } from '../users/access'
import { certificateDetail, findCertificate } from './register-detail'
import { certificateHistory } from './register-history'
import { searchRegister } from './register-search'

const ALL_ROLES = ['reviewer', 'clerk', 'sealer', 'admin'] as const

/**
 * The certificate register (证书登记簿): every desk looks up what its organisation oversees (the
 * bureau, the institute and admins the whole city). Reads only: nothing here writes the audit
 * log, and ID numbers asked for never reach a log.
 */
export class RegisterService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
  ) {}

  /** A page of certificates matching every criterion given, newest first. */
  async search(actor: Actor | null, search: RegisterSearch): Promise<RegisterPage> {
    return searchRegister(this.db, requireRole(actor, ...ALL_ROLES), search)
  }

  /** One certificate with its versions, seals, revocations, corrections and integrity records. */
  async detail(actor: Actor | null, number: string): Promise<CertificateDetail> {
    return certificateDetail(this.db, requireRole(actor, ...ALL_ROLES), number)
  }

  /** The certificate's history from the audit log, newest first, in pages. */
  async history(actor: Actor | null, number: string, options: { beforeId?: number; limit: number }): Promise<HistoryPage> {
    const certificate = await findCertificate(this.db, requireRole(actor, ...ALL_ROLES), number)
    return certificateHistory(this.db, this.audit, certificate, options)
  }
}
