/**
 * Checks of the Chinese resident ID number (公民身份号码, GB 11643-1999) for the import of
 * production applications (issue 3, automatic checks). Pure functions: no I/O, no clock unless
 * the caller leaves `today` out.
 *
 * Layout of the 18 characters: 6-digit region code, 8-digit birth date (YYYYMMDD), 3-digit
 * sequence whose last digit is odd for men and even for women, 1 check character (0–9 or X).
 */
import { ID_NUMBER_MESSAGES, type BirthDateProblem, type IdNumberErrorCode, type IdNumberMismatchCode } from './id-number-errors'

export type { IdNumberErrorCode, IdNumberMismatchCode } from './id-number-errors'

/** Gender as written in the workbook's 性别 column. */
export type Gender = '男' | '女'

/** An ID number that passed every check. */
export interface ValidIdNumber {
  ok: true
  /** The normalised 18-character number (a legacy 15-digit number is converted). */
  value: string
  /** The birth date encoded in the number, `YYYY-MM-DD`. */
  birthDate: string
  gender: Gender
  /** Present when the input was a 15-digit legacy number, so the import can say it converted it. */
  converted?: 'legacy15'
}

/** An ID number that failed a check, with a message a filing clerk understands. */
export interface InvalidIdNumber {
  ok: false
  code: IdNumberErrorCode
  message: string
}

export type IdNumberResult = ValidIdNumber | InvalidIdNumber

/** One disagreement between a row's declared fields and its ID number. */
export interface IdNumberMismatch {
  code: IdNumberMismatchCode
  field: 'birthMonth' | 'gender'
  /** What the row declares. */
  declared: string
  /** What the ID number encodes (`YYYY-MM` or 男/女). */
  fromIdNumber: string
  message: string
}

// ISO 7064 MOD 11-2 as tabulated in GB 11643-1999; the weights are 2^(17-i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARACTERS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2']

// Province-level codes (GB/T 2260) plus 81/82/83 (residence permits of Hong Kong, Macao and Taiwan
// residents) and 91 (the 2023 foreigners' permanent residence ID, which follows the same layout).
const PROVINCE_CODES = new Set([
  ...range(11, 15),
  ...range(21, 23),
  ...range(31, 37),
  ...range(41, 46),
  ...range(50, 54),
  ...range(61, 65),
  71,
  81,
  82,
  83,
  91,
])

// GB 11643 numbers exist for people born from 1900 on; an earlier year is a typing mistake.
const EARLIEST_BIRTH_YEAR = 1900

// Excel keeps 15 significant digits; anything longer arriving as a number has lost its tail.
const EXCEL_SIGNIFICANT_DIGITS = 15

// What Excel or a CSV export shows for a long number in a General-format cell, e.g. 3.10101E+17.
const SCIENTIFIC_NOTATION = /^\d+(\.\d+)?E\+?\d+$/i

// Only full-width digits and Latin letters are folded; NFKC would also turn ① or ㈠ into digits and
// accept characters no clerk meant to type.
const FULL_WIDTH_ALPHANUMERIC = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g
const FULL_WIDTH_OFFSET = 0xfee0

// \s covers the ideographic space U+3000, NBSP and the BOM; zero-width characters come with text
// pasted from web pages and Word.
const INVISIBLE_OR_SPACE = /[\s\u200B-\u200D\u2060]/g

/**
 * Normalises an ID number as typed or pasted: trims, folds full-width digits and letters
 * (０-９, Ｘ, ｘ) to ASCII, upper-cases x to X and removes spaces inside the number.
 * Does not check anything; {@link validateIdNumber} does.
 */
export function normaliseIdNumber(raw: string): string {
  return raw
    .trim()
    .replace(FULL_WIDTH_ALPHANUMERIC, (character) => String.fromCharCode(character.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .replace(INVISIBLE_OR_SPACE, '')
    .replace(/x/g, 'X')
}

/**
 * The GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits.
 * @throws RangeError when `first17` is not exactly 17 ASCII digits (a programming error).
 */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`checkCharacter needs 17 digits, got "${first17}"`)
  let sum = 0
  for (let index = 0; index < 17; index += 1) sum += Number(first17[index]) * WEIGHTS[index]
  return CHECK_CHARACTERS[sum % 11]
}

/**
 * Converts a 15-digit legacy number (issued before 1999, two-digit year) to its 18-character
 * form: '19' goes before the year, since every legacy number belongs to someone born in the
 * 1900s, and the check character is appended.
 * @throws RangeError when `id15` is not exactly 15 ASCII digits (a programming error).
 */
