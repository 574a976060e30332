import { describe, expect, it } from 'vitest'
import {
  birthAndGenderMatch,
  checkCharacter,
  convertLegacy15,
  normaliseIdNumber,
  validateIdNumber,
  type IdNumberResult,
  type ValidIdNumber,
} from '../../electron/core/applications/id-number'
import { seededRandom } from '../helpers/random'

const EXCEL_MESSAGE = '证件号码被 Excel 存成了数字，末尾几位已丢失，请将该列设为文本后重新填写'
// A fixed day, so the tests about "the future" do not depend on when they run.
const TODAY = new Date(2026, 4, 20)
const options = { today: TODAY }

const VALID_REGIONS = [
  ...[11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37],
  ...[41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91],
]
const ALL_CHECK_CHARACTERS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']

function integer(next: () => number, from: number, to: number): number {
  return from + Math.floor(next() * (to - from + 1))
}

function digits(next: () => number, count: number): string {
  return Array.from({ length: count }, () => integer(next, 0, 9)).join('')
}

/**
 * The reference formula written out independently of the module: weight i is 2^(17-i) mod 11,
 * and the check value is the one that makes the weighted sum ≡ 1 (mod 11), with 10 written X.
 */
function referenceCheck(first17: string): string {
  let sum = 0
  for (let index = 0; index < 17; index += 1) sum += Number(first17[index]) * (2 ** (17 - index) % 11)
  const value = (12 - (sum % 11)) % 11
  return value === 10 ? 'X' : String(value)
}

/** A random birth date between 1900-01-01 and TODAY as YYYYMMDD, through UTC day arithmetic. */
function randomBirth(next: () => number, from = Date.UTC(1900, 0, 1), to = Date.UTC(2026, 4, 20)): string {
  const day = new Date(from + integer(next, 0, Math.floor((to - from) / 86_400_000)) * 86_400_000)
  return day.toISOString().slice(0, 10).replace(/-/g, '')
}

function randomRegion(next: () => number): string {
  return String(VALID_REGIONS[integer(next, 0, VALID_REGIONS.length - 1)]) + digits(next, 4)
}

/** A random, fully valid 18-character number, built from region, birth date and sequence. */
function randomValidId(next: () => number): string {
  const first17 = randomRegion(next) + randomBirth(next) + digits(next, 3)
  return first17 + referenceCheck(first17)
}

function withCheck(first17: string): string {
  return first17 + referenceCheck(first17)
}

function expectValid(result: IdNumberResult): ValidIdNumber {
  if (!result.ok) throw new Error(`expected a valid ID number, got ${result.code}: ${result.message}`)
  return result
}

function expectError(result: IdNumberResult, code: string): string {
  if (result.ok) throw new Error(`expected ${code}, got the valid number ${result.value}`)
  expect(result.code).toBe(code)
  return result.message
}

