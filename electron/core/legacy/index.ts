import type { Knex } from 'knex'
import type { AuditLog } from '../audit/audit-log'
import type { DocumentRenderer } from '../documents'
import type { FileStore } from '../files/file-store'
import type { SealAppearancesService } from '../seals/seal-appearances-service'
import type { SettingsService } from '../settings/settings-service'
import type { UploadStore } from '../uploads/upload-store'
import type { Clock } from '../util/clock'
import { LegacyImportService } from './legacy-import'
import { LegacyRecordsService } from './legacy-records'
import { SlipsService } from './slips-service'

/** Legacy records and the documents of clause 9: the import, the records, the slips. */
export interface Legacy {
  imports: LegacyImportService
  records: LegacyRecordsService
  slips: SlipsService
}

export interface LegacyDependencies {
  db: Knex
  audit: AuditLog
  files: FileStore
  settings: SettingsService
  uploads: UploadStore
  clock: Clock
  appearances: SealAppearancesService
  renderer: () => Promise<DocumentRenderer>
}

/** The legacy capability over one database, as openCore wires it. */
export function createLegacy(deps: LegacyDependencies): Legacy {
  return {
    imports: new LegacyImportService(deps.db, deps.audit, deps.files, deps.settings, deps.uploads, deps.clock),
    records: new LegacyRecordsService(deps.db),
    slips: new SlipsService(deps),
  }
}
