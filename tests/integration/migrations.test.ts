import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { afterEach, describe, expect, it } from 'vitest'
import { migrations } from '../../db/migrations'
import { openDatabase } from '../../electron/core/db/connection'
import { migrationConfig } from '../../electron/core/db/migrate'
import { SchemaRows } from '../helpers/schema-rows'

const UNIQUE = /UNIQUE constraint failed/
const FOREIGN_KEY = /FOREIGN KEY constraint failed/
const NOT_NULL = /NOT NULL constraint failed/

interface MigrationCase {
  /** Every table the migration creates, with its exact columns. */
  tables: Record<string, string[]>
  /** Per table: column → referenced `table.column`. */
  foreignKeys?: Record<string, Record<string, string>>
  /** Inserts good rows and shows the key constraints refusing bad ones. */
  check(db: Knex, rows: SchemaRows): Promise<void>
  /** For migrations that create no table: what `down` must have removed. */
  afterDown?(db: Knex, rows: SchemaRows): Promise<void>
}

const cols = (list: string) => list.split(',').map((name) => name.trim())

/** One case per migration, keyed by its name; a migration without a case fails the last test. */
const CASES: Record<string, MigrationCase> = {
  '20261128000100_create_organisations': {
    tables: { organisations: cols('id,name,kind,code,parent_id,organising_unit,active,created_at,updated_at') },
    foreignKeys: { organisations: { parent_id: 'organisations.id' } },
    async check(db, rows) {
      const parent = await rows.organisation({ name: '上海市人力资源和社会保障局', kind: 'bureau' })
      await rows.organisation({ name: '评审委员会', code: 'WSHL', parent_id: parent })
      const stored = await db('organisations').where({ code: 'WSHL' }).first()
      expect(Boolean(stored.active)).toBe(true)
      await expect(rows.organisation({ name: '上海市人力资源和社会保障局' })).rejects.toThrow(UNIQUE)
      await expect(rows.organisation({ code: 'WSHL' })).rejects.toThrow(UNIQUE)
      await expect(rows.organisation({ parent_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('organisations').insert({ kind: 'bureau', created_at: rows.now, updated_at: rows.now })).rejects.toThrow(NOT_NULL)
      // Several organisations without a code are fine: only assigned codes must be unique.
      await rows.organisation({ code: null })
      await rows.organisation({ code: null })
      await expect(db('organisations').where({ id: parent }).delete()).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128000200_create_users': {
    tables: {
      users: cols(
        'id,username,display_name,password_hash,organisation_id,active,must_change_password,failed_logins,last_failed_at,last_login_at,created_at,updated_at',
      ),
    },
    foreignKeys: { users: { organisation_id: 'organisations.id' } },
    async check(db, rows) {
      const organisation = await rows.organisation()
      const id = await rows.user({ username: 'admin', organisation_id: organisation })
      const stored = await db('users').where({ id }).first()
      expect([Boolean(stored.active), Boolean(stored.must_change_password), stored.failed_logins]).toEqual([true, false, 0])
      await expect(rows.user({ username: 'admin' })).rejects.toThrow(UNIQUE)
      await expect(rows.user({ organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.user({ password_hash: null })).rejects.toThrow(NOT_NULL)
      // An organisation with users cannot be deleted from under them.
      await expect(db('organisations').where({ id: organisation }).delete()).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128000300_create_user_roles': {
    tables: { user_roles: cols('user_id,role') },
    foreignKeys: { user_roles: { user_id: 'users.id' } },
    async check(db, rows) {
      const user = await rows.user()
      await db('user_roles').insert([
        { user_id: user, role: 'admin' },
        { user_id: user, role: 'clerk' },
      ])
      await expect(db('user_roles').insert({ user_id: user, role: 'admin' })).rejects.toThrow(UNIQUE)
      await expect(db('user_roles').insert({ user_id: 999, role: 'admin' })).rejects.toThrow(FOREIGN_KEY)
      await db('users').where({ id: user }).delete()
      expect(await db('user_roles').where({ user_id: user })).toEqual([])
    },
  },
  '20261128000400_create_settings': {
    tables: { settings: cols('key,value,updated_at,updated_by') },
    foreignKeys: { settings: { updated_by: 'users.id' } },
    async check(db, rows) {
      const user = await rows.user()
      await db('settings').insert({ key: 'session.idleMinutes', value: '30', updated_at: rows.now, updated_by: user })
      await expect(db('settings').insert({ key: 'session.idleMinutes', value: '20', updated_at: rows.now })).rejects.toThrow(UNIQUE)
      await expect(db('settings').insert({ key: 'login.freeAttempts', value: '3', updated_at: rows.now, updated_by: 999 })).rejects.toThrow(
        FOREIGN_KEY,
      )
      await db('users').where({ id: user }).delete()
      expect((await db('settings').where({ key: 'session.idleMinutes' }).first()).updated_by).toBeNull()
    },
  },
  '20261128000500_create_audit_log': {
    tables: {
      audit_log: cols('id,at,actor_id,actor_name,action,object_type,object_id,before_digest,after_digest,details,prev_hash,hash'),
    },
    async check(db, rows) {
      const entry = (id: number, hash: string) => ({
        id,
        at: rows.now,
        actor_name: 'system',
        action: 'db.migrate',
        object_type: 'database',
        details: '{}',
        prev_hash: '0'.repeat(64),
        hash,
      })
      await db('audit_log').insert(entry(1, 'a'.repeat(64)))
      await expect(db('audit_log').insert(entry(1, 'b'.repeat(64)))).rejects.toThrow(UNIQUE)
      await expect(db('audit_log').insert(entry(2, 'a'.repeat(64)))).rejects.toThrow(UNIQUE)
      await expect(db('audit_log').insert({ ...entry(3, 'c'.repeat(64)), details: null })).rejects.toThrow(NOT_NULL)
    },
  },
  '20261128000600_audit_log_append_only': {
    tables: {},
    async check(db, rows) {
      const triggers = await db('sqlite_master').where({ type: 'trigger', tbl_name: 'audit_log' }).orderBy('name').pluck('name')
      expect(triggers).toEqual(['audit_log_no_delete', 'audit_log_no_update'])
      await db('audit_log').insert({
        id: 1,
        at: rows.now,
        actor_name: 'system',
        action: 'db.migrate',
        object_type: 'database',
        details: '{}',
        prev_hash: '0'.repeat(64),
        hash: 'a'.repeat(64),
      })
      await expect(db('audit_log').where({ id: 1 }).update({ action: 'forged' })).rejects.toThrow(/append-only/)
      await expect(db('audit_log').where({ id: 1 }).delete()).rejects.toThrow(/append-only/)
      expect((await db('audit_log').first()).action).toBe('db.migrate')
    },
    async afterDown(db) {
      expect(await db('sqlite_master').where({ type: 'trigger', tbl_name: 'audit_log' })).toEqual([])
      await db('audit_log').where({ id: 1 }).update({ action: 'edited' })
      await db('audit_log').where({ id: 1 }).delete()
      expect(await db('audit_log')).toEqual([])
    },
  },
  '20261128000700_create_write_lock': {
    tables: { write_lock: cols('id,generation') },
    async check(db) {
      expect(await db('write_lock').select('id', 'generation')).toEqual([{ id: 1, generation: 0 }])
      await expect(db('write_lock').insert({ id: 1 })).rejects.toThrow(UNIQUE)
    },
  },
  '20261128000800_create_files': {
    tables: { files: cols('hash,size,media_type,path,original_name,created_at') },
    async check(db, rows) {
      const hash = await rows.file()
      await expect(db('files').insert({ hash, size: 2, media_type: 'image/png', path: 'x', created_at: rows.now })).rejects.toThrow(UNIQUE)
      await expect(db('files').insert({ hash: 'b'.repeat(64), media_type: 'image/png', path: 'x', created_at: rows.now })).rejects.toThrow(
        NOT_NULL,
      )
    },
  },
  '20261128000900_create_organisation_grants': {
    tables: { organisation_grants: cols('organisation_id,family,level,seal_organisation_id') },
    foreignKeys: { organisation_grants: { organisation_id: 'organisations.id', seal_organisation_id: 'organisations.id' } },
    async check(db, rows) {
      const organisation = await rows.organisation()
      const grant = { organisation_id: organisation, family: 'title', level: 'senior' }
      await db('organisation_grants').insert(grant)
      await expect(db('organisation_grants').insert(grant)).rejects.toThrow(UNIQUE)
      await expect(db('organisation_grants').insert({ ...grant, organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('organisation_grants').insert({ ...grant, level: 'middle', seal_organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('organisations').where({ id: organisation }).delete()
      expect(await db('organisation_grants')).toEqual([])
    },
  },
  '20261128001000_create_application_batches': {
    tables: {
      application_batches: cols(
        'id,organisation_id,family,level,state,source,external_ref,notice_file_hash,applicant_count,error_count,warning_count,created_by,submitted_at,decided_at,created_at,updated_at',
      ),
    },
    foreignKeys: {
      application_batches: { organisation_id: 'organisations.id', notice_file_hash: 'files.hash', created_by: 'users.id' },
    },
    async check(db, rows) {
      const id = await rows.batch({ external_ref: 'REG-1', notice_file_hash: await rows.file(), created_by: await rows.user() })
      const stored = await db('application_batches').where({ id }).first()
      expect([stored.applicant_count, stored.error_count, stored.warning_count]).toEqual([0, 0, 0])
      await expect(rows.batch({ external_ref: 'REG-1' })).rejects.toThrow(UNIQUE)
      await expect(rows.batch({ organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.batch({ notice_file_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.batch({ created_by: 999 })).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128001100_create_applicants': {
    tables: { applicants: cols('id,batch_id,row_number,name,id_type,id_number,fields,photo_hash') },
    foreignKeys: { applicants: { batch_id: 'application_batches.id', photo_hash: 'files.hash' } },
    async check(db, rows) {
      const batch = await rows.batch()
      await rows.applicant({ batch_id: batch, row_number: 1, photo_hash: await rows.file() })
      await expect(rows.applicant({ batch_id: batch, row_number: 1 })).rejects.toThrow(UNIQUE)
      await expect(rows.applicant({ batch_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.applicant({ batch_id: batch, photo_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
      await db('application_batches').where({ id: batch }).delete()
      expect(await db('applicants')).toEqual([])
    },
  },
  '20261128001200_create_batch_issues': {
    tables: {
      batch_issues: cols('id,batch_id,applicant_id,row_number,column_name,severity,code,message,acknowledged_by,acknowledged_at'),
    },
    foreignKeys: { batch_issues: { batch_id: 'application_batches.id', applicant_id: 'applicants.id', acknowledged_by: 'users.id' } },
    async check(db, rows) {
      const batch = await rows.batch()
      const applicant = await rows.applicant({ batch_id: batch })
      const issue = { batch_id: batch, applicant_id: applicant, severity: 'error', code: 'ID_CHECKSUM', message: '身份证号码校验位错误' }
      await db('batch_issues').insert(issue)
      await expect(db('batch_issues').insert({ ...issue, batch_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('batch_issues').insert({ ...issue, applicant_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('batch_issues').insert({ ...issue, acknowledged_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('applicants').where({ id: applicant }).delete()
      expect(await db('batch_issues')).toEqual([])
    },
  },
  '20261128001300_create_batch_reviews': {
    tables: { batch_reviews: cols('id,batch_id,stage,reviewer_id,organisation_id,decision,reason,decided_at') },
    foreignKeys: { batch_reviews: { batch_id: 'application_batches.id', reviewer_id: 'users.id', organisation_id: 'organisations.id' } },
    async check(db, rows) {
      const batch = await rows.batch()
      const review = {
        batch_id: batch,
        stage: 1,
        reviewer_id: await rows.user(),
        organisation_id: await rows.organisation(),
        decision: 'approved',
        decided_at: rows.now,
      }
      await db('batch_reviews').insert(review)
      await expect(db('batch_reviews').insert({ ...review, reviewer_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('batch_reviews').insert({ ...review, organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('batch_reviews').insert({ ...review, batch_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('application_batches').where({ id: batch }).delete()
      expect(await db('batch_reviews')).toEqual([])
    },
  },
  '20261128001400_create_number_sequences': {
    tables: { number_sequences: cols('prefix,next_serial') },
    async check(db) {
      await db('number_sequences').insert({ prefix: '2026WSHL', next_serial: 1 })
      await expect(db('number_sequences').insert({ prefix: '2026WSHL', next_serial: 1 })).rejects.toThrow(UNIQUE)
      await expect(db('number_sequences').insert({ prefix: '2026PDGC' })).rejects.toThrow(NOT_NULL)
    },
  },
  '20261128001500_create_certificates': {
    tables: {
      certificates: cols(
        'id,number,family,level,status,organisation_id,batch_id,applicant_id,holder_name,holder_id_number,legacy,current_version,issued_at,created_at,updated_at',
      ),
    },
    foreignKeys: {
      certificates: { organisation_id: 'organisations.id', batch_id: 'application_batches.id', applicant_id: 'applicants.id' },
    },
    async check(db, rows) {
      const id = await rows.certificate({ number: '2026WSHL000001' })
      const stored = await db('certificates').where({ id }).first()
      expect([Boolean(stored.legacy), stored.current_version]).toEqual([false, 1])
      await expect(rows.certificate({ number: '2026WSHL000001' })).rejects.toThrow(UNIQUE)
      await expect(rows.certificate({ organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.certificate({ batch_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.certificate({ applicant_id: 999 })).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128001600_create_certificate_versions': {
    tables: {
      certificate_versions: cols(
        'id,certificate_id,version,status,fields,photo_hash,pdf_hash,pdf_path,correction_row_id,created_at,issued_at,superseded_at',
      ),
    },
    foreignKeys: { certificate_versions: { certificate_id: 'certificates.id', photo_hash: 'files.hash', pdf_hash: 'files.hash' } },
    async check(db, rows) {
      const certificate = await rows.certificate()
      await rows.version({ certificate_id: certificate, version: 1, pdf_hash: await rows.file() })
      await expect(rows.version({ certificate_id: certificate, version: 1 })).rejects.toThrow(UNIQUE)
      await rows.version({ certificate_id: certificate, version: 2 })
      await expect(rows.version({ certificate_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.version({ certificate_id: certificate, version: 3, pdf_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
      // Versions are history: a certificate with versions cannot be deleted.
      await expect(db('certificates').where({ id: certificate }).delete()).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128001700_create_seals': {
    tables: {
      seals: cols(
        'id,organisation_id,name,purpose,certificate_fingerprint,certificate_pem,appearance_hash,applies_to,active,created_at,updated_at',
      ),
    },
    foreignKeys: { seals: { organisation_id: 'organisations.id', appearance_hash: 'files.hash' } },
    async check(db, rows) {
      const id = await rows.seal({ certificate_fingerprint: 'f1'.repeat(32), appearance_hash: await rows.file() })
      expect(Boolean((await db('seals').where({ id }).first()).active)).toBe(true)
      await expect(rows.seal({ certificate_fingerprint: 'f1'.repeat(32) })).rejects.toThrow(UNIQUE)
      await expect(rows.seal({ organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.seal({ appearance_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128001800_create_signing_jobs': {
    tables: {
      signing_jobs: cols('id,batch_id,seal_id,state,total,done,failed,created_by,last_error,created_at,updated_at,finished_at'),
    },
    foreignKeys: { signing_jobs: { batch_id: 'application_batches.id', seal_id: 'seals.id', created_by: 'users.id' } },
    async check(db, rows) {
      const id = await rows.signingJob()
      const stored = await db('signing_jobs').where({ id }).first()
      expect([stored.total, stored.done, stored.failed]).toEqual([0, 0, 0])
      await expect(rows.signingJob({ batch_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.signingJob({ seal_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.signingJob({ created_by: 999 })).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128001900_create_signing_job_items': {
    tables: { signing_job_items: cols('id,job_id,certificate_version_id,state,pdf_hash,error,updated_at') },
    foreignKeys: { signing_job_items: { job_id: 'signing_jobs.id', certificate_version_id: 'certificate_versions.id' } },
    async check(db, rows) {
      const job = await rows.signingJob()
      const item = { job_id: job, certificate_version_id: await rows.version(), state: 'pending', updated_at: rows.now }
      await db('signing_job_items').insert(item)
      await expect(db('signing_job_items').insert(item)).rejects.toThrow(UNIQUE)
      await expect(db('signing_job_items').insert({ ...item, job_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('signing_job_items').insert({ ...item, certificate_version_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('signing_jobs').where({ id: job }).delete()
      expect(await db('signing_job_items')).toEqual([])
    },
  },
  '20261128002000_create_filings': {
    tables: {
      filings: cols(
        'id,batch_id,received_on,scan_hash,paper_count,electronic_count,discrepancy,offline,consent_reference,recorded_by,created_at',
      ),
    },
    foreignKeys: { filings: { batch_id: 'application_batches.id', scan_hash: 'files.hash', recorded_by: 'users.id' } },
    async check(db, rows) {
      const filing = {
        batch_id: await rows.batch(),
        received_on: '2026-11-28',
        paper_count: 3,
        electronic_count: 3,
        recorded_by: await rows.user(),
        created_at: rows.now,
      }
      await db('filings').insert(filing)
      expect(Boolean((await db('filings').first()).offline)).toBe(false)
      await expect(db('filings').insert(filing)).rejects.toThrow(UNIQUE)
      await expect(db('filings').insert({ ...filing, batch_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('filings').insert({ ...filing, batch_id: await rows.batch(), recorded_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('filings').insert({ ...filing, batch_id: await rows.batch(), scan_hash: 'e'.repeat(64) })).rejects.toThrow(
        FOREIGN_KEY,
      )
    },
  },
  '20261128002100_create_correction_requests': {
    tables: {
      correction_requests: cols(
        'id,organisation_id,state,explanation_hash,submitted_by,decided_by,applied_by,decision_reason,submitted_at,decided_at,applied_at',
      ),
    },
    foreignKeys: {
      correction_requests: {
        organisation_id: 'organisations.id',
        explanation_hash: 'files.hash',
        submitted_by: 'users.id',
        decided_by: 'users.id',
        applied_by: 'users.id',
      },
    },
    async check(_db, rows) {
      await rows.correctionRequest({ explanation_hash: await rows.file(), decided_by: await rows.user() })
      await expect(rows.correctionRequest({ organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.correctionRequest({ submitted_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.correctionRequest({ decided_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(rows.correctionRequest({ applied_by: 999 })).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128002200_create_correction_rows': {
    tables: {
      correction_rows: cols('id,request_id,seq,certificate_id,field,old_value,new_value,reason,proof_hash,decision,decision_reason'),
    },
    foreignKeys: { correction_rows: { request_id: 'correction_requests.id', certificate_id: 'certificates.id', proof_hash: 'files.hash' } },
    async check(db, rows) {
      const request = await rows.correctionRequest()
      const row = {
        request_id: request,
        seq: 1,
        certificate_id: await rows.certificate(),
        field: 'name',
        old_value: '张三',
        new_value: '张叁',
        reason: '录入错误',
      }
      await db('correction_rows').insert(row)
      await expect(db('correction_rows').insert(row)).rejects.toThrow(UNIQUE)
      await expect(db('correction_rows').insert({ ...row, seq: 2, certificate_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('correction_rows').insert({ ...row, seq: 3, request_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('correction_requests').where({ id: request }).delete()
      expect(await db('correction_rows')).toEqual([])
    },
  },
  '20261128002300_create_revocations': {
    tables: {
      revocations: cols(
        'id,certificate_id,organisation_id,document_number,document_date,document_hash,reason_kind,reason_text,state,recorded_by,approved_by,executed_by,created_at,approved_at,executed_at',
      ),
    },
    foreignKeys: {
      revocations: {
        certificate_id: 'certificates.id',
        organisation_id: 'organisations.id',
        document_hash: 'files.hash',
        recorded_by: 'users.id',
        approved_by: 'users.id',
        executed_by: 'users.id',
      },
    },
    async check(db, rows) {
      const revocation = {
        certificate_id: await rows.certificate(),
        organisation_id: await rows.organisation(),
        document_number: '沪卫人〔2026〕1号',
        document_date: '2026-11-28',
        reason_kind: 'fraud',
        state: 'recorded',
        recorded_by: await rows.user(),
        created_at: rows.now,
      }
      await db('revocations').insert(revocation)
      await expect(db('revocations').insert({ ...revocation, certificate_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('revocations').insert({ ...revocation, recorded_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('revocations').insert({ ...revocation, approved_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('revocations').insert({ ...revocation, document_number: null })).rejects.toThrow(NOT_NULL)
    },
  },
  '20261128002400_create_query_slips': {
    tables: {
      query_slips: cols('id,kind,number,certificate_id,organisation_id,fields,pdf_hash,recheck_state,issued_by,issued_at'),
    },
    foreignKeys: {
      query_slips: {
        certificate_id: 'certificates.id',
        organisation_id: 'organisations.id',
        pdf_hash: 'files.hash',
        issued_by: 'users.id',
      },
    },
    async check(db, rows) {
      const slip = {
        kind: 'title',
        number: 'CX2026000001',
        organisation_id: await rows.organisation(),
        fields: '{}',
        issued_by: await rows.user(),
        issued_at: rows.now,
      }
      await db('query_slips').insert(slip)
      await expect(db('query_slips').insert(slip)).rejects.toThrow(UNIQUE)
      await expect(db('query_slips').insert({ ...slip, number: 'CX2026000002', organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('query_slips').insert({ ...slip, number: 'CX2026000003', certificate_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('query_slips').insert({ ...slip, number: 'CX2026000004', issued_by: 999 })).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261128002500_create_outbox': {
    tables: {
      outbox: cols('id,ordering_key,event_type,payload,idempotency_key,state,attempts,next_attempt_at,last_error,created_at,delivered_at'),
    },
    async check(db, rows) {
      const event = {
        ordering_key: '2026WSHL000001',
        event_type: 'certificate.issued',
        payload: '{}',
        idempotency_key: 'k1',
        state: 'pending',
        created_at: rows.now,
      }
      await db('outbox').insert(event)
      await db('outbox').insert({ ...event, idempotency_key: 'k2' })
      expect(await db('outbox').orderBy('id').select('id', 'attempts')).toEqual([
        { id: 1, attempts: 0 },
        { id: 2, attempts: 0 },
      ])
      await expect(db('outbox').insert(event)).rejects.toThrow(UNIQUE)
    },
  },
  '20261128002600_create_inbox': {
    tables: { inbox: cols('id,external_id,kind,batch_id,received_at'), sync_cursors: cols('name,cursor,updated_at') },
    foreignKeys: { inbox: { batch_id: 'application_batches.id' } },
    async check(db, rows) {
      const item = { external_id: 'REG-APP-1', kind: 'application', batch_id: await rows.batch(), received_at: rows.now }
      await db('inbox').insert(item)
      await expect(db('inbox').insert(item)).rejects.toThrow(UNIQUE)
      await expect(db('inbox').insert({ ...item, external_id: 'REG-APP-2', batch_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('sync_cursors').insert({ name: 'applications', cursor: '0', updated_at: rows.now })
      await expect(db('sync_cursors').insert({ name: 'applications', cursor: '1', updated_at: rows.now })).rejects.toThrow(UNIQUE)
    },
  },
  '20261128002700_create_seal_appearances': {
    tables: { seal_appearances: cols('organisation_id,image_hash,width,height,updated_by,updated_at') },
    foreignKeys: { seal_appearances: { organisation_id: 'organisations.id', image_hash: 'files.hash', updated_by: 'users.id' } },
    async check(db, rows) {
      const organisation = await rows.organisation()
      const appearance = { organisation_id: organisation, image_hash: await rows.file(), width: 400, height: 400, updated_at: rows.now }
      await db('seal_appearances').insert(appearance)
      // One appearance per organisation; a new upload replaces it.
      await expect(db('seal_appearances').insert(appearance)).rejects.toThrow(UNIQUE)
      await expect(db('seal_appearances').insert({ ...appearance, organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(
        db('seal_appearances').insert({ ...appearance, organisation_id: await rows.organisation(), image_hash: 'f'.repeat(64) }),
      ).rejects.toThrow(FOREIGN_KEY)
      await db('organisations').where({ id: organisation }).delete()
      expect(await db('seal_appearances').where({ organisation_id: organisation })).toEqual([])
    },
  },
  '20261128002800_applications_review': {
    tables: {},
    async check(db, rows) {
      expect(await columnsOf(db, 'applicants')).toEqual(expect.arrayContaining(['excluded_reason', 'excluded_by', 'excluded_at']))
      expect(await columnsOf(db, 'application_batches')).toEqual(
        expect.arrayContaining(['declaration_year', 'file_name', 'excluded_count', 'error_workbook_hash']),
      )
      expect(await columnsOf(db, 'files')).toContain('pack_offset')
      expect(await foreignKeysOf(db, 'applicants')).toMatchObject({ excluded_by: 'users.id' })
      expect(await foreignKeysOf(db, 'application_batches')).toMatchObject({ error_workbook_hash: 'files.hash' })
      const batch = await rows.batch()
      expect((await db('application_batches').where({ id: batch }).first()).excluded_count).toBe(0)
      await expect(
        db('application_batches')
          .where({ id: batch })
          .update({ error_workbook_hash: 'f'.repeat(64) }),
      ).rejects.toThrow(FOREIGN_KEY)
      const applicant = await rows.applicant({ batch_id: batch })
      await expect(db('applicants').where({ id: applicant }).update({ excluded_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('applicants')
        .where({ id: applicant })
        .update({ excluded_by: await rows.user(), excluded_reason: '重复', excluded_at: rows.now })
    },
    async afterDown(db) {
      expect(await columnsOf(db, 'applicants')).not.toContain('excluded_reason')
      expect(await columnsOf(db, 'application_batches')).not.toContain('error_workbook_hash')
      expect(await columnsOf(db, 'files')).not.toContain('pack_offset')
    },
  },
  '20261201000100_sealing_journal': {
    tables: {
      version_renderings: cols('certificate_version_id,pdf_hash,rendered_at'),
      version_seals: cols('id,certificate_version_id,slot,seal_id,job_id,pdf_hash,signed_by,signed_at'),
    },
    foreignKeys: {
      version_renderings: { certificate_version_id: 'certificate_versions.id', pdf_hash: 'files.hash' },
      version_seals: {
        certificate_version_id: 'certificate_versions.id',
        seal_id: 'seals.id',
        job_id: 'signing_jobs.id',
        pdf_hash: 'files.hash',
        signed_by: 'users.id',
      },
    },
    async check(db, rows) {
      expect(await columnsOf(db, 'seals')).toEqual(expect.arrayContaining(['token_label', 'token_serial', 'created_by']))
      expect(await columnsOf(db, 'signing_jobs')).toEqual(
        expect.arrayContaining(['module_path', 'token_label', 'token_serial', 'paused_reason', 'timestamp']),
      )
      expect(await columnsOf(db, 'signing_job_items')).toContain('slot')
      const version = await rows.version()
      const seal = await rows.seal()
      const pdf = await rows.file()
      const signed = { certificate_version_id: version, slot: 'bureau', seal_id: seal, pdf_hash: pdf, signed_at: rows.now }
      await db('version_seals').insert(signed)
      // One signature per slot of a version: a slot is never signed twice.
      await expect(db('version_seals').insert(signed)).rejects.toThrow(UNIQUE)
      await db('version_seals').insert({ ...signed, slot: 'department' })
      await expect(db('version_seals').insert({ ...signed, slot: 'single', pdf_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
      await db('version_renderings').insert({ certificate_version_id: version, pdf_hash: pdf, rendered_at: rows.now })
      await expect(
        db('version_renderings').insert({ certificate_version_id: version, pdf_hash: pdf, rendered_at: rows.now }),
      ).rejects.toThrow(UNIQUE)
      await expect(
        db('version_renderings').insert({ certificate_version_id: await rows.version(), pdf_hash: 'e'.repeat(64), rendered_at: rows.now }),
      ).rejects.toThrow(FOREIGN_KEY)
      expect(
        Boolean(
          (
            await db('signing_jobs')
              .where({ id: await rows.signingJob() })
              .first()
          ).timestamp,
        ),
      ).toBe(false)
    },
    async afterDown(db) {
      expect(await columnsOf(db, 'seals')).not.toContain('token_serial')
      expect(await columnsOf(db, 'signing_jobs')).not.toContain('paused_reason')
      expect(await columnsOf(db, 'signing_job_items')).not.toContain('slot')
    },
  },
  '20261202001100_register_indexes': {
    tables: {},
    async check(db, rows) {
      const indexes = await indexesOf(db, 'certificates')
      expect(indexes).toEqual(
        expect.arrayContaining([
          'certificates_register_scope_index',
          'certificates_holder_name_index',
          'certificates_issued_at_index',
          'certificates_level_index',
        ]),
      )
      expect(indexes).not.toContain('certificates_organisation_id_family_level_issued_at_index')
      const columns = (await db.raw(`PRAGMA index_info("certificates_register_scope_index")`)) as Array<{ name: string }>
      expect(columns.map((column) => column.name)).toEqual(['organisation_id', 'family', 'level', 'issued_at', 'status', 'legacy'])
      // A page by organisation and status is read from the index alone, without the table (the
      // register keeps SQLite off the status index with a unary plus when an organisation is given).
      expect(await planOf(db, `select id from certificates where organisation_id = 1 and +status = 'active' order by id desc`)).toContain(
        'COVERING INDEX certificates_register_scope_index',
      )
      expect(await planOf(db, `select id from certificates where holder_name = '张三'`)).toContain('certificates_holder_name_index')
      await rows.certificate({ holder_name: '李四' })
      expect(await db('certificates').where({ holder_name: '李四' }).count({ n: '*' }).first()).toEqual({ n: 1 })
    },
    async afterDown(db) {
      const indexes = await indexesOf(db, 'certificates')
      expect(indexes).toContain('certificates_organisation_id_family_level_issued_at_index')
      expect(indexes).not.toContain('certificates_register_scope_index')
      expect(indexes).not.toContain('certificates_holder_name_index')
      expect(indexes).not.toContain('certificates_issued_at_index')
      expect(indexes).not.toContain('certificates_level_index')
    },
  },
  '20261202001200_create_integrity_records': {
    tables: {
      integrity_records: cols(
        'id,kind,certificate_id,subject_id_number,subject_name,found_on,description,organisation_id,recorded_by,recorded_at',
      ),
    },
    foreignKeys: {
      integrity_records: { certificate_id: 'certificates.id', organisation_id: 'organisations.id', recorded_by: 'users.id' },
    },
    async check(db, rows) {
      const certificate = await rows.certificate()
      const record = {
        kind: 'lending',
        certificate_id: certificate,
        subject_id_number: '310101199001011234',
        subject_name: '张三',
        found_on: '2026-11-20',
        description: '挂证',
        organisation_id: await rows.organisation(),
        recorded_by: await rows.user(),
        recorded_at: rows.now,
      }
      await db('integrity_records').insert(record)
      // A person can be recorded without a certificate, and more than once.
      await db('integrity_records').insert({ ...record, certificate_id: null })
      await db('integrity_records').insert({ ...record, certificate_id: null })
      await expect(db('integrity_records').insert({ ...record, certificate_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('integrity_records').insert({ ...record, recorded_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('integrity_records').insert({ ...record, subject_id_number: null })).rejects.toThrow(NOT_NULL)
      // A certificate with a finding against it cannot disappear from under it.
      await expect(db('certificates').where({ id: certificate }).delete()).rejects.toThrow(FOREIGN_KEY)
      expect(await planOf(db, `select id from integrity_records where subject_id_number = '310101199001011234'`)).toContain(
        'integrity_records_subject_id_number_subject_name_index',
      )
    },
  },
  '20261202001300_create_integrity_evidence': {
    tables: { integrity_evidence: cols('id,record_id,file_hash,file_name') },
    foreignKeys: { integrity_evidence: { record_id: 'integrity_records.id', file_hash: 'files.hash' } },
    async check(db, rows) {
      const [record] = (await db('integrity_records')
        .insert({
          kind: 'forgery',
          subject_id_number: '310101199001011234',
          subject_name: '张三',
          found_on: '2026-11-20',
          description: '伪造证书',
          organisation_id: await rows.organisation(),
          recorded_by: await rows.user(),
          recorded_at: rows.now,
        })
        .returning('id')) as Array<{ id: number }>
      const evidence = { record_id: record.id, file_hash: await rows.file(), file_name: '查证报告.pdf' }
      await db('integrity_evidence').insert(evidence)
      await expect(db('integrity_evidence').insert(evidence)).rejects.toThrow(UNIQUE)
      await expect(db('integrity_evidence').insert({ ...evidence, file_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('integrity_evidence').insert({ ...evidence, file_hash: await rows.file(), record_id: 999 })).rejects.toThrow(
        FOREIGN_KEY,
      )
      await expect(db('integrity_records').where({ id: record.id }).delete()).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261202002100_create_correction_documents': {
    tables: { correction_documents: cols('id,request_id,kind,file_name,file_hash') },
    foreignKeys: { correction_documents: { request_id: 'correction_requests.id', file_hash: 'files.hash' } },
    async check(db, rows) {
      const request = await rows.correctionRequest()
      const document = { request_id: request, kind: 'proof', file_name: '户籍证明.pdf', file_hash: await rows.file() }
      await db('correction_documents').insert(document)
      // One file per name and kind in a request: a row's proof names must resolve to one file.
      await expect(db('correction_documents').insert(document)).rejects.toThrow(UNIQUE)
      await db('correction_documents').insert({ ...document, kind: 'table' })
      await expect(db('correction_documents').insert({ ...document, file_name: 'b.pdf', file_hash: 'e'.repeat(64) })).rejects.toThrow(
        FOREIGN_KEY,
      )
      await expect(db('correction_documents').insert({ ...document, file_name: 'c.pdf', request_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('correction_documents').insert({ ...document, file_name: null })).rejects.toThrow(NOT_NULL)
      await db('correction_requests').where({ id: request }).delete()
      expect(await db('correction_documents')).toEqual([])
    },
  },
  '20261202002200_correction_rows_review': {
    tables: {},
    async check(db, rows) {
      expect(await columnsOf(db, 'correction_rows')).toEqual(expect.arrayContaining(['proofs', 'photo_consent', 'base_version']))
      // No key on the new columns: the table was altered in place, not rebuilt.
      expect(await foreignKeysOf(db, 'correction_rows')).toEqual({
        request_id: 'correction_requests.id',
        certificate_id: 'certificates.id',
        proof_hash: 'files.hash',
      })
      const row = {
        request_id: await rows.correctionRequest(),
        seq: 2,
        certificate_id: await rows.certificate(),
        field: 'employer',
        old_value: '甲医院',
        new_value: '乙医院',
        reason: '录入错误',
      }
      await db('correction_rows').insert(row)
      const stored = await db('correction_rows').where({ seq: 2 }).first()
      expect([Boolean(stored.photo_consent), stored.proofs, stored.base_version]).toEqual([false, null, null])
      await db('correction_rows').where({ id: stored.id }).update({ photo_consent: true, proofs: '["证明.pdf"]', base_version: 1 })
    },
    async afterDown(db) {
      expect(await columnsOf(db, 'correction_rows')).not.toContain('photo_consent')
      expect(await columnsOf(db, 'correction_rows')).not.toContain('base_version')
    },
  },
  '20261202002300_correction_rows_certificate_index': {
    tables: {},
    async check(db) {
      const indexes = (await db.raw(`PRAGMA index_list("correction_rows")`)) as Array<{ name: string }>
      expect(indexes.map((index) => index.name)).toContain('correction_rows_certificate_id_index')
      const plan = (await db.raw(`EXPLAIN QUERY PLAN select id from correction_rows where certificate_id = 1`)) as Array<{ detail: string }>
      expect(plan.map((step) => step.detail).join(' ')).toContain('correction_rows_certificate_id_index')
    },
    async afterDown(db) {
      const indexes = (await db.raw(`PRAGMA index_list("correction_rows")`)) as Array<{ name: string }>
      expect(indexes.map((index) => index.name)).not.toContain('correction_rows_certificate_id_index')
    },
  },
  '20261202003100_create_revocation_requests': {
    tables: {
      revocation_requests: cols(
        'id,organisation_id,document_number,document_date,document_hash,reason_kind,reason_text,state,certificate_count,recorded_by,decided_by,rejection_reason,executed_by,created_at,decided_at,executed_at',
      ),
    },
    foreignKeys: {
      revocation_requests: {
        organisation_id: 'organisations.id',
        document_hash: 'files.hash',
        recorded_by: 'users.id',
        decided_by: 'users.id',
        executed_by: 'users.id',
      },
    },
    async check(db, rows) {
      const request = {
        organisation_id: await rows.organisation(),
        document_number: '沪卫人〔2026〕1号',
        document_date: '2026-11-28',
        document_hash: await rows.file(),
        reason_kind: 'report',
        state: 'submitted',
        certificate_count: 2,
        recorded_by: await rows.user(),
        created_at: rows.now,
      }
      await db('revocation_requests').insert(request)
      await expect(db('revocation_requests').insert({ ...request, document_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('revocation_requests').insert({ ...request, document_hash: null })).rejects.toThrow(NOT_NULL)
      await expect(db('revocation_requests').insert({ ...request, organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('revocation_requests').insert({ ...request, decided_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('revocation_requests').insert({ ...request, executed_by: 999 })).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261202003200_revocations_request_id': {
    tables: {},
    async check(db, rows) {
      expect(await columnsOf(db, 'revocations')).toContain('request_id')
      // No foreign key on the new column: the table was not rebuilt.
      expect(await foreignKeysOf(db, 'revocations')).not.toHaveProperty('request_id')
      const revocation = {
        certificate_id: await rows.certificate(),
        organisation_id: await rows.organisation(),
        document_number: '沪卫人〔2026〕2号',
        document_date: '2026-11-28',
        reason_kind: 'violation',
        state: 'submitted',
        recorded_by: await rows.user(),
        created_at: rows.now,
      }
      await db('revocations').insert({ ...revocation, request_id: 7 })
      await db('revocations').insert(revocation)
      expect(await db('revocations').orderBy('id').pluck('request_id')).toEqual([7, null])
    },
    async afterDown(db) {
      expect(await columnsOf(db, 'revocations')).not.toContain('request_id')
      expect(await db('revocations').count({ n: '*' }).first()).toEqual({ n: 2 })
    },
  },
  '20261202003300_create_filing_documents': {
    tables: { filing_documents: cols('filing_id,notice_hash,consent_hash') },
    foreignKeys: { filing_documents: { filing_id: 'filings.id', notice_hash: 'files.hash', consent_hash: 'files.hash' } },
    async check(db, rows) {
      const filing = async () =>
        (
          (await db('filings')
            .insert({
              batch_id: await rows.batch(),
              received_on: '2026-11-28',
              paper_count: 1,
              electronic_count: 1,
              recorded_by: await rows.user(),
              created_at: rows.now,
            })
            .returning('id')) as Array<{ id: number }>
        )[0].id
      const first = await filing()
      await db('filing_documents').insert({ filing_id: first, notice_hash: await rows.file() })
      // One row per filing.
      await expect(db('filing_documents').insert({ filing_id: first })).rejects.toThrow(UNIQUE)
      await expect(db('filing_documents').insert({ filing_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('filing_documents').insert({ filing_id: await filing(), consent_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261202004100_create_legacy_imports': {
    tables: { legacy_imports: cols('id,family,organisation_id,file_name,workbook_hash,record_count,imported_by,imported_at') },
    foreignKeys: { legacy_imports: { organisation_id: 'organisations.id', workbook_hash: 'files.hash', imported_by: 'users.id' } },
    async check(db, rows) {
      const row = {
        family: 'title',
        organisation_id: await rows.organisation(),
        file_name: '历史职称记录.xlsx',
        workbook_hash: await rows.file(),
        record_count: 2,
        imported_by: await rows.user(),
        imported_at: rows.now,
      }
      await db('legacy_imports').insert(row)
      await db('legacy_imports').insert(row)
      await expect(db('legacy_imports').insert({ ...row, workbook_hash: 'e'.repeat(64) })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('legacy_imports').insert({ ...row, organisation_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('legacy_imports').insert({ ...row, imported_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await expect(db('legacy_imports').insert({ ...row, record_count: null })).rejects.toThrow(NOT_NULL)
    },
  },
  '20261202004200_create_legacy_records': {
    tables: { legacy_records: cols('certificate_id,import_id,row_number') },
    foreignKeys: { legacy_records: { certificate_id: 'certificates.id', import_id: 'legacy_imports.id' } },
    async check(db, rows) {
      const [importId] = (await db('legacy_imports')
        .insert({
          family: 'title',
          organisation_id: await rows.organisation(),
          file_name: 'a.xlsx',
          workbook_hash: await rows.file(),
          record_count: 1,
          imported_by: await rows.user(),
          imported_at: rows.now,
        })
        .returning('id')) as Array<{ id: number } | number>
      const import_id = typeof importId === 'number' ? importId : importId.id
      const certificate = await rows.certificate({ legacy: true })
      await db('legacy_records').insert({ certificate_id: certificate, import_id, row_number: 2 })
      // One origin per certificate.
      await expect(db('legacy_records').insert({ certificate_id: certificate, import_id, row_number: 3 })).rejects.toThrow(UNIQUE)
      await expect(db('legacy_records').insert({ certificate_id: 999, import_id, row_number: 2 })).rejects.toThrow(FOREIGN_KEY)
      await expect(
        db('legacy_records').insert({ certificate_id: await rows.certificate(), import_id: 999, row_number: 2 }),
      ).rejects.toThrow(FOREIGN_KEY)
      await expect(db('certificates').where({ id: certificate }).delete()).rejects.toThrow(FOREIGN_KEY)
    },
  },
  '20261202004300_query_slips_issue': {
    tables: {},
    async check(db, rows) {
      expect(await columnsOf(db, 'query_slips')).toContain('reason')
      const indexes = (await db.raw(`PRAGMA index_list("query_slips")`)) as Array<{ name: string }>
      expect(indexes.map((index) => index.name)).toEqual(
        expect.arrayContaining(['query_slips_pdf_hash_index', 'query_slips_recheck_state_index', 'query_slips_certificate_id_index']),
      )
      const slip = {
        kind: 'query_slip',
        number: 'CX2026000001',
        organisation_id: await rows.organisation(),
        fields: '{}',
        issued_by: await rows.user(),
        issued_at: rows.now,
        reason: '原证书遗失，申请人需办理职称聘任',
      }
      await db('query_slips').insert(slip)
      expect((await db('query_slips').where({ number: 'CX2026000001' }).first('reason')).reason).toBe(slip.reason)
      await expect(db('query_slips').insert(slip)).rejects.toThrow(UNIQUE)
    },
    async afterDown(db) {
      expect(await columnsOf(db, 'query_slips')).not.toContain('reason')
      const indexes = (await db.raw(`PRAGMA index_list("query_slips")`)) as Array<{ name: string }>
      expect(indexes.map((index) => index.name)).not.toContain('query_slips_pdf_hash_index')
    },
  },
  '20261202004400_create_slip_rechecks': {
    tables: { slip_rechecks: cols('slip_id,decision,reason,rechecked_by,rechecked_at') },
    foreignKeys: { slip_rechecks: { slip_id: 'query_slips.id', rechecked_by: 'users.id' } },
    async check(db, rows) {
      const user = await rows.user()
      const [slipId] = (await db('query_slips')
        .insert({
          kind: 'query_slip',
          number: 'CX2026000001',
          organisation_id: await rows.organisation(),
          fields: '{}',
          recheck_state: 'pending',
          issued_by: user,
          issued_at: rows.now,
        })
        .returning('id')) as Array<{ id: number } | number>
      const slip_id = typeof slipId === 'number' ? slipId : slipId.id
      const recheck = { slip_id, decision: 'confirmed', rechecked_by: await rows.user(), rechecked_at: rows.now }
      await db('slip_rechecks').insert(recheck)
      // A slip is re-checked once.
      await expect(db('slip_rechecks').insert({ ...recheck, decision: 'refused' })).rejects.toThrow(UNIQUE)
      await expect(db('slip_rechecks').insert({ ...recheck, slip_id: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('slip_rechecks').where({ slip_id }).delete()
      await expect(db('slip_rechecks').insert({ ...recheck, rechecked_by: 999 })).rejects.toThrow(FOREIGN_KEY)
      await db('slip_rechecks').insert(recheck)
      await expect(db('query_slips').where({ id: slip_id }).delete()).rejects.toThrow(FOREIGN_KEY)
    },
  },
}

let dataDir: string | null = null
let db: Knex | null = null

function freshDatabase(options: { durable?: boolean; busyTimeoutMs?: number } = {}): Knex {
  dataDir = mkdtempSync(join(tmpdir(), 'certdesk-migrations-'))
  db = openDatabase({ filename: join(dataDir, 'certdesk.sqlite'), ...options })
  return db
}

afterEach(async () => {
  await db?.destroy()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  db = null
  dataDir = null
})

async function columnsOf(knex: Knex, table: string): Promise<string[]> {
  const rows = (await knex.raw(`PRAGMA table_info("${table}")`)) as Array<{ name: string }>
  return rows.map((row) => row.name).sort()
}

async function foreignKeysOf(knex: Knex, table: string): Promise<Record<string, string>> {
  const rows = (await knex.raw(`PRAGMA foreign_key_list("${table}")`)) as Array<{ from: string; table: string; to: string }>
  return Object.fromEntries(rows.map((row) => [row.from, `${row.table}.${row.to}`]))
}

async function indexesOf(knex: Knex, table: string): Promise<string[]> {
  const rows = (await knex.raw(`PRAGMA index_list("${table}")`)) as Array<{ name: string }>
  return rows.map((row) => row.name)
}

/** SQLite's plan for a query, its steps joined: what an index test looks for. */
async function planOf(knex: Knex, sql: string): Promise<string> {
  const rows = (await knex.raw(`EXPLAIN QUERY PLAN ${sql}`)) as Array<{ detail: string }>
  return rows.map((row) => row.detail).join(' ; ')
}

async function pragma(knex: Knex, name: string): Promise<unknown> {
  const rows = (await knex.raw(`PRAGMA ${name}`)) as Array<Record<string, unknown>>
  return Object.values(rows[0])[0]
}

describe('migrations, one at a time on a fresh database', () => {
  migrations.forEach((migration, index) => {
    it(migration.name, async () => {
      const spec = CASES[migration.name]
      expect(spec, `no test case for migration ${migration.name}`).toBeDefined()
      const knex = freshDatabase()
      const config = migrationConfig()
      for (let step = 0; step < index; step += 1) await knex.migrate.up(config)
      const earlierTables = Object.values(CASES)
        .slice(0, index)
        .flatMap((earlier) => Object.keys(earlier.tables))
      for (const table of Object.keys(spec.tables)) expect(await knex.schema.hasTable(table), `${table} before up`).toBe(false)

      await knex.migrate.up(config)
      const applied = await knex('knex_migrations').orderBy('id').pluck('name')
      expect(applied).toEqual(migrations.slice(0, index + 1).map((item) => item.name))
      for (const [table, expected] of Object.entries(spec.tables)) {
        expect(await columnsOf(knex, table), `columns of ${table}`).toEqual([...expected].sort())
        expect(await foreignKeysOf(knex, table), `foreign keys of ${table}`).toEqual(spec.foreignKeys?.[table] ?? {})
      }
      const rows = new SchemaRows(knex)
      await spec.check(knex, rows)

      await knex.migrate.down(config)
      for (const table of Object.keys(spec.tables)) expect(await knex.schema.hasTable(table), `${table} after down`).toBe(false)
      for (const table of earlierTables) expect(await knex.schema.hasTable(table), `${table} kept by down`).toBe(true)
      await spec.afterDown?.(knex, rows)
    })
  })

  it('has a test case for every migration, in the same order as db/migrations/index.ts', () => {
    expect(Object.keys(CASES)).toEqual(migrations.map((migration) => migration.name))
  })
})

describe('connection pragmas', () => {
  it('opens in WAL mode with foreign keys on, synchronous FULL and a busy timeout', async () => {
    const knex = freshDatabase()
    expect(await pragma(knex, 'journal_mode')).toBe('wal')
    expect(await pragma(knex, 'foreign_keys')).toBe(1)
    expect(await pragma(knex, 'synchronous')).toBe(2)
    expect(await pragma(knex, 'busy_timeout')).toBe(5000)
  })

  it('lets throwaway databases trade durability (synchronous NORMAL) and take another busy timeout', async () => {
    const knex = freshDatabase({ durable: false, busyTimeoutMs: 1234 })
    expect(await pragma(knex, 'synchronous')).toBe(1)
    expect(await pragma(knex, 'busy_timeout')).toBe(1234)
    expect(await pragma(knex, 'foreign_keys')).toBe(1)
  })
})
