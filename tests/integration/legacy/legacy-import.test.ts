import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LegacyImportResult } from '../../../electron/contract/legacy'
import type { Family } from '../../../electron/contract/roles'
import type { Actor } from '../../../electron/core/users/access'
import { columnsOf } from '../../../electron/contract/application-format'
import type { TestCore } from '../../helpers/core'
import { actorOf, addUser } from '../../helpers/batches'
import { call, CHINESE, createDemoCore, expectError, expectOk, organisationId } from '../../helpers/calls'
import {
  countOf,
  examRecord,
  importLegacy,
  legacyHeaders,
  rowsOf,
  titleRecord,
  writeLegacyWorkbook,
  type TestCell,
} from '../../helpers/legacy'
import { clonePerTest, sessionFor } from '../../helpers/template'

const WSHL = '上海市卫生系列护理专业高级职称评审委员会'
const JSKS = '上海市建设工程考试中心'

let test: TestCore
let work: string
let clerk: Actor

clonePerTest(createDemoCore, async (clone) => {
  test = clone
  clerk = await actorOf(clone.core, 'clerk')
})
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-legacy-'))
})
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
})

async function importRecords(family: Family, records: Array<Record<string, TestCell>>, actor = clerk): Promise<LegacyImportResult> {
  return importLegacy(test.core, actor, family, await organisationId(test, family === 'title' ? WSHL : JSKS), records, work)
}

/** What an import may change: a refused one changes none of it. */
async function snapshot() {
  const tables = ['certificates', 'certificate_versions', 'legacy_imports', 'legacy_records', 'files', 'audit_log']
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await countOf(test.core, table)])))
}

function refused(result: LegacyImportResult): Extract<LegacyImportResult, { accepted: false }> {
  if (result.accepted) throw new Error('expected the workbook to be refused')
  return result
}

async function errorWorkbookRows(result: Extract<LegacyImportResult, { accepted: false }>): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.from(result.errorWorkbook.base64, 'base64') as unknown as ArrayBuffer)
  const rows: string[][] = []
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ''))))
  return rows
}

