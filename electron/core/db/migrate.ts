import type { Knex } from 'knex'
import { migrations, type Migration } from '../../../db/migrations'

/** Feeds knex the statically imported list, so bundling never loses a migration file. */
class StaticMigrationSource implements Knex.MigrationSource<Migration> {
  constructor(private readonly list: Migration[]) {}
  async getMigrations(): Promise<Migration[]> {
    return this.list
  }
  getMigrationName(migration: Migration): string {
    return migration.name
  }
  async getMigration(migration: Migration): Promise<Knex.Migration> {
    return migration
  }
}

export function migrationConfig(list: Migration[] = migrations): Knex.MigratorConfig {
  return { migrationSource: new StaticMigrationSource(list), tableName: 'knex_migrations' }
}

/** Applies every pending migration; returns the names applied in this run. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig())) as [number, string[]]
  return applied
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migrationConfig())) as [unknown, Array<{ file?: string; name?: string } | Migration>]
  return pending.map((item) => ('name' in item && item.name ? item.name : String((item as { file?: string }).file)))
}
