import { degrees, popGraphicsState, pushGraphicsState, rgb, setCharacterSpacing, type PDFFont, type PDFPage, type RGB } from 'pdf-lib'
import type { FontWeight } from './fonts'
import {
  fillPlaceholders,
  type DocumentTemplate,
  type FieldsElement,
  type FrameElement,
  type ParagraphElement,
  type TemplateElement,
  type TextElement,
} from './template'

export type Fonts = Partial<Record<FontWeight, PDFFont>>

export function colourOf(hex: string): RGB {
  const value = parseInt(hex.slice(1), 16)
  return rgb(((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255)
}

function fontOf(fonts: Fonts, weight: FontWeight): PDFFont {
  const font = fonts[weight]
  if (!font) throw new Error(`no ${weight} font embedded for this document`)
  return font
}

/** The texts an element draws, by weight, so the document's font subsets hold exactly them. */
export function elementTexts(element: TemplateElement, values: Record<string, string>): Array<[FontWeight, string]> {
  switch (element.type) {
    case 'text':
    case 'paragraph':
      return [[element.font, fillPlaceholders(element.text, values)]]
    case 'fields':
      return visibleRows(element, values).flatMap((row): Array<[FontWeight, string]> => [
        [element.labelFont, `${row.label}：`],
        [element.valueFont, row.value],
      ])
    case 'photo':
      return [['regular', element.placeholder]]
    default:
      return []
  }
}

function visibleRows(element: FieldsElement, values: Record<string, string>) {
  return element.rows
    .map((row) => ({ ...row, value: fillPlaceholders(row.value, values) }))
    .filter((row) => !row.optional || row.value !== '')
}

/** The largest size between `minSize` and `size` at which the text fits `maxWidth`. */
function fittedSize(font: PDFFont, text: string, size: number, maxWidth: number | undefined, minSize: number, letterSpacing = 0): number {
  if (!maxWidth) return size
  const spacing = letterSpacing * Math.max([...text].length - 1, 0)
  const width = font.widthOfTextAtSize(text, size) + spacing
  if (width <= maxWidth) return size
  return Math.max(minSize, (size * (maxWidth - spacing)) / (width - spacing))
}

export function drawTextElement(page: PDFPage, element: TextElement, values: Record<string, string>, fonts: Fonts): void {
  const text = fillPlaceholders(element.text, values)
  const font = fontOf(fonts, element.font)
  const size = fittedSize(font, text, element.size, element.maxWidth, element.minSize ?? element.size * 0.6, element.letterSpacing)
  const width = font.widthOfTextAtSize(text, size) + element.letterSpacing * Math.max([...text].length - 1, 0)
  const x = element.align === 'center' ? element.x - width / 2 : element.align === 'right' ? element.x - width : element.x
  if (element.letterSpacing) page.pushOperators(pushGraphicsState(), setCharacterSpacing(element.letterSpacing))
  page.drawText(text, { x, y: element.y, size, font, color: colourOf(element.colour) })
  if (element.letterSpacing) page.pushOperators(popGraphicsState())
}

/** Label/value grid: labels spread over the label column (姓 … 名：), values fitted to their width. */
export function drawFields(page: PDFPage, element: FieldsElement, values: Record<string, string>, fonts: Fonts): void {
  const labelFont = fontOf(fonts, element.labelFont)
  const valueFont = fontOf(fonts, element.valueFont)
  const labelColour = colourOf(element.labelColour)
  const valueColour = colourOf(element.valueColour)
  const colonWidth = labelFont.widthOfTextAtSize('：', element.size)
  const valueX = element.x + element.labelWidth + colonWidth + element.gap
  visibleRows(element, values).forEach((row, index) => {
    const y = element.y - index * element.rowHeight
    drawSpread(page, row.label, element.x, y, element.labelWidth, element.size, labelFont, labelColour)
    page.drawText('：', { x: element.x + element.labelWidth, y, size: element.size, font: labelFont, color: labelColour })
    if (element.rule) {
      const ruleY = y - element.rule.offset
      page.drawLine({
        start: { x: valueX - 2, y: ruleY },
        end: { x: valueX + row.maxWidth, y: ruleY },
        thickness: element.rule.width,
        color: colourOf(element.rule.colour),
      })
    }
    const size = fittedSize(valueFont, row.value, element.size, row.maxWidth, element.minSize)
    const lines = wrapText(row.value, valueFont, size, row.maxWidth, 0)
    lines.forEach((line, lineIndex) =>
      page.drawText(line, { x: valueX, y: y - lineIndex * size * 1.15, size, font: valueFont, color: valueColour }),
    )
  })
}

/** Spreads a label over `width` with character spacing (PDF Tc), in one text object. */
function drawSpread(page: PDFPage, text: string, x: number, y: number, width: number, size: number, font: PDFFont, colour: RGB): void {
  const gaps = [...text].length - 1
  const spacing = gaps > 0 ? Math.max(0, width - font.widthOfTextAtSize(text, size)) / gaps : 0
  if (spacing) page.pushOperators(pushGraphicsState(), setCharacterSpacing(spacing))
  page.drawText(text, { x, y, size, font, color: colour })
  if (spacing) page.pushOperators(popGraphicsState())
}

// Chinese line breaking (禁则): closing punctuation never starts a line, opening never ends one.
const NO_LINE_START = new Set([...'，。、；：！？）》」』”’．,.;:!?)%'])
const NO_LINE_END = new Set([...'（《「『“‘('])

/** Breaks text into lines of at most `width` points; runs of Latin letters and digits stay whole. */
export function wrapText(text: string, font: PDFFont, size: number, width: number, firstLineIndent: number): string[] {
  const tokens: string[] = []
  for (const piece of text.match(/[A-Za-z0-9/_\-+.@]+|./gsu) ?? []) {
    const previous = tokens[tokens.length - 1]
    if (previous !== undefined && (NO_LINE_START.has(piece) || NO_LINE_END.has([...previous].pop() as string)))
      tokens[tokens.length - 1] = previous + piece
    else tokens.push(piece)
  }
  const lines: string[] = []
  let line = ''
  for (const token of tokens) {
    const available = width - (lines.length === 0 ? firstLineIndent : 0)
    if (line !== '' && font.widthOfTextAtSize(line + token, size) > available) {
      lines.push(line)
      line = token
    } else line += token
  }
  if (line !== '' || lines.length === 0) lines.push(line)
  return lines
}

export function drawParagraph(page: PDFPage, element: ParagraphElement, values: Record<string, string>, fonts: Fonts): void {
  const font = fontOf(fonts, element.font)
  const text = fillPlaceholders(element.text, values)
  const lines = wrapText(text, font, element.size, element.width, element.firstLineIndent)
  lines.forEach((line, index) => {
    const x = element.x + (index === 0 ? element.firstLineIndent : 0)
    page.drawText(line, { x, y: element.y - index * element.lineHeight, size: element.size, font, color: colourOf(element.colour) })
  })
}

export function drawFrame(page: PDFPage, element: FrameElement, template: DocumentTemplate): void {
  const { width, height } = template.page
  for (const line of element.lines) {
    page.drawRectangle({
      x: line.inset,
      y: line.inset,
      width: width - 2 * line.inset,
      height: height - 2 * line.inset,
      borderColor: colourOf(line.colour),
      borderWidth: line.width,
    })
  }
  const corners = element.corners
  if (!corners) return
  const colour = colourOf(corners.colour)
  const { inset, size } = corners
  for (const [x, y, dx, dy] of [
    [inset, inset, 1, 1],
    [width - inset, inset, -1, 1],
    [inset, height - inset, 1, -1],
    [width - inset, height - inset, -1, -1],
  ]) {
    page.drawLine({ start: { x, y: y + dy * size }, end: { x, y }, thickness: corners.width, color: colour })
    page.drawLine({ start: { x, y }, end: { x: x + dx * size, y }, thickness: corners.width, color: colour })
    const d = size * 0.18
    const cx = x + dx * size * 0.32
    const cy = y + dy * size * 0.32
    page.drawSvgPath(`M0 ${-d}L${d} 0L0 ${d}L${-d} 0Z`, { x: cx, y: cy, color: colour, borderWidth: 0 })
  }
}

export function drawWatermark(page: PDFPage, template: DocumentTemplate, font: PDFFont): void {
  const { text, size, colour, opacity, angle } = template.preview
  const width = font.widthOfTextAtSize(text, size)
  const radians = (angle * Math.PI) / 180
  const cx = template.page.width / 2
  const cy = template.page.height / 2
  // Centre the rotated text on the page: move the origin back along and across the baseline.
  const x = cx - (width / 2) * Math.cos(radians) + size * 0.38 * Math.sin(radians)
  const y = cy - (width / 2) * Math.sin(radians) - size * 0.38 * Math.cos(radians)
  page.drawText(text, { x, y, size, font, color: colourOf(colour), opacity, rotate: degrees(angle) })
}
