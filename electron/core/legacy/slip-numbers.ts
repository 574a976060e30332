import type { Knex } from 'knex'
import { SLIP_KIND_LABELS, SLIP_NUMBER_PREFIX, type SlipKind } from '../../contract/legacy'
import { AppError } from '../util/app-error'

const SERIAL_DIGITS = 6
const MAX_SERIAL = 10 ** SERIAL_DIGITS - 1

/**
 * The next number of a slip kind in a year, e.g. CX2026000001. A counter of its own in
 * number_sequences under the key CX2026 / CJ2026, which no certificate counter can take (theirs
 * begin with the four-digit year). It moves only in the caller's write transaction, together with
 * the slip's row: a failed issue gives its number back, an issued slip keeps it for good (a
 * refused re-check too), so a number is never handed out twice.
 */
export async function allocateSlipNumber(trx: Knex.Transaction, kind: SlipKind, year: number): Promise<string> {
  if (!trx.isTransaction) throw new Error('allocateSlipNumber must run inside the write transaction that records the slip')
  const prefix = `${SLIP_NUMBER_PREFIX[kind]}${year}`
  await trx('number_sequences').insert({ prefix, next_serial: 1 }).onConflict('prefix').ignore()
  const row = (await trx('number_sequences').where({ prefix }).first('next_serial')) as { next_serial: number | string }
  const serial = Number(row.next_serial)
  if (serial > MAX_SERIAL) {
    throw new AppError('CONFLICT', `${year} 年的${SLIP_KIND_LABELS[kind]}编号已用完（每年最多 ${MAX_SERIAL} 份）`)
  }
  // Compare-and-set: under writeTransaction nobody else moves the counter; if a caller ever skips the lock this fails loudly.
  const updated = await trx('number_sequences')
    .where({ prefix, next_serial: serial })
    .update({ next_serial: serial + 1 })
  if (updated !== 1) throw new Error(`number_sequences ${prefix} changed during allocation: is the caller holding the write lock?`)
  return `${prefix}${String(serial).padStart(SERIAL_DIGITS, '0')}`
}
