import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SheetRow } from '../../electron/core/applications/types'
import {
  DEFAULT_WORKBOOK_LIMITS,
  isDateFormatCode,
  readFirstSheet,
  WorkbookError,
  type WorkbookLimits,
  type WorkbookRefusal,
} from '../../electron/core/applications/xlsx/reader'
import {
  writeBinaryJunk,
  writeCsvAsXlsx,
  writeFormulaWorkbook,
  writeHtmlAsXlsx,
  writeLongCell,
  writeMacroWorkbook,
  writeMalformedXml,
  writeManyEntries,
  writeMillionEmptyRows,
  writeNormalWorkbook,
  writeOle2,
  writePlainZip,
  writeQuirkyWorkbook,
  writeRowAt,
  writeTruncatedZip,
  writeWholeColumnValidation,
  writeWideRow,
  writeZipBomb,
  type NormalCell,
} from '../fixtures/workbooks/hostile'

let work: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-xlsx-'))
})
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

/** A path in the temporary folder; Chinese names, as clerks' files have them. */
function file(name: string): string {
  return join(work, name)
}

async function readAll(path: string, limits?: Partial<WorkbookLimits>): Promise<SheetRow[]> {
  const rows: SheetRow[] = []
  for await (const row of readFirstSheet(path, limits)) rows.push(row)
  return rows
}

/** The refusal of a file: its reason, after checking the message names the file and leaks no cell. */
async function refusal(path: string, limits?: Partial<WorkbookLimits>): Promise<WorkbookRefusal> {
  const error = await readAll(path, limits).then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(WorkbookError)
  const refused = error as WorkbookError
  expect(refused.code).toBe('VALIDATION')
  expect(refused.message).toContain(basename(path))
  for (const personal of ['张三', '310101198503120022', '长长长']) expect(refused.message).not.toContain(personal)
  return refused.reason
}

let million: Promise<string> | null = null

/** The million-row sheet, written once for the tests that share it. */
function millionEmptyRows(): Promise<string> {
  million ??= writeMillionEmptyRows(file('百万空行.xlsx')).then(() => file('百万空行.xlsx'))
  return million
}

/** The descriptors this process holds on `path` (Linux). */
function openDescriptors(path: string): number {
  return readdirSync('/proc/self/fd').filter((descriptor) => {
    try {
      return readlinkSync(`/proc/self/fd/${descriptor}`) === path
    } catch {
      return false
    }
  }).length
}

const text = (value: string) => ({ kind: 'string', text: value })
const HEADER = ['姓名', '证件号码', '取得职称时间', '工作单位', '是否在职', '备注', '分数']
const ROWS: NormalCell[][] = [
  [
    '张三',
    // An ID number typed as a number: Excel and exceljs keep only what a double holds.
    Number('310101198503120022'),
    new Date(Date.UTC(2025, 11, 20)),
    { richText: [{ text: '上海市', font: { bold: true } }, { text: '第一人民医院' }] },
    true,
    null,
    12.5,
  ],
  ['李四', '31010119850312002X', new Date(Date.UTC(1985, 2, 12)), '上海市第一人民医院', false, '   ', 0],
]

function expectNormalRows(rows: SheetRow[]): void {
  expect(rows).toHaveLength(3)
  expect(rows[0]).toEqual({ rowNumber: 1, cells: HEADER.map(text) })
  expect(rows[1]).toEqual({
    rowNumber: 2,
    cells: [
      text('张三'),
      { kind: 'number', value: 310101198503120000, raw: '310101198503120000', dateFormat: false },
      { kind: 'number', value: 46011, raw: '46011', dateFormat: true },
      text('上海市第一人民医院'),
      { kind: 'boolean', value: true },
      undefined,
      { kind: 'number', value: 12.5, raw: '12.5', dateFormat: false },
    ],
  })
  expect(rows[2]).toEqual({
    rowNumber: 3,
    cells: [
      text('李四'),
      text('31010119850312002X'),
      { kind: 'number', value: 31118, raw: '31118', dateFormat: true },
      text('上海市第一人民医院'),
      { kind: 'boolean', value: false },
      text('   '),
      { kind: 'number', value: 0, raw: '0', dateFormat: false },
    ],
  })
}

