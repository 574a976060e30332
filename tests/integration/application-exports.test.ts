import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { columnsOf, ID_TYPES, MAX_BATCH_ROWS, VOCATIONAL_LEVELS } from '../../electron/contract/application-format'
import { FAMILIES, type Family } from '../../electron/contract/roles'
import {
  ERROR_HEADER,
  escapeCell,
  INSTRUCTIONS_SHEET,
  LIST_SHEET,
  productionListTitle,
  ROW_NUMBER_HEADER,
  sheetText,
  templateSheetName,
  writeErrorWorkbook,
  writeProductionListPdf,
  writeProductionListXlsx,
  writeTemplate,
  type ErrorRow,
} from '../../electron/core/applications/exports'
import { planPages, type PlannedRow } from '../../electron/core/applications/exports/pdf-table'
import { LAST_TEMPLATE_ROW } from '../../electron/core/applications/exports/template'
import { poppler } from '../fixtures/documents/poppler'
import { sampleNumber, sampleProductionList } from '../fixtures/exports/production-list'
import { validationsOf, xlsxParts } from '../fixtures/exports/zip'

const INJECTIONS = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)']

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  return workbook
}

/** The values of a row from column A, as exceljs reads them. */
function rowValues(sheet: ExcelJS.Worksheet, row: number): ExcelJS.CellValue[] {
  return (sheet.getRow(row).values as ExcelJS.CellValue[]).slice(1)
}

/** Every worksheet of the file, as written: none may hold a formula element. */
async function expectNoFormulas(bytes: Buffer): Promise<void> {
  const parts = await xlsxParts(bytes)
  const sheets = [...parts.keys()].filter((name) => name.startsWith('xl/worksheets/sheet'))
  expect(sheets.length).toBeGreaterThan(0)
  for (const name of sheets) expect(parts.get(name), name).not.toMatch(/<f[\s>/]/)
}

const pdfText = (pdf: Uint8Array) => poppler('pdftotext', ['-layout', '-enc', 'UTF-8', '-'], pdf).stdout.toString('utf8')
const squeeze = (text: string) => text.replace(/\s+/g, '')
const pageCount = (pdf: Uint8Array) => Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [], pdf).stdout.toString('utf8'))?.[1])

describe('escapeCell', () => {
  it.each([...INJECTIONS, '\t=1', '\rcmd', '  =1+1', '\u3000+1', '＝1+1', '＋1', '－1', '＠SUM(A1)', '\u00A0-3'])(
    'prefixes %j with an apostrophe',
    (value) => {
      expect(escapeCell(value)).toBe(`'${value}`)
    },
  )

  it.each(['张三', '', '1-2', 'a=b', "'=1", '310101198503120022', ' 上海', '2025-12-20'])('leaves %j alone', (value) => {
    expect(escapeCell(value)).toBe(value)
  })

  it('cuts a text to what a cell holds, after escaping', () => {
    const text = sheetText(`=${'x'.repeat(40_000)}`)
    expect(text).toHaveLength(32_767)
    expect(text.startsWith("'=")).toBe(true)
  })
})

