/**
 * The codes of the automatic checks of an imported application batch (issue 3), with the short
 * Chinese label the review page shows in its “filter by issue” list. The code is stable and stored
 * with each issue; the full message (row, column, what to do) is written by core.
 *
 * Pure data: shared by core (which emits the codes) and the renderer (which labels them).
 */
export const ISSUE_CODE_LABELS = {
  // The cell itself
  REQUIRED_MISSING: '必填项为空',
  TOO_LONG: '内容过长',
  FORMULA_CELL: '单元格是公式',
  CELL_ERROR: '单元格是错误值',
  // Enumerated columns
  GENDER_INVALID: '性别不正确',
  ID_TYPE_UNKNOWN: '证件类型不正确',
  LEVEL_INVALID: '级别不正确',
  // ID numbers (the resident-ID codes are those of the GB 11643-1999 checks)
  ID_STORED_AS_NUMBER: '证件号码被存成数字',
  ID_LENGTH: '证件号码位数不对',
  ID_CHARACTERS: '证件号码含非法字符',
  ID_REGION: '证件号码地区码无效',
  ID_BIRTH_DATE: '证件号码出生日期无效',
  ID_CHECK_CHARACTER: '证件号码校验位错误',
  ID_CONVERTED_15: '15 位证件号码已转换',
  ID_FORMAT: '证件号码格式不对',
  BIRTH_MISMATCH: '出生年月与证件号码不符',
  GENDER_MISMATCH: '性别与证件号码不符',
  // Dates
  DATE_INVALID: '日期无效',
  DATE_FUTURE: '日期晚于今天',
  AGE_UNUSUAL: '年龄异常',
  // Photos
  PHOTO_NAME_INVALID: '照片文件名不正确',
  PHOTO_MISSING: '缺少照片',
  PHOTO_NOT_FOUND: '照片文件找不到',
  PHOTO_INVALID: '照片不是有效图片',
  PHOTO_TOO_LARGE: '照片文件过大',
  PHOTO_DIMENSIONS: '照片尺寸不符',
  // Across rows and against the database
  DUPLICATE_IN_BATCH: '本批次内重复',
  SAME_PERSON_TWICE: '同一人出现多次',
  DUPLICATE_CERTIFICATE: '已持有相同证书',
  ORGANISATION_NOT_GRANTED: '机构无权申请该级别',
  REVIEW_BODY_MISMATCH: '评审机构与申报机构不一致',
  // The batch as a whole
  NOTICE_MISSING: '未附结果通知',
} as const

export type IssueCode = keyof typeof ISSUE_CODE_LABELS

/** Every code, in the order of ISSUE_CODE_LABELS (the order of the filter list). */
export const ISSUE_CODES = Object.keys(ISSUE_CODE_LABELS) as IssueCode[]

/**
 * The codes that are warnings: the reviewer acknowledges them instead of the applicant being
 * refused. Every other code is an error.
 */
export const WARNING_ISSUE_CODES: readonly IssueCode[] = [
  'ID_CONVERTED_15',
  'AGE_UNUSUAL',
  'SAME_PERSON_TWICE',
  'REVIEW_BODY_MISMATCH',
  'NOTICE_MISSING',
]

/** The label of a code, or the code itself for one this build does not know (an older batch). */
export function issueCodeLabel(code: string): string {
  return Object.prototype.hasOwnProperty.call(ISSUE_CODE_LABELS, code) ? ISSUE_CODE_LABELS[code as IssueCode] : code
}
