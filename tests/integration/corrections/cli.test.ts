import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CORRECTION_TABLE_COLUMNS } from '../../../electron/contract/corrections'
import { photoFor } from '../../fixtures/applications/generate'
import { proofPdf, writeCorrectionTable } from '../../fixtures/corrections/tables'
import { buildZip } from '../../fixtures/photos/zip'
import { DEMO_PASSWORD } from '../../helpers/calls'
import { cli } from '../../helpers/cli'
import type { TestCore } from '../../helpers/core'
import { certificateOf, correctionRow, correctionsTemplate } from '../../helpers/corrections'

/** `certdesk corrections template` and `certdesk corrections import`, on the same core services as the dialog. */
describe('certdesk corrections', () => {
  let test: TestCore
  let work: string

  beforeAll(async () => {
    test = await correctionsTemplate()
    // The CLI opens the data directory itself: the test's own core lets go of it first.
    await test.core.close()
    work = mkdtempSync(join(tmpdir(), 'certdesk-cli-corrections-'))
  }, 120_000)
  afterAll(async () => {
    rmSync(test.dataDir, { recursive: true, force: true })
    rmSync(work, { recursive: true, force: true })
  })

  const as = (user: string, ...args: string[]) =>
    cli(['--data-dir', test.dataDir, ...args, '--user', user], { CERTDESK_PASSWORD: DEMO_PASSWORD })
  const title = (index: number) => certificateOf('WSHL', 'title', index)

  it('writes the template without a user: the nine columns, the 勘误项目 list and 填表说明', async () => {
    const out = join(work, 'template.xlsx')
    expect(await cli(['--data-dir', test.dataDir, 'corrections', 'template', '--out', out])).toMatchObject({ code: 0, stderr: '' })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(out)
    const sheet = workbook.worksheets[0]
    expect(sheet.name).toBe('证书信息勘误汇总表')
    expect((sheet.getRow(1).values as unknown[]).filter(Boolean)).toEqual([
      '序号',
      '证书编号',
      '姓名',
      '证件号码',
      '勘误项目',
      '原内容',
      '更正内容',
      '勘误原因',
      '证明材料',
    ])
    expect(CORRECTION_TABLE_COLUMNS).toHaveLength(9)
    const item = sheet.getCell('E2').dataValidation
    expect(item).toMatchObject({ type: 'list' })
    expect(item.formulae[0]).toContain('照片')
    expect(item.formulae[0]).not.toContain('证书编号')
    const rules = workbook.getWorksheet('填表说明')!
    const text = rules.getSheetValues().flat().join('\n')
    expect(text).toContain('证书编号不能勘误')
    expect(text).toContain('照片原则上使用居民身份证照片')
  })

  it('imports a filled template with its explanation and a ZIP of proofs as the department reviewer', async () => {
    const template = join(work, 'template.xlsx')
    await cli(['--data-dir', test.dataDir, 'corrections', 'template', '--out', template])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(template)
    const row = correctionRow(title(1), '照片', '', {
      reason: '原照片为他人照片，经公安部门核实后更换',
      proofs: '新照片.jpg、公安证明.pdf',
    })
    workbook.worksheets[0].getRow(2).values = CORRECTION_TABLE_COLUMNS.map((column) =>
      column.key === 'seq' ? 1 : (row[column.key] as string),
    )
    const file = join(work, '勘误汇总表.xlsx')
    await workbook.xlsx.writeFile(file)
    const explanation = join(work, '情况说明.pdf')
    writeFileSync(explanation, proofPdf('explanation'))
    const proofs = join(work, 'proofs.zip')
    writeFileSync(
      proofs,
      buildZip([
        { name: '新照片.jpg', data: photoFor('cli'), method: 0 },
        { name: '材料/公安证明.pdf', data: proofPdf() },
      ]),
    )
    const result = await as('reviewer', '--json', 'corrections', 'import', '--file', file, '--explanation', explanation, '--proofs', proofs)
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toMatchObject({ request: { id: 1, state: 'submitted', rowCount: 1, hasExplanation: true } })
  })

  it('refuses a bad table with exit code 1, every row message, and the error workbook saved beside it', async () => {
    const file = await writeCorrectionTable(join(work, '第二批.xlsx'), [
      correctionRow(title(2), '工作单位', '上海市第六人民医院', { oldValue: '上海市第二人民医院' }),
      correctionRow(title(3), '证书编号', '2024WSHL000099'),
    ])
    const result = await as('reviewer', 'corrections', 'import', '--file', file)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('勘误汇总表未提交：2 行中发现 2 处错误，整表不提交')
    expect(result.stderr).toContain('第 2 行「原内容」：与证书')
    expect(result.stderr).toContain('第 3 行「勘误项目」：证书编号不能勘误')
    const errors = join(work, '第二批-错误清单.xlsx')
    expect(result.stderr).toContain(errors)
    expect(existsSync(errors)).toBe(true)
    const clerk = await as('clerk', 'corrections', 'import', '--file', file)
    expect(clerk).toMatchObject({ code: 1, stderr: expect.stringContaining('需要以下角色之一：主管部门审核员') })
    expect(await cli(['--data-dir', test.dataDir, 'corrections', 'import', '--file', file])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--user'),
    })
  })
})