describe('the import templates', () => {
  for (const family of ['title', 'vocational'] as const) {
    it(`${family}: the list sheet has the legacy columns, drop-downs and a 填表说明 sheet`, async () => {
      const file = await test.core.legacy.imports.template(clerk, family)
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([expect.stringContaining('名单'), '填表说明'])
      expect((workbook.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(legacyHeaders(family))
      const gender = workbook.worksheets[0].getCell('B2').dataValidation
      expect(gender).toMatchObject({ type: 'list', formulae: ['"男,女"'] })
      const instructions: string[] = []
      workbook.worksheets[1].eachRow((row) => instructions.push(String(row.getCell(1).value ?? '')))
      for (const header of legacyHeaders(family)) expect(instructions).toContain(header)
      expect(instructions.join('\n')).toMatch(/2010/)
      expect(instructions.join('\n')).toContain('只要有一行有错，整个文件都不导入')
    })
  }
})

describe('importing valid records', () => {
  it('stores title records as active legacy certificates without batch or PDF, version 1 with the snapshot', async () => {
    const before = await snapshot()
    const result = await importRecords('title', [
      titleRecord(0, { number: 'hl-2015/0001' }),
      titleRecord(1, { employer: null, idType: '护照', idNumber: 'e1234567' }),
      titleRecord(2, { level: '中级', titleName: '主管护师', obtainedOn: '2010-01-01' }),
    ])
    expect(result).toMatchObject({ accepted: true, imported: 3 })
    const certificates = await test.core.db('certificates').where({ legacy: true }).orderBy('id')
    expect(certificates.map((row) => row.number)).toEqual(['HL20150001', 'HL20150002', 'HL20150003'])
    for (const row of certificates) {
      expect(row).toMatchObject({ family: 'title', status: 'active', batch_id: null, applicant_id: null, current_version: 1 })
    }
    expect(certificates.map((row) => row.level)).toEqual(['senior', 'senior', 'intermediate'])
    const versions = await test.core
      .db('certificate_versions')
      .whereIn(
        'certificate_id',
        certificates.map((row) => row.id),
      )
      .orderBy('id')
    expect(versions.every((version) => version.version === 1 && version.pdf_hash === null && version.photo_hash === null)).toBe(true)
    const first = JSON.parse(versions[0].fields)
    expect(first).toEqual({
      name: '历史1',
      gender: '女',
      birthMonth: '1975-03',
      idType: '居民身份证',
      idNumber: titleRecord(0).idNumber,
      employer: '上海市第一人民医院',
      level: 'senior',
      titleName: '副主任护师',
      specialty: '护理学',
      reviewBody: WSHL,
      obtainedOn: '2015-12-20',
    })
    // Paper records lack some items: no birth month without a resident ID, no employer when the archive has none.
    expect(JSON.parse(versions[1].fields)).toMatchObject({ birthMonth: '', employer: '', idType: '护照', idNumber: 'E1234567' })
    expect(await test.core.db('legacy_records').orderBy('certificate_id').pluck('row_number')).toEqual([2, 3, 4])
    const after = await snapshot()
    expect(after).toMatchObject({ certificates: before.certificates + 3, legacy_imports: 1, audit_log: before.audit_log + 1 })
    const entry = await test.core.db('audit_log').orderBy('id', 'desc').first()
    expect(entry).toMatchObject({ action: 'legacy.import', object_type: 'legacy_import' })
    // Counts and hashes only, never a name or an ID number.
    expect(entry.details).not.toMatch(/历史|310101|E1234567|HL2015/)
    const imported = await test.core.db('legacy_imports').first()
    expect(await test.core.db('files').where({ hash: imported.workbook_hash }).first()).toBeDefined()
  })

  it('stores exam records with the exam year, the kind of qualification and an empty 批准日期 where the data lacks it', async () => {
    const result = await importRecords('vocational', [
      examRecord(0),
      examRecord(1, { approvedOn: null, examYear: 2019, qualificationName: '人力资源管理师' }),
    ])
    expect(result).toMatchObject({ accepted: true, imported: 2 })
    const rows = await test.core
      .db('certificates as c')
      .join('certificate_versions as v', 'v.certificate_id', 'c.id')
      .where('c.legacy', true)
      .orderBy('c.id')
      .select('c.level', 'c.issued_at', 'v.fields')
    expect(rows.map((row) => [row.level, row.issued_at])).toEqual([
      ['一级', '2017-01-20'],
      ['一级', null],
    ])
    expect(JSON.parse(rows[0].fields)).toMatchObject({
      qualificationName: '建造师',
      qualificationKind: '执业',
      category: '建筑工程',
      examYear: '2016',
      approvedOn: '2017-01-20',
    })
    expect(JSON.parse(rows[1].fields)).toMatchObject({
      qualificationName: '人力资源管理师',
      qualificationKind: '职业',
      examYear: '2019',
      approvedOn: '',
    })
  })
})

function wrongCheckCharacter(id: string): string {
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0')
}

/** One bad cell in an otherwise valid record: refused whole, with the row and column named in Chinese. */
const TITLE_REFUSALS: Array<[string, Record<string, TestCell>, string, RegExp]> = [
  ['an empty name', { name: null }, '姓名', /必填/],
  ['a gender that is neither 男 nor 女', { gender: 'F' }, '性别', /男.*女/],
  ['an unknown ID type', { idType: '驾驶证' }, '证件类型', /不是可选的证件类型/],
  ['a wrong check character', { idNumber: wrongCheckCharacter(String(titleRecord(1).idNumber)) }, '证件号码', /校验/],
  ['an ID number stored as a number', { idNumber: 310101197503120000 }, '证件号码', /15 位有效数字/],
  ['a gender against the ID number', { gender: '女' }, '性别', /不一致/],
  ['an unknown level', { level: '特级' }, '职称级别', /不是可选的职称级别/],
  ['a title obtained before 2010', { obtainedOn: '2009-12-31' }, '取得职称时间', /早于 2010-01-01.*第八条/],
  ['a title obtained on the electronic certificates', { obtainedOn: '2024-09-01' }, '取得职称时间', /电子证书/],
  ['a number with Chinese characters', { number: '沪高评2015第1号' }, '证书编号', /只能由字母和数字组成/],
  ['a number too short', { number: 'A-1' }, '证书编号', /应为 4–32 位/],
  ['a formula', { titleName: { formula: '"副主任"&"护师"' } }, '职称名称', /是公式/],
]

describe('each refusal of a title row', () => {
  for (const [what, change, column, message] of TITLE_REFUSALS) {
    it(`refuses the whole workbook for ${what}, naming row and column, and stores nothing`, async () => {
      const before = await snapshot()
      const result = refused(await importRecords('title', [titleRecord(0), titleRecord(1, change), titleRecord(2)]))
      expect(result.errorCount).toBe(1)
      expect(result.messages[0]).toMatch(new RegExp(`^第 3 行「${column}」`))
      expect(result.messages[0]).toMatch(message)
      expect(result.messages[0]).toMatch(CHINESE)
      expect(await snapshot()).toEqual(before)
    })
  }
})

describe('each refusal of an exam row', () => {
  const cases: Array<[string, Record<string, TestCell>, string, RegExp]> = [
    ['an exam year before 2010', { examYear: '2008', approvedOn: null }, '考试年度', /早于 2010 年/],
    ['an exam year that is no year', { examYear: '16年' }, '考试年度', /四位年份/],
    ['an approval before the exam year', { examYear: '2016', approvedOn: '2015-06-01' }, '批准日期', /早于考试年度/],
    ['an approval on the electronic certificates', { examYear: '2024', approvedOn: '2024-10-08' }, '批准日期', /电子证书/],
    ['an unknown level', { level: '特级' }, '级别', /不是可选的级别/],
  ]
  for (const [what, change, column, message] of cases) {
    it(`refuses ${what}`, async () => {
      const before = await snapshot()
      const result = refused(await importRecords('vocational', [examRecord(0, change)]))
      expect(result.messages).toEqual([expect.stringMatching(new RegExp(`^第 2 行「${column}」.*${message.source}`))])
      expect(await snapshot()).toEqual(before)
    })
  }
})

describe('whole or nothing, with an error workbook', () => {
  it('keeps nothing of a workbook with one bad row among good ones, and the corrected error workbook imports as it is', async () => {
    const before = await snapshot()
    const records = [0, 1, 2, 3, 4].map((index) => titleRecord(index))
    records[3] = titleRecord(3, { obtainedOn: '2008-06-30' })
    const result = refused(await importRecords('title', records))
    expect(result).toMatchObject({ rowCount: 5, errorCount: 1 })
    expect(await snapshot()).toEqual(before)
    const rows = await errorWorkbookRows(result)
    expect(rows[0]).toEqual(['原行号', ...legacyHeaders('title'), '错误说明'])
    expect(rows).toHaveLength(2)
    expect(rows[1][0]).toBe('5')
    expect(rows[1].at(-1)).toMatch(/^第 5 行「取得职称时间」/)

    // The clerk corrects the cell in the error workbook and imports that very file.
    const fixed = rows.map((row) => [...row])
    fixed[1][legacyHeaders('title').indexOf('取得职称时间') + 1] = '2018-06-30'
    const path = join(work, 'corrected.xlsx')
    await writeLegacyWorkbook(path, fixed[0], fixed.slice(1))
    const organisation = await organisationId(test, WSHL)
    const again = await test.core.legacy.imports.importFile(clerk, {
      family: 'title',
      organisationId: organisation,
      workbookPath: path,
      fileName: 'corrected.xlsx',
    })
    expect(again).toMatchObject({ accepted: true, imported: 1 })
  })

  it('refuses a workbook that is not one: CSV text named .xlsx, an empty sheet, the wrong kind, a production application list', async () => {
    const organisation = await organisationId(test, WSHL)
    const before = await snapshot()
    const attempt = (path: string) =>
      test.core.legacy.imports.importFile(clerk, {
        family: 'title',
        organisationId: organisation,
        workbookPath: path,
        fileName: 'list.xlsx',
      })
    const csv = join(work, 'csv.xlsx')
    writeFileSync(csv, '姓名,性别\n张三,男\n')
    await expect(attempt(csv)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('CSV') })
    const empty = join(work, 'empty.xlsx')
    await writeLegacyWorkbook(empty, legacyHeaders('title'), [])
    await expect(attempt(empty)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('没有数据行') })
    const exam = join(work, 'exam.xlsx')
    await writeLegacyWorkbook(exam, legacyHeaders('vocational'), rowsOf('vocational', [examRecord(0)]))
    await expect(attempt(exam)).rejects.toMatchObject({
      message: expect.stringMatching(/历史考试合格记录的工作簿.*不能作为历史职称记录导入/),
    })
    const application = join(work, 'application.xlsx')
    await writeLegacyWorkbook(
      application,
      columnsOf('title').map((column) => column.header),
      [],
    )
    await expect(attempt(application)).rejects.toMatchObject({ message: expect.stringContaining('制证申请的统一格式名单') })
    const missing = join(work, 'missing.xlsx')
    await writeLegacyWorkbook(
      missing,
      legacyHeaders('title').filter((header) => header !== '证书编号'),
      [],
    )
    await expect(attempt(missing)).rejects.toMatchObject({ message: expect.stringContaining('缺少必填列 「证书编号」') })
    expect(await snapshot()).toEqual(before)
  })
})