describe('readFirstSheet on normal workbooks', () => {
  it('reads exceljs output with shared strings and rich text exactly, first sheet only', async () => {
    const path = file('名单.xlsx')
    await writeNormalWorkbook(path, HEADER, ROWS)
    expectNormalRows(await readAll(path))
  })

  it('reads exceljs streaming output without shared strings (t="str", inline rich text)', async () => {
    const path = file('名单-流式.xlsx')
    await writeNormalWorkbook(path, HEADER, ROWS, 'stream')
    expectNormalRows(await readAll(path))
  })

  it('handles prefixes, inline runs without phonetics, escapes, Excel number text, booleans, errors, ISO dates, rows and cells without r', async () => {
    const path = file('特殊格式.xlsx')
    await writeQuirkyWorkbook(path)
    const rows = await readAll(path)
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 7])
    expect(rows[0].cells).toEqual([text('姓名'), text('证件号码'), text('备注')])
    expect(rows[1].cells).toEqual([
      text('张三 '),
      { kind: 'number', value: 310101198503121000, raw: '3.10101198503121E+17', dateFormat: false },
      { kind: 'number', value: 46011, raw: '46011', dateFormat: true },
      { kind: 'number', value: 45658.5, raw: '45658.5', dateFormat: true },
      { kind: 'number', value: 12, raw: '12', dateFormat: false },
      { kind: 'boolean', value: true },
    ])
    expect(rows[2].cells).toEqual([
      text('李四'),
      { kind: 'error', text: '#N/A' },
      { kind: 'number', value: 46011, raw: '2025-12-20T00:00:00Z', dateFormat: true },
      text('第一行\r第二行'),
    ])
    expect(rows[3].cells).toEqual([undefined, undefined, { kind: 'number', value: -0.0015, raw: '-1.5E-3', dateFormat: false }])
  })

  it('moves date serials of a 1904 workbook to the 1900 system, leaving other numbers alone', async () => {
    const path = file('mac.xlsx')
    await writeQuirkyWorkbook(path, { date1904: true })
    const [, row] = await readAll(path)
    expect(row.cells[2]).toEqual({ kind: 'number', value: 46011 + 1462, raw: '46011', dateFormat: true })
    expect(row.cells[4]).toEqual({ kind: 'number', value: 12, raw: '12', dateFormat: false })
  })

  it('reads formula cells as formulas with their cached results, shared formulas included', async () => {
    const path = file('公式.xlsx')
    await writeFormulaWorkbook(path)
    const rows = await readAll(path)
    expect(rows[1].cells.slice(1)).toEqual([
      { kind: 'formula', formula: '1+1', cached: '2' },
      { kind: 'formula', formula: 'HYPERLINK("https://example.com/","点击查看")', cached: '点击查看' },
      { kind: 'formula', formula: 'TRUE()', cached: 'TRUE' },
    ])
    expect(rows[2].cells[1]).toEqual({ kind: 'formula', formula: 'B2*2', cached: '4' })
    expect(rows[3].cells[1]).toEqual({ kind: 'formula', formula: 'B2*2', cached: '6' })
  })

  it('ignores whole-column data validations, merges and conditional formats', async () => {
    const path = file('整列校验.xlsx')
    await writeWholeColumnValidation(path)
    const rows = await readAll(path)
    expect(rows).toEqual([
      { rowNumber: 1, cells: [text('姓名'), text('证件号码')] },
      { rowNumber: 2, cells: [text('张三'), text('310101198503120022')] },
    ])
  })

  it('skips a million empty rows despite a dimension of A1:L1000000', async () => {
    const path = await millionEmptyRows()
    const rows = await readAll(path)
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2])
  })

  it('accepts a row at the last allowed row number', async () => {
    const path = file('最后一行.xlsx')
    await writeRowAt(path, DEFAULT_WORKBOOK_LIMITS.maxRows)
    const rows = await readAll(path)
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 100_001])
  })

  it('closes the file when the consumer stops early', async () => {
    const path = await millionEmptyRows()
    const before = openDescriptors(path)
    for await (const row of readFirstSheet(path)) {
      expect(row.rowNumber).toBe(1)
      expect(openDescriptors(path)).toBe(before + 1)
      break
    }
    expect(openDescriptors(path)).toBe(before)
  })

  it('closes the file after a refusal while streaming', async () => {
    const path = file('关闭.xlsx')
    await writeRowAt(path, 100_003)
    await expect(readAll(path)).rejects.toThrow(WorkbookError)
    expect(openDescriptors(path)).toBe(0)
  })
})

