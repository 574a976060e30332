import { join } from 'node:path'
import type { Knex } from 'knex'
import { openDatabase } from '../../electron/core/db/connection'
import { migrationConfig } from '../../electron/core/db/migrate'
import { registryMigrations, type RegistryMigration } from './migrations'

/** The migrator settings for the registry's own list (same static source as the app's). */
export function registryMigrationConfig(list: RegistryMigration[] = registryMigrations): Knex.MigratorConfig {
  return migrationConfig(list)
}

/**
 * Opens (creating it when missing) the registry's SQLite database in its data directory and
 * applies pending migrations. WAL with synchronous=NORMAL: a commit costs no fsync, which is
 * what lets a loopback benchmark push thousands of publications a second; a power cut may lose
 * the last commits, which a reference server can afford (the client resends by idempotency key).
 */
export async function openRegistryDatabase(dataDir: string): Promise<Knex> {
  const db = openDatabase({ filename: join(dataDir, 'registry.sqlite'), durable: false })
  try {
    await db.migrate.latest(registryMigrationConfig())
  } catch (error) {
    await db.destroy()
    throw error
  }
  return db
}
