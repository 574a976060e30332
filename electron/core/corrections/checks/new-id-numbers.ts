import type { Knex } from 'knex'
import { sameTitleKey } from '../../applications/checks/duplicates'
import { CORRECTION_HEADERS as HEADER } from './row-cells'
import { applyValue } from './field-values'
import { rowsByCertificate } from './new-values'
import { report, type CorrectionRow } from './types'

type Db = Knex | Knex.Transaction

const CHUNK = 500

/**
 * A corrected 证件号码 must not make the holder a second holder of a title or qualification they
 * already hold under that number (the intake's DUPLICATE_CERTIFICATE): looked up in chunks through
 * the holder index, compared on the current version's fields.
 */
export async function checkNewIdNumbers(db: Db, rows: CorrectionRow[]): Promise<void> {
  const wanted: Array<{ row: CorrectionRow; key: string }> = []
  for (const [certificate, group] of rowsByCertificate(rows)) {
    const idRow = group.find((row) => row.field === 'idNumber' && row.newValue !== undefined)
    if (!idRow) continue
    const merged = { ...certificate.fields }
    for (const row of group) if (row.newValue !== undefined && row.field !== 'photo') applyValue(merged, row.field!, row.newValue)
    wanted.push({ row: idRow, key: sameTitleKey(certificate.family, merged) })
  }
  for (let start = 0; start < wanted.length; start += CHUNK) {
    const slice = wanted.slice(start, start + CHUNK)
    const found = (await db('certificates as c')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .whereIn(
        'c.holder_id_number',
        slice.map((item) => item.row.newValue!),
      )
      .whereIn('c.status', ['active', 'pending'])
      .select('c.id', 'c.number', 'c.family', 'c.holder_id_number', 'v.fields')) as Array<{
      id: number
      number: string
      family: 'title' | 'vocational'
      holder_id_number: string
      fields: string
    }>
    for (const { row, key } of slice) {
      const same = found.find(
        (other) =>
          other.holder_id_number === row.newValue &&
          Number(other.id) !== row.certificate!.id &&
          other.family === row.certificate!.family &&
          sameTitleKey(other.family, JSON.parse(other.fields) as Record<string, string>) === key,
      )
      if (same) {
        report(row, HEADER.newValue, 'DUPLICATE_CERTIFICATE', `该证件号码已持有相同的证书（证书编号 ${same.number}），更正后将重复，请核对`)
      }
    }
  }
}
