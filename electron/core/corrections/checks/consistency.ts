import { RESIDENT_ID_TYPE } from '../../../contract/application-format'
import { fieldLabel, PHOTO_FIELD } from '../../../contract/corrections'
import { checkRelations } from '../../applications/checks/cross-checks'
import { checkIdNumberCell } from '../../applications/checks/id-column'
import { CORRECTION_HEADERS as HEADER } from './row-cells'
import { applyValue } from './field-values'
import { reportFinding, rowsByCertificate } from './new-values'
import { failed, report, type CertificateFacts, type CorrectionRow } from './types'

const IDENTITY_FIELDS = ['idType', 'idNumber', 'birthMonth', 'gender']

/**
 * Two rows never change the same field of one certificate: a second row with the same value is a
 * duplicate, with another value a conflict; either is refused on the later row, naming the first.
 */
export function checkConflicts(rows: CorrectionRow[]): void {
  const first = new Map<string, CorrectionRow>()
  for (const row of rows) {
    if (failed(row) || !row.certificate || !row.field) continue
    const key = `${row.certificate.id}\u0000${row.field}`
    const earlier = first.get(key)
    if (!earlier) {
      first.set(key, row)
      continue
    }
    const label = fieldLabel(row.certificate.family, row.field)
    if (row.field !== PHOTO_FIELD && earlier.newValue === row.newValue) {
      report(row, HEADER.item, 'DUPLICATE_ROW', `与第 ${earlier.rowNumber} 行重复（同一证书的同一项目「${label}」），请删除重复的行`)
    } else {
      report(
        row,
        HEADER.item,
        'CONFLICT',
        `与第 ${earlier.rowNumber} 行对证书 ${row.certificate.number} 的「${label}」给出了不同的更正，同一项目只能更正一次`,
      )
    }
  }
}

/**
 * The certificate as the table leaves it must still hold together: 性别 and 出生年月 agree with a
 * resident ID number, and an unchanged number suits a corrected 证件类型. Judged only where the
 * table touches those fields and every row of the certificate passed, each finding on the row
 * that caused it (the 证件号码 row first), so a table correcting them together passes.
 */
export function checkMergedIdentity(rows: CorrectionRow[], today: Date): void {
  for (const [certificate, group] of rowsByCertificate(rows)) {
    const changed = new Map(group.filter((row) => row.newValue !== undefined && row.field !== PHOTO_FIELD).map((row) => [row.field!, row]))
    if (![...changed.keys()].some((key) => IDENTITY_FIELDS.includes(key))) continue
    if (group.some((row) => row.field !== PHOTO_FIELD && row.newValue === undefined)) continue
    const merged = { ...certificate.fields }
    for (const [key, row] of changed) applyValue(merged, key, row.newValue!)
    checkNumberUnderNewType(certificate, changed, merged, today)
    const blamed = changed.get('idNumber') ?? changed.get('idType')
    for (const [key, finding] of checkRelations(certificate.family, merged, new Set(Object.keys(merged)), today)) {
      if (finding.severity === 'warning') continue
      const row = blamed ?? changed.get(key)
      if (!row) continue
      const side = key === 'gender' ? '性别' : '出生年月'
      reportFinding(row, { ...finding, detail: `更正后证书的${side}${finding.detail}；如${side}也有误，请在同一表中一并勘误` })
    }
  }
}

/** A corrected 证件类型 with the number left as it is: the number must suit the new type. */
function checkNumberUnderNewType(
  certificate: CertificateFacts,
  changed: Map<string, CorrectionRow>,
  merged: Record<string, string>,
  today: Date,
): void {
  const typeRow = changed.get('idType')
  if (!typeRow || changed.has('idNumber')) return
  const number = merged.idNumber ?? ''
  const result = checkIdNumberCell({ kind: 'string', text: number }, number, merged.idType, today)
  if (result.ok) return
  const what = merged.idType === RESIDENT_ID_TYPE ? '不是有效的居民身份证号码' : `不符合${merged.idType}号码的格式`
  report(
    typeRow,
    HEADER.newValue,
    'ID_TYPE_MISMATCH',
    `证书 ${certificate.number} 现有的证件号码${what}；如证件号码也有误，请在同一表中一并勘误`,
  )
}
