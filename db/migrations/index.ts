import type { Knex } from 'knex'
import * as m0 from './20261128000100_create_organisations'
import * as m1 from './20261128000200_create_users'
import * as m2 from './20261128000300_create_user_roles'
import * as m3 from './20261128000400_create_settings'
import * as m4 from './20261128000500_create_audit_log'
import * as m5 from './20261128000600_audit_log_append_only'
import * as m6 from './20261128000700_create_write_lock'
import * as m7 from './20261128000800_create_files'
import * as m8 from './20261128000900_create_organisation_grants'
import * as m9 from './20261128001000_create_application_batches'
import * as m10 from './20261128001100_create_applicants'
import * as m11 from './20261128001200_create_batch_issues'
import * as m12 from './20261128001300_create_batch_reviews'
import * as m13 from './20261128001400_create_number_sequences'
import * as m14 from './20261128001500_create_certificates'
import * as m15 from './20261128001600_create_certificate_versions'
import * as m16 from './20261128001700_create_seals'
import * as m17 from './20261128001800_create_signing_jobs'
import * as m18 from './20261128001900_create_signing_job_items'
import * as m19 from './20261128002000_create_filings'
import * as m20 from './20261128002100_create_correction_requests'
import * as m21 from './20261128002200_create_correction_rows'
import * as m22 from './20261128002300_create_revocations'
import * as m23 from './20261128002400_create_query_slips'
import * as m24 from './20261128002500_create_outbox'
import * as m25 from './20261128002600_create_inbox'
import * as m26 from './20261128002700_create_seal_appearances'
import * as m27 from './20261128002800_applications_review'
import * as m28 from './20261201000100_sealing_journal'
import * as registerIndexes from './20261202001100_register_indexes'
import * as integrityRecords from './20261202001200_create_integrity_records'
import * as integrityEvidence from './20261202001300_create_integrity_evidence'
import * as correctionDocuments from './20261202002100_create_correction_documents'
import * as correctionRowsReview from './20261202002200_correction_rows_review'
import * as correctionRowsCertificateIndex from './20261202002300_correction_rows_certificate_index'
import * as revocationRequests from './20261202003100_create_revocation_requests'
import * as revocationsRequestId from './20261202003200_revocations_request_id'
import * as filingDocuments from './20261202003300_create_filing_documents'
import * as legacyImports from './20261202004100_create_legacy_imports'
import * as legacyRecords from './20261202004200_create_legacy_records'
import * as querySlipsIssue from './20261202004300_query_slips_issue'
import * as slipRechecks from './20261202004400_create_slip_rechecks'

export interface Migration {
  name: string
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}

/**
 * Every migration in order, imported statically so the bundled app, the CLI and the tests all
 * run exactly the same list. Landed migrations are never edited: add a new file and a line here.
 */
export const migrations: Migration[] = [
  { name: '20261128000100_create_organisations', ...m0 },
  { name: '20261128000200_create_users', ...m1 },
  { name: '20261128000300_create_user_roles', ...m2 },
  { name: '20261128000400_create_settings', ...m3 },
  { name: '20261128000500_create_audit_log', ...m4 },
  { name: '20261128000600_audit_log_append_only', ...m5 },
  { name: '20261128000700_create_write_lock', ...m6 },
  { name: '20261128000800_create_files', ...m7 },
  { name: '20261128000900_create_organisation_grants', ...m8 },
  { name: '20261128001000_create_application_batches', ...m9 },
  { name: '20261128001100_create_applicants', ...m10 },
  { name: '20261128001200_create_batch_issues', ...m11 },
  { name: '20261128001300_create_batch_reviews', ...m12 },
  { name: '20261128001400_create_number_sequences', ...m13 },
  { name: '20261128001500_create_certificates', ...m14 },
  { name: '20261128001600_create_certificate_versions', ...m15 },
  { name: '20261128001700_create_seals', ...m16 },
  { name: '20261128001800_create_signing_jobs', ...m17 },
  { name: '20261128001900_create_signing_job_items', ...m18 },
  { name: '20261128002000_create_filings', ...m19 },
  { name: '20261128002100_create_correction_requests', ...m20 },
  { name: '20261128002200_create_correction_rows', ...m21 },
  { name: '20261128002300_create_revocations', ...m22 },
  { name: '20261128002400_create_query_slips', ...m23 },
  { name: '20261128002500_create_outbox', ...m24 },
  { name: '20261128002600_create_inbox', ...m25 },
  { name: '20261128002700_create_seal_appearances', ...m26 },
  { name: '20261128002800_applications_review', ...m27 },
  { name: '20261201000100_sealing_journal', ...m28 },
  { name: '20261202001100_register_indexes', ...registerIndexes },
  { name: '20261202001200_create_integrity_records', ...integrityRecords },
  { name: '20261202001300_create_integrity_evidence', ...integrityEvidence },
  { name: '20261202002100_create_correction_documents', ...correctionDocuments },
  { name: '20261202002200_correction_rows_review', ...correctionRowsReview },
  { name: '20261202002300_correction_rows_certificate_index', ...correctionRowsCertificateIndex },
  { name: '20261202003100_create_revocation_requests', ...revocationRequests },
  { name: '20261202003200_revocations_request_id', ...revocationsRequestId },
  { name: '20261202003300_create_filing_documents', ...filingDocuments },
  { name: '20261202004100_create_legacy_imports', ...legacyImports },
  { name: '20261202004200_create_legacy_records', ...legacyRecords },
  { name: '20261202004300_query_slips_issue', ...querySlipsIssue },
  { name: '20261202004400_create_slip_rechecks', ...slipRechecks },
]
