import type { Knex } from 'knex'

/**
 * Inserts one row and returns its generated id. SQLite answers `.returning('id')` with plain
 * numbers, PostgreSQL with `{ id }` rows: this is the one place that tells them apart.
 */
export async function insertReturningId(trx: Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number> {
  const [inserted] = (await trx(table).insert(row).returning('id')) as Array<{ id: number } | number>
  return typeof inserted === 'number' ? inserted : inserted.id
}
