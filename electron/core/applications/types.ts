/**
 * Shapes shared by the parts of an import: the workbook reader (xlsx/), the row checks
 * (checks/), the photo source (photos/) and the import service that stores a batch.
 */
import type { IssueSeverity } from '../../contract/applications'

/** One cell as the workbook holds it; the reader never evaluates anything. */
export type CellValue =
  | { kind: 'string'; text: string }
  /** `raw` is the XML text of the value (e.g. "3.10101198503121E+17"); `dateFormat` when its style is a date format. */
  | { kind: 'number'; value: number; raw: string; dateFormat: boolean }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'error'; text: string }
  /** A cell with a formula: refused by the checks, whatever its cached result. */
  | { kind: 'formula'; formula: string; cached: string | null }

/** One non-empty row of the first worksheet; `cells[0]` is column A. Row numbers are Excel's (1-based). */
export interface SheetRow {
  rowNumber: number
  cells: Array<CellValue | undefined>
}

/** One finding of the checks, addressed by row (Excel row number) and column header. */
export interface RowIssue {
  /** The column's header (e.g. 证件号码), or null for a whole-row finding. */
  column: string | null
  severity: IssueSeverity
  code: string
  message: string
}

/** A data row after the checks of one row alone (the batch-wide and database checks come later). */
export interface CheckedRow {
  rowNumber: number
  /**
   * The field snapshot by ColumnDefinition.key: normalised values where a check passed (ID number
   * upper-cased and converted, dates ISO, title level as its code such as `senior`), the cell's
   * text where it failed. Vocational rows also get `qualificationKind` (职业|执业).
   */
  fields: Record<string, string>
  /** The cell texts as read, one per template column, for the error workbook. */
  original: string[]
  issues: RowIssue[]
}
