import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CorrectionImportResult, CorrectionRefusal } from '../../../electron/contract/corrections'
import { cellText } from '../../../electron/core/applications/checks/cell-text'
import type { SheetRow } from '../../../electron/core/applications/types'
import { readFirstSheet } from '../../../electron/core/applications/xlsx/reader'
import type { Actor } from '../../../electron/core/users/access'
import { people, photoFor, writeApplicationWorkbook } from '../../fixtures/applications/generate'
import { writeCsvAsXlsx } from '../../fixtures/workbooks/hostile'
import { HEADERS, proofPdf, writeCorrectionTable } from '../../fixtures/corrections/tables'
import { actorOf, residentIdNumber } from '../../helpers/batches'
import type { TestCore } from '../../helpers/core'
import { certificateOf, correctionRow, correctionsTemplate, submitTable, type TableSubmission } from '../../helpers/corrections'
import { clonePerTest } from '../../helpers/template'

/** The table as a whole: accepted whole or not at all, across rows, the photo rule, the files. */

let test: TestCore
let work: string
let reviewer: Actor

clonePerTest(correctionsTemplate, async (clone) => {
  test = clone
  reviewer = await actorOf(clone.core, 'reviewer')
})
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-corrections-'))
})
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
})

const title = (index: number) => certificateOf('WSHL', 'title', index)

async function refusal(submission: TableSubmission): Promise<CorrectionRefusal> {
  const result: CorrectionImportResult = await submitTable(test.core, reviewer, work, submission)
  if (result.accepted) throw new Error('expected the table to be refused')
  return result
}

async function sheetRows(base64: string): Promise<SheetRow[]> {
  const path = join(work, 'errors.xlsx')
  writeFileSync(path, Buffer.from(base64, 'base64'))
  const rows: SheetRow[] = []
  for await (const row of readFirstSheet(path)) rows.push(row)
  return rows
}

const counts = async () => ({
  requests: (await test.core.db('correction_requests').count({ n: '*' }).first())?.n,
  rows: (await test.core.db('correction_rows').count({ n: '*' }).first())?.n,
  files: (await test.core.db('files').count({ n: '*' }).first())?.n,
  audit: await test.core.audit.count(),
})

