import ExcelJS from 'exceljs'
import { openCore } from '../electron/core/app'
import { loadActor } from '../electron/core/users/users-repository'

/**
 * One measured step in a process of its own, so its peak memory (maxRSS) is that step's alone.
 * Prints one JSON line.
 *   tsx bench/import-child.ts import DATA_DIR FILE [PHOTOS]   the full import, as the clerk
 *   tsx bench/import-child.ts bare FILE                       a bare exceljs streaming read
 */
async function importOnce(dataDir: string, file: string, photos: string | undefined): Promise<void> {
  const core = await openCore({ dataDir })
  try {
    const organisation = (await core.db('organisations').where({ code: 'WSHL' }).first('id')) as { id: number }
    const clerkId = ((await core.db('users').where({ username: 'clerk' }).first('id')) as { id: number }).id
    const clerk = (await loadActor(core.db, clerkId))!
    const start = process.hrtime.bigint()
    const batch = await core.imports.importBatch(clerk, {
      family: 'title',
      organisationId: organisation.id,
      workbookPath: file,
      fileName: 'batch.xlsx',
      photosPath: photos ?? null,
      noticePath: null,
    })
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    console.log(JSON.stringify({ ms, rows: batch.applicantCount, errors: batch.errorCount, batchId: batch.id, peakRssMb: peakRssMb() }))
  } finally {
    await core.close()
  }
}

async function bareRead(file: string): Promise<void> {
  const start = process.hrtime.bigint()
  let rows = 0
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit', styles: 'cache' })
  for await (const sheet of reader) for await (const row of sheet) rows += row ? 1 : 0
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  console.log(JSON.stringify({ ms, rows, peakRssMb: peakRssMb() }))
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

const [mode, ...args] = process.argv.slice(2)
const work = mode === 'import' ? importOnce(args[0], args[1], args[2]) : bareRead(args[0])
work.catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