describe('readFirstSheet on hostile and wrong files', () => {
  it('refuses a zip bomb with honest headers before inflating it', async () => {
    const path = file('炸弹.xlsx')
    await writeZipBomb(path, { lying: false })
    expect(await refusal(path)).toBe('zip_bomb')
  })

  it('refuses a zip bomb whose headers lie, by counting what it inflates to, in bounded memory', async () => {
    const path = file('炸弹-谎报.xlsx')
    await writeZipBomb(path, { lying: true })
    const rss = process.memoryUsage().rss
    expect(await refusal(path)).toBe('zip_bomb')
    expect(process.memoryUsage().rss - rss).toBeLessThan(300 * 1024 * 1024)
    expect(openDescriptors(path)).toBe(0)
  })

  it('refuses a sheet larger than the entry cap and reads past the total cap nowhere', async () => {
    const path = file('大表.xlsx')
    await writeNormalWorkbook(path, HEADER, ROWS)
    expect(await refusal(path, { maxEntryBytes: 1024 })).toBe('too_large')
    expect(await refusal(path, { maxTotalBytes: 4096 })).toBe('too_large')
    expect(await refusal(path, { maxFileBytes: 1024 })).toBe('too_large')
  })

  it('refuses too many zip entries', async () => {
    const path = file('条目过多.xlsx')
    // 100 entries against a cap of 100 (the package itself has six more): the same check as 10,000, quicker.
    await writeManyEntries(path, 100)
    expect(await refusal(path, { maxEntries: 100 })).toBe('zip_bomb')
    expect(await readAll(path, { maxEntries: 106 })).toHaveLength(1)
  })

  it.each(['mismatched', 'truncated', 'bad_utf8', 'doctype', 'bad_cell'] as const)('refuses malformed sheet XML (%s)', async (fault) => {
    const path = file(`损坏-${fault}.xlsx`)
    await writeMalformedXml(path, fault)
    expect(await refusal(path)).toBe('malformed')
  })

  it('refuses a truncated ZIP', async () => {
    const path = file('下载中断.xlsx')
    await writeTruncatedZip(path)
    expect(await refusal(path)).toBe('malformed')
  })

  it.each(['xlsm', 'vba_only'] as const)('refuses a macro workbook renamed .xlsx (%s)', async (variant) => {
    const path = file(`宏-${variant}.xlsx`)
    await writeMacroWorkbook(path, variant)
    expect(await refusal(path)).toBe('macro')
  })

  it('refuses a CSV renamed .xlsx, saying what it is and what to do', async () => {
    const path = file('名单.csv.xlsx')
    await writeCsvAsXlsx(path)
    expect(await refusal(path)).toBe('csv')
    await expect(readAll(path)).rejects.toThrow(
      '文件 名单.csv.xlsx 实际是 CSV 文本文件，不是 Excel 工作簿。请在 Excel 中打开该文件，另存为“Excel 工作簿 (*.xlsx)”后再导入。',
    )
  })

  it('refuses a GBK CSV and a web page renamed .xlsx as text', async () => {
    const gbk = file('名单-gbk.xlsx')
    await writeCsvAsXlsx(gbk, 'gbk')
    expect(await refusal(gbk)).toBe('csv')
    const html = file('网页.xlsx')
    await writeHtmlAsXlsx(html)
    expect(await refusal(html)).toBe('csv')
  })

  it('refuses an OLE2 file (old .xls or password-protected workbook)', async () => {
    const path = file('加密.xlsx')
    await writeOle2(path)
    expect(await refusal(path)).toBe('legacy_or_encrypted')
  })

  it('refuses an empty file, binary junk and a ZIP that is no workbook', async () => {
    const empty = file('空.xlsx')
    writeFileSync(empty, '')
    expect(await refusal(empty)).toBe('empty')
    const junk = file('图片.xlsx')
    await writeBinaryJunk(junk)
    expect(await refusal(junk)).toBe('not_xlsx')
    const zip = file('照片.xlsx')
    await writePlainZip(zip)
    expect(await refusal(zip)).toBe('not_xlsx')
  })

  it('refuses a non-empty row past header + 100,000', async () => {
    const path = file('行数过多.xlsx')
    await writeRowAt(path, 100_003)
    expect(await refusal(path)).toBe('too_many_rows')
  })

  it('refuses 70 filled columns', async () => {
    const path = file('列数过多.xlsx')
    await writeWideRow(path, 70)
    expect(await refusal(path)).toBe('too_many_columns')
  })

  it.each(['shared', 'inline'] as const)(
    'refuses a %s cell longer than 32,767 characters, and accepts one of exactly that',
    async (where) => {
      const path = file(`长文本-${where}.xlsx`)
      await writeLongCell(path, 32_768, where)
      expect(await refusal(path)).toBe('cell_too_long')
      await writeLongCell(path, 32_767, where)
      const rows = await readAll(path)
      expect(rows[1].cells[0]).toEqual(text('长'.repeat(32_767)))
    },
  )
})

describe('isDateFormatCode', () => {
  it('finds date parts outside quotes, brackets and escapes', () => {
    expect(isDateFormatCode('yyyy"年"m"月"d"日"')).toBe(true)
    expect(isDateFormatCode('[$-F800]dddd, mmmm dd, yyyy')).toBe(true)
    expect(isDateFormatCode('[h]:mm:ss')).toBe(true)
    expect(isDateFormatCode('0.00" days"')).toBe(false)
    expect(isDateFormatCode('[Red]#,##0;[Blue]-#,##0')).toBe(false)
    expect(isDateFormatCode('0\\d')).toBe(false)
    expect(isDateFormatCode('General')).toBe(false)
    expect(isDateFormatCode('@')).toBe(false)
  })
})
