import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { PDFDocument } from 'pdf-lib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BatchIssue } from '../../electron/contract/applications'
import type { Family } from '../../electron/contract/roles'
import type { ImportRequest } from '../../electron/core/applications/import/import-service'
import type { Actor } from '../../electron/core/users/access'
import { loadActor } from '../../electron/core/users/users-repository'
import { AppError } from '../../electron/core/util/app-error'
import { people, photoFor, residentId, writeApplicationWorkbook, writePhotoFolder } from '../fixtures/applications/generate'
import type { TestCore } from '../helpers/core'
import { createDemoCore, organisationId, userId } from '../helpers/calls'
import { clonePerTest } from '../helpers/template'

const WSHL = '上海市卫生系列护理专业高级职称评审委员会'
const JSKS = '上海市建设工程考试中心'

let test: TestCore
let work: string

clonePerTest(createDemoCore, (clone) => {
  test = clone
})
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-import-'))
})
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
})

async function actor(username: string): Promise<Actor> {
  return (await loadActor(test.core.db, await userId(test, username)))!
}

async function notice(): Promise<string> {
  const pdf = await PDFDocument.create()
  pdf.addPage()
  const path = join(work, 'notice.pdf')
  writeFileSync(path, await pdf.save())
  return path
}

/** Writes a workbook (and photos for every row) and imports it as `username`. */
async function importRows(
  family: Family,
  rows: string[][],
  options: { username?: string; organisation?: string; photos?: boolean; notice?: boolean; ids?: string[] } = {},
) {
  const file = join(work, `${family}.xlsx`)
  await writeApplicationWorkbook(file, family, rows)
  const photos = join(work, 'photos')
  if (options.photos !== false) await writePhotoFolder(photos, options.ids ?? rows.map((row) => row[4]))
  const request: ImportRequest = {
    family,
    organisationId: await organisationId(test, options.organisation ?? (family === 'title' ? WSHL : JSKS)),
    workbookPath: file,
    fileName: '制证名单.xlsx',
    photosPath: options.photos === false ? null : photos,
    noticePath: options.notice === false ? null : await notice(),
  }
  return test.core.imports.importBatch(await actor(options.username ?? 'clerk'), request)
}

async function issuesOf(batchId: number): Promise<BatchIssue[]> {
  return test.core.review.issues(await actor('clerk'), batchId)
}

async function snapshot() {
  const count = async (table: string) => Number(((await test.core.db(table).count({ n: '*' })) as Array<{ n: number }>)[0].n)
  return {
    batches: await count('application_batches'),
    applicants: await count('applicants'),
    issues: await count('batch_issues'),
    files: await count('files'),
    audit: await count('audit_log'),
  }
}

