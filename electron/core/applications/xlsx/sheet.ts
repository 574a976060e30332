import type { CellValue, SheetRow } from '../types'
import { columnIndex, columnLetters, isBlank, isXmlNumber, parseDigits } from './cells'
import { malformed, refuse, type WorkbookError } from './errors'
import type { WorkbookLimits } from './limits'
import type { WorkbookParts } from './package'
import { unescapeOoxml, type XmlVisitor } from './xml'

/**
 * The streaming worksheet parser. The sheet is the one part that may be huge, so it is never held:
 * the visitor turns `<sheetData>` into rows as saxes reads it and the caller takes them chunk by chunk.
 */

const MAX_EXCEL_ROW = 1_048_576
const MAX_EXCEL_COLUMN = 16_384
// Days between Excel's 1900 and 1904 date systems.
const DATE_1904_OFFSET = 1462
// Shared formulas are referred to by index; more distinct ones than this keep an empty text.
const MAX_SHARED_FORMULAS = 10_000
const DAY_MS = 86_400_000

/** Which element's text is being collected. */
type Capture = 'none' | 'value' | 'formula' | 'inline'

/** Collects the non-empty rows of `<sheetData>`; everything outside it is parsed and dropped. */
export class SheetVisitor implements XmlVisitor {
  /** Rows completed since the caller last took them. */
  rows: SheetRow[] = []

  private inSheetData = false
  private inRow = false
  private rowNumber = 0
  private cells: Array<CellValue | undefined> | null = null
  /** Whether the row has a cell that is not blank; spaces alone do not count. */
  private rowHasContent = false
  private lastColumn = -1

  private inCell = false
  private column = 0
  private type = 'n'
  private style = 0
  private value: string | null = null
  private formula: string | null = null
  private sharedFormula: string | null = null
  private inline: string | null = null
  private inInline = false
  private inPhonetic = false
  private capture: Capture = 'none'
  private captured = ''
  private readonly sharedFormulas = new Map<string, string>()

  constructor(
    private readonly name: string,
    private readonly workbook: WorkbookParts,
    private readonly limits: WorkbookLimits,
  ) {}

  open(name: string, attributes: Record<string, string>): void {
    if (!this.inSheetData) {
      if (name === 'sheetData') this.inSheetData = true
      return
    }
    if (this.inCell) return this.openInCell(name, attributes)
    if (name === 'row') return this.openRow(attributes.r)
    if (name === 'c') return this.openCell(attributes)
  }

  close(name: string): void {
    if (!this.inSheetData) return
    if (this.inCell) {
      if (name === 'c') this.closeCell()
      else this.closeInCell(name)
    } else if (name === 'row') {
      this.closeRow()
    } else if (name === 'sheetData') {
      this.inSheetData = false
    }
  }

  text(text: string): void {
    if (this.capture !== 'none') this.captured += text
  }

  private openRow(reference: string | undefined): void {
    if (this.inRow) this.malformed('row inside row')
    const number = reference === undefined ? this.rowNumber + 1 : parseDigits(reference)
    // Excel writes rows in ascending order; a repeated or backward row would make rows ambiguous.
    if (!(number > this.rowNumber && number <= MAX_EXCEL_ROW)) this.malformed('row number')
    this.inRow = true
    this.rowNumber = number
    this.cells = null
    this.rowHasContent = false
    this.lastColumn = -1
  }

  private closeRow(): void {
    this.inRow = false
    if (this.cells === null || !this.rowHasContent) return
    if (this.rowNumber > this.limits.maxRows) {
      refuse(
        'too_many_rows',
        `文件 ${this.name} 的第一个工作表在第 ${this.rowNumber} 行仍有内容，超过了每批最多 ${this.limits.maxRows - 1} 行数据（另加一行表头）的上限。` +
          `请拆分成多个文件分批导入；如果下方只是残留的内容，请删除这些行后再导入。`,
      )
    }
    this.rows.push({ rowNumber: this.rowNumber, cells: this.cells })
    this.cells = null
  }

  private openCell(attributes: Record<string, string>): void {
    if (!this.inRow) this.malformed('cell outside row')
    const column = attributes.r === undefined ? this.lastColumn + 1 : columnIndex(attributes.r)
    if (!(column > this.lastColumn && column < MAX_EXCEL_COLUMN)) this.malformed('cell reference')
    this.inCell = true
    this.lastColumn = column
    this.column = column
    this.type = attributes.t ?? 'n'
    this.style = attributes.s === undefined ? 0 : parseDigits(attributes.s)
    this.value = null
    this.formula = null
    this.sharedFormula = null
    this.inline = null
  }

  private openInCell(name: string, attributes: Record<string, string>): void {
    if (name === 'v') {
      this.startCapture('value')
    } else if (name === 'f') {
      this.sharedFormula = attributes.t === 'shared' && attributes.si !== undefined ? attributes.si : null
      this.startCapture('formula')
    } else if (name === 'is') {
      this.inInline = true
      this.inline ??= ''
    } else if (name === 'rPh') {
      this.inPhonetic = true
    } else if (name === 't' && this.inInline && !this.inPhonetic) {
      this.startCapture('inline')
    }
  }

  private closeInCell(name: string): void {
    if (name === 'v' && this.capture === 'value') {
      this.value = this.endCapture()
    } else if (name === 'f' && this.capture === 'formula') {
      this.formula = this.formulaText(this.endCapture())
    } else if (name === 't' && this.capture === 'inline') {
      this.inline = (this.inline ?? '') + this.endCapture()
      this.checkLength(this.inline)
    } else if (name === 'rPh') {
      this.inPhonetic = false
    } else if (name === 'is') {
      this.inInline = false
    }
  }

