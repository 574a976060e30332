import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { SheetRow } from '../types'
import { MalformedPart, megabytes, refuse, refusalOf, SAVE_AS } from './errors'
import { DEFAULT_WORKBOOK_LIMITS, type WorkbookLimits } from './limits'
import { readWorkbookParts } from './package'
import { SheetVisitor } from './sheet'
import { sniffFile } from './sniff'
import { parseXml } from './xml'
import { ZipArchive } from './zip'

// The public API of xlsx/: callers import from here, whichever file the code lives in.
export { DEFAULT_WORKBOOK_LIMITS, type WorkbookLimits } from './limits'
export { WorkbookError, type WorkbookRefusal } from './errors'
export { isDateFormatCode } from './styles'

/**
 * Reads the first worksheet of an .xlsx as a stream of rows, safe against hostile files: every
 * refusal is a WorkbookError naming what the file really is and what to do, memory is bounded
 * (only the shared strings are held, never the sheet) and so is time (byte caps on every part).
 * Nothing is evaluated: formulas come back as formulas with their cached result.
 */

/**
 * The non-empty rows of the first worksheet, in order. Refuses the whole file with a
 * WorkbookError before the first row or while streaming; stopping early closes the file.
 */
export async function* readFirstSheet(file: string, limits: Partial<WorkbookLimits> = {}): AsyncGenerator<SheetRow, void, undefined> {
  const bounds: WorkbookLimits = { ...DEFAULT_WORKBOOK_LIMITS, ...limits }
  const name = basename(file)
  await checkFile(file, name, bounds)
  let zip: ZipArchive
  try {
    zip = await ZipArchive.open(file, bounds)
  } catch (error) {
    throw refusalOf(error, name, bounds)
  }
  let sheet: SheetVisitor | null = null
  try {
    const workbook = await readWorkbookParts(zip, name, bounds)
    sheet = new SheetVisitor(name, workbook, bounds)
    for await (const _chunk of parseXml(zip.read(workbook.sheetPart), sheet)) {
      if (sheet.rows.length === 0) continue
      const ready = sheet.rows
      sheet.rows = []
      yield* ready
    }
  } catch (error) {
    if (error instanceof MalformedPart && sheet) throw sheet.malformedHere()
    throw refusalOf(error, name, bounds)
  } finally {
    await zip.close()
  }
}

async function checkFile(file: string, name: string, limits: WorkbookLimits): Promise<void> {
  const info = await stat(file)
  if (!info.isFile()) refuse('not_xlsx', `${name} 不是文件。请选择要导入的 Excel 工作簿 (*.xlsx)。`)
  if (info.size > limits.maxFileBytes) {
    refuse(
      'too_large',
      `文件 ${name} 有 ${megabytes(info.size)} MB，超过了 ${megabytes(limits.maxFileBytes)} MB 的上限。请确认没有选错文件，或删除多余的工作表和图片后再导入。`,
    )
  }
  switch (await sniffFile(file)) {
    case 'zip':
      return
    case 'empty':
      return refuse('empty', `文件 ${name} 是空文件（0 字节），可能在复制或下载时出错。请重新获取名单文件后再导入。`)
    case 'ole2':
      return refuse(
        'legacy_or_encrypted',
        `文件 ${name} 是旧版的 Excel 97-2003 工作簿（.xls），或是设置了打开密码的加密工作簿，无法读取。` +
          `请在 Excel 中打开（如有密码，先在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除密码），另存为“Excel 工作簿 (*.xlsx)”后再导入。`,
      )
    case 'text':
      return refuse('csv', `文件 ${name} 实际是 CSV 文本文件，不是 Excel 工作簿。${SAVE_AS}`)
    case 'markup':
      return refuse('csv', `文件 ${name} 实际是网页或 XML 文本文件，不是 Excel 工作簿。${SAVE_AS}`)
    case 'other':
      return refuse('not_xlsx', `文件 ${name} 不是 Excel 工作簿（.xlsx）。${SAVE_AS}`)
  }
}