describe('importing an application batch', () => {
  it('stores a clean title batch whole: applicants, photos in a pack, notice, one audit entry without personal data', async () => {
    const rows = people('title', 5).map((person) => person.row)
    const batch = await importRows('title', rows)
    expect(batch).toMatchObject({
      state: 'submitted',
      family: 'title',
      level: 'senior',
      applicantCount: 5,
      errorCount: 0,
      warningCount: 0,
      organisationCode: 'WSHL',
      declarationYear: 2026,
    })
    const applicants = await test.core.review.applicants(await actor('clerk'), batch.id)
    expect(applicants.map((applicant) => applicant.rowNumber)).toEqual([2, 3, 4, 5, 6])
    expect(applicants.every((applicant) => applicant.hasPhoto)).toBe(true)
    expect(applicants[0].fields).toMatchObject({ gender: '女', level: 'senior', idType: '居民身份证', obtainedOn: '2025-12-20' })
    const photo = await test.core.review.photo(await actor('clerk'), applicants[0].id)
    expect(Buffer.from(photo!.base64, 'base64')).toEqual(photoFor(rows[0][4]))
    const packed = (await test.core.db('files').whereNotNull('pack_offset').count({ n: '*' })) as Array<{ n: number }>
    expect(Number(packed[0].n)).toBe(5)
    const entry = await test.core.db('audit_log').where({ action: 'batch.import' }).first()
    expect(entry.object_id).toBe(String(batch.id))
    const logged = JSON.stringify(entry)
    for (const row of rows) {
      expect(logged).not.toContain(row[4])
      expect(logged).not.toContain(row[0])
    }
  })

  it('keeps every photo of a batch larger than one pack write intact and readable by its hash', async () => {
    const rows = people('title', 220).map((person) => person.row)
    const batch = await importRows('title', rows)
    expect(batch.errorCount).toBe(0)
    const stored = (await test.core.db('applicants').where({ batch_id: batch.id }).orderBy('row_number').select('photo_hash')) as Array<{
      photo_hash: string
    }>
    for (const [index, row] of stored.entries()) {
      // Buffer.equals: vitest's deep equality walks 24 KB byte by byte, 220 times.
      expect(
        Buffer.from((await test.core.files.read(test.core.db, row.photo_hash)).bytes).equals(photoFor(rows[index][4])),
        `row ${index + 2}`,
      ).toBe(true)
    }
  })

  it('names every failed check by row and column, stores the batch with its issue list and an error workbook', async () => {
    const [good, badCheck, future, noPhoto, duplicate, notGranted] = people('title', 6).map((person) => person.row)
    badCheck[4] = badCheck[4].slice(0, 17) + (badCheck[4][17] === '1' ? '2' : '1')
    future[10] = '2099-01-01'
    notGranted[6] = '中级'
    duplicate[4] = good[4]
    duplicate[1] = good[1]
    duplicate[2] = good[2]
    const rows = [good, badCheck, future, noPhoto, duplicate, notGranted]
    const ids = rows.filter((row) => row !== noPhoto).map((row) => row[4])
    const batch = await importRows('title', rows, { ids })
    const issues = await issuesOf(batch.id)
    const at = (row: number) => issues.filter((item) => item.rowNumber === row).map((item) => `${item.column}:${item.code}`)
    expect(at(2)).toEqual([])
    expect(at(3)).toContain('证件号码:ID_CHECK_CHARACTER')
    expect(at(4)).toContain('取得职称时间:DATE_FUTURE')
    expect(at(5)).toContain('照片文件名:PHOTO_MISSING')
    expect(at(6)).toContain('证件号码:DUPLICATE_IN_BATCH')
    expect(at(7)).toContain('职称级别:ORGANISATION_NOT_GRANTED')
    for (const item of issues) expect(item.message).toMatch(new RegExp(`第 ${item.rowNumber} 行`))
    expect(batch.errorCount).toBe(issues.filter((item) => item.severity === 'error').length)
    const workbook = await test.core.review.errorWorkbook(await actor('clerk'), batch.id)
    const read = new ExcelJS.Workbook()
    await read.xlsx.load(Buffer.from(workbook.base64, 'base64') as unknown as ExcelJS.Buffer)
    const sheet = read.worksheets[0]
    const headers = (sheet.getRow(1).values as unknown[]).filter(Boolean)
    expect(headers).toContain('错误说明')
    expect(sheet.actualRowCount - 1).toBe(5)
    // The clerk corrects the error workbook and imports it as it is: its extra columns are ignored.
    const corrected = join(work, 'corrected.xlsx')
    sheet.spliceRows(2, 1)
    await read.xlsx.writeFile(corrected)
    const again = await test.core.imports.importBatch(await actor('clerk'), {
      family: 'title',
      organisationId: await organisationId(test, WSHL),
      workbookPath: corrected,
      fileName: 'corrected.xlsx',
      photosPath: join(work, 'photos'),
      noticePath: null,
    })
    expect(again.applicantCount).toBe(4)
  })

  it('finds the same person already holding the same title, and accepts a 15-digit number converted with a warning', async () => {
    const [held, legacy] = people('title', 2).map((person) => person.row)
    // The demo certificate 2025WSHL00001: 王丽华, 310101198503120022, 高级 副主任护师.
    Object.assign(held, { 0: '王丽华', 1: '女', 2: '1985-03', 4: '310101198503120022' })
    legacy[4] = '310101850312002'
    Object.assign(legacy, { 1: '女', 2: '1985-03' })
    const ids = [held[4], residentId(0, '19850312', '女')]
    const batch = await importRows('title', [held, legacy], { ids: [...ids, '310101198503120020'] })
    const issues = await issuesOf(batch.id)
    expect(issues.find((item) => item.rowNumber === 2 && item.code === 'DUPLICATE_CERTIFICATE')?.message).toContain('2025WSHL00001')
    expect(issues.find((item) => item.rowNumber === 3 && item.code === 'ID_CONVERTED_15')?.severity).toBe('warning')
  })

  it('warns when no result notice is attached, and imports vocational rows with the 执业 kind', async () => {
    const rows = people('vocational', 2).map((person) => person.row)
    const batch = await importRows('vocational', rows, { notice: false })
    expect(batch.warningCount).toBe(1)
    expect((await issuesOf(batch.id)).map((item) => item.code)).toEqual(['NOTICE_MISSING'])
    const applicants = await test.core.review.applicants(await actor('clerk'), batch.id)
    expect(applicants[0].fields).toMatchObject({ qualificationName: '建造师', qualificationKind: '执业', level: '一级' })
  })

  it('lets a supervising department import for the bodies under it only, and refuses other desks', async () => {
    const rows = people('title', 1).map((person) => person.row)
    expect((await importRows('title', rows, { username: 'reviewer' })).createdByName).toBe('卫健委审核员')
    const before = await snapshot()
    await expect(
      importRows(
        'vocational',
        people('vocational', 1).map((p) => p.row),
        { username: 'reviewer' },
      ),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(importRows('title', rows, { username: 'sealer' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // A title workbook for an exam institution: the wrong kind of applying organisation.
    await expect(importRows('title', rows, { organisation: JSKS })).rejects.toBeInstanceOf(AppError)
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a workbook of the other family, an empty one and a non-PDF notice, changing nothing', async () => {
    const before = await snapshot()
    const title = people('title', 1).map((person) => person.row)
    const file = join(work, 'title.xlsx')
    await writeApplicationWorkbook(file, 'title', title)
    const organisationIdValue = await organisationId(test, JSKS)
    const clerk = await actor('clerk')
    const request = {
      family: 'vocational' as const,
      organisationId: organisationIdValue,
      fileName: 'x.xlsx',
      photosPath: null,
      noticePath: null,
    }
    await expect(test.core.imports.importBatch(clerk, { ...request, workbookPath: file })).rejects.toBeInstanceOf(AppError)
    const empty = join(work, 'empty.xlsx')
    await writeApplicationWorkbook(empty, 'vocational', [])
    await expect(test.core.imports.importBatch(clerk, { ...request, workbookPath: empty })).rejects.toThrow('没有数据行')
    const fake = join(work, 'notice.pdf.txt')
    writeFileSync(fake, 'not a pdf')
    await writeApplicationWorkbook(
      file,
      'vocational',
      people('vocational', 1).map((p) => p.row),
    )
    await expect(test.core.imports.importBatch(clerk, { ...request, workbookPath: file, noticePath: fake })).rejects.toThrow('不是 PDF')
    expect(await snapshot()).toEqual(before)
    const packs = join(test.dataDir, 'files', 'packs')
    expect(existsSync(packs) ? readdirSync(packs).filter((name) => name.endsWith('.tmp')) : []).toEqual([])
  })
})
