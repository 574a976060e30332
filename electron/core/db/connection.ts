import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import knexFactory, { type Knex } from 'knex'

export interface DatabaseOptions {
  /** Path of the SQLite file; created with its folder when missing. */
  filename: string
  /**
   * The production database fsyncs on every commit (synchronous=FULL): a certificate number
   * handed out must survive a power cut. Benchmarks of throwaway data may turn it down.
   */
  durable?: boolean
  busyTimeoutMs?: number
}

/**
 * Opens the SQLite database through knex with the pragmas every connection needs. A single
 * pooled connection: SQLite has one writer anyway, and it keeps transactions strictly ordered.
 */
export function openDatabase(options: DatabaseOptions): Knex {
  mkdirSync(dirname(options.filename), { recursive: true })
  const synchronous = options.durable === false ? 'NORMAL' : 'FULL'
  const busyTimeout = options.busyTimeoutMs ?? 5000
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: options.filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(
        connection: { exec(sql: string, done: (error: Error | null) => void): void },
        done: (error: Error | null, connection: unknown) => void,
      ) {
        connection.exec(
          `PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${busyTimeout}; PRAGMA synchronous = ${synchronous};`,
          (error) => done(error, connection),
        )
      },
    },
  })
}

export function isSqlite(db: Knex): boolean {
  return String(db.client.config.client).startsWith('sqlite') || String(db.client.config.client) === 'better-sqlite3'
}
