import { describe, expect, it } from 'vitest'
import { columnsOf } from '../../electron/contract/application-format'
import { ISSUE_CODES, ISSUE_CODE_LABELS, WARNING_ISSUE_CODES } from '../../electron/contract/issue-codes'
import type { Family } from '../../electron/contract/roles'
import { checkDuplicatesInBatch } from '../../electron/core/applications/checks/duplicates'
import { createRowChecker } from '../../electron/core/applications/checks/row-checker'
import { checkCharacter } from '../../electron/core/applications/id-number'
import type { CellValue, CheckedRow, SheetRow } from '../../electron/core/applications/types'
import { AppError } from '../../electron/core/util/app-error'
import { seededRandom } from '../helpers/random'

// A fixed local day, so "not in the future" does not depend on when the tests run.
const TODAY = new Date(2026, 4, 20)
// 310101 (Shanghai Huangpu), born 1985-03-12, sequence 002 (even: a woman).
const ID = '310101198503120022'
const NAME = '王丽华'

const text = (value: string): CellValue => ({ kind: 'string', text: value })
const number = (value: number, dateFormat = false, raw = String(value)): CellValue => ({ kind: 'number', value, raw, dateFormat })
const formula = (source: string, cached: string | null = null): CellValue => ({ kind: 'formula', formula: source, cached })
const errorCell = (value: string): CellValue => ({ kind: 'error', text: value })

type Cells = Record<string, CellValue | string | undefined>

const BASE: Record<Family, Record<string, string>> = {
  title: {
    name: NAME,
    gender: '女',
    birthMonth: '1985-03',
    idType: '居民身份证',
    idNumber: ID,
    employer: '上海市第一人民医院',
    level: '高级',
    titleName: '副主任护师',
    specialty: '护理学',
    reviewBody: '上海市卫生系列护理专业高级职称评审委员会',
    obtainedOn: '2025-12-20',
    photoName: '',
  },
  vocational: {
    name: NAME,
    gender: '女',
    birthMonth: '1985-03',
    idType: '居民身份证',
    idNumber: ID,
    qualificationName: '建造师执业资格',
    category: '建筑工程',
    level: '一级',
    approvedOn: '2025-11-30',
    photoName: '',
  },
}

const headerRow = (headers: string[]): SheetRow => ({ rowNumber: 1, cells: headers.map(text) })
const templateHeaders = (family: Family) => columnsOf(family).map((column) => column.header)

/** A data row in template column order, from the family's valid base with `changes` applied. */
function dataRow(family: Family, changes: Cells = {}, rowNumber = 2): SheetRow {
  const values: Cells = { ...BASE[family], ...changes }
  return {
    rowNumber,
    cells: columnsOf(family).map((column) => {
      const value = values[column.key]
      return typeof value === 'string' ? (value === '' ? undefined : text(value)) : value
    }),
  }
}

function checker(family: Family, extraIdTypes: string[] = []) {
  const created = createRowChecker({ family, today: TODAY, extraIdTypes })
  created.header(headerRow(templateHeaders(family)))
  return created
}

function checkOne(family: Family, changes: Cells = {}, extraIdTypes: string[] = []): CheckedRow {
  const checked = checker(family, extraIdTypes).check(dataRow(family, changes))
  if (!checked) throw new Error('expected a checked row')
  return checked
}

const found = (row: CheckedRow) => row.issues.map((issue) => `${issue.column}:${issue.code}`)

/** A valid resident ID born on `birth` (YYYYMMDD) whose sequence gives `gender`. */
function residentId(birth: string, gender: '男' | '女', sequence = 1, region = '310101'): string {
  const first17 = `${region}${birth}${String(sequence * 2 + (gender === '男' ? 1 : 0)).padStart(3, '0')}`
  return first17 + checkCharacter(first17)
}

const fullWidth = (value: string) => value.replace(/[0-9A-Za-z]/g, (character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0))

describe('issue codes', () => {
  it('labels every code in Chinese and marks the warnings', () => {
    expect(ISSUE_CODES.length).toBeGreaterThan(30)
    for (const code of ISSUE_CODES) expect(ISSUE_CODE_LABELS[code]).toMatch(/[\u4e00-\u9fff]/)
    for (const code of WARNING_ISSUE_CODES) expect(ISSUE_CODES).toContain(code)
  })
})