export function convertLegacy15(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new RangeError(`convertLegacy15 needs 15 digits, got "${id15}"`)
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`
  return first17 + checkCharacter(first17)
}

/**
 * Validates an ID number from a workbook cell and returns it normalised to 18 characters with
 * the birth date and gender it encodes, or the first problem found with a Chinese message.
 *
 * A `number` is what exceljs gives for a numeric cell: with more than 15 digits its tail was
 * rounded away by Excel and cannot be recovered; a 15-digit legacy number survives and is
 * converted. A scientific-notation string (3.10101E+17) is the same loss seen through a CSV.
 *
 * @param options.today the day against which "not in the future" is judged; defaults to now.
 */
export function validateIdNumber(raw: string | number, options: { today?: Date } = {}): IdNumberResult {
  const text = typeof raw === 'number' ? digitsOfNumber(raw) : normaliseIdNumber(raw)
  if (text === null) return fail('ID_EXCEL_NUMBER', ID_NUMBER_MESSAGES.excelNumber())
  if (text === '') return fail('ID_EMPTY', ID_NUMBER_MESSAGES.empty())
  if (SCIENTIFIC_NOTATION.test(text)) return fail('ID_EXCEL_NUMBER', ID_NUMBER_MESSAGES.excelNumber())

  const shapeError = checkShape(text)
  if (shapeError) return shapeError

  const legacy = text.length === 15
  const value = legacy ? convertLegacy15(text) : text

  const region = value.slice(0, 2)
  if (!PROVINCE_CODES.has(Number(region))) return fail('ID_REGION', ID_NUMBER_MESSAGES.region(region))

  const birthDigits = value.slice(6, 14)
  const problem = birthDateProblem(birthDigits, options.today ?? new Date())
  if (problem) return fail('ID_BIRTH_DATE', ID_NUMBER_MESSAGES.birthDate(birthDigits, problem))

  const expected = checkCharacter(value.slice(0, 17))
  const actual = value[17]
  if (actual !== expected) {
    return fail('ID_CHECK_CHARACTER', ID_NUMBER_MESSAGES.checkCharacter(expected, actual, value.endsWith('000')))
  }

  const result: ValidIdNumber = {
    ok: true,
    value,
    birthDate: `${birthDigits.slice(0, 4)}-${birthDigits.slice(4, 6)}-${birthDigits.slice(6, 8)}`,
    gender: Number(value[16]) % 2 === 1 ? '男' : '女',
  }
  if (legacy) result.converted = 'legacy15'
  return result
}

/**
 * Compares a row's declared 出生年月 and 性别 with what its ID number encodes.
 *
 * Returns no mismatch when the ID number itself is invalid (that is reported by
 * {@link validateIdNumber}, and comparing with a wrong number would only add noise), when a field
 * is absent (the required-field check reports it) or when `birthMonth` is not `YYYY-MM` or
 * `YYYY-MM-DD` (the date check reports it).
 */
export function birthAndGenderMatch(
  idNumber: string | number,
  declared: { birthMonth?: string; gender?: Gender },
  options: { today?: Date } = {},
): IdNumberMismatch[] {
  const id = validateIdNumber(idNumber, options)
  if (!id.ok) return []
  const mismatches: IdNumberMismatch[] = []

  const month = declared.birthMonth === undefined ? null : parseYearMonth(declared.birthMonth)
  const idMonth = id.birthDate.slice(0, 7)
  if (month !== null && month !== idMonth) {
    mismatches.push({
      code: 'BIRTH_MONTH_MISMATCH',
      field: 'birthMonth',
      declared: month,
      fromIdNumber: idMonth,
      message: ID_NUMBER_MESSAGES.birthMonthMismatch(month, idMonth),
    })
  }

  const gender = declared.gender?.trim()
  if ((gender === '男' || gender === '女') && gender !== id.gender) {
    mismatches.push({
      code: 'GENDER_MISMATCH',
      field: 'gender',
      declared: gender,
      fromIdNumber: id.gender,
      message: ID_NUMBER_MESSAGES.genderMismatch(gender, id.gender),
    })
  }
  return mismatches
}

/** The digits of a numeric cell, or null when Excel has already rounded away its tail. */
function digitsOfNumber(value: number): string | null {
  // A fraction, a negative or NaN is not a rounded ID: let the character check name it.
  if (!Number.isInteger(value) || value < 0) return String(value)
  // BigInt prints every digit of the double; String() would switch to 1e+21 notation.
  const digits = BigInt(value).toString()
  return digits.length > EXCEL_SIGNIFICANT_DIGITS ? null : digits
}

/**
 * Foreign characters first ("1101…002Y" is better told its Y than its length), then the length,
 * then where an X stands: "…002X1" has one digit too many rather than a misplaced X.
 */
function checkShape(text: string): InvalidIdNumber | null {
  const foreign = [...text].find((character) => !/[\dX]/.test(character))
  if (foreign !== undefined) return fail('ID_CHARACTERS', ID_NUMBER_MESSAGES.characters(foreign))
  if (text.length !== 15 && text.length !== 18) return fail('ID_LENGTH', ID_NUMBER_MESSAGES.length(text.length))
  // Only the check character of an 18-character number may be X; legacy numbers had none.
  const xAt = text.indexOf('X')
  if (xAt !== -1 && xAt !== 17) return fail('ID_CHARACTERS', ID_NUMBER_MESSAGES.characters('X'))
  return null
}

/** Why eight digits YYYYMMDD are not an acceptable birth date, or null when they are. */
function birthDateProblem(digits: string, today: Date): BirthDateProblem | null {
  const year = Number(digits.slice(0, 4))
  const month = Number(digits.slice(4, 6))
  const day = Number(digits.slice(6, 8))
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'not-a-date'
  if (year < EARLIEST_BIRTH_YEAR) return 'before-1900'
  // The clerk's calendar day, not UTC: someone born today in Shanghai is not "in the future".
  const todayDigits = `${today.getFullYear()}${pad(today.getMonth() + 1)}${pad(today.getDate())}`
  return digits > todayDigits ? 'future' : null
}

/** `YYYY-MM` from `YYYY-MM`, `YYYY-M` or `YYYY-MM-DD`; null for anything else. */
function parseYearMonth(text: string): string | null {
  const match = /^(\d{4})-(\d{1,2})(?:-\d{1,2})?$/.exec(text.trim())
  if (!match) return null
  const month = Number(match[2])
  return month >= 1 && month <= 12 ? `${match[1]}-${pad(month)}` : null
}

function daysInMonth(year: number, month: number): number {
  // Gregorian rule, computed rather than through Date, which maps years 0–99 onto 1900–1999.
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

function fail(code: IdNumberErrorCode, message: string): InvalidIdNumber {
  return { ok: false, code, message }
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, offset) => from + offset)
}