describe('a table is accepted whole or not at all', () => {
  it('stores a sound table with its files and one audit entry that names no one', async () => {
    const result = await submitTable(test.core, reviewer, work, {
      rows: [
        correctionRow(title(1), '姓名', '申请人壹', { proofs: '户籍证明.pdf' }),
        correctionRow(title(1), '专业名称', '内科护理'),
        correctionRow(title(2), '工作单位', '上海市第六人民医院', { proofs: '户籍证明.pdf、单位证明.pdf' }),
      ],
      proofs: { '户籍证明.pdf': proofPdf('hukou'), '单位证明.pdf': proofPdf('employer'), '无关文件.pdf': proofPdf('other') },
    })
    expect(result).toMatchObject({
      accepted: true,
      request: { state: 'submitted', rowCount: 3, certificateCount: 2, hasExplanation: true },
    })
    const rows = await test.core
      .db('correction_rows')
      .orderBy('seq')
      .select('seq', 'field', 'old_value', 'new_value', 'proofs', 'base_version')
    expect(rows).toEqual([
      { seq: 2, field: 'name', old_value: title(1).fields.name, new_value: '申请人壹', proofs: '["户籍证明.pdf"]', base_version: 1 },
      { seq: 3, field: 'specialty', old_value: '护理学', new_value: '内科护理', proofs: null, base_version: 1 },
      {
        seq: 4,
        field: 'employer',
        old_value: '上海市第一人民医院',
        new_value: '上海市第六人民医院',
        proofs: '["户籍证明.pdf","单位证明.pdf"]',
        base_version: 1,
      },
    ])
    // Only the proofs the rows name are kept, each once.
    expect(await test.core.db('correction_documents').orderBy('id').select('kind', 'file_name')).toEqual([
      { kind: 'table', file_name: '勘误汇总表.xlsx' },
      { kind: 'explanation', file_name: '情况说明.pdf' },
      { kind: 'proof', file_name: '户籍证明.pdf' },
      { kind: 'proof', file_name: '单位证明.pdf' },
    ])
    const [entry] = await test.core.audit.list({ limit: 1 })
    expect(entry).toMatchObject({
      action: 'correction.submit',
      objectType: 'correction_request',
      details: { rows: 3, certificates: 2, proofs: 2 },
    })
    expect(JSON.stringify(entry.details)).not.toMatch(/申请人|3101/)
  })

  it('refuses the whole table for one bad row: nothing stored, the error workbook holds the bad row with its message', async () => {
    const before = await counts()
    const result = await refusal({
      rows: [
        correctionRow(title(1), '专业名称', '内科护理'),
        correctionRow(title(2), '取得职称时间', '2025-13-01'),
        correctionRow(title(3), '专业名称', '外科护理'),
      ],
      proofs: { 'a.pdf': proofPdf() },
    })
    expect(result).toMatchObject({ rowCount: 3, errorCount: 1, messages: ['第 3 行「更正内容」：「2025-13-01」不是真实存在的日期'] })
    expect(await counts()).toEqual(before)
    const sheet = await sheetRows(result.errorWorkbook.base64)
    expect(sheet.map((row) => row.cells.map(cellText))).toEqual([
      ['原行号', ...HEADERS, '错误说明'],
      [
        '3',
        '2',
        title(2).number,
        title(2).fields.name,
        title(2).fields.idNumber,
        '取得职称时间',
        '2025-12-20',
        '2025-13-01',
        '录入时的笔误，有原始材料为证',
        '',
        '第 3 行「更正内容」：「2025-13-01」不是真实存在的日期',
      ],
    ])
    expect(result.errorWorkbook.fileName).toBe('勘误汇总表-错误清单.xlsx')
  })

  it('imports its own error workbook once corrected, and escapes formula-like text in it', async () => {
    const first = await refusal({
      rows: [correctionRow(title(1), '工作单位', '=HYPERLINK("http://x")', { oldValue: '上海市第二人民医院' })],
    })
    const sheet = await sheetRows(first.errorWorkbook.base64)
    // 原行号, 序号, 证书编号, 姓名, 证件号码, 勘误项目, 原内容, 更正内容, …
    expect(cellText(sheet[1].cells[7])).toBe(`'=HYPERLINK("http://x")`)
    // The department fixes the cells in the error workbook and sends that file back.
    const path = join(work, 'fixed.xlsx')
    const fixed = sheet[1].cells.map(cellText)
    fixed[6] = '上海市第一人民医院'
    fixed[7] = '上海市第六人民医院'
    const { writeNormalWorkbook } = await import('../../fixtures/workbooks/hostile')
    await writeNormalWorkbook(path, sheet[0].cells.map(cellText), [fixed])
    const result = await test.core.corrections.importTable(reviewer, {
      tablePath: path,
      fileName: 'fixed.xlsx',
      explanationPath: null,
      proofsPath: null,
    })
    expect(result).toMatchObject({ accepted: true, request: { rowCount: 1, hasExplanation: false } })
  })

  it('refuses a wrong file whole with a clear message: an application workbook, a missing column, a CSV, an empty table', async () => {
    const application = join(work, 'application.xlsx')
    await writeApplicationWorkbook(
      application,
      'title',
      people('title', 2).map((person) => person.row),
    )
    const csv = join(work, 'csv.xlsx')
    await writeCsvAsXlsx(csv)
    const missing = await writeCorrectionTable(
      join(work, 'missing.xlsx'),
      [correctionRow(title(1), '专业名称', '内科护理')],
      HEADERS.filter((header) => header !== '原内容'),
    )
    const empty = await writeCorrectionTable(join(work, 'empty.xlsx'), [])
    const attempt = (path: string) =>
      test.core.corrections.importTable(reviewer, { tablePath: path, fileName: 'x.xlsx', explanationPath: null, proofsPath: null })
    await expect(attempt(application)).rejects.toThrow('这是制证申请的名单，不是《证书信息勘误汇总表》')
    await expect(attempt(missing)).rejects.toThrow('第 1 行的表头不符合《证书信息勘误汇总表》的格式：缺少列 「原内容」')
    await expect(attempt(csv)).rejects.toThrow('实际是 CSV 文本文件')
    await expect(attempt(empty)).rejects.toThrow('中没有需要勘误的行')
    expect((await counts()).requests).toBe(0)
  })

  it('refuses cells that are not plain values: formulas, error values, ID numbers stored as numbers, missing cells', async () => {
    const result = await refusal({
      rows: [
        correctionRow(title(1), '专业名称', { formula: 'UPPER("a")', result: 'A' }),
        correctionRow(title(2), '专业名称', '内科护理', { idNumber: 310101197001030000 }),
        correctionRow(title(3), '专业名称', '内科护理', { reason: '' }),
        correctionRow(title(4), '', '内科护理'),
      ],
    })
    expect(result.messages).toEqual([
      '第 2 行「更正内容」是公式，请改为直接填写内容',
      '第 3 行「证件号码」：被存成了数字，末几位已丢失。请把该列设为文本格式后重新输入证件号码',
      '第 4 行「勘误原因」：必填，不能为空',
      '第 5 行「勘误项目」：必填，不能为空',
    ])
  })
})

