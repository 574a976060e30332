import type { Knex } from 'knex'
import { TITLE_LEVEL_LABELS, type TitleLevel } from '../../../contract/certificates'
import type { Family } from '../../../contract/roles'
import { grantedLevels } from '../../organisations/grants'
import { sameTitleKey } from '../checks/duplicates'
import type { CheckedRow } from '../types'
import { ANY_LEVEL } from '../../../contract/organisations'

type Db = Knex | Knex.Transaction

function levelLabel(family: Family, level: string): string {
  return family === 'title' ? (TITLE_LEVEL_LABELS[level as TitleLevel] ?? level) : level
}

/** The organisation may apply only for the levels it is granted (organisation_grants). */
export async function checkGrantedLevels(db: Db, organisationId: number, family: Family, rows: CheckedRow[]): Promise<void> {
  const levels = new Set(await grantedLevels(db, organisationId, family))
  if (levels.has(ANY_LEVEL)) return
  for (const row of rows) {
    const level = row.fields.level
    if (!level || levels.has(level) || row.issues.some((issue) => issue.column === columnOfLevel(family))) continue
    row.issues.push({
      column: columnOfLevel(family),
      severity: 'error',
      code: 'ORGANISATION_NOT_GRANTED',
      message: `第 ${row.rowNumber} 行「${columnOfLevel(family)}」：本机构未获准申请${levelLabel(family, level)}证书`,
    })
  }
}

function columnOfLevel(family: Family): string {
  return family === 'title' ? '职称级别' : '级别'
}

/**
 * The same person already holding the same title or qualification (an active or a numbered but
 * not yet issued certificate) is an error: one title is made once. Looked up by ID number in
 * chunks through the holder index, then compared on the current version's fields.
 */
export async function checkExistingCertificates(db: Db, family: Family, rows: CheckedRow[]): Promise<void> {
  const byId = new Map<string, CheckedRow[]>()
  for (const row of rows) {
    const id = row.fields.idNumber
    if (id) byId.set(id, [...(byId.get(id) ?? []), row])
  }
  const ids = [...byId.keys()]
  for (let start = 0; start < ids.length; start += 500) {
    const found = (await db('certificates as c')
      .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
      .whereIn('c.holder_id_number', ids.slice(start, start + 500))
      .where('c.family', family)
      .whereIn('c.status', ['active', 'pending'])
      .select('c.number', 'c.holder_id_number', 'v.fields')) as Array<{ number: string; holder_id_number: string; fields: string }>
    for (const certificate of found) {
      const key = sameTitleKey(family, JSON.parse(certificate.fields) as Record<string, string>)
      for (const row of byId.get(certificate.holder_id_number) ?? []) {
        if (sameTitleKey(family, row.fields) !== key) continue
        row.issues.push({
          column: '证件号码',
          severity: 'error',
          code: 'DUPLICATE_CERTIFICATE',
          message: `第 ${row.rowNumber} 行：此人已持有相同的${family === 'title' ? '职称' : '资格'}证书（证书编号 ${certificate.number}），不能重复制证`,
        })
      }
    }
  }
}

/** A title row naming another review body than the applying one needs a reviewer's look. */
export function checkReviewBody(organisationName: string, rows: CheckedRow[]): void {
  for (const row of rows) {
    const named = row.fields.reviewBody
    if (!named || named === organisationName) continue
    row.issues.push({
      column: '评审机构',
      severity: 'warning',
      code: 'REVIEW_BODY_MISMATCH',
      message: `第 ${row.rowNumber} 行「评审机构」与申报机构“${organisationName}”不一致，请核对`,
    })
  }
}
