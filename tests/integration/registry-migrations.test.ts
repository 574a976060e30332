import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/core/db/connection'
import { registryMigrationConfig } from '../../registry/db/database'
import { registryMigrations } from '../../registry/db/migrations'

// One case per registry migration, against a temporary SQLite file: the table it creates with
// exactly its columns, and its down step removing it again.

const cols = (list: string) => list.split(',').map((name) => name.trim())

const TABLES: Record<string, [string, string[]]> = {
  '20261202000100_create_clients': ['clients', cols('client_id,organisation_code,public_key_pem,active,created_at,updated_at')],
  '20261202000200_create_files': ['files', cols('sha256,size,path,stored_by,created_at')],
  '20261202000300_create_effects': ['effects', cols('sequence,ordering_key,operation_type,idempotency_key,client_id,applied_at')],
  '20261202000400_create_operations': [
    'operations',
    cols('client_id,idempotency_key,type,body_hash,status,response,ordering_key,effect_sequence,accepted_at'),
  ],
  '20261202000500_create_certificates': ['certificates', cols('number,organisation_code,family,current_version,created_at,updated_at')],
  '20261202000600_create_certificate_versions': [
    'certificate_versions',
    cols('number,version,payload,verification_code,pdf_sha256,organisation_code,issued_at,arrival_sequence,client_id,accepted_at'),
  ],
  '20261202000700_create_revocations': [
    'revocations',
    cols(
      'number,version,reason,reason_text,document_number,document_date,document_sha256,revoked_at,payload,arrival_sequence,client_id,accepted_at',
    ),
  ],
  '20261202000800_create_audit_checkpoints': ['audit_checkpoints', cols('id,client_id,length,head_hash,at,arrival_sequence,accepted_at')],
  '20261202000900_create_applications': [
    'applications',
    cols('sequence,id,organisation_code,family,submitted_at,workbook_sha256,workbook_name,photos_sha256,notice_sha256,created_at'),
  ],
  '20261202001000_create_decisions': [
    'decisions',
    cols('id,application_id,decision,reason,first_number,last_number,decided_at,arrival_sequence,client_id,accepted_at'),
  ],
}

let dir: string
let db: Knex

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-registry-migrations-'))
  db = openDatabase({ filename: join(dir, 'registry.sqlite'), durable: false })
})
afterEach(async () => {
  await db.destroy()
  rmSync(dir, { recursive: true, force: true })
})

async function columns(table: string): Promise<string[]> {
  return ((await db.raw(`PRAGMA table_info(${table})`)) as Array<{ name: string }>).map((column) => column.name)
}

describe('registry migrations', () => {
  for (const [index, migration] of registryMigrations.entries()) {
    it(migration.name, async () => {
      const [table, expected] = TABLES[migration.name]
      const upTo = registryMigrations.slice(0, index + 1)
      await db.migrate.latest(registryMigrationConfig(upTo))
      expect(await columns(table)).toEqual(expected)
      await db.migrate.down(registryMigrationConfig(upTo))
      expect(await db.schema.hasTable(table)).toBe(false)
    })
  }

  it('has a case for every migration, and the foreign keys hold', async () => {
    expect(registryMigrations.map((migration) => migration.name)).toEqual(Object.keys(TABLES))
    await db.migrate.latest(registryMigrationConfig())
    const now = '2026-12-01T08:00:00.000Z'
    await expect(
      db('effects').insert({ ordering_key: 'T1', operation_type: 'x', idempotency_key: 'k', client_id: 'nobody', applied_at: now }),
    ).rejects.toThrow(/FOREIGN KEY constraint failed/)
    await db('clients').insert({ client_id: 'desk', organisation_code: 'WSHL', public_key_pem: 'pem', created_at: now, updated_at: now })
    const effect = { ordering_key: 'T1', operation_type: 'x', idempotency_key: 'k', client_id: 'desk', applied_at: now }
    await db('effects').insert(effect)
    const operation = {
      client_id: 'desk',
      idempotency_key: 'k',
      type: 'x',
      body_hash: 'h',
      status: 201,
      response: '{}',
      ordering_key: 'T1',
      effect_sequence: 1,
      accepted_at: now,
    }
    await db('operations').insert(operation)
    await expect(db('operations').insert({ ...operation, effect_sequence: 1 })).rejects.toThrow(/UNIQUE constraint failed/)
  })
})