describe('duplicates', () => {
  it('refuses the same paper number twice in one workbook, also when they differ only by separators', async () => {
    const result = refused(
      await importRecords('title', [titleRecord(0, { number: 'HL-2015-0009' }), titleRecord(1, { number: 'hl 2015 0009' })]),
    )
    expect(result.messages).toEqual(['第 3 行「证书编号」：编号 HL20150009 与第 2 行相同'])
  })

  it('refuses the same person with the same title twice in one workbook', async () => {
    const result = refused(await importRecords('title', [titleRecord(0), titleRecord(0, { number: 'HL20159999' })]))
    expect(result.messages[0]).toMatch(/^第 3 行「证件号码」：与第 2 行重复/)
  })

  it('refuses numbers already in the register: an issued certificate and an imported record', async () => {
    expect(await importRecords('title', [titleRecord(0)])).toMatchObject({ accepted: true })
    const result = refused(
      await importRecords('title', [titleRecord(5, { number: '2025WSHL00001' }), titleRecord(6, { number: 'HL20150001' })]),
    )
    expect(result.messages).toEqual([
      '第 2 行「证书编号」：编号 2025WSHL00001 已被证书库中本系统制发的证书使用，不能重复导入',
      '第 3 行「证书编号」：编号 HL20150001 已被证书库中已导入的历史记录使用，不能重复导入',
    ])
  })

  it('refuses a person who already holds the same title in the register, under another number', async () => {
    expect(await importRecords('title', [titleRecord(0)])).toMatchObject({ accepted: true })
    const result = refused(await importRecords('title', [titleRecord(0, { number: 'OTHER00001' })]))
    expect(result.messages).toEqual(['第 2 行「证件号码」：此人的相同职称已在证书库中（证书编号 HL20150001），不能重复导入'])
  })
})