describe('normaliseIdNumber', () => {
  it('trims, removes inner spaces of every kind and upper-cases x', () => {
    expect(normaliseIdNumber('  11010519491231002x \n')).toBe('11010519491231002X')
    expect(normaliseIdNumber('110105 19491231 002X')).toBe('11010519491231002X')
    expect(normaliseIdNumber('\u3000110105\u00a019491231\t002X\u3000')).toBe('11010519491231002X')
    expect(normaliseIdNumber('\ufeff110105\u200b19491231002X')).toBe('11010519491231002X')
  })

  it('folds full-width digits, Ｘ and ｘ to ASCII', () => {
    expect(normaliseIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X')
    expect(normaliseIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X')
  })

  it('leaves other look-alikes alone, so the character check can name them', () => {
    expect(normaliseIdNumber('①１０１０５')).toBe('①10105')
    expect(normaliseIdNumber('110105-1949')).toBe('110105-1949')
  })

  it('returns an empty string for blanks', () => {
    expect(normaliseIdNumber('')).toBe('')
    expect(normaliseIdNumber(' \u3000\t')).toBe('')
  })
})

describe('checkCharacter', () => {
  it('gives the check characters of the examples in GB 11643-1999', () => {
    expect(checkCharacter('11010519491231002')).toBe('X')
    expect(checkCharacter('44052418800101001')).toBe('4')
  })

  it('agrees with the reference formula on 5,000 random 17-digit bodies', () => {
    const next = seededRandom(1)
    for (let run = 0; run < 5_000; run += 1) {
      const first17 = digits(next, 17)
      expect(checkCharacter(first17), first17).toBe(referenceCheck(first17))
    }
  })

  it('produces every one of the 11 check characters', () => {
    const next = seededRandom(2)
    const seen = new Set<string>()
    for (let run = 0; run < 1_000; run += 1) seen.add(checkCharacter(digits(next, 17)))
    expect([...seen].sort()).toEqual(ALL_CHECK_CHARACTERS)
  })

  it('refuses anything but 17 ASCII digits', () => {
    for (const bad of ['', '1101051949123100', '110105194912310021', '1101051949123100X', '１１０１０５１９４９１２３１００２']) {
      expect(() => checkCharacter(bad), bad).toThrow(RangeError)
    }
  })
})

describe('convertLegacy15', () => {
  it('inserts 19 before the year and appends the check character', () => {
    expect(convertLegacy15('110105491231002')).toBe('11010519491231002X')
  })

  it('agrees with the reference conversion on 2,000 random legacy numbers', () => {
    const next = seededRandom(3)
    for (let run = 0; run < 2_000; run += 1) {
      const id15 = digits(next, 15)
      const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`
      expect(convertLegacy15(id15), id15).toBe(first17 + referenceCheck(first17))
    }
  })

  it('refuses anything but 15 ASCII digits', () => {
    for (const bad of ['', '11010549123100', '1101054912310021', '11010549123100X']) {
      expect(() => convertLegacy15(bad), bad).toThrow(RangeError)
    }
  })
})

describe('validateIdNumber: valid numbers', () => {
  it('accepts the example of the standard and decodes birth date and gender', () => {
    expect(validateIdNumber('11010519491231002X', options)).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: '女',
    })
  })

  it('normalises lowercase x, full-width characters and spaces before checking', () => {
    for (const typed of [
      '11010519491231002x',
      '１１０１０５１９４９１２３１００２Ｘ',
      '１１０１０５１９４９１２３１００２ｘ',
      ' 110105 19491231 002x ',
    ]) {
      expect(expectValid(validateIdNumber(typed, options)).value, typed).toBe('11010519491231002X')
    }
  })

  it('accepts 2,000 random valid numbers and rejects every other check character for each', () => {
    const next = seededRandom(4)
    for (let run = 0; run < 2_000; run += 1) {
      const id = randomValidId(next)
      const valid = expectValid(validateIdNumber(id, options))
      expect(valid.value).toBe(id)
      expect(valid.birthDate).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`)
      expect(valid.gender).toBe(Number(id[16]) % 2 === 1 ? '男' : '女')
      expect(valid.converted).toBeUndefined()
      for (const other of ALL_CHECK_CHARACTERS.filter((character) => character !== id[17])) {
        const message = expectError(validateIdNumber(id.slice(0, 17) + other, options), 'ID_CHECK_CHARACTER')
        expect(message).toContain(`末位应为「${id[17]}」`)
        expect(message).toContain(`现为「${other}」`)
      }
    }
  })

  it('accepts every valid province code', () => {
    for (const region of VALID_REGIONS) {
      expect(validateIdNumber(withCheck(`${region}010519900101001`), options).ok, String(region)).toBe(true)
    }
  })

  it('gives the gender by the parity of the 17th digit', () => {
    for (let digit = 0; digit <= 9; digit += 1) {
      const valid = expectValid(validateIdNumber(withCheck(`3101011985031200${digit}`), options))
      expect(valid.gender).toBe(digit % 2 === 1 ? '男' : '女')
    }
  })

  it('judges "not in the future" against the current day when no day is given', () => {
    expect(validateIdNumber('11010519491231002X').ok).toBe(true)
    expect(validateIdNumber(withCheck('31010120990101001')).ok).toBe(false)
  })
})

describe('validateIdNumber: typing mistakes the check character catches', () => {
  it('detects every single-digit substitution in 500 random numbers', () => {
    const next = seededRandom(5)
    for (let run = 0; run < 500; run += 1) {
      const id = randomValidId(next)
      const position = integer(next, 0, 16)
      const replacement = String((Number(id[position]) + integer(next, 1, 9)) % 10)
      const typo = id.slice(0, position) + replacement + id.slice(position + 1)
      expect(validateIdNumber(typo, options).ok, `${id} → ${typo}`).toBe(false)
    }
  })

  it('detects every swap of two different adjacent digits in 500 random numbers', () => {
    const next = seededRandom(6)
    for (let run = 0; run < 500; run += 1) {
      const id = randomValidId(next)
      const position = integer(next, 0, 15)
      if (id[position] === id[position + 1]) continue
      const typo = id.slice(0, position) + id[position + 1] + id[position] + id.slice(position + 2)
      expect(validateIdNumber(typo, options).ok, `${id} → ${typo}`).toBe(false)
    }
  })
})

describe('validateIdNumber: 15-digit legacy numbers', () => {
  it('converts 110105491231002 to 11010519491231002X', () => {
    expect(validateIdNumber('110105491231002', options)).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: '女',
      converted: 'legacy15',
    })
  })

  it('converts 1,000 random legacy numbers with real dates and keeps the gender digit', () => {
    const next = seededRandom(7)
    for (let run = 0; run < 1_000; run += 1) {
      const birth = randomBirth(next, Date.UTC(1900, 0, 1), Date.UTC(1999, 11, 31))
      const id15 = randomRegion(next) + birth.slice(2) + digits(next, 3)
      const valid = expectValid(validateIdNumber(id15, options))
      expect(valid.value).toBe(withCheck(`${id15.slice(0, 6)}19${id15.slice(6)}`))
      expect(valid.converted).toBe('legacy15')
      expect(valid.gender).toBe(Number(id15[14]) % 2 === 1 ? '男' : '女')
    }
  })

  it('still checks the region and the date of a legacy number', () => {
    expectError(validateIdNumber('990105491231002', options), 'ID_REGION')
    expectError(validateIdNumber('110105490229002', options), 'ID_BIRTH_DATE')
  })

  it('refuses an X at the end of a 15-digit number: legacy numbers had no check character', () => {
    expect(expectError(validateIdNumber('11010549123100X', options), 'ID_CHARACTERS')).toContain('「X」')
  })
})

