import { AppError } from '../../util/app-error'
import { MIB, type WorkbookLimits } from './limits'
import { ZipError } from './zip'

/**
 * Refusals and their wording. A clerk, not a developer, reads these: each names the file, says
 * what it really is and what to do, and none quotes a cell: cells hold applicants' personal data.
 */

/** Why a workbook was refused. */
export type WorkbookRefusal =
  | 'empty'
  | 'not_xlsx'
  | 'csv'
  | 'legacy_or_encrypted'
  | 'macro'
  | 'zip_bomb'
  | 'too_large'
  | 'malformed'
  | 'no_sheet'
  | 'too_many_rows'
  | 'too_many_columns'
  | 'cell_too_long'

/** A refused workbook; the message names the file and what to do, never a cell's content. */
export class WorkbookError extends AppError {
  constructor(
    readonly reason: WorkbookRefusal,
    message: string,
  ) {
    super('VALIDATION', message)
    this.name = 'WorkbookError'
  }
}

export const SAVE_AS = '请在 Excel 中打开该文件，另存为“Excel 工作簿 (*.xlsx)”后再导入。'

export function refuse(reason: WorkbookRefusal, message: string): never {
  throw new WorkbookError(reason, message)
}

/** A structural fault found while parsing one part; worded by the caller, who knows the part. */
export class MalformedPart extends Error {}

/** Words a ZipError for people; a WorkbookError or an unexpected error passes through. */
export function refusalOf(error: unknown, name: string, limits: WorkbookLimits): unknown {
  if (!(error instanceof ZipError)) return error
  const bomb = `文件 ${name} 的内部结构异常（压缩数据的大小、压缩比或部件数量不正常），可能是恶意构造的“压缩炸弹”文件，已拒绝导入。${SAVE_AS}`
  const tooLarge = (bytes: number): string =>
    `文件 ${name} 解压后的内容超过 ${megabytes(bytes)} MB，远超一批制证名单应有的大小。请删除多余的内容或拆分成多个文件后再导入。`
  switch (error.problem) {
    case 'ratio':
    case 'size_mismatch':
    case 'too_many_entries':
      return new WorkbookError('zip_bomb', bomb)
    case 'entry_too_large':
      return new WorkbookError('too_large', tooLarge(limits.maxEntryBytes))
    case 'total_too_large':
      return new WorkbookError('too_large', tooLarge(limits.maxTotalBytes))
    case 'encrypted':
      return new WorkbookError('legacy_or_encrypted', `文件 ${name} 的内容经过加密，无法读取。${SAVE_AS}`)
    case 'corrupt':
    case 'unsupported':
    case 'duplicate_entry':
    case 'missing_entry':
      return new WorkbookError('malformed', `文件 ${name} 已损坏或不完整，无法读取。${SAVE_AS}`)
  }
}

export function malformed(name: string, where: string): WorkbookError {
  return new WorkbookError('malformed', `文件 ${name} 已损坏，或不是由 Excel 正常保存的工作簿（${where}的内容格式有误）。${SAVE_AS}`)
}

export function megabytes(bytes: number): string {
  return String(Math.round(bytes / MIB))
}
