import type { Family } from '../../../contract/roles'
import { normaliseIdNumber } from '../id-number'
import type { CheckedRow } from '../types'

const COLUMN = '证件号码'

/** What makes two rows “the same title or qualification” for one person. */
export function sameTitleKey(family: Family, fields: Record<string, string>): string {
  return family === 'title' ? `${fields.level}|${fields.titleName}` : `${fields.qualificationName}|${fields.level}`
}

// Already normalised (every number that passed its check): skip the four regular expressions.
const PLAIN = /^[0-9A-Z]+$/

/**
 * Rows of one batch naming the same person (same ID number): for the same title or qualification
 * twice, an error on every later row, naming the first; for another one, a warning, since one
 * person may rightly be listed for two qualifications but more often it is a copy-paste slip.
 * One pass over two flat maps, so 100,000 rows cost next to nothing.
 */
export function checkDuplicatesInBatch(rows: CheckedRow[], family: Family): void {
  const firstOfPerson = new Map<string, number>()
  const firstOfTitle = new Map<string, number>()
  for (const row of rows) {
    const raw = row.fields.idNumber
    if (!raw) continue
    // Failed numbers are compared normalised too: 3101…x and 3101…X are one person either way.
    const id = PLAIN.test(raw) ? raw : normaliseIdNumber(raw)
    const titleKey = `${id}\u0000${sameTitleKey(family, row.fields)}`
    const sameTitle = firstOfTitle.get(titleKey)
    if (sameTitle !== undefined) {
      const what = family === 'title' ? '职称' : '资格和级别'
      row.issues.push({
        column: COLUMN,
        severity: 'error',
        code: 'DUPLICATE_IN_BATCH',
        message: `第 ${row.rowNumber} 行「${COLUMN}」：与第 ${sameTitle} 行重复（同一证件号码、同一${what}），请删除重复的行`,
      })
      continue
    }
    firstOfTitle.set(titleKey, row.rowNumber)
    const samePerson = firstOfPerson.get(id)
    if (samePerson === undefined) {
      firstOfPerson.set(id, row.rowNumber)
      continue
    }
    row.issues.push({
      column: COLUMN,
      severity: 'warning',
      code: 'SAME_PERSON_TWICE',
      message: `第 ${row.rowNumber} 行「${COLUMN}」：与第 ${samePerson} 行是同一证件号码，但${family === 'title' ? '职称' : '资格'}不同，请核对是否为同一人`,
    })
  }
}