describe('the unified-format template', () => {
  it.each(FAMILIES)('%s: headers, text columns, bounded drop-down lists and the 填表说明 sheet', async (family: Family) => {
    const bytes = await writeTemplate(family, { extraIdTypes: ['军官证', '=cmd|calc'] })
    const workbook = await load(bytes)
    const columns = columnsOf(family)
    expect(workbook.creator).toBe('CertDesk')
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([templateSheetName(family), INSTRUCTIONS_SHEET])
    const sheet = workbook.worksheets[0]
    expect(rowValues(sheet, 1)).toEqual(columns.map((column) => column.header))
    expect(sheet.getCell(1, 1).font?.bold).toBe(true)
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    columns.forEach((column, index) => expect(sheet.getColumn(index + 1).width).toBe(column.width))

    const idColumn = columns.findIndex((column) => column.kind === 'idNumber') + 1
    const photoColumn = columns.findIndex((column) => column.kind === 'photoName') + 1
    const dateColumn = columns.findIndex((column) => column.kind === 'date') + 1
    for (const column of [idColumn, photoColumn, dateColumn]) {
      expect(sheet.getColumn(column).numFmt).toBe('@')
      for (const row of [2, 5000, LAST_TEMPLATE_ROW]) expect(sheet.getCell(row, column).numFmt).toBe('@')
    }

    const sheetXml = (await xlsxParts(bytes)).get('xl/worksheets/sheet1.xml') as string
    const validations = validationsOf(sheetXml)
    expect(validations).toHaveLength(columns.length)
    for (const validation of validations) {
      // One column, rows 2…10001: never A:A nor a range down to row 1,048,576.
      expect(validation.sqref).toMatch(new RegExp(`^(?<column>[A-Z]+)2:\\k<column>${LAST_TEMPLATE_ROW}$`))
    }
    const lists = new Map(
      validations
        .filter((validation) => validation.type === 'list')
        .map((validation) => [validation.sqref.replace(/\d.*/, ''), validation.formula]),
    )
    const letter = (kind: string) => sheet.getColumn(columns.findIndex((column) => column.kind === kind) + 1).letter
    const levelKind = family === 'title' ? 'titleLevel' : 'vocationalLevel'
    expect([...lists.keys()].sort()).toEqual([letter('gender'), letter('idType'), letter(levelKind)].sort())
    expect(lists.get(letter('gender'))).toBe('"男,女"')
    expect(lists.get(letter('idType'))).toBe(`"${[...ID_TYPES, '军官证', "'=cmd|calc"].join(',')}"`)
    expect(lists.get(letter(levelKind))).toBe(family === 'title' ? '"正高级,高级,中级,初级"' : `"${VOCATIONAL_LEVELS.join(',')}"`)

    const instructions = workbook.getWorksheet(INSTRUCTIONS_SHEET) as ExcelJS.Worksheet
    const texts: string[] = []
    instructions.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))))
    for (const column of columns) {
      const line = texts.indexOf(column.header)
      expect(line, column.header).toBeGreaterThanOrEqual(0)
      expect(texts[line + 1]).toBe(column.required ? '必填' : '选填')
      expect(texts[line + 3]).toBe(column.note)
    }
    // The joined list starts with 居民身份证, so the cell as a whole is no formula.
    expect(texts).toContain([...ID_TYPES, '军官证', '=cmd|calc'].join('、'))
    const rules = texts.join('\n')
    for (const phrase of [
      '每行填写一人',
      '证件号码须以文本保存',
      'JPEG 或 PNG',
      '2 MB',
      '不要使用公式',
      MAX_BATCH_ROWS.toLocaleString('en-US'),
    ])
      expect(rules).toContain(phrase)
    await expectNoFormulas(bytes)
  })

  it('puts a list longer than 255 characters on a hidden sheet', async () => {
    const extra = Array.from({ length: 30 }, (_, index) => `某某特别长的证件类型之${index + 1}`)
    const bytes = await writeTemplate('vocational', { extraIdTypes: [...extra, '含,逗号的证件'] })
    const workbook = await load(bytes)
    const listSheet = workbook.worksheets[2]
    expect(listSheet.name).toBe(LIST_SHEET)
    expect(listSheet.state).toBe('veryHidden')
    const values = [...ID_TYPES, ...extra, '含,逗号的证件']
    expect(listSheet.getColumn(1).values.slice(1)).toEqual(values)
    const validations = validationsOf((await xlsxParts(bytes)).get('xl/worksheets/sheet1.xml') as string)
    expect(validations.find((validation) => validation.sqref === `D2:D${LAST_TEMPLATE_ROW}`)?.formula).toBe(
      `'${LIST_SHEET}'!$A$1:$A$${values.length}`,
    )
  })
})

