import type { Knex } from 'knex'
import type { LegacyStarts, NumberLayout } from '../../../contract/numbering'
import { allocateNumbers } from '../../numbering/allocator'
import type { BatchRow } from './batch-rows'

export interface NumberingSettings {
  layout: NumberLayout
  legacyStarts: LegacyStarts
}

export interface NumberedRange {
  first: string
  last: string
  count: number
}

/**
 * The final approval's numbering, inside the caller's write transaction: allocates one number per
 * applicant left in the batch and creates, in row order, their certificates and first versions,
 * both 'pending' until sealed. A failure anywhere rolls back the counter with everything else, so
 * no number is lost and none is handed out twice.
 *
 * The rows are copied inside SQLite (insert … select, SQLite's JSON functions and a window
 * function): a 100,000-applicant batch never travels through JavaScript, and approves in seconds.
 */
export async function numberBatch(
  trx: Knex.Transaction,
  batch: BatchRow,
  settings: NumberingSettings,
  now: string,
): Promise<NumberedRange> {
  const remaining = (await trx('applicants').where({ batch_id: batch.id }).whereNull('excluded_at').count({ n: '*' }).first()) as {
    n: number | string
  }
  const year = Number(batch.declaration_year)
  const code = batch.organisation_code!
  const numbers = await allocateNumbers(trx, {
    layout: settings.layout,
    year,
    code,
    count: Number(remaining.n),
    legacyStart: settings.legacyStarts[`${year}${code}`],
  })
  const range = { first: numbers[0], last: numbers[numbers.length - 1], count: numbers.length }
  const digits = settings.layout.serialDigits
  // The allocator formatted the numbers; SQLite only continues its first one, and is checked below.
  await trx.raw(
    `insert into certificates (number, family, level, status, organisation_id, batch_id, applicant_id,
       holder_name, holder_id_number, legacy, current_version, issued_at, created_at, updated_at)
     select :prefix || substr(:zeros || (:firstSerial + a.position), -:digits), :family, json_extract(a.fields, '$.level'),
       'pending', :organisationId, a.batch_id, a.id, a.name, a.id_number, 0, 1, null, :now, :now
     from (select id, batch_id, name, id_number, fields, row_number() over (order by row_number) - 1 as position
           from applicants where batch_id = :batchId and excluded_at is null) as a
     order by a.position`,
    {
      prefix: range.first.slice(0, -digits),
      zeros: '0'.repeat(digits),
      firstSerial: Number(range.first.slice(-digits)),
      digits,
      family: batch.family,
      organisationId: batch.organisation_id,
      batchId: batch.id,
      now,
    },
  )
  await checkNumbered(trx, batch.id, range)
  // The version's snapshot is the applicant's fields without the photo file name: exactly
  // TitleCertificateFields / VocationalCertificateFields, as the import stores them.
  await trx.raw(
    `insert into certificate_versions (certificate_id, version, status, fields, photo_hash, created_at)
     select c.id, 1, 'pending', json_remove(a.fields, '$.photoName'), a.photo_hash, :now
     from certificates as c join applicants as a on a.id = c.applicant_id
     where c.number between :first and :last and c.batch_id = :batchId
     order by c.id`,
    { now, first: range.first, last: range.last, batchId: batch.id },
  )
  return range
}

/** Guards the SQL above against ever diverging from the allocator's numbers. */
async function checkNumbered(trx: Knex.Transaction, batchId: number, range: NumberedRange): Promise<void> {
  const row = (await trx('certificates')
    .where({ batch_id: batchId })
    .whereBetween('number', [range.first, range.last])
    .min({ first: 'number' })
    .max({ last: 'number' })
    .count({ n: '*' })
    .first()) as { first: string; last: string; n: number | string }
  if (row.first !== range.first || row.last !== range.last || Number(row.n) !== range.count) {
    throw new Error(`certificates of batch ${batchId} do not match the allocated numbers ${range.first}–${range.last}`)
  }
}
