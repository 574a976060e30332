import type { AuditEntry, AuditVerification } from '../../contract/audit'
import { requireRole, type Actor } from '../users/access'
import type { AuditLog } from './audit-log'

/** The admin's view of the audit log; the log itself stays free of access rules so core can write it. */
export class AuditService {
  constructor(private readonly log: AuditLog) {}

  async list(
    actor: Actor | null,
    options: { beforeId?: number; limit: number; action?: string; objectType?: string },
  ): Promise<AuditEntry[]> {
    requireRole(actor, 'admin')
    return this.log.list(options)
  }

  async verify(actor: Actor | null): Promise<AuditVerification> {
    requireRole(actor, 'admin')
    return this.log.verify()
  }
}
