import type { CertificateStatus } from '../../contract/certificates'
import type { Family } from '../../contract/roles'

/**
 * The columns of `certificates as c` every register listing starts with: what the certificate is
 * and whose. One list, so the search, the detail and the legacy records read them alike.
 */
export const IDENTITY_COLUMNS = ['c.id', 'c.number', 'c.family', 'c.level', 'c.status', 'c.holder_name', 'c.holder_id_number']

export interface IdentityRow {
  id: number
  number: string
  family: Family
  level: string | null
  status: CertificateStatus
  holder_name: string
  holder_id_number: string
}

/** The identity as the contract names it; the ID number is left to the caller, since a list masks it. */
export function identityOf(row: IdentityRow) {
  return {
    id: Number(row.id),
    number: row.number,
    family: row.family,
    level: row.level,
    status: row.status,
    holderName: row.holder_name,
  }
}
