import { foldFullWidth } from '../applications/checks/cell-text'
import type { CellValue } from '../applications/types'
import { ELECTRONIC_FROM, LEGACY_EARLIEST, LEGACY_EARLIEST_YEAR, LEGACY_LATEST_YEAR } from './legacy-format'
import type { LegacyCheck } from './legacy-number'

/**
 * The period of a legacy record. Clause 8: titles obtained before 2010 have no online
 * verification, so the register does not take them; clause 9 speaks of exams “after 2010”, read
 * here as from 2010 on, like the titles. From 2024-09-01 certificates are made electronically
 * (clause 1), so a later record belongs to a production application, not to this import.
 */

const TOO_EARLY_TITLE = '2010 年以前取得的职称不提供查询验证（通知第八条），不作为历史记录导入'
const ELECTRONIC = '2024 年 9 月 1 日起以电子证书制发（通知第一条），请通过制证申请办理，不作为历史记录导入'

/** 取得职称时间, already a real ISO day not in the future. */
export function checkObtainedOn(iso: string): LegacyCheck {
  if (iso < LEGACY_EARLIEST) return { ok: false, code: 'LEGACY_TOO_EARLY', detail: `${iso} 早于 ${LEGACY_EARLIEST}：${TOO_EARLY_TITLE}` }
  if (iso >= ELECTRONIC_FROM) return { ok: false, code: 'LEGACY_ELECTRONIC', detail: `${iso} 不早于 ${ELECTRONIC_FROM}：${ELECTRONIC}` }
  return { ok: true, value: iso }
}

/** 批准日期 of an exam record, when given. */
export function checkApprovalDate(iso: string): LegacyCheck {
  if (iso < LEGACY_EARLIEST) {
    return { ok: false, code: 'LEGACY_TOO_EARLY', detail: `${iso} 早于 ${LEGACY_EARLIEST}：只导入 2010 年起的考试合格记录` }
  }
  if (iso >= ELECTRONIC_FROM) return { ok: false, code: 'LEGACY_ELECTRONIC', detail: `${iso} 不早于 ${ELECTRONIC_FROM}：${ELECTRONIC}` }
  return { ok: true, value: iso }
}

/** 考试年度: four digits, typed as text or as a number, 2010–2024 and not after this year. */
export function checkExamYear(cell: CellValue, text: string, today: Date): LegacyCheck {
  const written =
    cell.kind === 'number'
      ? String(cell.value)
      : foldFullWidth(text)
          .replace(/\s+/g, '')
          .replace(/年(度)?$/, '')
  if (!/^\d{4}$/.test(written)) return { ok: false, code: 'DATE_INVALID', detail: `「${text}」不是四位年份，请写成如 2016 的形式` }
  const year = Number(written)
  if (year < LEGACY_EARLIEST_YEAR) {
    return { ok: false, code: 'LEGACY_TOO_EARLY', detail: `${year} 年早于 ${LEGACY_EARLIEST_YEAR} 年：只导入 2010 年起的考试合格记录` }
  }
  if (year > Math.min(LEGACY_LATEST_YEAR, today.getFullYear())) {
    const detail = year > today.getFullYear() ? `${year} 年晚于今年` : `${year} 年的考试合格证书以电子证书制发，请通过制证申请办理`
    return { ok: false, code: year > today.getFullYear() ? 'DATE_FUTURE' : 'LEGACY_ELECTRONIC', detail }
  }
  return { ok: true, value: written }
}
