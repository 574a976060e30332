import { GENDERS, TITLE_LEVEL_BY_LABEL, VOCATIONAL_LEVELS, type ColumnDefinition } from '../../../contract/application-format'
import { characterCount, withoutSpaces } from './cell-text'
import { failed, passed, type CellCheck } from './findings'

/**
 * Checks of one cell on its own, by column kind. Values of enumerated columns (性别, 证件类型,
 * levels) may be quoted in messages; names and ID numbers never are.
 */

const GENDER_SET = new Set<string>(GENDERS)
const VOCATIONAL_LEVEL_SET = new Set<string>(VOCATIONAL_LEVELS)
const TITLE_LEVEL_LIST = Object.keys(TITLE_LEVEL_BY_LABEL).join('、')
// A bare file name: no folder, not hidden (the photo source skips dotfiles), one of the two
// accepted image types.
const PHOTO_NAME = /^(?!\.)[^/\\:*?"<>|]+\.(jpe?g|png)$/i

/** Free text: trimmed by the caller, limited in length. */
export function checkText(text: string, column: ColumnDefinition): CellCheck {
  const length = characterCount(text)
  if (length > column.maxLength) return failed('TOO_LONG', `内容有 ${length} 个字，超过上限 ${column.maxLength} 个字`)
  return passed(text)
}

export function checkGender(text: string): CellCheck {
  const value = withoutSpaces(text)
  // Not quoted: a gender is personal data, and the two allowed values say enough.
  return GENDER_SET.has(value) ? passed(value) : failed('GENDER_INVALID', `应填写「男」或「女」`)
}

export function checkIdType(text: string, allowed: ReadonlySet<string>): CellCheck {
  const value = withoutSpaces(text)
  if (allowed.has(value)) return passed(value)
  return failed('ID_TYPE_UNKNOWN', `「${text}」不是可选的证件类型，应为以下之一：${[...allowed].join('、')}`)
}

/** 职称级别 as written (正高级…) → its stored code (senior_full…). */
export function checkTitleLevel(text: string): CellCheck {
  const level = TITLE_LEVEL_BY_LABEL[withoutSpaces(text)]
  return level ? passed(level) : failed('LEVEL_INVALID', `「${text}」不是可选的职称级别，应为以下之一：${TITLE_LEVEL_LIST}`)
}

export function checkVocationalLevel(text: string): CellCheck {
  const value = withoutSpaces(text)
  if (VOCATIONAL_LEVEL_SET.has(value)) return passed(value)
  return failed('LEVEL_INVALID', `「${text}」不是可选的级别，应为以下之一：${VOCATIONAL_LEVELS.join('、')}`)
}

/** The file is looked up by this name in the photos; not quoted, since it is often the ID number. */
export function checkPhotoName(text: string): CellCheck {
  if (!PHOTO_NAME.test(text) || hasControlCharacter(text)) {
    return failed('PHOTO_NAME_INVALID', '应为不含文件夹路径的照片文件名，以 .jpg、.jpeg 或 .png 结尾，如 证件号码.jpg')
  }
  return passed(text)
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) if (text.charCodeAt(index) < 0x20) return true
  return false
}

/**
 * 资格名称 of a vocational row: the certificate reads “（资格名称）执业资格证书” or “…职业资格证书”,
 * so a name written with its suffix is stored without it, and the suffix decides the kind.
 */
export function splitQualification(name: string): { qualificationName: string; qualificationKind: '职业' | '执业' } {
  if (name.endsWith('执业资格')) return { qualificationName: name.slice(0, -4).trim(), qualificationKind: '执业' }
  if (name.endsWith('职业资格')) return { qualificationName: name.slice(0, -4).trim(), qualificationKind: '职业' }
  return { qualificationName: name, qualificationKind: '职业' }
}
