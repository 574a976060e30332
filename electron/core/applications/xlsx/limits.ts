import { MAX_BATCH_ROWS } from '../../../contract/application-format'
import type { ZipLimits } from './zip'

/**
 * The caps that bound what reading one workbook may cost. They live apart from reader.ts because
 * the package, sheet and refusal code all read them and reader.ts imports those: one direction only.
 */

export interface WorkbookLimits extends ZipLimits {
  maxFileBytes: number
  /** Most inflated bytes of a small part: [Content_Types].xml, the workbook, relationships, styles. */
  maxPartBytes: number
  /** Highest Excel row number that may hold anything (header + data rows). */
  maxRows: number
  /** Most columns that may hold anything (column A is 1). */
  maxColumns: number
  maxSharedStrings: number
  /** Most characters across all shared strings: they are the one thing held in memory. */
  maxSharedStringChars: number
  /** Most characters in one cell (Excel's own limit). */
  maxCellChars: number
}

export const MIB = 1024 * 1024

/**
 * A real 100,000-row workbook with the 12 template columns is about 50 MB of sheet XML with
 * shared strings and 100–150 MB with inline strings; 256 MiB leaves room for that and for
 * clutter, and reading that much junk still takes only a few seconds. Real sheet XML compresses
 * 10–20:1, so a declared ratio above 200:1 is a bomb.
 */
export const DEFAULT_WORKBOOK_LIMITS: Readonly<WorkbookLimits> = Object.freeze({
  maxFileBytes: 512 * MIB,
  maxEntries: 10_000,
  maxEntryBytes: 256 * MIB,
  maxPartBytes: 64 * MIB,
  maxTotalBytes: 512 * MIB,
  maxCompressionRatio: 200,
  ratioExemptBytes: MIB,
  maxRows: MAX_BATCH_ROWS + 1,
  maxColumns: 64,
  maxSharedStrings: 2_000_000,
  maxSharedStringChars: 32 * MIB,
  maxCellChars: 32_767,
})
