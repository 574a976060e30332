/**
 * Codes and Chinese messages of the ID-number checks (GB 11643-1999). The messages are read by a
 * filing clerk next to a row and column of their workbook, so they say what is wrong and what to do,
 * never how the check works inside.
 */

/** Why an ID number was refused; stable strings that the import stores with each issue. */
export type IdNumberErrorCode =
  'ID_EMPTY' | 'ID_EXCEL_NUMBER' | 'ID_LENGTH' | 'ID_CHARACTERS' | 'ID_REGION' | 'ID_BIRTH_DATE' | 'ID_CHECK_CHARACTER'

/** Why a row's 出生年月 or 性别 disagrees with its ID number. */
export type IdNumberMismatchCode = 'BIRTH_MONTH_MISMATCH' | 'GENDER_MISMATCH'

/** What is wrong with the birth date encoded in the number (positions 7–14). */
export type BirthDateProblem = 'not-a-date' | 'future' | 'before-1900'

/** Message builders, one per code; each takes only what the clerk needs to find the mistake. */
export const ID_NUMBER_MESSAGES = {
  empty: (): string => '证件号码为空',

  // Excel keeps 15 significant digits, so the tail is gone for good: only re-entering as text helps.
  excelNumber: (): string => '证件号码被 Excel 存成了数字，末尾几位已丢失，请将该列设为文本后重新填写',

  length: (actual: number): string => `证件号码应为 18 位（旧版证件为 15 位），现为 ${actual} 位`,

  characters: (character: string): string => `证件号码含有非法字符「${character}」：只能由数字组成，18 位号码的末位可以是 X`,

  region: (code: string): string => `证件号码前两位「${code}」不是有效的省级行政区划代码`,

  birthDate: (digits: string, problem: BirthDateProblem): string => {
    const shown = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`
    if (problem === 'future') return `证件号码中的出生日期 ${shown} 晚于今天`
    if (problem === 'before-1900') return `证件号码中的出生日期 ${shown} 早于 1900 年`
    return `证件号码中的出生日期 ${shown} 不是真实存在的日期`
  },

  checkCharacter: (expected: string, actual: string, perhapsExcel: boolean): string => {
    const base = `证件号码校验位错误：末位应为「${expected}」，现为「${actual}」，请核对号码是否录入有误`
    // A trailing 000 is what Excel leaves after rounding to 15 digits; it is only a hint, since a
    // mistyped number can end in 000 too, so the check-character message still comes first.
    return perhapsExcel ? `${base}；号码以 000 结尾，也可能曾被 Excel 存成数字而丢失了末尾几位，请将该列设为文本后重新填写` : base
  },

  birthMonthMismatch: (declared: string, fromId: string): string => `出生年月与证件号码不一致：表中为 ${declared}，证件号码中为 ${fromId}`,

  genderMismatch: (declared: string, fromId: string): string => `性别与证件号码不一致：表中为「${declared}」，证件号码中为「${fromId}」`,
} as const