describe('validateIdNumber: numbers stored as numbers in Excel', () => {
  it('names an 18-digit number that arrived as a JS number, whose last digits are lost', () => {
    expect(validateIdNumber('310101198503120022', options).ok).toBe(true)
    // What exceljs hands over for that cell: Excel kept 15 significant digits (…120000 in the sheet).
    const cell = Number('310101198503120022')
    expect(String(cell)).toBe('310101198503120000')
    expect(validateIdNumber(cell, options)).toEqual({ ok: false, code: 'ID_EXCEL_NUMBER', message: EXCEL_MESSAGE })
  })

  it('names every 16- to 18-digit number, even one Excel kept exactly', () => {
    const next = seededRandom(8)
    for (let run = 0; run < 500; run += 1) {
      const id = randomValidId(next).slice(0, integer(next, 16, 17)) + digits(next, 1)
      expectError(validateIdNumber(Number(id), options), 'ID_EXCEL_NUMBER')
    }
    expectError(validateIdNumber(1101051949123100, options), 'ID_EXCEL_NUMBER')
    expectError(validateIdNumber(1e21, options), 'ID_EXCEL_NUMBER')
  })

  it('converts a 15-digit legacy number that arrived as a JS number: 15 digits survive', () => {
    const valid = expectValid(validateIdNumber(110105491231002, options))
    expect(valid.value).toBe('11010519491231002X')
    expect(valid.converted).toBe('legacy15')
  })

  it('names scientific notation as Excel shows long numbers', () => {
    for (const shown of ['3.10101E+17', '3.10101e+17', '3.10101198503120E+17', '1.10105E+14', '３.１０１０１Ｅ+１７', '3E17']) {
      expect(validateIdNumber(shown, options), shown).toEqual({ ok: false, code: 'ID_EXCEL_NUMBER', message: EXCEL_MESSAGE })
    }
  })

  it('hints at Excel when an 18-digit string ending in 000 fails the check, but keeps the check error', () => {
    const message = expectError(validateIdNumber('310101198503120000', options), 'ID_CHECK_CHARACTER')
    expect(message).toContain(`末位应为「${referenceCheck('31010119850312000')}」`)
    expect(message).toContain('Excel')
    expect(expectError(validateIdNumber('310101198503120023', options), 'ID_CHECK_CHARACTER')).not.toContain('Excel')
  })

  it('accepts a real number that happens to end in 000', () => {
    const next = seededRandom(9)
    let id = ''
    while (!id.endsWith('000')) id = withCheck(randomRegion(next) + randomBirth(next) + digits(next, 1) + '00')
    expect(validateIdNumber(id, options).ok, id).toBe(true)
  })

  it('sends fractions, negatives and NaN to the character check', () => {
    expect(expectError(validateIdNumber(1.5, options), 'ID_CHARACTERS')).toContain('「.」')
    expect(expectError(validateIdNumber(-110105491231002, options), 'ID_CHARACTERS')).toContain('「-」')
    expectError(validateIdNumber(Number.NaN, options), 'ID_CHARACTERS')
  })
})