describe('the error workbook', () => {
  const columns = columnsOf('title')
  const original = (name: string, idNumber = '310101198503120022') =>
    columns.map((column) => ({ name, idNumber, gender: '女', idType: '居民身份证' })[column.key as 'name'] ?? '')

  it('writes the rows in order under 原行号 … 错误说明, every text as text, never a formula', async () => {
    const rows: ErrorRow[] = [
      { rowNumber: 9, original: original(INJECTIONS[0]), messages: ['第 9 行「姓名」：含有不允许的字符', '第 9 行「出生年月」：不能为空'] },
      {
        rowNumber: 3,
        original: original(INJECTIONS[1], INJECTIONS[3]),
        messages: ['第 3 行「证件号码」：格式不正确'],
        columns: ['证件号码'],
      },
      { rowNumber: 5, original: original(INJECTIONS[2]), messages: ['=1+1'] },
    ]
    const bytes = await writeErrorWorkbook('title', rows)
    const sheet = (await load(bytes)).worksheets[0]
    expect(rowValues(sheet, 1)).toEqual([ROW_NUMBER_HEADER, ...columns.map((column) => column.header), ERROR_HEADER])
    expect([2, 3, 4].map((row) => sheet.getCell(row, 1).value)).toEqual([3, 5, 9])
    const nameColumn = 2
    const idColumn = columns.findIndex((column) => column.key === 'idNumber') + 2
    const errorColumn = columns.length + 2
    expect(sheet.getCell(2, nameColumn).value).toBe("'+1")
    expect(sheet.getCell(2, idColumn).value).toBe("'@SUM(A1)")
    expect(sheet.getCell(3, nameColumn).value).toBe("'-2")
    expect(sheet.getCell(4, nameColumn).value).toBe(`'${INJECTIONS[0]}`)
    expect(sheet.getCell(4, idColumn).value).toBe('310101198503120022')
    for (const row of [2, 3, 4])
      for (const column of [nameColumn, idColumn]) expect(sheet.getCell(row, column).type).toBe(ExcelJS.ValueType.String)
    expect(sheet.getCell(4, errorColumn).value).toBe('第 9 行「姓名」：含有不允许的字符；第 9 行「出生年月」：不能为空')
    expect(sheet.getCell(3, errorColumn).value).toBe("'=1+1")
    const fillOf = (row: number, column: number) => (sheet.getCell(row, column).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb
    expect(fillOf(2, errorColumn)).toBe('FFFFC7CE')
    expect(fillOf(2, idColumn)).toBe('FFFFC7CE')
    expect(fillOf(3, idColumn)).toBeUndefined()
    await expectNoFormulas(bytes)
  })

  it('streams 10,000 rows', async () => {
    const rows: ErrorRow[] = Array.from({ length: 10_000 }, (_, index) => ({
      rowNumber: 10_001 - index,
      original: original(`测试${index}`),
      messages: [`第 ${10_001 - index} 行「证件号码」：校验位不正确`],
    }))
    const bytes = await writeErrorWorkbook('title', rows)
    const sheet = (await load(bytes)).worksheets[0]
    expect(sheet.rowCount).toBe(10_001)
    expect(sheet.getCell(10_001, 1).value).toBe(10_001)
  })
})

describe('the paper production list (xlsx)', () => {
  it('has the title, the rows, the summary, the signature area and the print settings', async () => {
    const list = sampleProductionList(120, 'title', (row, index) => {
      if (index === 7) row.name = INJECTIONS[0]
    })
    list.organisationName = '+上海市某评审委员会'
    const bytes = await writeProductionListXlsx(list)
    const sheet = (await load(bytes)).worksheets[0]
    expect(sheet.getCell('A1').value).toBe(`'${productionListTitle(list)}`)
    expect(productionListTitle(list)).toBe('+上海市某评审委员会 2025 年度职称证书纸质制证名单')
    const header = rowValues(sheet, 4)
    expect(header).toEqual(['序号', '证书编号', '姓名', '性别', '证件类型', '证件号码', '职称名称', '专业名称', '级别', '取得职称时间'])
    expect(rowValues(sheet, 5)).toEqual([
      1,
      sampleNumber(0),
      '测试1',
      '女',
      '居民身份证',
      '310101198503120000',
      '副主任护师',
      '护理学',
      '高级',
      '2025-12-20',
    ])
    expect(sheet.getCell(12, 3).value).toBe(`'${INJECTIONS[0]}`)
    expect(sheet.getCell(124, 1).value).toBe(120)
    expect(sheet.getCell(124, 2).value).toBe(sampleNumber(119))

    const texts: string[] = []
    sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))))
    expect(texts).toContain('共 120 人，其中 高级 80 人、中级 40 人')
    expect(texts.some((text) => text.startsWith('单位负责人（签字）：') && /日期：_+年_+月_+日/.test(text))).toBe(true)
    expect(texts).toContain('（单位公章）')
    expect(texts).toContain('第 1 级审核：上海市卫生健康委员会 李审核（2025-12-22 通过）')

    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 })
    expect(sheet.pageSetup.printTitlesRow).toBe('4:4')
    expect(sheet.headerFooter.oddFooter).toMatch(/&P.*&N/)
    await expectNoFormulas(bytes)
  })
})