describe('across rows', () => {
  it('never changes one field of a certificate twice: a different value is a conflict, the same one a duplicate', async () => {
    const result = await refusal({
      rows: [
        correctionRow(title(1), '工作单位', '上海市第六人民医院'),
        correctionRow(title(1), '工作单位', '上海市第十人民医院'),
        correctionRow(title(2), '专业名称', '内科护理'),
        correctionRow(title(2), '专业名称', '内科护理'),
        correctionRow(title(3), '专业名称', '内科护理'),
      ],
    })
    expect(result.messages).toEqual([
      `第 3 行「勘误项目」：与第 2 行对证书 ${title(1).number} 的「工作单位」给出了不同的更正，同一项目只能更正一次`,
      '第 5 行「勘误项目」：与第 4 行重复（同一证书的同一项目「专业名称」），请删除重复的行',
    ])
  })

  it('keeps 性别 and 出生年月 with a corrected ID number: refused alone, accepted when corrected together', async () => {
    const certificate = title(5)
    // Another person's valid number: born another day, another gender digit.
    const other = residentIdNumber(40_123)
    const alone = await refusal({ rows: [correctionRow(certificate, '证件号码', other)] })
    expect(alone.messages).toEqual([
      `第 2 行「更正内容」：更正后证书的出生年月与证件号码不一致：表中为 ${certificate.fields.birthMonth}，证件号码中为 ${other.slice(6, 10)}-${other.slice(10, 12)}；如出生年月也有误，请在同一表中一并勘误`,
      ...(Number(other[16]) % 2 === Number(certificate.fields.idNumber[16]) % 2
        ? []
        : [expect.stringContaining('更正后证书的性别与证件号码不一致')]),
    ])
    const gender = Number(other[16]) % 2 === 1 ? '男' : '女'
    const rows = [
      correctionRow(certificate, '证件号码', other),
      correctionRow(certificate, '出生年月', `${other.slice(6, 10)}-${other.slice(10, 12)}`),
    ]
    if (gender !== certificate.fields.gender) rows.push(correctionRow(certificate, '性别', gender))
    expect(await submitTable(test.core, reviewer, work, { rows })).toMatchObject({ accepted: true })
  })

  it('takes one correction at a time per certificate: an open request blocks a second table', async () => {
    expect(await submitTable(test.core, reviewer, work, { rows: [correctionRow(title(6), '专业名称', '内科护理')] })).toMatchObject({
      accepted: true,
    })
    const second = await submitTable(test.core, reviewer, work, { rows: [correctionRow(title(6), '工作单位', '上海市第六人民医院')] })
    expect(second).toMatchObject({
      accepted: false,
      messages: [`第 2 行「证书编号」：证书 ${title(6).number} 已在勘误申请 1 中，尚未办结；一张证书同时只能有一份勘误申请`],
    })
  })
})

