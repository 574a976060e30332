import type { Knex } from 'knex'

/**
 * Runs `work` in a write transaction that takes the write lock first. In SQLite a transaction
 * that reads before it writes can fail with SQLITE_BUSY_SNAPSHOT (no busy wait) when another
 * process — the CLI beside the app — committed in between; touching the lock row first makes
 * the transaction a writer from its first statement, so the busy timeout applies. On
 * PostgreSQL the same row lock serialises writers, which the audit chain needs.
 */
export async function writeTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx('write_lock').where({ id: 1 }).increment('generation', 1)
    return work(trx)
  })
}
