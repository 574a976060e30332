import { AppError } from '../util/app-error'

import { NumberLayoutSchema, type NumberLayout } from '../../contract/numbering'

// The layout's schema lives in the contract: the settings page validates and previews it too.
export { DEFAULT_NUMBER_LAYOUT, NumberLayoutSchema, type NumberLayout } from '../../contract/numbering'

/** Same bounds as OrganisationCodeSchema, but strict: core never trims or upper-cases a code. */
const CODE_PATTERN = /^[A-Z0-9]{2,12}$/
const NUMBER_PATTERN = /^[A-Z0-9]+$/
export const MIN_YEAR = 1900
export const MAX_YEAR = 9999

/** The parts of one number. */
export interface NumberParts {
  year: number
  code: string
  serial: number
}

/** Parses an untrusted layout (a stored setting, a form) with a Chinese message on failure. */
export function parseNumberLayout(value: unknown): NumberLayout {
  const parsed = NumberLayoutSchema.safeParse(value)
  if (!parsed.success) {
    throw new AppError('VALIDATION', `证书编号规则无效：${parsed.error.issues.map((issue) => issue.message).join('；')}`)
  }
  return parsed.data
}

/** The largest serial the layout can hold, e.g. 99999 for five digits. */
export function maxSerial(layout: NumberLayout): number {
  return 10 ** layout.serialDigits - 1
}

/** Refuses a year or code that cannot be part of a number. */
export function checkYearAndCode(year: number, code: string): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new AppError('VALIDATION', `申报年度“${year}”无效：应为 ${MIN_YEAR}–${MAX_YEAR} 之间的四位年份`)
  }
  if (!CODE_PATTERN.test(code)) {
    throw new AppError('VALIDATION', `评审机构或考试项目代码“${code}”无效：应为 2–12 位大写字母和数字`)
  }
}

/**
 * The key of a serial counter in number_sequences: the full four-digit year and the code, so a
 * later change of yearDigits continues the same counter instead of starting again at 1.
 */
export function sequencePrefix(year: number, code: string): string {
  checkYearAndCode(year, code)
  return `${year}${code}`
}

/** The year part of a number under this layout. */
export function yearCode(layout: NumberLayout, year: number): string {
  return String(year % 10 ** layout.yearDigits).padStart(layout.yearDigits, '0')
}

/**
 * Formats one number. A serial that does not fit is refused, never wrapped or widened: a
 * longer number would break the layout and a wrapped one would repeat an issued number.
 */
export function formatNumber(layout: NumberLayout, parts: NumberParts): string {
  checkYearAndCode(parts.year, parts.code)
  if (!Number.isSafeInteger(parts.serial) || parts.serial < 1) {
    throw new AppError('VALIDATION', `流水号“${parts.serial}”无效：应为正整数`)
  }
  if (parts.serial > maxSerial(layout)) throw serialOverflow(layout, `${parts.year}${parts.code}`, parts.serial)
  const number = `${yearCode(layout, parts.year)}${parts.code}${String(parts.serial).padStart(layout.serialDigits, '0')}`
  // The parts are checked above; this guards the rule of clause 6 against a future change here.
  if (!NUMBER_PATTERN.test(number)) throw new AppError('VALIDATION', `证书编号“${number}”只能由大写字母和数字组成`)
  return number
}

/** The error for a serial beyond the layout's width, naming the counter and the limit. */
export function serialOverflow(layout: NumberLayout, prefix: string, serial: number): AppError {
  return new AppError(
    'INVALID_STATE',
    `证书编号流水号已用尽：${prefix} 的流水号为 ${layout.serialDigits} 位，最大 ${maxSerial(layout)}，` +
      `本次需要用到 ${serial}。请系统管理员增加编号规则中的流水号位数后再试。`,
  )
}

/** An example for the admin screen, e.g. 2025WSHL00001 for the default layout. */
export function exampleNumber(layout: NumberLayout, sample: Partial<NumberParts> = {}): string {
  return formatNumber(layout, { year: sample.year ?? 2025, code: sample.code ?? 'WSHL', serial: sample.serial ?? 1 })
}

/** A one-line Chinese description for the admin screen, beside the example. */
export function describeLayout(layout: NumberLayout): string {
  return `${layout.yearDigits} 位申报年度 + 评审机构或考试项目代码（2–12 位）+ ${layout.serialDigits} 位流水号（每个年度和代码最多 ${maxSerial(layout)} 个）`
}
