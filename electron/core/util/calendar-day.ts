import { isoDay } from '../applications/checks/dates'
import { AppError } from './app-error'

/**
 * A day a clerk entered for something that already happened (a document's date, the day paper
 * arrived): YYYY-MM-DD, a real calendar day, not after today. Checked in core as well as in the
 * contract, because the CLI and other services call core without the schema. `label` names it.
 */
export function checkPastDay(text: string, today: Date, label: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) throw new AppError('VALIDATION', `${label}应写成 YYYY-MM-DD，如 2026-11-28`)
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (year < 1990 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new AppError('VALIDATION', `${label}“${text}”不是有效的日期`)
  }
  const todayIso = isoDay(today)
  if (text > todayIso) throw new AppError('VALIDATION', `${label}“${text}”晚于今天（${todayIso}）`)
  return text
}
