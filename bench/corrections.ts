import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { seedDemo } from '../db/seeds/demo'
import { openCore, type Core } from '../electron/core/app'
import { loadActor } from '../electron/core/users/users-repository'
import { certificateOf, correctionRow, insertActiveCertificates } from '../tests/fixtures/corrections/certificates'
import { writeLargeCorrectionTable, type TableRow } from '../tests/fixtures/corrections/tables'
import { timed, type BenchRow } from './table'

const COUNT = 5_000

/** A mixed table: employers, specialties, dates, names (the font check) and ID numbers with their birth month. */
function tableRows(count: number, breakLast: boolean): TableRow[] {
  return Array.from({ length: count }, (_, offset) => {
    const certificate = certificateOf('WSHL', 'title', offset + 1)
    const kind = offset % 4
    if (breakLast && offset === count - 1) return correctionRow(certificate, '取得职称时间', '2025-02-30')
    if (kind === 0) return correctionRow(certificate, '工作单位', `上海市第${(offset % 9) + 1}人民医院分院`)
    if (kind === 1) return correctionRow(certificate, '专业名称', '内科护理')
    if (kind === 2) return correctionRow(certificate, '取得职称时间', '2025年12月19日')
    return correctionRow(certificate, '姓名', `${certificate.fields.name}华`)
  })
}

/** The straightforward approach, for comparison: one query per row for its certificate and its open corrections. */
async function perRowQueries(core: Core, rows: TableRow[]): Promise<number> {
  let found = 0
  for (const row of rows) {
    const certificate = (await core
      .db('certificates as c')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .where('c.number', row.number as string)
      .first('c.id', 'v.fields')) as { id: number } | undefined
    if (!certificate) continue
    await core.db('correction_rows').where('certificate_id', certificate.id).first('id')
    found += 1
  }
  return found
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/**
 * Issue 6: a 5,000-row correction table checked (< 2 s) against a database holding its 5,000
 * certificates — refused whole for its last row (every check plus the error workbook), then
 * accepted and stored — beside exceljs's plain read of the same file and the per-row query approach.
 */
export async function benchCorrections(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'certdesk-bench-corrections-'))
  try {
    const core = await openCore({ dataDir: join(work, 'data') })
    try {
      await seedDemo(core, () => 'Bench-pass-2026')
      await insertActiveCertificates(core, { organisationCode: 'WSHL', family: 'title', count: COUNT })
      const reviewer = (await loadActor(
        core.db,
        ((await core.db('users').where({ username: 'reviewer' }).first('id')) as { id: number }).id,
      ))!
      const refusedFile = await writeLargeCorrectionTable(join(work, 'refused.xlsx'), tableRows(COUNT, true))
      const acceptedFile = await writeLargeCorrectionTable(join(work, 'accepted.xlsx'), tableRows(COUNT, false))
      const submit = (file: string) =>
        core.corrections.importTable(reviewer, { tablePath: file, fileName: 'table.xlsx', explanationPath: null, proofsPath: null })
      const refused = await timed(() => submit(refusedFile))
      if (refused.value.accepted || refused.value.errorCount !== 1)
        throw new Error('the benchmark table should be refused for its last row only')
      const accepted = await timed(() => submit(acceptedFile))
      if (!accepted.value.accepted) throw new Error(`the benchmark table was refused: ${accepted.value.messages[0]}`)
      const plain = await timed(async () => {
        const workbook = new ExcelJS.Workbook()
        await workbook.xlsx.readFile(acceptedFile)
        return workbook.worksheets[0].rowCount
      })
      const perRow = await timed(() => perRowQueries(core, tableRows(COUNT, false)))
      return [
        {
          issue: '#6',
          figure: `correction table, ${COUNT.toLocaleString('en')} rows: every check, refused whole for its last row (+ error workbook; first use loads the font)`,
          value: seconds(refused.ms),
          target: '< 2 s',
        },
        {
          issue: '#6',
          figure: `the same table corrected: every check + stored (durable, one transaction)`,
          value: seconds(accepted.ms),
          target: '< 2 s',
        },
        {
          issue: '#6',
          figure: `exceljs plain read of the same ${COUNT.toLocaleString('en')}-row file`,
          value: seconds(plain.ms),
          target: 'baseline',
        },
        {
          issue: '#6',
          figure: 'per-row queries for the same certificates (2 queries a row)',
          value: seconds(perRow.ms),
          target: 'baseline',
        },
      ]
    } finally {
      await core.close()
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