describe('the paper production list (PDF)', () => {
  it('repeats the header on every page, numbers the pages and ends with the summary and signature area', async () => {
    const list = sampleProductionList(120)
    const pdf = await writeProductionListPdf(list)
    // 24 one-line rows fit under the title on page 1 and 27 on later pages: 24 + 3 × 27 + 15.
    expect(pageCount(pdf)).toBe(5)
    const text = pdfText(pdf)
    const pages = text.split('\f').filter((page) => page.trim() !== '')
    expect(pages).toHaveLength(5)
    pages.forEach((page, index) => {
      expect(squeeze(page)).toContain('序号证书编号姓名性别证件类型证件号码职称名称专业名称级别取得职称时间')
      expect(squeeze(page)).toContain(`第${index + 1}页/共5页`)
    })
    const all = squeeze(text)
    expect(all).toContain(squeeze(productionListTitle(list)))
    expect(all).toContain('上海市卫生系列护理专业高级职称评审委员会2025年度职称证书纸质制证名单')
    for (let index = 0; index < 120; index++) expect(all.split(sampleNumber(index)).length - 1, sampleNumber(index)).toBe(1)
    const last = squeeze(pages[4])
    expect(last).toContain(sampleNumber(119))
    expect(last).toContain('共120人，其中高级80人、中级40人')
    expect(last).toContain('单位负责人（签字）')
    expect(last).toContain('单位公章')

    const fonts = poppler('pdffonts', [], pdf).stdout.toString('utf8').trim().split('\n').slice(2)
    expect(fonts).toHaveLength(2)
    for (const line of fonts) expect(line).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
  })

  it('writes the vocational headers', async () => {
    const text = squeeze(pdfText(await writeProductionListPdf(sampleProductionList(3, 'vocational'))))
    expect(text).toContain('序号证书编号姓名性别证件类型证件号码资格名称专业类别级别批准日期')
    expect(text).toContain('上海市建设工程考试中心2025年度职业资格证书纸质制证名单')
    expect(text).toContain('共3人，其中一级2人、二级1人')
  })

  it('renders 10,000 rows', async () => {
    await writeProductionListPdf(sampleProductionList(1))
    const pdf = await writeProductionListPdf(sampleProductionList(10_000))
    const text = squeeze(pdfText(pdf))
    expect(text).toContain(sampleNumber(9_999))
    expect(text).toContain(`共${pageCount(pdf)}页`)
    expect(text).toContain('共10000人')
  })

  it('refuses a character the font lacks, naming the row', async () => {
    const list = sampleProductionList(5, 'title', (row, index) => {
      if (index === 3) row.name = '张\uE000'
    })
    await expect(writeProductionListPdf(list)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('序号 4') })
  })

  it('never leaves the signature alone on its last page', () => {
    const rows: PlannedRow[] = Array.from({ length: 10 }, (_, index) => ({ index, lines: [['x']], height: 18 }))
    // Ten rows fill the page exactly: the last one moves over with the summary and signature.
    const pages = planPages(rows, 180, 180, 100)
    expect(pages.map((page) => page.rows.length)).toEqual([9, 1])
    expect(pages.map((page) => page.closing)).toEqual([false, true])
    expect(planPages(rows, 400, 400, 100).map((page) => page.rows.length)).toEqual([10])
  })
})
