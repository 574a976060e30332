import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { columnsOf } from '../../electron/contract/application-format'
import { people, writeApplicationWorkbook, writePhotoFolder } from '../fixtures/applications/generate'
import { createDemoCore, DEMO_PASSWORD } from '../helpers/calls'
import { cli } from '../helpers/cli'
import type { TestCore } from '../helpers/core'

describe('certdesk template and import', () => {
  let test: TestCore
  let work: string

  beforeAll(async () => {
    test = await createDemoCore()
    work = mkdtempSync(join(tmpdir(), 'certdesk-cli-import-'))
  }, 120_000)
  afterAll(async () => {
    await test.cleanup()
    rmSync(work, { recursive: true, force: true })
  })

  const as = (user: string, ...args: string[]) =>
    cli(['--data-dir', test.dataDir, ...args, '--user', user], { CERTDESK_PASSWORD: DEMO_PASSWORD })

  it('writes the template of each family without a user', async () => {
    for (const family of ['title', 'vocational'] as const) {
      const out = join(work, `${family}.xlsx`)
      const result = await cli(['--data-dir', test.dataDir, 'template', '--family', family, '--out', out])
      expect(result).toMatchObject({ code: 0, stderr: '' })
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.readFile(out)
      const headers = (workbook.worksheets[0].getRow(1).values as unknown[]).filter(Boolean)
      expect(headers).toEqual(columnsOf(family).map((column) => column.header))
      expect(workbook.getWorksheet('填表说明')).toBeDefined()
    }
    const wrong = await cli(['--data-dir', test.dataDir, 'template', '--family', 'paper', '--out', join(work, 'x.xlsx')])
    expect(wrong.code).not.toBe(0)
    expect(wrong.stderr).toContain('--family 只能是')
  })

  it('imports a batch as the clerk, saves the error workbook, and the batch is in the review queue', async () => {
    const rows = people('title', 3).map((person) => person.row)
    rows[1][4] = rows[1][4].slice(0, 17) + (rows[1][4][17] === '1' ? '2' : '1')
    const file = join(work, 'batch.xlsx')
    await writeApplicationWorkbook(file, 'title', rows)
    await writePhotoFolder(
      join(work, 'photos'),
      rows.map((row) => row[4]),
    )
    const errors = join(work, 'errors.xlsx')
    const args = ['--json', 'import', '--family', 'title', '--org', 'WSHL', '--file', file, '--photos', join(work, 'photos')]
    const result = await as('clerk', ...args, '--errors-out', errors)
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const { batch, errorsFile } = JSON.parse(result.stdout) as {
      batch: { id: number; applicantCount: number; errorCount: number }
      errorsFile: string
    }
    expect(batch).toMatchObject({ applicantCount: 3, errorCount: 1 })
    expect(errorsFile).toBe(errors)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(errors)
    expect(workbook.worksheets[0].actualRowCount).toBe(2)

    const queue = await as('reviewer', '--json', 'review', 'list', '--queue', 'to_review')
    expect(JSON.parse(queue.stdout).map((item: { id: number }) => item.id)).toContain(batch.id)
    // The sealer's desk cannot import: one Chinese line, exit 1, nothing stored.
    const refused = await as('sealer', ...args)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^\{.*FORBIDDEN/)
  })
})