  private closeCell(): void {
    this.inCell = false
    this.inInline = false
    this.inPhonetic = false
    this.capture = 'none'
    const cell = this.formula === null ? this.plainCell() : this.formulaCell(this.formula)
    // An empty string is no cell at all; spaces are kept as written, but make no row or column count.
    if (cell === undefined || (cell.kind === 'string' && cell.text === '')) return
    const blank = isBlank(cell)
    if (this.column >= this.limits.maxColumns) {
      if (blank) return
      refuse(
        'too_many_columns',
        `文件 ${this.name} 的第一个工作表在第 ${this.rowNumber} 行的 ${columnLetters(this.column)} 列有内容，超过了最多 ${this.limits.maxColumns} 列的上限。` +
          `请删除模板之外的多余列后再导入。`,
      )
    }
    this.cells ??= []
    while (this.cells.length < this.column) this.cells.push(undefined)
    this.cells.push(cell)
    if (!blank) this.rowHasContent = true
  }

  private plainCell(): CellValue | undefined {
    const value = this.value
    switch (this.type) {
      case 's':
        return value === null ? undefined : { kind: 'string', text: this.checkLength(this.sharedString(value)) }
      case 'str':
      case 'inlineStr': {
        const text = this.inline ?? value
        return text === null ? undefined : { kind: 'string', text: this.checkLength(unescapeOoxml(text)) }
      }
      case 'b':
        return value === null ? undefined : { kind: 'boolean', value: this.booleanOf(value) }
      case 'e':
        return value === null ? undefined : { kind: 'error', text: this.checkLength(value) }
      case 'd':
        return value === null ? undefined : this.isoDateCell(value)
      case 'n':
        return value === null || value.trim() === '' ? undefined : this.numberCell(value)
      default:
        return this.malformed('cell type')
    }
  }

  private formulaCell(formula: string): CellValue {
    const value = this.value
    let cached: string | null = value
    if (value !== null && this.type === 's') cached = this.sharedString(value)
    else if (value !== null && this.type === 'b') cached = this.booleanOf(value) ? 'TRUE' : 'FALSE'
    else if (this.inline !== null) cached = unescapeOoxml(this.inline)
    else if (value !== null && this.type === 'str') cached = unescapeOoxml(value)
    return { kind: 'formula', formula, cached: cached === null ? null : this.checkLength(cached) }
  }

  private numberCell(raw: string): CellValue {
    if (!isXmlNumber(raw)) this.malformed('number')
    const value = Number(raw)
    if (!Number.isFinite(value)) this.malformed('number')
    const dateFormat = this.workbook.dateStyles[this.style] === true
    // Normalised to the 1900 system the checks assume; `raw` stays the file's own text.
    const serial = dateFormat && this.workbook.date1904 ? value + DATE_1904_OFFSET : value
    return { kind: 'number', value: serial, raw, dateFormat }
  }

  /** `t="d"` (ISO 8601, written by some tools, never by Excel) becomes a date-formatted serial. */
  private isoDateCell(raw: string): CellValue {
    const time = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(raw) || !raw.includes('T') ? raw : `${raw}Z`)
    if (!Number.isFinite(time)) this.malformed('date')
    const days = (time - Date.UTC(1899, 11, 30)) / DAY_MS
    // Before 1900-03-01 Excel counts from 1899-12-31: its phantom 1900-02-29 comes later.
    return { kind: 'number', value: days < 61 ? days - 1 : days, raw, dateFormat: true }
  }

  private sharedString(index: string): string {
    const text = this.workbook.sharedStrings[parseDigits(index)]
    return text ?? this.malformed('shared string index')
  }

  private booleanOf(value: string): boolean {
    if (value === '1' || value === 'true') return true
    if (value === '0' || value === 'false') return false
    return this.malformed('boolean')
  }

  /** The text of a formula; cells sharing a formula carry only its index, so the first one's text is kept. */
  private formulaText(text: string): string {
    const index = this.sharedFormula
    if (index === null) return this.checkLength(text)
    if (text !== '') {
      if (this.sharedFormulas.size < MAX_SHARED_FORMULAS) this.sharedFormulas.set(index, text)
      return this.checkLength(text)
    }
    return this.sharedFormulas.get(index) ?? ''
  }

  private checkLength(text: string): string {
    if (text.length > this.limits.maxCellChars) {
      refuse(
        'cell_too_long',
        `文件 ${this.name} 的单元格 ${columnLetters(this.column)}${this.rowNumber} 超过了 Excel 单元格最多 ${this.limits.maxCellChars} 个字符的上限，` +
          `可能是文件已损坏或内容粘贴有误。请检查并修改该单元格后再导入。`,
      )
    }
    return text
  }

  private startCapture(capture: Capture): void {
    this.capture = capture
    this.captured = ''
  }

  private endCapture(): string {
    const text = this.captured
    this.capture = 'none'
    this.captured = ''
    if (text.length > this.limits.maxCellChars) this.checkLength(text)
    return text
  }

  /** A structural fault at the current row: the message points the clerk near it. */
  malformedHere(): WorkbookError {
    return malformed(this.name, this.rowNumber > 0 ? `第一个工作表第 ${this.rowNumber} 行附近` : '第一个工作表')
  }

  private malformed(_what: string): never {
    throw this.malformedHere()
  }
}
