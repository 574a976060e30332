import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { actorOf } from '../helpers/batches'
import { auditCount, createDemoCore } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { appRefusal as refusal, approvedTitleBatch, listWorkbook, revocationRequest, upload } from '../helpers/revocation-fixtures'
import { clonePerTest } from '../helpers/template'

let test: TestCore
clonePerTest(createDemoCore, (clone) => void (test = clone), 120_000)

const as = (username: string) => actorOf(test.core, username)

/** Records a revocation whose list is the workbook `bytes`, uploaded as a workbook by the health department's reviewer. */
async function recordWorkbook(bytes: Buffer, name = '注销名单.xlsx') {
  const reviewer = await as('reviewer')
  const uploadId = await upload(test.core, reviewer, 'workbook', name, bytes)
  return test.core.revocations.record(reviewer, { ...(await revocationRequest(test.core, name)), list: { kind: 'workbook', uploadId } })
}

const requests = async () => Number(((await test.core.db('revocation_requests').count({ n: '*' }).first()) as { n: number }).n)

describe('a revocation list as an Excel workbook (证书编号 column)', () => {
  it('reads the 证书编号 column wherever it stands, beside other columns, and records every certificate', async () => {
    const { numbers } = await approvedTitleBatch(test.core, { count: 3, from: 500, active: true })
    const bytes = await listWorkbook(
      ['序号', '姓名', '证书编号'],
      numbers.map((number, index) => [index + 1, `申请人${500 + index}`, number.toLowerCase()]),
    )
    const recorded = await recordWorkbook(bytes)
    expect(recorded.certificates.map((certificate) => certificate.number)).toEqual(numbers)
    expect(recorded.certificateCount).toBe(3)
    // One row per certificate, under the request.
    expect(await test.core.db('revocations').where({ request_id: recorded.id }).count({ n: '*' }).first()).toEqual({ n: 3 })
  })

  it('names the row and column of every bad cell and refuses the whole workbook', async () => {
    const { numbers } = await approvedTitleBatch(test.core, { count: 2, from: 600, active: true })
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('名单')
    sheet.addRow(['姓名', '证书编号'])
    sheet.addRow(['甲', numbers[0]])
    sheet.addRow(['乙', null])
    sheet.addRow(['丙', { formula: 'A1&"X"', result: '2025WSHLX' }])
    sheet.addRow(['丁', 'WSHL-2025'])
    sheet.addRow(['戊', numbers[0]])
    sheet.addRow(['己', numbers[1]])
    const before = { requests: await requests(), audit: await auditCount(test) }
    const error = await refusal(recordWorkbook(Buffer.from(await workbook.xlsx.writeBuffer())), 'VALIDATION')
    expect(error.details).toEqual([
      { path: '第 3 行 B 列（证书编号）', message: '证书编号为空' },
      { path: '第 4 行 B 列（证书编号）', message: '是公式，请填写证书编号本身' },
      { path: '第 5 行 B 列（证书编号）', message: '“WSHL-2025”不是有效的证书编号：证书编号由 4–32 位大写字母和数字组成' },
      { path: '第 6 行 B 列（证书编号）', message: `证书 ${numbers[0]} 在名单中重复（第 2 行 B 列（证书编号）已列出）` },
    ])
    expect(error.message).toContain('共 4 处问题')
    expect({ requests: await requests(), audit: await auditCount(test) }).toEqual(before)
  })

  it('refuses a workbook without the 证书编号 header, and a CSV file named .xlsx', async () => {
    const noHeader = await listWorkbook(['编号'], [['2025WSHL00001']])
    expect((await refusal(recordWorkbook(noHeader), 'VALIDATION')).message).toBe('工作簿 注销名单.xlsx 第 1 行（表头）中没有“证书编号”列')
    const csv = Buffer.from('证书编号\n2025WSHL00001\n', 'utf8')
    expect((await refusal(recordWorkbook(csv, 'list.xlsx'), 'VALIDATION')).message).toContain('CSV')
    expect(await requests()).toBe(0)
  })

  it('offers a template that reads back as an empty list, and once filled as a list', async () => {
    const template = await test.core.revocations.template(await as('reviewer'))
    expect(template.fileName).toBe('注销证书名单.xlsx')
    const bytes = Buffer.from(template.base64, 'base64')
    expect((await refusal(recordWorkbook(bytes), 'VALIDATION')).message).toBe('注销名单中没有证书编号')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]
    expect(sheet.getCell('A1').value).toBe('证书编号')
    expect(sheet.getCell('A2').numFmt).toBe('@')
    sheet.getCell('A2').value = '2025WSHL00001'
    const filled = await recordWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()))
    expect(filled.certificates.map((certificate) => certificate.number)).toEqual(['2025WSHL00001'])
  })
})
