import type { Knex } from 'knex'

const SEAL_COLUMNS = ['token_label', 'token_serial', 'created_by']
const JOB_COLUMNS = ['module_path', 'token_label', 'token_serial', 'paused_reason', 'timestamp']
const ITEM_COLUMNS = ['slot']

/**
 * What batch sealing needs beyond the first schema: each seal's token hint and registrar;
 * each signing job's token and why it is not running; each certificate version's rendered
 * (unsigned) file; and the journal of signatures on a version — one row per seal slot, so a
 * slot is never signed twice and the second seal of a vocational certificate can come from
 * another key holder on another day. New columns carry no foreign keys and new facts go into
 * new tables, so `down` never has to rebuild a table other rows point at.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('seals', (table) => {
    table.string('token_label', 64).nullable()
    table.string('token_serial', 64).nullable()
    // The registering admin (the audit log has the full record).
    table.integer('created_by').nullable()
  })
  await knex.schema.alterTable('signing_jobs', (table) => {
    table.string('module_path', 500).nullable()
    table.string('token_label', 64).nullable()
    table.string('token_serial', 64).nullable()
    // Why a job is not running: the user paused it, the key was pulled out, the app stopped.
    table.text('paused_reason').nullable()
    table.boolean('timestamp').notNullable().defaultTo(false)
  })
  await knex.schema.alterTable('signing_job_items', (table) => {
    // The seal slot this job signs on the version (a seal signs one slot of a certificate).
    table.string('slot', 16).nullable()
  })
  await knex.schema.createTable('version_renderings', (table) => {
    // The rendered document with its unsigned seal fields, kept when sealing stops before signing it.
    table.integer('certificate_version_id').unsigned().primary().references('id').inTable('certificate_versions')
    table.string('pdf_hash', 64).notNullable().references('hash').inTable('files')
    table.string('rendered_at', 32).notNullable()
  })
  await knex.schema.createTable('version_seals', (table) => {
    table.increments('id').primary()
    table.integer('certificate_version_id').unsigned().notNullable().references('id').inTable('certificate_versions')
    table.string('slot', 16).notNullable()
    table.integer('seal_id').unsigned().notNullable().references('id').inTable('seals')
    table.integer('job_id').unsigned().nullable().references('id').inTable('signing_jobs')
    // The file after this signature: the input of the next seal, the issued file after the last.
    table.string('pdf_hash', 64).notNullable().references('hash').inTable('files')
    table.integer('signed_by').unsigned().nullable().references('id').inTable('users')
    table.string('signed_at', 32).notNullable()
    table.unique(['certificate_version_id', 'slot'])
    table.index(['job_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('version_seals')
  await knex.schema.dropTable('version_renderings')
  // SQLite's own DROP COLUMN (3.35+): these columns have no constraints, nothing is rebuilt.
  for (const column of ITEM_COLUMNS) await knex.raw(`alter table signing_job_items drop column ${column}`)
  for (const column of JOB_COLUMNS) await knex.raw(`alter table signing_jobs drop column ${column}`)
  for (const column of SEAL_COLUMNS) await knex.raw(`alter table seals drop column ${column}`)
}
