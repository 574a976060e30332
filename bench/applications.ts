import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { seedDemo } from '../db/seeds/demo'
import { openCore } from '../electron/core/app'
import { people, writeApplicationWorkbook, writePhotoFolder } from '../tests/fixtures/applications/generate'
import { benchReviewPage } from './review-page'
import type { BenchRow } from './table'

const run = promisify(execFile)

interface ChildFigures {
  ms: number
  rows: number
  peakRssMb: number
  batchId?: number
}

/** Runs one step of bench/import-child.ts in a fresh process and returns its figures. */
async function child(...args: string[]): Promise<ChildFigures> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'import-child.ts'), ...args], {
    maxBuffer: 16 * 1024 * 1024,
  })
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildFigures
}

/** A demo data directory with a title workbook of `count` rows and, optionally, one photo per row. */
async function prepare(work: string, count: number, withPhotos: boolean): Promise<{ dataDir: string; file: string; photos?: string }> {
  const dataDir = join(work, `data-${count}`)
  const core = await openCore({ dataDir })
  await seedDemo(core, () => 'Bench-pass-2026')
  await core.close()
  const generated = people('title', count)
  const file = join(work, `batch-${count}.xlsx`)
  await writeApplicationWorkbook(
    file,
    'title',
    generated.map((person) => person.row),
  )
  if (!withPhotos) return { dataDir, file }
  const photos = join(work, `photos-${count}`)
  await writePhotoFolder(
    photos,
    generated.map((person) => person.idNumber),
  )
  return { dataDir, file, photos }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/**
 * Issue 3: import and check 10,000 rows with 10,000 photos (< 3 s) and 100,000 rows (< 30 s,
 * peak < 400 MB), each against a bare exceljs streaming read of the same file; then the review
 * page on the 10,000-applicant batch (open < 1 s, filter < 100 ms).
 */
export async function benchApplications(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'certdesk-bench-applications-'))
  try {
    const small = await prepare(work, 10_000, true)
    const smallImport = await child('import', small.dataDir, small.file, small.photos!)
    const smallBare = await child('bare', small.file)
    const large = await prepare(work, 100_000, false)
    const largeImport = await child('import', large.dataDir, large.file)
    const largeBare = await child('bare', large.file)
    const review = await benchReviewPage(small.dataDir, smallImport.batchId!)
    return [
      {
        issue: '#3',
        figure: 'import + checks, 10,000 rows + 10,000 photos (durable, one transaction)',
        value: seconds(smallImport.ms),
        target: '< 3 s',
      },
      {
        issue: '#3',
        figure: 'bare exceljs streaming read of the same 10,000-row file',
        value: `${seconds(smallBare.ms)} (import = ${(smallImport.ms / smallBare.ms).toFixed(1)}×)`,
        target: 'baseline',
      },
      {
        issue: '#3',
        figure: 'import + checks, 100,000 rows (no photos: every row gets PHOTO_MISSING)',
        value: seconds(largeImport.ms),
        target: '< 30 s',
      },
      { issue: '#3', figure: 'peak RSS of that 100,000-row import process', value: `${largeImport.peakRssMb} MB`, target: '< 400 MB' },
      {
        issue: '#3',
        figure: 'bare exceljs streaming read of the same 100,000-row file',
        value: `${seconds(largeBare.ms)}, ${largeBare.peakRssMb} MB (import = ${(largeImport.ms / largeBare.ms).toFixed(1)}×)`,
        target: 'baseline',
      },
      ...review,
    ]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
