import { MalformedPart } from './errors'
import type { XmlVisitor } from './xml'

/**
 * Which cell styles show a date. Excel stores a date as a plain serial number: only the number
 * format of the cell's style tells a birth date from any other number.
 */

// Excel's built-in number formats that show a date or time.
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
])
// Excel caps cellXfs at 64,000 and custom formats at a few hundred.
const MAX_STYLES = 65_536

export class StylesVisitor implements XmlVisitor {
  private readonly customDateFormats = new Map<number, boolean>()
  private readonly cellFormats: number[] = []
  private inNumFmts = false
  private inCellXfs = false

  open(name: string, attributes: Record<string, string>): void {
    if (name === 'numFmts') {
      this.inNumFmts = true
    } else if (name === 'numFmt' && this.inNumFmts) {
      if (this.customDateFormats.size >= MAX_STYLES) throw new MalformedPart('too many number formats')
      this.customDateFormats.set(Number(attributes.numFmtId), isDateFormatCode(attributes.formatCode ?? ''))
    } else if (name === 'cellXfs') {
      this.inCellXfs = true
    } else if (name === 'xf' && this.inCellXfs) {
      if (this.cellFormats.length >= MAX_STYLES) throw new MalformedPart('too many cell formats')
      this.cellFormats.push(Number(attributes.numFmtId ?? 0))
    }
  }

  close(name: string): void {
    if (name === 'numFmts') this.inNumFmts = false
    else if (name === 'cellXfs') this.inCellXfs = false
  }

  text(): void {}

  dateStyles(): boolean[] {
    return this.cellFormats.map((id) => this.customDateFormats.get(id) ?? BUILT_IN_DATE_FORMATS.has(id))
  }
}

/** Whether a custom number format shows a date or time: y, m, d, h or s outside quotes, brackets and escapes. */
export function isDateFormatCode(code: string): boolean {
  for (let index = 0; index < code.length; index += 1) {
    const character = code[index]
    if (character === '"') {
      index = code.indexOf('"', index + 1)
      if (index === -1) return false
    } else if (character === '[') {
      index = code.indexOf(']', index + 1)
      if (index === -1) return false
    } else if (character === '\\' || character === '_' || character === '*') {
      // An escaped character, a space the width of the next one, or a fill: the next one is literal.
      index += 1
    } else if ('yYmMdDhHsS'.includes(character)) {
      return true
    }
  }
  return false
}
