import type { Knex } from 'knex'
import { ImportService } from './applications/import/import-service'
import { ReviewService } from './applications/review/review-service'
import { AuditLog, SYSTEM_ACTOR } from './audit/audit-log'
import { AuditService } from './audit/audit-service'
import { AuthService } from './auth/auth-service'
import { CertificatesService } from './certificates/certificates-service'
import { CorrectionsService } from './corrections/corrections-service'
import { RegisterService } from './certificates/register-service'
import { IntegrityService } from './integrity/integrity-service'
import { SessionStore } from './auth/sessions'
import { DashboardService } from './dashboard/dashboard-service'
import { FilingsService } from './filings/filings-service'
import { createLegacy, type Legacy } from './legacy'
import { RevocationsService } from './revocations/revocations-service'
import type { DocumentRenderer } from './documents'
import { FileStore } from './files/file-store'
import { openDatabase } from './db/connection'
import { migrateLatest } from './db/migrate'
import { writeTransaction } from './db/transaction'
import { OrganisationsService } from './organisations/organisations-service'
import { databaseFile } from './paths'
import { DocumentPool } from './documents/pool'
import { SealAppearancesService } from './seals/seal-appearances-service'
import { SealRegistry } from './seals/seal-registry'
import { useDemoToken } from './sealing/demo-token'
import { TokenHost } from './sealing/pkcs11/token-host'
import { SealingService } from './sealing/sealing-service'
import { TokensService } from './sealing/tokens-service'
import { SyncService, type SyncOptions } from './registry/sync-service'
import { VerificationService } from './verification/verification-service'
import { SettingsService } from './settings/settings-service'
import { UploadStore } from './uploads/upload-store'
import { UsersService } from './users/users-service'
import { systemClock, type Clock } from './util/clock'

export interface CoreOptions {
  dataDir: string
  clock?: Clock
  /** The process's PKCS#11 host; tests pass one with short timeouts. Created on first use otherwise. */
  tokens?: TokenHost
  /** Registry sync timing (tests shorten the backoff). */
  sync?: SyncOptions
  /** Off only for throwaway benchmark data; the product always runs durable. */
  durable?: boolean
}

/** Every core service over one database: what main, the web host and the CLI each compose. */
export interface Core {
  dataDir: string
  db: Knex
  clock: Clock
  audit: AuditLog
  auditService: AuditService
  settings: SettingsService
  auth: AuthService
  organisations: OrganisationsService
  users: UsersService
  dashboard: DashboardService
  files: FileStore
  certificates: CertificatesService
  /** Corrections (勘误): the summary table, its review and the new versions. */
  corrections: CorrectionsService
  /** The certificate register: search, detail, history. */
  register: RegisterService
  integrity: IntegrityService
  sealAppearances: SealAppearancesService
  uploads: UploadStore
  imports: ImportService
  review: ReviewService
  sealRegistry: SealRegistry
  /** The process's PKCS#11 host (the demo provisions its token through it). */
  tokenHost: TokenHost
  tokens: TokensService
  sealing: SealingService
  verification: VerificationService
  sync: SyncService
  revocations: RevocationsService
  filings: FilingsService
  /** Legacy (paper) records and the documents of clause 9: query slips and pass certificates. */
  legacy: Legacy
  /** Migrations applied while opening (empty when the schema was current). */
  appliedMigrations: string[]
  close(): Promise<void>
}

/** Opens the data directory, brings the schema up to date (audited) and wires the services. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock
  const db = openDatabase({ filename: databaseFile(options.dataDir), durable: options.durable ?? true })
  try {
    const appliedMigrations = await migrateLatest(db)
    const audit = new AuditLog(db, clock)
    if (appliedMigrations.length > 0) {
      await writeTransaction(db, (trx) =>
        audit.record(trx, SYSTEM_ACTOR, { action: 'db.migrate', objectType: 'database', details: { applied: appliedMigrations } }),
      )
    }
    const settings = new SettingsService(db, audit, clock)
    const sessions = new SessionStore(clock)
    const files = new FileStore(options.dataDir, clock)
    const sealAppearances = new SealAppearancesService(db, files, audit, clock)
    const uploads = new UploadStore(options.dataDir, clock)
    const review = new ReviewService(db, audit, files, settings, clock)
    const imports = new ImportService(db, audit, files, settings, uploads, clock, (actor, batchId) => review.get(actor, batchId))
    let renderer: Promise<DocumentRenderer> | null = null
    // pdf-lib, harfbuzz and the fonts load on the first render, not when the CLI or app starts.
    const documentRenderer = () => (renderer ??= import('./documents').then((documents) => documents.createDocumentRenderer()))
    // Worker threads start with the first signing job, not with the app.
    let pool: DocumentPool | null = null
    useDemoToken(options.dataDir)
    const tokenHost = options.tokens ?? new TokenHost()
    const tokens = new TokensService(db, settings, tokenHost, clock)
    const sealing = new SealingService({
      db,
      files,
      audit,
      clock,
      settings,
      appearances: sealAppearances,
      tokens: tokenHost,
      tokensService: tokens,
      pool: () => (pool ??= new DocumentPool()),
    })
    const sync = new SyncService({ dataDir: options.dataDir, db, files, audit, settings, imports, clock }, options.sync)
    return {
      dataDir: options.dataDir,
      db,
      clock,
      audit,
      auditService: new AuditService(audit),
      settings,
      auth: new AuthService(db, audit, settings, clock, sessions),
      organisations: new OrganisationsService(db, audit, clock),
      users: new UsersService(db, audit, clock, sessions),
      dashboard: new DashboardService(db, settings, clock),
      files,
      certificates: new CertificatesService(db, files, settings, clock, sealAppearances, documentRenderer),
      corrections: new CorrectionsService(db, audit, files, settings, uploads, clock),
      register: new RegisterService(db, audit),
      integrity: new IntegrityService(db, audit, files, uploads, clock),
      sealAppearances,
      uploads,
      imports,
      review,
      sealRegistry: new SealRegistry(db, files, audit, clock),
      tokenHost,
      tokens,
      sealing,
      verification: new VerificationService(db, files, uploads),
      sync,
      revocations: new RevocationsService(db, audit, files, uploads, clock),
      filings: new FilingsService(db, audit, files, uploads, settings, clock),
      legacy: createLegacy({ db, audit, files, settings, uploads, clock, appearances: sealAppearances, renderer: documentRenderer }),
      appliedMigrations,
      close: async () => {
        await sync.stop()
        // Runs stop at a clean point (what is signed is journaled) before the key and the database go.
        await sealing.shutdown()
        await tokenHost.close()
        await pool?.close()
        await db.destroy()
      },
    }
  } catch (error) {
    await db.destroy()
    throw error
  }
}
