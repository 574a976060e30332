import { TITLE_LEVEL_LABELS } from '../../contract/certificates'
import type { PassCertificateInput, QuerySlipInput, SealInput, TitleCertificateInput, VocationalCertificateInput } from './types'

/** A text that comes from the data, with the words that name it in an error message. */
export interface TextSource {
  /** e.g. 证书持有人“王某”的姓名 */
  where: string
  path: string
  text: string
}

/** 2024-12-20 → 2024年12月20日; 1985-06 → 1985年06月; anything else as given. */
export function formatChineseDate(iso: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (day) return `${day[1]}年${day[2]}月${day[3]}日`
  const month = /^(\d{4})-(\d{2})$/.exec(iso)
  if (month) return `${month[1]}年${month[2]}月`
  return iso
}

export interface DocumentValues {
  values: Record<string, string>
  sources: TextSource[]
}

function build(
  rawHolder: string,
  labelled: Array<[key: string, label: string, value: string]>,
  extra: Record<string, string>,
  input: { issuer: string; issuedOn: string; number: string; seals: SealInput[] },
): DocumentValues {
  const holder = rawHolder.normalize('NFC')
  const values: Record<string, string> = {
    issuer: input.issuer,
    issuedOn: formatChineseDate(input.issuedOn),
    number: input.number,
    ...extra,
  }
  const sources: TextSource[] = []
  for (const [key, label, value] of labelled) {
    values[key] = value
    sources.push({ where: `证书持有人“${holder}”的${label}`, path: `fields.${key}`, text: value })
  }
  sources.push({ where: `证书持有人“${holder}”的证书编号`, path: 'number', text: input.number })
  sources.push({ where: '发证机构名称', path: 'issuer', text: input.issuer })
  input.seals.forEach((seal, index) => {
    values[`seal_${seal.slot}`] = seal.organisationName
    sources.push({ where: '印章单位名称', path: `seals.${index}.organisationName`, text: seal.organisationName })
    if (seal.purpose) sources.push({ where: '印章用途', path: `seals.${index}.purpose`, text: seal.purpose })
  })
  for (const slot of ['single', 'bureau', 'department']) values[`seal_${slot}`] ??= ''
  for (const key of Object.keys(values)) values[key] = values[key].normalize('NFC')
  for (const source of sources) source.text = source.text.normalize('NFC')
  return { values, sources }
}

export function titleValues(input: TitleCertificateInput): DocumentValues {
  const f = input.fields
  return build(
    f.name,
    [
      ['name', '姓名', f.name],
      ['gender', '性别', f.gender],
      ['birthMonth', '出生年月', formatChineseDate(f.birthMonth)],
      ['idType', '证件类型', f.idType],
      ['idNumber', '证件号', f.idNumber],
      ['employer', '工作单位', f.employer],
      ['titleName', '职称名称', f.titleName],
      ['specialty', '专业名称', f.specialty],
      ['reviewBody', '评审机构', f.reviewBody],
      ['obtainedOn', '取得职称时间', formatChineseDate(f.obtainedOn)],
    ],
    { levelLabel: TITLE_LEVEL_LABELS[f.level] },
    input,
  )
}

export function vocationalValues(input: VocationalCertificateInput): DocumentValues {
  const f = input.fields
  return build(
    f.name,
    [
      ['name', '姓名', f.name],
      ['gender', '性别', f.gender],
      ['birthMonth', '出生年月', formatChineseDate(f.birthMonth)],
      ['idType', '证件类型', f.idType],
      ['idNumber', '证件号码', f.idNumber],
      ['qualificationName', '资格名称', f.qualificationName],
      ['category', '专业类别', f.category],
      ['level', '级别', f.level],
      ['approvedOn', '批准日期', formatChineseDate(f.approvedOn)],
    ],
    { qualificationKind: f.qualificationKind },
    input,
  )
}

export function querySlipValues(input: QuerySlipInput): DocumentValues {
  const f = input.fields
  return build(
    f.name,
    [
      ['name', '姓名', f.name],
      ['idNumber', '身份证号', f.idNumber],
      ['reviewedOn', '评审通过日期', formatChineseDate(f.reviewedOn)],
      ['reviewBody', '评审机构', f.reviewBody],
      ['titleName', '职称名称', f.titleName],
      ['specialty', '评审专业', f.specialty],
      ['certificateNumber', '证书编号', f.certificateNumber],
    ],
    { levelLabel: TITLE_LEVEL_LABELS[f.level] },
    input,
  )
}

export function passCertificateValues(input: PassCertificateInput): DocumentValues {
  const f = input.fields
  return build(
    f.name,
    [
      ['name', '姓名', f.name],
      ['gender', '性别', f.gender],
      ['idNumber', '证件号码', f.idNumber],
      ['examYear', '考试年度', f.examYear],
      ['qualificationName', '职业资格名称', f.qualificationName],
      ['level', '级别', f.level],
      ['specialty', '专业', f.specialty],
      ['managementNumber', '发证编号/管理号', f.managementNumber],
    ],
    {},
    input,
  )
}
