import type { Knex } from 'knex'
import type { Family } from '../../contract/roles'
import { checkDuplicatesInBatch, sameTitleKey } from '../applications/checks/duplicates'
import type { CheckedRow } from '../applications/types'
import { legacyIssue } from './legacy-rows'

type Db = Knex | Knex.Transaction

const CHUNK = 500

/** The header of the number column, for messages. */
function numberHeader(family: Family): string {
  return family === 'title' ? '证书编号' : '证书编号/管理号'
}

/**
 * Rows of one workbook against each other: the intake's check (the same person with the same
 * title or qualification twice is an error) and the same paper number twice.
 */
export function checkDuplicatesInWorkbook(rows: CheckedRow[], family: Family): void {
  checkDuplicatesInBatch(rows, family)
  const firstOf = new Map<string, number>()
  for (const row of rows) {
    const number = row.fields.number
    if (!number || row.issues.some((issue) => issue.column === numberHeader(family))) continue
    const first = firstOf.get(number)
    if (first === undefined) firstOf.set(number, row.rowNumber)
    else row.issues.push(legacyIssue(row.rowNumber, numberHeader(family), 'DUPLICATE_NUMBER', `编号 ${number} 与第 ${first} 行相同`))
  }
}

/**
 * Rows against the register: a number any certificate already holds (a legacy record or one this
 * system issued), and the same person already holding the same title or qualification in the
 * register, whatever its status (a revoked one is not brought back as a paper record).
 */
export async function checkAgainstRegister(db: Db, rows: CheckedRow[], family: Family): Promise<void> {
  await checkTakenNumbers(db, rows, family)
  await checkSameTitle(db, rows, family)
}

async function checkTakenNumbers(db: Db, rows: CheckedRow[], family: Family): Promise<void> {
  const byNumber = new Map(rows.filter((row) => row.fields.number).map((row) => [row.fields.number, row]))
  const numbers = [...byNumber.keys()]
  for (let start = 0; start < numbers.length; start += CHUNK) {
    const taken = (await db('certificates')
      .whereIn('number', numbers.slice(start, start + CHUNK))
      .select('number', 'legacy')) as Array<{ number: string; legacy: number | boolean }>
    for (const certificate of taken) {
      const row = byNumber.get(certificate.number)!
      const kind = certificate.legacy ? '已导入的历史记录' : '本系统制发的证书'
      row.issues.push(
        legacyIssue(
          row.rowNumber,
          numberHeader(family),
          'DUPLICATE_NUMBER',
          `编号 ${certificate.number} 已被证书库中${kind}使用，不能重复导入`,
        ),
      )
    }
  }
}

async function checkSameTitle(db: Db, rows: CheckedRow[], family: Family): Promise<void> {
  const byId = new Map<string, CheckedRow[]>()
  for (const row of rows) {
    if (row.fields.idNumber && !row.issues.some((issue) => issue.column === '证件号码')) {
      byId.set(row.fields.idNumber, [...(byId.get(row.fields.idNumber) ?? []), row])
    }
  }
  const ids = [...byId.keys()]
  for (let start = 0; start < ids.length; start += CHUNK) {
    const found = (await db('certificates as c')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .whereIn('c.holder_id_number', ids.slice(start, start + CHUNK))
      .where('c.family', family)
      .select('c.number', 'c.holder_id_number', 'v.fields')) as Array<{ number: string; holder_id_number: string; fields: string }>
    for (const certificate of found) {
      const key = sameTitleKey(family, JSON.parse(certificate.fields) as Record<string, string>)
      for (const row of byId.get(certificate.holder_id_number) ?? []) {
        if (sameTitleKey(family, row.fields) !== key) continue
        const what = family === 'title' ? '职称' : '资格和级别'
        row.issues.push(
          legacyIssue(
            row.rowNumber,
            '证件号码',
            'DUPLICATE_CERTIFICATE',
            `此人的相同${what}已在证书库中（证书编号 ${certificate.number}），不能重复导入`,
          ),
        )
      }
    }
  }
}
