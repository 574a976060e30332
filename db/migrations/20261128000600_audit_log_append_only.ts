import type { Knex } from 'knex'

/** The database itself refuses UPDATE and DELETE on the audit log, whoever connects. */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw(`CREATE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql`)
    await knex.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`)
    return
  }
  await knex.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`)
  await knex.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`)
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log')
    await knex.raw('DROP FUNCTION IF EXISTS audit_log_refuse_change()')
    return
  }
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_update')
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_delete')
}