describe('header row', () => {
  it.each<[string, string[]]>([
    ['template order', templateHeaders('title')],
    ['reversed order', [...templateHeaders('title')].reverse()],
    [
      'required marks and spaces',
      ['姓名*', '*性别', '出生年月（必填）', ' 证件 类型 ', '证件\u3000号码(必填)', ...templateHeaders('title').slice(5)],
    ],
    ['full-width asterisk, gap columns', ['姓名＊', '', ...templateHeaders('title').slice(1)]],
    ['no optional photo column', templateHeaders('title').slice(0, -1)],
    ['a 序号 column first and a 备注 column last, both ignored', ['序号', ...templateHeaders('title'), '备注']],
  ])('maps headers by text: %s', (_case, headers) => {
    const rowChecker = createRowChecker({ family: 'title', today: TODAY, extraIdTypes: [] })
    rowChecker.header(headerRow(headers))
    const keyOf = new Map(columnsOf('title').map((column) => [column.header, column.key]))
    const cells = headers.map((header) => {
      const key = keyOf.get(header.replace(/[\s\u3000*＊]|（必填）|\(必填\)/g, ''))
      return key && BASE.title[key] ? text(BASE.title[key]) : undefined
    })
    const checked = rowChecker.check({ rowNumber: 2, cells })!
    expect(checked.issues).toEqual([])
    expect(checked.fields).toMatchObject({ name: NAME, idNumber: ID, level: 'senior', obtainedOn: '2025-12-20', photoName: '' })
    expect(checked.original).toEqual(columnsOf('title').map((column) => BASE.title[column.key]))
  })

  it.each<[string, Family, string[], RegExp]>([
    ['a missing required column', 'title', templateHeaders('title').filter((header) => header !== '证件号码'), /缺少必填列 「证件号码」/],
    ['an unknown column, named with its letter', 'title', [...templateHeaders('title'), '学历'], /M 列「学历」/],
    ['a column given twice', 'title', [...templateHeaders('title'), '姓名'], /列重复：「姓名」（A 列和 M 列）/],
    ['a vocational workbook imported as title', 'title', templateHeaders('vocational'), /这是职业资格证书的工作簿.*不能作为职称证书导入/],
    ['a title workbook imported as vocational', 'vocational', templateHeaders('title'), /这是职称证书的工作簿.*不能作为职业资格证书导入/],
    ['a title row above the header', 'title', ['2025 年制证名单'], /缺少必填列.*无法识别的列：A 列「2025 年制证名单」/],
  ])('refuses the whole file for %s', (_case, family, headers, message) => {
    const rowChecker = createRowChecker({ family, today: TODAY, extraIdTypes: [] })
    let thrown: unknown
    try {
      rowChecker.header(headerRow(headers))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AppError)
    expect((thrown as AppError).code).toBe('VALIDATION')
    expect((thrown as AppError).message).toMatch(message)
  })

  it('refuses to check a row before the header', () => {
    expect(() => createRowChecker({ family: 'title', today: TODAY, extraIdTypes: [] }).check(dataRow('title'))).toThrow()
  })
})