describe('validateIdNumber: empty, length and characters', () => {
  it('names an empty cell', () => {
    for (const blank of ['', '   ', '\u3000']) {
      expect(validateIdNumber(blank, options)).toEqual({ ok: false, code: 'ID_EMPTY', message: '证件号码为空' })
    }
  })

  it('names a wrong length and gives the count', () => {
    expect(expectError(validateIdNumber('1101051949123100', options), 'ID_LENGTH')).toBe(
      '证件号码应为 18 位（旧版证件为 15 位），现为 16 位',
    )
    expectError(validateIdNumber('11010519491231002', options), 'ID_LENGTH')
    expectError(validateIdNumber('11010519491231002X1', options), 'ID_LENGTH')
    expectError(validateIdNumber('1101', options), 'ID_LENGTH')
    expectError(validateIdNumber(12345, options), 'ID_LENGTH')
  })

  it('names the first illegal character, before the length', () => {
    expect(expectError(validateIdNumber('11010519491231002Y1', options), 'ID_CHARACTERS')).toContain('「Y」')
    expect(expectError(validateIdNumber('11010519491231002Y', options), 'ID_CHARACTERS')).toContain('「Y」')
    expect(expectError(validateIdNumber('1101051949X231002X', options), 'ID_CHARACTERS')).toContain('「X」')
    expect(expectError(validateIdNumber('110105-19491231-002X', options), 'ID_CHARACTERS')).toContain('「-」')
    expect(expectError(validateIdNumber('①1010519491231002X', options), 'ID_CHARACTERS')).toContain('「①」')
    expect(expectError(validateIdNumber('张三', options), 'ID_CHARACTERS')).toContain('「张」')
    expect(expectError(validateIdNumber('E12345678', options), 'ID_CHARACTERS')).toContain('「E」')
  })
})

describe('validateIdNumber: region and birth date', () => {
  it('names a first-two-digit code that is no province', () => {
    for (const region of [
      '00',
      '10',
      '16',
      '20',
      '24',
      '30',
      '38',
      '40',
      '47',
      '49',
      '55',
      '60',
      '66',
      '70',
      '72',
      '80',
      '84',
      '90',
      '92',
      '99',
    ]) {
      const message = expectError(validateIdNumber(withCheck(`${region}010519900101001`), options), 'ID_REGION')
      expect(message).toBe(`证件号码前两位「${region}」不是有效的省级行政区划代码`)
    }
  })

  it('refuses a birth date in the future and accepts today', () => {
    expect(expectError(validateIdNumber(withCheck('31010120260521001'), options), 'ID_BIRTH_DATE')).toBe(
      '证件号码中的出生日期 2026-05-21 晚于今天',
    )
    expectError(validateIdNumber(withCheck('31010120300101001'), options), 'ID_BIRTH_DATE')
    expect(validateIdNumber(withCheck('31010120260520001'), options).ok).toBe(true)
  })

  it('refuses Feb 29 in a non-leap year, including 1900, and accepts it in a leap year', () => {
    expect(expectError(validateIdNumber(withCheck('31010120230229001'), options), 'ID_BIRTH_DATE')).toBe(
      '证件号码中的出生日期 2023-02-29 不是真实存在的日期',
    )
    expectError(validateIdNumber(withCheck('31010119000229001'), options), 'ID_BIRTH_DATE')
    expect(validateIdNumber(withCheck('31010120000229001'), options).ok).toBe(true)
    expect(validateIdNumber(withCheck('31010119960229001'), options).ok).toBe(true)
  })

  it('refuses months and days that do not exist', () => {
    for (const date of ['19851301', '19850001', '19850100', '19850132', '19850431', '19850230']) {
      expectError(validateIdNumber(withCheck(`310101${date}001`), options), 'ID_BIRTH_DATE')
    }
  })

  it('refuses a birth year before 1900, even with a correct check character (the standard’s own 1880 example)', () => {
    expect(expectError(validateIdNumber('440524188001010014', options), 'ID_BIRTH_DATE')).toBe(
      '证件号码中的出生日期 1880-01-01 早于 1900 年',
    )
    expectError(validateIdNumber(withCheck('31010118991231001'), options), 'ID_BIRTH_DATE')
    expectError(validateIdNumber(withCheck('31010100000101001'), options), 'ID_BIRTH_DATE')
    expect(validateIdNumber(withCheck('31010119000101001'), options).ok).toBe(true)
  })
})

