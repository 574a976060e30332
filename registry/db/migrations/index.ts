import type { Knex } from 'knex'
import * as m0 from './20261202000100_create_clients'
import * as m1 from './20261202000200_create_files'
import * as m2 from './20261202000300_create_effects'
import * as m3 from './20261202000400_create_operations'
import * as m4 from './20261202000500_create_certificates'
import * as m5 from './20261202000600_create_certificate_versions'
import * as m6 from './20261202000700_create_revocations'
import * as m7 from './20261202000800_create_audit_checkpoints'
import * as m8 from './20261202000900_create_applications'
import * as m9 from './20261202001000_create_decisions'

export interface RegistryMigration {
  name: string
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}

/**
 * The registry's migrations in order, imported statically like the app's (db/migrations).
 * Landed migrations are never edited: add a new file and a line here.
 */
export const registryMigrations: RegistryMigration[] = [
  { name: '20261202000100_create_clients', ...m0 },
  { name: '20261202000200_create_files', ...m1 },
  { name: '20261202000300_create_effects', ...m2 },
  { name: '20261202000400_create_operations', ...m3 },
  { name: '20261202000500_create_certificates', ...m4 },
  { name: '20261202000600_create_certificate_versions', ...m5 },
  { name: '20261202000700_create_revocations', ...m6 },
  { name: '20261202000800_create_audit_checkpoints', ...m7 },
  { name: '20261202000900_create_applications', ...m8 },
  { name: '20261202001000_create_decisions', ...m9 },
]