describe('row checks: both families', () => {
  it('passes a valid title row, normalising the level and dates', () => {
    const checked = checkOne('title', { name: `  ${NAME}\u3000`, birthMonth: '1985年3月', obtainedOn: '2025/12/20' })
    expect(checked.issues).toEqual([])
    expect(checked.fields).toEqual({ ...BASE.title, level: 'senior', birthMonth: '1985-03', obtainedOn: '2025-12-20' })
    expect(checked.original[0]).toBe(`  ${NAME}\u3000`)
  })

  it('passes a valid vocational row, splitting the qualification kind off its name', () => {
    const checked = checkOne('vocational')
    expect(checked.issues).toEqual([])
    expect(checked.fields).toMatchObject({
      qualificationName: '建造师',
      qualificationKind: '执业',
      level: '一级',
      approvedOn: '2025-11-30',
    })
  })

  it('returns null for a row with nothing in the family’s columns', () => {
    const rowChecker = checker('title')
    expect(rowChecker.check({ rowNumber: 9, cells: [] })).toBeNull()
    expect(rowChecker.check({ rowNumber: 9, cells: [text('  '), undefined, text('\u3000 ')] })).toBeNull()
    // A note beyond the template's last column is not data.
    expect(rowChecker.check({ rowNumber: 9, cells: [...Array(12).fill(undefined), text('备注')] })).toBeNull()
  })

  it.each<[string, Family, Cells, string[]]>([
    ['empty required cell', 'title', { name: '' }, ['姓名:REQUIRED_MISSING']],
    ['spaces only', 'title', { employer: ' \u3000 ' }, ['工作单位:REQUIRED_MISSING']],
    ['text too long', 'title', { employer: '院'.repeat(101) }, ['工作单位:TOO_LONG']],
    ['formula cell', 'title', { name: formula('A1&B1', NAME) }, ['姓名:FORMULA_CELL']],
    ['formula without cached value', 'vocational', { category: formula('VLOOKUP(A2,Sheet2!A:B,2,0)') }, ['专业类别:FORMULA_CELL']],
    ['error cell', 'title', { specialty: errorCell('#N/A') }, ['专业名称:CELL_ERROR']],
    ['unknown gender', 'title', { gender: 'F' }, ['性别:GENDER_INVALID']],
    ['unknown ID type', 'title', { idType: '身份证' }, ['证件类型:ID_TYPE_UNKNOWN']],
    ['unknown title level', 'title', { level: '副高' }, ['职称级别:LEVEL_INVALID']],
    ['unknown vocational level', 'vocational', { level: '六级' }, ['级别:LEVEL_INVALID']],
    ['a title level in a vocational row', 'vocational', { level: '高级 ' }, []],
    ['only the suffix as qualification', 'vocational', { qualificationName: '执业资格' }, ['资格名称:REQUIRED_MISSING']],
    ['photo name with a folder', 'title', { photoName: 'photos/a.jpg' }, ['照片文件名:PHOTO_NAME_INVALID']],
    ['photo name with a backslash', 'title', { photoName: '..\\a.jpg' }, ['照片文件名:PHOTO_NAME_INVALID']],
    ['photo name of a GIF', 'vocational', { photoName: 'a.gif' }, ['照片文件名:PHOTO_NAME_INVALID']],
    ['hidden photo name', 'title', { photoName: '.jpg' }, ['照片文件名:PHOTO_NAME_INVALID']],
    ['photo name in capitals', 'title', { photoName: 'A.JPEG' }, []],
    ['future obtained date', 'title', { obtainedOn: '2099-01-01' }, ['取得职称时间:DATE_FUTURE']],
    ['future approved date', 'vocational', { approvedOn: '2026-05-21' }, ['批准日期:DATE_FUTURE']],
    ['nonexistent date', 'title', { obtainedOn: '2025-02-30' }, ['取得职称时间:DATE_INVALID']],
    ['date before 1900', 'vocational', { approvedOn: '1899-12-31' }, ['批准日期:DATE_INVALID']],
    ['future birth month', 'title', { birthMonth: '2026-06', idType: '护照', idNumber: 'E12345678' }, ['出生年月:DATE_FUTURE']],
  ])('%s', (_case, family, changes, expected) => {
    expect(found(checkOne(family, changes))).toEqual(expected)
  })

  it('writes messages that name the row and column and never quote a name or an ID number', () => {
    const rows = [
      checkOne('title', { idNumber: `${ID.slice(0, 17)}9`, gender: '男', name: formula('1', NAME) }),
      checkOne('title', { idNumber: number(3.10101198503121e17, false, '3.10101198503121E+17') }),
      checkOne('title', { idType: '护照', idNumber: `${NAME}1` }),
      checkOne('vocational', { photoName: `${ID}.gif`, birthMonth: '1985-04', name: '名'.repeat(51) }),
    ]
    for (const row of rows) {
      expect(row.issues.length).toBeGreaterThan(0)
      for (const issue of row.issues) {
        expect(issue.message.startsWith(`第 2 行「${issue.column}」`), issue.message).toBe(true)
        expect(issue.message).not.toContain(ID.slice(0, 14))
        expect(issue.message).not.toContain(NAME)
      }
    }
  })

  it('says what to do about a formula or an error value', () => {
    expect(checkOne('title', { name: formula('A1') }).issues[0].message).toBe('第 2 行「姓名」是公式，请改为直接填写内容')
    expect(checkOne('title', { specialty: errorCell('#REF!') }).issues[0].message).toBe(
      '第 2 行「专业名称」是错误值 #REF!，请改为直接填写内容',
    )
  })

  it('splits 执业资格 and 职业资格 off the qualification name', () => {
    const kind = (qualificationName: string) => {
      const { fields } = checkOne('vocational', { qualificationName })
      return [fields.qualificationName, fields.qualificationKind]
    }
    expect(kind('建造师执业资格')).toEqual(['建造师', '执业'])
    expect(kind('人力资源管理师职业资格')).toEqual(['人力资源管理师', '职业'])
    expect(kind('电工')).toEqual(['电工', '职业'])
  })

  it('accepts the administrator’s extra ID types and checks their numbers’ shape', () => {
    expect(checkOne('title', { idType: '军官证', idNumber: ' ｅ１２３4567（8）' }, ['军官证']).fields.idNumber).toBe('E1234567(8)')
    expect(found(checkOne('title', { idType: '军官证', idNumber: 'E1' }, ['军官证']))).toEqual(['证件号码:ID_FORMAT'])
    expect(found(checkOne('title', { idType: '护照', idNumber: 'E123/4567' }))).toEqual(['证件号码:ID_FORMAT'])
    expect(found(checkOne('title', { idType: '军官证' }))).toEqual(['证件类型:ID_TYPE_UNKNOWN'])
  })

  it('warns of an unusually young age on the obtained or approved date', () => {
    const young = { idType: '护照', idNumber: 'E12345678', birthMonth: '2010-01' }
    const title = checkOne('title', { ...young, obtainedOn: '2025-12-20' })
    expect(title.issues.map((issue) => [issue.column, issue.code, issue.severity])).toEqual([['出生年月', 'AGE_UNUSUAL', 'warning']])
    expect(found(checkOne('vocational', { ...young, birthMonth: '2009-11', approvedOn: '2025-11-30' }))).toEqual([])
  })
})