describe('birthAndGenderMatch', () => {
  const id = withCheck('31010119850312002') // born 1985-03, 17th digit 2: 女

  it('finds nothing when both fields agree', () => {
    expect(birthAndGenderMatch(id, { birthMonth: '1985-03', gender: '女' }, options)).toEqual([])
    expect(birthAndGenderMatch(id, { birthMonth: '1985-3', gender: '女' }, options)).toEqual([])
    expect(birthAndGenderMatch(id, { birthMonth: '1985-03-12' }, options)).toEqual([])
  })

  it('names a birth month that disagrees', () => {
    expect(birthAndGenderMatch(id, { birthMonth: '1985-04', gender: '女' }, options)).toEqual([
      {
        code: 'BIRTH_MONTH_MISMATCH',
        field: 'birthMonth',
        declared: '1985-04',
        fromIdNumber: '1985-03',
        message: '出生年月与证件号码不一致：表中为 1985-04，证件号码中为 1985-03',
      },
    ])
  })

  it('names a gender that disagrees', () => {
    const [mismatch, ...rest] = birthAndGenderMatch(id, { birthMonth: '1985-03', gender: '男' }, options)
    expect(rest).toEqual([])
    expect(mismatch.code).toBe('GENDER_MISMATCH')
    expect(mismatch.message).toBe('性别与证件号码不一致：表中为「男」，证件号码中为「女」')
  })

  it('names both when both disagree', () => {
    const codes = birthAndGenderMatch(id, { birthMonth: '1986-03', gender: '男' }, options).map((mismatch) => mismatch.code)
    expect(codes).toEqual(['BIRTH_MONTH_MISMATCH', 'GENDER_MISMATCH'])
  })

  it('agrees with the decoded fields on 500 random numbers and disagrees with the opposite gender', () => {
    const next = seededRandom(10)
    for (let run = 0; run < 500; run += 1) {
      const random18 = randomValidId(next)
      const birthMonth = `${random18.slice(6, 10)}-${random18.slice(10, 12)}`
      const gender = Number(random18[16]) % 2 === 1 ? '男' : '女'
      expect(birthAndGenderMatch(random18, { birthMonth, gender }, options)).toEqual([])
      const other = gender === '男' ? '女' : '男'
      expect(birthAndGenderMatch(random18, { gender: other }, options).map((mismatch) => mismatch.code)).toEqual(['GENDER_MISMATCH'])
    }
  })

  it('works from a legacy or lowercase number', () => {
    expect(birthAndGenderMatch('110105491231002', { birthMonth: '1949-12', gender: '女' }, options)).toEqual([])
    expect(birthAndGenderMatch('11010519491231002x', { birthMonth: '1949-11' }, options)).toHaveLength(1)
  })

  it('stays silent when the number is invalid or a field is absent or unreadable', () => {
    expect(birthAndGenderMatch('31010119850312002X', { birthMonth: '2000-01', gender: '男' }, options)).toEqual([])
    expect(birthAndGenderMatch(Number('310101198503120022'), { birthMonth: '2000-01', gender: '男' }, options)).toEqual([])
    expect(birthAndGenderMatch(id, {}, options)).toEqual([])
    expect(birthAndGenderMatch(id, { birthMonth: '' }, options)).toEqual([])
    expect(birthAndGenderMatch(id, { birthMonth: '1985年3月' }, options)).toEqual([])
    expect(birthAndGenderMatch(id, { birthMonth: '1985-13' }, options)).toEqual([])
  })
})
