import {
  CATEGORY_COLUMN,
  GENDER_COLUMN,
  ID_TYPE_COLUMN,
  idNumberColumn,
  NAME_COLUMN,
  TITLE_LEVEL_COLUMN,
  TITLE_NAME_COLUMN,
  VOCATIONAL_LEVEL_COLUMN,
  type ColumnDefinition,
} from '../../contract/application-format'
import type { Family } from '../../contract/roles'

/**
 * The import format of historical records (clause 9), one per kind. Unlike the unified format of
 * production applications it has no 出生年月 and no photo (paper archives rarely hold them: the
 * birth month is taken from a resident ID number, else left empty) and it carries the paper
 * certificate's own number. 工作单位 and 批准日期 may be empty where the old data lacks them.
 */
export type LegacyColumnKind = 'text' | 'gender' | 'idType' | 'idNumber' | 'titleLevel' | 'vocationalLevel' | 'date' | 'year' | 'number'

export interface LegacyColumn extends Omit<ColumnDefinition, 'kind'> {
  kind: LegacyColumnKind
  /** Other headers accepted for this column (old exports name it differently). */
  aliases?: string[]
}

/** The earliest day of a record the register takes (clause 8: before 2010 there is no verification). */
export const LEGACY_EARLIEST = '2010-01-01'
/** From this day certificates are made electronically (clause 1): later ones are not legacy. */
export const ELECTRONIC_FROM = '2024-09-01'
export const LEGACY_EARLIEST_YEAR = 2010
export const LEGACY_LATEST_YEAR = 2024

const ID_NOTE = '本列为文本格式，请勿改为数字（否则末几位会丢失）；居民身份证为 18 位，15 位旧号码会自动转换'
const NUMBER_NOTE =
  '纸质证书上的编号：只保留字母和数字，连字符、斜杠、点和空格会被去掉，小写字母转为大写；须为 4–32 位，且不能与证书库中已有的编号重复'

const person: LegacyColumn[] = [NAME_COLUMN, GENDER_COLUMN, ID_TYPE_COLUMN, idNumberColumn(ID_NOTE)]

export const LEGACY_TITLE_COLUMNS: LegacyColumn[] = [
  ...person,
  {
    key: 'employer',
    header: '工作单位',
    kind: 'text',
    required: false,
    maxLength: 100,
    note: '取得职称时的工作单位；档案中没有时可留空',
    width: 28,
  },
  TITLE_LEVEL_COLUMN,
  TITLE_NAME_COLUMN,
  { key: 'specialty', header: '专业名称', kind: 'text', required: true, maxLength: 50, note: '评审专业，如 护理学', width: 16 },
  {
    key: 'reviewBody',
    header: '评审机构',
    kind: 'text',
    required: true,
    maxLength: 100,
    note: '证书上的评审（审定）机构全称，可以与该机构现在的名称不同',
    width: 30,
  },
  {
    key: 'obtainedOn',
    header: '取得职称时间',
    kind: 'date',
    required: true,
    maxLength: 10,
    note: `如 2015-12-20；须在 ${LEGACY_EARLIEST} 至 2024-08-31 之间（2010 年以前的不导入，2024 年 9 月起为电子证书）`,
    width: 14,
  },
  {
    key: 'number',
    header: '证书编号',
    kind: 'number',
    required: true,
    maxLength: 32,
    note: NUMBER_NOTE,
    width: 22,
    aliases: ['纸质证书编号'],
  },
]

export const LEGACY_EXAM_COLUMNS: LegacyColumn[] = [
  ...person,
  {
    key: 'qualificationName',
    header: '资格名称',
    kind: 'text',
    required: true,
    maxLength: 50,
    note: '如 建造师执业资格、人力资源管理师职业资格；不写“执业资格”时按职业资格记录',
    width: 24,
  },
  VOCATIONAL_LEVEL_COLUMN,
  CATEGORY_COLUMN,
  {
    key: 'examYear',
    header: '考试年度',
    kind: 'year',
    required: true,
    maxLength: 4,
    note: `四位年份，${LEGACY_EARLIEST_YEAR}–${LEGACY_LATEST_YEAR}`,
    width: 10,
    aliases: ['考试年份'],
  },
  {
    key: 'approvedOn',
    header: '批准日期',
    kind: 'date',
    required: false,
    maxLength: 10,
    note: '如 2016-01-20；考试信息数据库中没有时可留空，须早于 2024-09-01',
    width: 14,
  },
  {
    key: 'number',
    header: '证书编号/管理号',
    kind: 'number',
    required: true,
    maxLength: 32,
    note: NUMBER_NOTE,
    width: 22,
    aliases: ['证书编号', '管理号', '发证编号/管理号', '发证编号'],
  },
]

export function legacyColumnsOf(family: Family): LegacyColumn[] {
  return family === 'title' ? LEGACY_TITLE_COLUMNS : LEGACY_EXAM_COLUMNS
}

export const LEGACY_KIND_LABELS: Record<Family, string> = { title: '历史职称记录', vocational: '历史考试合格记录' }

/** The first sheet's name in the template and in the error workbook. */
export function legacySheetName(family: Family): string {
  return `${LEGACY_KIND_LABELS[family]}名单`
}