describe('row checks: resident ID numbers', () => {
  const femaleX = '11010519491231002X'
  const asFemaleX = { idNumber: femaleX, birthMonth: '1949-12' }

  it.each<[string, Cells, string]>([
    ['lower-case x', { ...asFemaleX, idNumber: femaleX.toLowerCase() }, femaleX],
    ['full-width digits and ｘ', { ...asFemaleX, idNumber: fullWidth(femaleX.toLowerCase()) }, femaleX],
    ['spaces inside', { idNumber: `${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}` }, ID],
    ['a 15-digit number typed as text', { idNumber: '310101850312002' }, ID],
    ['a 15-digit number stored as a number', { idNumber: number(310101850312002) }, ID],
  ])('normalises %s', (_case, changes, expected) => {
    const checked = checkOne('title', changes)
    expect(checked.fields.idNumber).toBe(expected)
    expect(checked.issues.filter((issue) => issue.severity === 'error')).toEqual([])
  })

  it('warns that a 15-digit number was converted to 18', () => {
    const [issue] = checkOne('title', { idNumber: '310101850312002' }).issues
    expect(issue).toEqual({
      column: '证件号码',
      severity: 'warning',
      code: 'ID_CONVERTED_15',
      message: '第 2 行「证件号码」：15 位旧证件号码已自动转换为 18 位，请核对',
    })
  })

  it.each<[string, Cells, string, RegExp]>([
    [
      'a wrong check character',
      { idNumber: `${ID.slice(0, 17)}9` },
      'ID_CHECK_CHARACTER',
      /^第 2 行「证件号码」：校验位错误：末位应为「2」/,
    ],
    [
      'a number of 16+ digits',
      { idNumber: number(3.10101198503121e17, false, '3.10101198503121E+17') },
      'ID_STORED_AS_NUMBER',
      /^第 2 行「证件号码」被存成了数字，末几位已丢失（Excel 只保留 15 位有效数字）。请把该列设为文本格式后重新输入证件号码$/,
    ],
    ['scientific notation as text', { idNumber: '3.10101E+17' }, 'ID_STORED_AS_NUMBER', /科学计数法.*末几位已丢失/],
    ['the 000 tail of a lost number', { idNumber: '310101198503120000' }, 'ID_CHECK_CHARACTER', /校验位错误.*以 000 结尾.*Excel/],
    ['17 digits', { idNumber: ID.slice(0, 17) }, 'ID_LENGTH', /应为 18 位.*现为 17 位/],
    ['a letter inside', { idNumber: `${ID.slice(0, 10)}A${ID.slice(11)}` }, 'ID_CHARACTERS', /非法字符「A」/],
    ['an unknown region', { idNumber: residentId('19850312', '女', 1, '990101') }, 'ID_REGION', /前两位「99」/],
    [
      'a birth date that does not exist',
      { idNumber: residentId('19850230', '女') },
      'ID_BIRTH_DATE',
      /证件号码中的出生日期 1985-02-30 不是真实存在的日期/,
    ],
  ])('refuses %s', (_case, changes, code, message) => {
    const issues = checkOne('title', changes).issues.filter((issue) => issue.column === '证件号码')
    expect(issues.map((issue) => issue.code)).toEqual([code])
    expect(issues[0].message).toMatch(message)
  })

  it('keeps the cell text as the field when the number fails', () => {
    expect(checkOne('title', { idNumber: number(3.10101198503121e17, false, '3.10101198503121E+17') }).fields.idNumber).toBe(
      '310101198503121000',
    )
    expect(checkOne('title', { idNumber: ` ${ID.slice(0, 17)}9 ` }).fields.idNumber).toBe(`${ID.slice(0, 17)}9`)
  })

  it.each<[string, Cells, string[]]>([
    ['birth month', { birthMonth: '1985-04' }, ['出生年月:BIRTH_MISMATCH']],
    ['gender', { gender: '男' }, ['性别:GENDER_MISMATCH']],
    ['both', { gender: '男', birthMonth: '1986-03' }, ['出生年月:BIRTH_MISMATCH', '性别:GENDER_MISMATCH']],
    ['nothing when the number itself fails', { gender: '男', idNumber: `${ID.slice(0, 17)}9` }, ['证件号码:ID_CHECK_CHARACTER']],
    ['nothing when the birth month fails', { birthMonth: '1985-13' }, ['出生年月:DATE_INVALID']],
  ])('compares the declared %s with the number', (_case, changes, expected) => {
    expect(found(checkOne('title', changes))).toEqual(expected)
  })

  it('tells the clerk both values of a mismatch, without the number', () => {
    const issue = checkOne('vocational', { birthMonth: '1985-04' }).issues[0]
    expect(issue.message).toBe('第 2 行「出生年月」：与证件号码不一致：表中为 1985-04，证件号码中为 1985-03')
  })

  it('passes any valid generated number in lower-case and full-width forms, and fails a changed check character', () => {
    const next = seededRandom(3)
    const regions = ['110101', '310101', '440305', '510104', '650102', '820000']
    for (let run = 0; run < 300; run += 1) {
      const day = new Date(Date.UTC(1940, 0, 1) + Math.floor(next() * 25_000) * 86_400_000).toISOString().slice(0, 10)
      const gender = next() < 0.5 ? '男' : '女'
      const id = residentId(day.replace(/-/g, ''), gender, Math.floor(next() * 400), regions[Math.floor(next() * regions.length)])
      const row = { gender, birthMonth: day.slice(0, 7) }
      for (const form of [id, id.toLowerCase(), fullWidth(id.toLowerCase())]) {
        const checked = checkOne('title', { ...row, idNumber: form })
        expect(checked.issues, form).toEqual([])
        expect(checked.fields.idNumber).toBe(id)
      }
      const wrong = '0123456789X'.replace(id[17], '')[Math.floor(next() * 10)]
      expect(found(checkOne('title', { ...row, idNumber: id.slice(0, 17) + wrong }))).toEqual(['证件号码:ID_CHECK_CHARACTER'])
    }
  })
})

