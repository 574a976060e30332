/**
 * Excel's date serials (1900 date system, the default of every Excel for Windows): serial 1 is
 * 1900-01-01. Excel inherited Lotus 1-2-3's belief that 1900 was a leap year, so serial 60 is
 * the nonexistent 1900-02-29 and every serial from 61 on is one day later than a plain count.
 */

const DAY_MS = 86_400_000
const EXCEL_BUG_SERIAL = 60
// 9999-12-31, the last day Excel can show.
const LAST_SERIAL = 2_958_465

/** Whether a serial is the 1900-02-29 that Excel shows but the calendar never had. */
export function isExcelLeapBugSerial(serial: number): boolean {
  return Math.floor(serial) === EXCEL_BUG_SERIAL
}

/**
 * The calendar day (`YYYY-MM-DD`) of an Excel serial; the fraction (time of day) is dropped.
 * Null for serials that are no day: below 1, beyond 9999-12-31, or the phantom 1900-02-29.
 */
export function excelSerialToIso(serial: number): string | null {
  const day = Math.floor(serial)
  if (!(day >= 1 && day <= LAST_SERIAL) || day === EXCEL_BUG_SERIAL) return null
  const daysAfter1900 = day < EXCEL_BUG_SERIAL ? day - 1 : day - 2
  return new Date(Date.UTC(1900, 0, 1) + daysAfter1900 * DAY_MS).toISOString().slice(0, 10)
}