describe('who may import', () => {
  it('only the institute clerks: not reviewers, not a clerk account of a review body; only for an organisation of the kind', async () => {
    await addUser(test.core, { username: 'board-clerk', displayName: '评委会工作人员', organisation: WSHL, roles: ['clerk'] })
    const before = await snapshot()
    const reviewer = await actorOf(test.core, 'reviewer')
    await expect(importRecords('title', [titleRecord(0)], reviewer)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(importRecords('title', [titleRecord(0)], await actorOf(test.core, 'board-clerk'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('市职业能力考试院的备案员'),
    })
    await expect(test.core.legacy.imports.organisations(reviewer, 'title')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const exam = await organisationId(test, JSKS)
    await expect(importLegacy(test.core, clerk, 'title', exam, [titleRecord(0)], work)).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('不是评审机构'),
    })
    expect(await snapshot()).toEqual(before)
    expect((await test.core.legacy.imports.organisations(clerk, 'vocational')).map((row) => row.name)).toEqual([JSKS])
  })
})

describe('through the contract', () => {
  it('imports a workbook sent through uploads.*, refuses a bad payload at the boundary, and drops the upload once stored', async () => {
    const session = await sessionFor(test, 'clerk')
    const path = join(work, 'records.xlsx')
    await writeLegacyWorkbook(path, legacyHeaders('title'), rowsOf('title', [titleRecord(0), titleRecord(1)]))
    const { id } = expectOk<{ id: string }>(await call(test, 'uploads.begin', { purpose: 'workbook' }, session))
    const dataBase64 = readFileSync(path).toString('base64')
    expectOk(await call(test, 'uploads.append', { id, file: '历史记录.xlsx', offset: 0, dataBase64 }, session))
    expectOk(await call(test, 'uploads.finish', { id }, session))
    const organisation = await organisationId(test, WSHL)
    expectError(await call(test, 'legacy.import', { family: 'paper', organisationId: organisation, workbook: id }, session), 'VALIDATION')
    const result = expectOk<LegacyImportResult>(
      await call(test, 'legacy.import', { family: 'title', organisationId: organisation, workbook: id }, session),
    )
    expect(result).toMatchObject({ accepted: true, imported: 2 })
    expect((await test.core.db('legacy_imports').first()).file_name).toBe('历史记录.xlsx')
    // The upload is gone: it cannot be imported twice.
    expectError(await call(test, 'legacy.import', { family: 'title', organisationId: organisation, workbook: id }, session), 'NOT_FOUND')
    const listed = expectOk<Array<{ number: string }>>(await call(test, 'legacy.list', { search: '历史' }, session))
    expect(listed.map((record) => record.number).sort()).toEqual(['HL20150001', 'HL20150002'])
  })
})