describe('the photo rule and the proofs', () => {
  const newPhoto = photoFor('new-photo')

  it('a new photo needs a special reason and exactly one valid image named in 证明材料, present in the proofs', async () => {
    const result = await refusal({
      rows: [
        correctionRow(title(1), '照片', '', { reason: '照片不清楚', proofs: '新照片.jpg' }),
        correctionRow(title(2), '照片', '', { reason: '原照片为他人照片，经公安部门核实后更换', proofs: '说明.pdf' }),
        correctionRow(title(3), '照片', '', { reason: '原照片为他人照片，经公安部门核实后更换', proofs: '不存在.jpg' }),
        correctionRow(title(4), '照片', '', { reason: '原照片为他人照片，经公安部门核实后更换', proofs: '假照片.jpg' }),
        correctionRow(title(5), '工作单位', '上海市第六人民医院', { proofs: 'a/b.pdf' }),
      ],
      proofs: { '新照片.jpg': newPhoto, '说明.pdf': proofPdf(), '假照片.jpg': Buffer.from('not really a photo') },
    })
    expect(result.messages).toEqual([
      '第 2 行「勘误原因」：照片原则上使用居民身份证照片，无特殊原因不作更换：请写明特殊原因（至少 10 个字）',
      '第 3 行「证明材料」：更换照片须在证明材料中列出新照片的文件名（.jpg 或 .png）',
      '第 4 行「证明材料」：上传的证明材料中没有文件 不存在.jpg',
      '第 5 行「证明材料」：证明材料 假照片.jpg 不是 PDF、JPEG 或 PNG 文件',
      '第 6 行「证明材料」：应只写文件名（不含文件夹路径），多个文件用顿号分隔：a/b.pdf',
    ])
  })

  it('accepts a photo row with its reason and image: old and new photo hashes, the photo kept as a proof', async () => {
    const result = await submitTable(test.core, reviewer, work, {
      rows: [correctionRow(title(1), '照片', '', { reason: '原照片为他人照片，经公安部门核实后更换', proofs: '新照片.jpg、公安证明.pdf' })],
      proofs: { '新照片.jpg': newPhoto, '公安证明.pdf': proofPdf() },
    })
    expect(result.accepted).toBe(true)
    const row = await test.core.db('correction_rows').first('field', 'old_value', 'new_value')
    const current = await test.core
      .db('certificate_versions as v')
      .join('certificates as c', 'c.id', 'v.certificate_id')
      .where('c.number', title(1).number)
      .first('v.photo_hash')
    const { FileStore } = await import('../../../electron/core/files/file-store')
    expect(row).toEqual({ field: 'photo', old_value: current.photo_hash, new_value: FileStore.hashOf(newPhoto) })
    expect(await test.core.db('files').where({ hash: row.new_value }).first('media_type')).toEqual({ media_type: 'image/jpeg' })
  })

  it('refuses proofs named without any uploaded', async () => {
    const result = await refusal({ rows: [correctionRow(title(1), '工作单位', '上海市第六人民医院', { proofs: '单位证明.pdf' })] })
    expect(result.messages).toEqual([
      '第 2 行「证明材料」：未上传证明材料，找不到文件 单位证明.pdf：请把证明材料放在一个文件夹或 ZIP 中与本表一同上传',
    ])
  })
})
