import { RESIDENT_ID_TYPE } from '../../../contract/application-format'
import type { Family } from '../../../contract/roles'
import { birthAndGenderMatch, type Gender } from '../id-number'
import type { Finding } from './findings'

/** The youngest plausible age, in months, at which someone obtains a title or qualification. */
const YOUNGEST_MONTHS = 16 * 12

/**
 * Checks between the cells of one row, on values that passed their own checks only (`sound`):
 * 出生年月 and 性别 against a resident ID number, and the age on the obtained or approved date.
 * Returns the findings with the key of the column each belongs to.
 */
export function checkRelations(
  family: Family,
  fields: Record<string, string>,
  sound: ReadonlySet<string>,
  today: Date,
): Array<[string, Finding]> {
  const found: Array<[string, Finding]> = []
  if (sound.has('idNumber') && sound.has('idType') && fields.idType === RESIDENT_ID_TYPE) {
    const declared = {
      birthMonth: sound.has('birthMonth') ? fields.birthMonth : undefined,
      gender: sound.has('gender') ? (fields.gender as Gender) : undefined,
    }
    for (const mismatch of birthAndGenderMatch(fields.idNumber, declared, { today })) {
      const code = mismatch.code === 'BIRTH_MONTH_MISMATCH' ? 'BIRTH_MISMATCH' : 'GENDER_MISMATCH'
      // The column is named before the colon: “第 N 行「性别」：与证件号码不一致…”.
      found.push([mismatch.field, { code, detail: mismatch.message.replace(/^(出生年月|性别)/, '') }])
    }
  }
  const dateKey = family === 'title' ? 'obtainedOn' : 'approvedOn'
  if (sound.has('birthMonth') && sound.has(dateKey) && monthsBetween(fields.birthMonth, fields[dateKey]) < YOUNGEST_MONTHS) {
    const dateHeader = family === 'title' ? '取得职称时间' : '批准日期'
    found.push([
      'birthMonth',
      {
        code: 'AGE_UNUSUAL',
        severity: 'warning',
        detail: `${fields.birthMonth} 距${dateHeader} ${fields[dateKey]} 不足 16 年，请核对出生年月和${dateHeader}`,
      },
    ])
  }
  return found
}

/** Whole months from a `YYYY-MM` to a `YYYY-MM-DD`. */
function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7))
}