describe('row checks: dates', () => {
  it.each<[string, CellValue | string, string]>([
    ['ISO', '1985-03', '1985-03'],
    ['single-digit month with slash', '1985/3', '1985-03'],
    ['dots', '1985.03', '1985-03'],
    ['Chinese', '1985年3月', '1985-03'],
    ['Chinese with spaces', '1985 年 03 月', '1985-03'],
    ['compact', '198503', '1985-03'],
    ['full-width digits', '１９８５－０３', '1985-03'],
    ['a full date (month kept)', '1985-03-12', '1985-03'],
    ['a Chinese full date', '1985年3月12日', '1985-03'],
    ['a compact full date', '19850312', '1985-03'],
    ['a date serial', number(31118, true), '1985-03'],
    ['a serial without date format', number(31118), '1985-03'],
    ['198503 in a number cell', number(198503), '1985-03'],
    ['1985.03 in a number cell', number(1985.03), '1985-03'],
    ['1985.3 in a number cell', number(1985.3), '1985-03'],
  ])('reads 出生年月 written as %s', (_case, birthMonth, expected) => {
    const checked = checkOne('vocational', { birthMonth })
    expect(checked.issues).toEqual([])
    expect(checked.fields.birthMonth).toBe(expected)
  })

  it.each<[string, CellValue | string, string]>([
    ['ISO', '2025-12-20', '2025-12-20'],
    ['slashes', '2025/12/20', '2025-12-20'],
    ['dots', '2025.12.20', '2025-12-20'],
    ['Chinese', '2025年12月20日', '2025-12-20'],
    ['compact', '20251220', '2025-12-20'],
    ['with a time', '2025-12-20 00:00:00', '2025-12-20'],
    ['a date serial', number(45646, true), '2024-12-20'],
    ['a serial with a time of day', number(45646.75, true), '2024-12-20'],
    ['a serial without date format', number(45647), '2024-12-21'],
    ['20251220 in a number cell', number(20251220), '2025-12-20'],
    ['today', '2026-05-20', '2026-05-20'],
    ['serial 59, the last day before Excel’s phantom leap day', number(59, true), '1900-02-28'],
    ['serial 61, the day after it', number(61, true), '1900-03-01'],
  ])('reads 取得职称时间 written as %s', (_case, obtainedOn, expected) => {
    const checked = checkOne('title', { obtainedOn, idType: '护照', idNumber: 'E12345678', birthMonth: '1850-01' })
    expect(checked.fields.obtainedOn).toBe(expected)
    expect(checked.issues.filter((issue) => issue.column === '取得职称时间')).toEqual([])
  })

  it('shows a date serial as a date in the original cells', () => {
    expect(checkOne('title', { obtainedOn: number(45646, true) }).original[10]).toBe('2024-12-20')
  })

  it.each<[string, Family, Cells, string, RegExp]>([
    ['Excel’s phantom 1900-02-29', 'title', { obtainedOn: number(60, true) }, 'DATE_INVALID', /1900-02-29 并不存在/],
    ['a month only where a day is needed', 'title', { obtainedOn: '2025-12' }, 'DATE_INVALID', /只写到了月/],
    ['30 February', 'vocational', { approvedOn: '2025年2月30日' }, 'DATE_INVALID', /「2025年2月30日」不是真实存在的日期/],
    ['month 13', 'title', { obtainedOn: '2025-13-01' }, 'DATE_INVALID', /不是真实存在的日期/],
    ['29 February of a common year', 'title', { obtainedOn: '20250229' }, 'DATE_INVALID', /不是真实存在的日期/],
    ['free text', 'title', { obtainedOn: '去年年底' }, 'DATE_INVALID', /「去年年底」不是可识别的日期/],
    ['a serial below 1', 'title', { obtainedOn: number(0, true) }, 'DATE_INVALID', /不是有效的日期/],
    ['tomorrow', 'title', { obtainedOn: '2026-05-21' }, 'DATE_FUTURE', /2026-05-21 晚于今天（2026-05-20）/],
    ['a future serial', 'vocational', { approvedOn: number(47000, true) }, 'DATE_FUTURE', /晚于今天/],
    ['a year alone in a number cell', 'title', { birthMonth: number(1985) }, 'DATE_INVALID', /只有年份/],
    ['1985.1, January or October', 'title', { birthMonth: number(1985.1) }, 'DATE_INVALID', /可能是 1985 年 1 月，也可能是 10 月/],
    ['a birth month before 1900', 'title', { birthMonth: '1899-12' }, 'DATE_INVALID', /早于 1900 年/],
  ])('refuses %s', (_case, family, changes, code, message) => {
    const column = 'obtainedOn' in changes ? '取得职称时间' : 'approvedOn' in changes ? '批准日期' : '出生年月'
    const issues = checkOne(family, changes).issues.filter((issue) => issue.column === column)
    expect(issues.map((issue) => issue.code)).toEqual([code])
    expect(issues[0].message).toMatch(message)
  })
})

