import type { CellValue } from '../types'
import { foldFullWidth } from './cell-text'
import { excelSerialToIso, isExcelLeapBugSerial } from './excel-dates'
import { failed, passed, type CellCheck } from './findings'

/**
 * Dates as clerks type them into the workbook: 出生年月 to the month, 取得职称时间 and 批准日期
 * to the day. Accepts the usual Chinese and ISO spellings, compact digits and Excel date serials,
 * and returns ISO text (`YYYY-MM` or `YYYY-MM-DD`) or why the cell is not an acceptable date.
 */

/** What a cell says, before the calendar checks; `day` null when only a month was written. */
interface Written {
  year: number
  month: number
  day: number | null
  /** How to show it in a message: the clerk's own text, or the day a serial stands for. */
  shown: string
}

type Reading = Written | { problem: string }

const EARLIEST_YEAR = 1900
const TIME_OF_DAY = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`
// 1985-03, 1985/3, 1985.03 and the same with a day; 2025-12-20 00:00:00 from a CSV export.
const SEPARATED = new RegExp(String.raw`^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2})${TIME_OF_DAY})?$`)
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?$/
const COMPACT = /^(\d{4})(\d{2})(\d{2})?$/
// What Excel stores when 1985.03 is typed into a General cell: the number 1985.03.
const DECIMAL_YEAR_MONTH = /^(\d{4})\.(\d{1,2})$/

/** 出生年月 → `YYYY-MM`; a full date is accepted and its day dropped (after checking it exists). */
export function checkBirthMonth(cell: CellValue, text: string, today: Date): CellCheck {
  const reading = readCell(cell, text)
  if ('problem' in reading) return invalid(reading.problem)
  const problem = calendarProblem(reading)
  if (problem) return invalid(problem)
  const value = `${reading.year}-${pad(reading.month)}`
  if (value > isoDay(today).slice(0, 7)) return failed('DATE_FUTURE', `${reading.shown} 晚于本月`)
  return passed(value)
}

/** 取得职称时间 / 批准日期 → `YYYY-MM-DD`, a real day no later than `today`. */
export function checkFullDate(cell: CellValue, text: string, today: Date): CellCheck {
  const reading = readCell(cell, text)
  if ('problem' in reading) return invalid(reading.problem)
  if (reading.day === null) return invalid(`「${reading.shown}」只写到了月，请写到日，如 2025-12-20`)
  const problem = calendarProblem(reading)
  if (problem) return invalid(problem)
  const value = `${reading.year}-${pad(reading.month)}-${pad(reading.day)}`
  const todayIso = isoDay(today)
  if (value > todayIso) return failed('DATE_FUTURE', `${value} 晚于今天（${todayIso}）`)
  return passed(value)
}

/** The calendar day of `today` in the clerk's time zone, as `YYYY-MM-DD`. */
export function isoDay(today: Date): string {
  return `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`
}

function readCell(cell: CellValue, text: string): Reading {
  if (cell.kind === 'number') return readNumber(cell)
  return readText(foldFullWidth(text).trim())
}

function readText(text: string): Reading {
  const match = SEPARATED.exec(text) ?? CHINESE.exec(text) ?? COMPACT.exec(text)
  if (!match) return { problem: `「${text}」不是可识别的日期，请写成如 2025-12-20 或 1985-03 的形式` }
  return { year: Number(match[1]), month: Number(match[2]), day: match[3] === undefined ? null : Number(match[3]), shown: text }
}

/**
 * A number cell: a date-formatted cell is a serial; otherwise 198503 or 20251220 typed into a
 * General cell are read as digits (as serials they would be centuries away), 1985.03 as a year
 * and month, and anything else as a serial Excel shows as a number because the format was lost.
 */
function readNumber(cell: Extract<CellValue, { kind: 'number' }>): Reading {
  if (!cell.dateFormat) {
    const digits = Number.isInteger(cell.value) ? String(cell.value) : ''
    const compact = COMPACT.exec(digits)
    if (compact && plausibleYear(Number(compact[1]))) return readText(digits)
    // 1985 alone: as a serial it would silently become a day in 1905.
    if (Number.isInteger(cell.value) && plausibleYear(cell.value)) return { problem: `「${cell.value}」只有年份，请写成如 1985-03 的形式` }
    const decimal = DECIMAL_YEAR_MONTH.exec(cell.raw)
    if (decimal && plausibleYear(Number(decimal[1]))) return readDecimalYearMonth(decimal[1], decimal[2], cell.raw)
  }
  return readSerial(cell.value)
}

function readDecimalYearMonth(year: string, fraction: string, raw: string): Reading {
  // Excel drops the trailing zero of 1985.10, so 1985.1 may be January or October.
  if (fraction === '1') {
    const problem = `「${raw}」可能是 ${year} 年 1 月，也可能是 10 月（Excel 把 ${year}.10 存成了 ${year}.1），请写成 ${year}-01 或 ${year}-10`
    return { problem }
  }
  return { year: Number(year), month: Number(fraction), day: null, shown: raw }
}

function readSerial(serial: number): Reading {
  if (isExcelLeapBugSerial(serial)) {
    return { problem: 'Excel 中的 1900-02-29 并不存在（Excel 把 1900 年误当作闰年），请重新填写日期' }
  }
  const iso = excelSerialToIso(serial)
  if (!iso) return { problem: `数字 ${serial} 不是有效的日期，请写成如 2025-12-20 的形式` }
  return { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)), shown: iso }
}

function calendarProblem(date: Written): string | null {
  const dayOk = date.day === null || (date.day >= 1 && date.day <= daysInMonth(date.year, date.month))
  if (date.month < 1 || date.month > 12 || !dayOk) return `「${date.shown}」不是真实存在的日期`
  if (date.year < EARLIEST_YEAR) return `「${date.shown}」早于 ${EARLIEST_YEAR} 年`
  return null
}

function plausibleYear(year: number): boolean {
  return year >= EARLIEST_YEAR && year <= 2199
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

function invalid(detail: string): CellCheck {
  return failed('DATE_INVALID', detail)
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}
