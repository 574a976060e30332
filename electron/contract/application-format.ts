import type { Family } from './roles'
import { TITLE_LEVEL_LABELS, TITLE_LEVELS, type TitleLevel } from './certificates'

/**
 * The unified data format (统一数据格式) of clause 5: the columns of the Excel template of each
 * family, in order. Core reads and checks workbooks by these headers, the template and the error
 * workbook are written from them, and the review page labels its columns with them.
 */
export type ColumnKind = 'text' | 'gender' | 'birthMonth' | 'idType' | 'idNumber' | 'titleLevel' | 'vocationalLevel' | 'date' | 'photoName'

export interface ColumnDefinition {
  /** The key in the applicant's field snapshot (TitleCertificateFields / VocationalCertificateFields). */
  key: string
  header: string
  kind: ColumnKind
  required: boolean
  /** Longest accepted value, in characters. */
  maxLength: number
  /** One line of the 填表说明 sheet. */
  note: string
  width: number
}

export const ID_TYPES = ['居民身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证'] as const
export const RESIDENT_ID_TYPE = '居民身份证'
export const GENDERS = ['男', '女'] as const
export const VOCATIONAL_LEVELS = ['一级', '二级', '三级', '四级', '五级', '初级', '中级', '高级', '不分级'] as const
/** Title levels as written in the workbook (正高级…), mapped to the stored codes (senior_full…). */
export const TITLE_LEVEL_BY_LABEL: Record<string, TitleLevel> = Object.fromEntries(
  TITLE_LEVELS.map((level) => [TITLE_LEVEL_LABELS[level], level]),
)

/** A column of a known kind, so the legacy format (whose kinds differ) can take it as it is. */
type ColumnOf<K extends ColumnKind> = ColumnDefinition & { kind: K }

// The columns the legacy format of clause 9 shares with this one, to the letter: one definition
// each, so a header or a bound changed here changes there too.
export const NAME_COLUMN: ColumnOf<'text'> = {
  key: 'name',
  header: '姓名',
  kind: 'text',
  required: true,
  maxLength: 50,
  note: '与证件上的姓名一致',
  width: 12,
}
export const GENDER_COLUMN: ColumnOf<'gender'> = {
  key: 'gender',
  header: '性别',
  kind: 'gender',
  required: true,
  maxLength: 1,
  note: '男 或 女（下拉选择）',
  width: 8,
}
export const ID_TYPE_COLUMN: ColumnOf<'idType'> = {
  key: 'idType',
  header: '证件类型',
  kind: 'idType',
  required: true,
  maxLength: 32,
  note: '下拉选择',
  width: 18,
}
/** The ID number column; its note differs (the legacy format converts 15-digit numbers). */
export function idNumberColumn(note: string): ColumnOf<'idNumber'> {
  return { key: 'idNumber', header: '证件号码', kind: 'idNumber', required: true, maxLength: 32, note, width: 22 }
}
export const TITLE_LEVEL_COLUMN: ColumnOf<'titleLevel'> = {
  key: 'level',
  header: '职称级别',
  kind: 'titleLevel',
  required: true,
  maxLength: 8,
  note: '正高级、高级、中级或初级（下拉选择）',
  width: 10,
}
export const TITLE_NAME_COLUMN: ColumnOf<'text'> = {
  key: 'titleName',
  header: '职称名称',
  kind: 'text',
  required: true,
  maxLength: 50,
  note: '如 副主任护师、工程师',
  width: 16,
}
export const CATEGORY_COLUMN: ColumnOf<'text'> = {
  key: 'category',
  header: '专业类别',
  kind: 'text',
  required: true,
  maxLength: 50,
  note: '如 建筑工程',
  width: 16,
}
export const VOCATIONAL_LEVEL_COLUMN: ColumnOf<'vocationalLevel'> = {
  key: 'level',
  header: '级别',
  kind: 'vocationalLevel',
  required: true,
  maxLength: 8,
  note: '下拉选择',
  width: 10,
}

const common = (idNote: string): ColumnDefinition[] => [
  NAME_COLUMN,
  GENDER_COLUMN,
  {
    key: 'birthMonth',
    header: '出生年月',
    kind: 'birthMonth',
    required: true,
    maxLength: 10,
    note: '如 1985-03；居民身份证须与证件号码中的出生年月一致',
    width: 12,
  },
  ID_TYPE_COLUMN,
  idNumberColumn(idNote),
]

const ID_NOTE = '本列为文本格式，请勿改为数字（否则末几位会丢失）；居民身份证为 18 位，末位 X 大小写均可'
const PHOTO_COLUMN: ColumnDefinition = {
  key: 'photoName',
  header: '照片文件名',
  kind: 'photoName',
  required: false,
  maxLength: 200,
  note: '照片压缩包或文件夹中的文件名，如 310101198503120022.jpg；留空时按证件号码匹配',
  width: 26,
}

export const TITLE_COLUMNS: ColumnDefinition[] = [
  ...common(ID_NOTE),
  { key: 'employer', header: '工作单位', kind: 'text', required: true, maxLength: 100, note: '全称', width: 28 },
  TITLE_LEVEL_COLUMN,
  TITLE_NAME_COLUMN,
  { key: 'specialty', header: '专业名称', kind: 'text', required: true, maxLength: 50, note: '如 护理学', width: 16 },
  { key: 'reviewBody', header: '评审机构', kind: 'text', required: true, maxLength: 100, note: '评审委员会全称', width: 30 },
  {
    key: 'obtainedOn',
    header: '取得职称时间',
    kind: 'date',
    required: true,
    maxLength: 10,
    note: '如 2025-12-20，不能晚于今天',
    width: 14,
  },
  PHOTO_COLUMN,
]

export const VOCATIONAL_COLUMNS: ColumnDefinition[] = [
  ...common(ID_NOTE),
  {
    key: 'qualificationName',
    header: '资格名称',
    kind: 'text',
    required: true,
    maxLength: 50,
    note: '如 建造师执业资格、人力资源管理师职业资格；不写“执业资格”时按职业资格制作',
    width: 24,
  },
  CATEGORY_COLUMN,
  VOCATIONAL_LEVEL_COLUMN,
  { key: 'approvedOn', header: '批准日期', kind: 'date', required: true, maxLength: 10, note: '如 2025-11-30，不能晚于今天', width: 14 },
  PHOTO_COLUMN,
]

export function columnsOf(family: Family): ColumnDefinition[] {
  return family === 'title' ? TITLE_COLUMNS : VOCATIONAL_COLUMNS
}

export const FAMILY_LABELS: Record<Family, string> = { title: '职称证书', vocational: '职业资格证书' }

/** Photos: the ID-card photo, a real JPEG or PNG within these bounds. */
export const PHOTO_LIMITS = {
  maxBytes: 2 * 1024 * 1024,
  minWidth: 100,
  minHeight: 120,
  maxWidth: 4000,
  maxHeight: 4000,
} as const

/** A batch holds at most this many applicants; a workbook declaring more is refused unread. */
export const MAX_BATCH_ROWS = 100_000