describe('checkDuplicatesInBatch', () => {
  const row = (rowNumber: number, fields: Record<string, string>): CheckedRow => ({ rowNumber, fields, original: [], issues: [] })
  const other = residentId('19900101', '男')

  it('flags the same person with the same title on every later row, naming the first', () => {
    const rows = [
      row(3, { idNumber: ID, level: 'senior', titleName: '副主任护师' }),
      row(4, { idNumber: other, level: 'senior', titleName: '副主任护师' }),
      row(5, { idNumber: ID, level: 'senior', titleName: '副主任护师' }),
      row(6, { idNumber: ID.toLowerCase(), level: 'senior', titleName: '副主任护师' }),
    ]
    checkDuplicatesInBatch(rows, 'title')
    expect(rows.map((item) => item.issues.map((issue) => issue.code))).toEqual([[], [], ['DUPLICATE_IN_BATCH'], ['DUPLICATE_IN_BATCH']])
    expect(rows[2].issues[0]).toMatchObject({ column: '证件号码', severity: 'error' })
    expect(rows[2].issues[0].message).toMatch(/^第 5 行「证件号码」：与第 3 行重复/)
    expect(rows[3].issues[0].message).toContain('与第 3 行重复')
  })

  it('warns of the same person with another title or qualification', () => {
    const rows = [
      row(2, { idNumber: ID, qualificationName: '建造师', level: '一级' }),
      row(3, { idNumber: ID, qualificationName: '建造师', level: '二级' }),
      row(4, { idNumber: ID, qualificationName: '建造师', level: '二级' }),
      row(5, { idNumber: '', qualificationName: '建造师', level: '一级' }),
      row(6, { qualificationName: '建造师', level: '一级' }),
    ]
    checkDuplicatesInBatch(rows, 'vocational')
    expect(rows.map((item) => item.issues.map((issue) => `${issue.code}:${issue.severity}`))).toEqual([
      [],
      ['SAME_PERSON_TWICE:warning'],
      ['DUPLICATE_IN_BATCH:error'],
      [],
      [],
    ])
    expect(rows[1].issues[0].message).toContain('与第 2 行是同一证件号码')
    expect(rows[2].issues[0].message).toContain('与第 3 行重复')
  })

  it('handles 100,000 rows in one pass', () => {
    const rows = Array.from({ length: 100_000 }, (_, index) =>
      row(index + 2, { idNumber: String(index % 60_000).padStart(18, '0'), level: 'senior', titleName: '工程师' }),
    )
    checkDuplicatesInBatch(rows, 'title')
    expect(rows.filter((item) => item.issues.length > 0)).toHaveLength(40_000)
  })
})

describe('row checker over many rows', () => {
  it('checks 20,000 valid rows without a finding', () => {
    const rowChecker = checker('title')
    const rows = Array.from({ length: 20_000 }, (_, index) => dataRow('title', {}, index + 2))
    for (const item of rows) expect(rowChecker.check(item)?.issues).toEqual([])
  })
})
