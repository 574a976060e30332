import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont } from 'pdf-lib'
import { useNativeDeflate } from '../../documents/compression'
import { FontLibrary, type FontWeight } from '../../documents/fonts'
import { CREATOR, PRODUCER } from '../../documents/metadata'
import { sharedFontLibrary } from '../../documents/shared-fonts'
import { AppError } from '../../util/app-error'
import { PageCanvas } from './pdf-canvas'
import { planPages, wrapText, type PlannedPage, type PlannedRow } from './pdf-table'
import {
  productionListCells,
  productionListDetails,
  productionListHeaders,
  productionListTitle,
  SIGNATURE_LINE,
  STAMP_LABEL,
  summaryLine,
  type ProductionList,
} from './production-list'

export interface ProductionListPdfOptions {
  /** The certificate fonts, when the caller already holds them; loaded once per process otherwise. */
  fonts?: FontLibrary
}

/** A4 landscape. */
const PAGE_WIDTH = 841.89
const PAGE_HEIGHT = 595.28
const MARGIN_X = 36
const TOP = PAGE_HEIGHT - 32
const BOTTOM = 44
const TABLE_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
/** Relative column widths: 序号 … 日期. */
const COLUMN_WEIGHTS = [30, 100, 62, 28, 84, 120, 100, 100, 42, 66]
const BODY_SIZE = 9
const LINE_HEIGHT = 11
const PAD_X = 3
const PAD_Y = 3.5
const HEADER_HEIGHT = 20
const TITLE_SIZE = 16
const TITLE_HEIGHT = 28
const DETAIL_SIZE = 9
const DETAIL_HEIGHT = 14
const SUMMARY_SIZE = 10.5
const STAMP_WIDTH = 160
const STAMP_HEIGHT = 130
/** Gap, summary line, gap, then the signature band with the stamp box. */
const CLOSING_HEIGHT = 12 + 16 + 16 + STAMP_HEIGHT
const HEADER_GREY = 0.9
const RULE_GREY = 0.35
/** A Noto CJK glyph's box runs from about −0.12 em to 0.88 em: this centres it on a line. */
const BASELINE_DROP = LINE_HEIGHT / 2 + 0.38 * BODY_SIZE

const columnWidths = (() => {
  const total = COLUMN_WEIGHTS.reduce((sum, weight) => sum + weight, 0)
  return COLUMN_WEIGHTS.map((weight) => (weight * TABLE_WIDTH) / total)
})()
const columnLefts = columnWidths.map((_, index) => MARGIN_X + columnWidths.slice(0, index).reduce((sum, width) => sum + width, 0))

/** Control characters and zero-width marks have no glyph: a space takes their place. */
function pdfText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.normalize('NFC').replace(/[\u0000-\u001F\u007F\u200B-\u200D\u2060\uFEFF]/g, ' ')
}

interface Drawing {
  fonts: Record<FontWeight, PDFFont>
  library: FontLibrary
}

/** What the pages show, laid out: the texts, the wrapped rows and which rows go on which page. */
interface Layout {
  title: string
  detailLines: string[]
  headers: string[]
  summary: string
  footerLeft: string
  pages: PlannedPage[]
  /** Every text drawn, by weight, for the font subsets. */
  texts: Record<FontWeight, string[]>
}

function layOut(list: ProductionList, library: FontLibrary): Layout {
  const title = pdfText(productionListTitle(list))
  const details = productionListDetails(list).map(pdfText)
  const headers = productionListHeaders(list.family)
  const summary = pdfText(summaryLine(list))
  const cells = list.rows.map((row, index) => productionListCells(row, index).map(pdfText))
  assertCoverage(library, cells, [title, ...details, summary])

  const measure = (text: string) => library.widthOf('regular', text, BODY_SIZE)
  const planned: PlannedRow[] = cells.map((row, index) => {
    const lines = row.map((text, column) => wrapText(text, columnWidths[column] - 2 * PAD_X, measure))
    const height = Math.max(...lines.map((cell) => cell.length)) * LINE_HEIGHT + 2 * PAD_Y
    return { index, lines, height }
  })
  const detailLines = details.flatMap((line) => wrapText(line, TABLE_WIDTH, (text) => library.widthOf('regular', text, DETAIL_SIZE)))
  const firstSpace = TOP - BOTTOM - TITLE_HEIGHT - detailLines.length * DETAIL_HEIGHT - 6 - HEADER_HEIGHT
  const pages = planPages(planned, firstSpace, TOP - BOTTOM - HEADER_HEIGHT, CLOSING_HEIGHT)
  const footerLeft = `批次号 ${list.batchId}`
  const pageLabels = pages.map((_, index) => pageLabel(index + 1, pages.length))
  return {
    title,
    detailLines,
    headers,
    summary,
    footerLeft,
    pages,
    texts: {
      regular: [...detailLines, ...cells.flat(), SIGNATURE_LINE, STAMP_LABEL, footerLeft, ...pageLabels],
      bold: [title, ...headers, summary],
    },
  }
}

/**
 * The paper production list as an A4 landscape PDF: title and approvals, the table with its header
 * row on every page, “第 x 页 / 共 y 页”, then the summary, the head's signature line and a box for
 * the official stamp. The fonts are harfbuzz subsets of Noto Serif SC holding only the characters
 * used. Refuses (AppError VALIDATION) a list holding a character the font lacks.
 */
export async function writeProductionListPdf(list: ProductionList, options: ProductionListPdfOptions = {}): Promise<Uint8Array> {
  const library = options.fonts ?? sharedFontLibrary()
  const layout = layOut(list, library)
  const document = await PDFDocument.create({ updateMetadata: false })
  document.registerFontkit(fontkit)
  useNativeDeflate(document)
  const drawing: Drawing = {
    library,
    fonts: {
      regular: await library.embed(document, 'regular', distinctCharacters(layout.texts.regular)),
      bold: await library.embed(document, 'bold', distinctCharacters(layout.texts.bold)),
    },
  }
  const count = layout.pages.length
  layout.pages.forEach((plan, index) => {
    const canvas = new PageCanvas(document.addPage([PAGE_WIDTH, PAGE_HEIGHT]))
    const top = index === 0 ? drawHeading(canvas, drawing, layout.title, layout.detailLines) : TOP
    const bottom = drawTable(canvas, drawing, layout.headers, plan, top)
    if (plan.closing) drawClosing(canvas, drawing, layout.summary, bottom)
    canvas.text(drawing.fonts.regular, 8, MARGIN_X, 22, layout.footerLeft)
    centreText(canvas, drawing, 'regular', pageLabel(index + 1, count), PAGE_WIDTH / 2, 22, 9)
    canvas.finish(document)
  })
  setMetadata(document, list, layout.title)
  return document.save({ useObjectStreams: false })
}

export function pageLabel(page: number, count: number): string {
  return `第 ${page} 页 / 共 ${count} 页`
}

function distinctCharacters(texts: string[]): string {
  const characters = new Set<string>()
  for (const text of texts) for (const character of text) characters.add(character)
  return [...characters].join('')
}

/** Refuses a list holding a character the font lacks, naming the rows, before anything is drawn. */
function assertCoverage(library: FontLibrary, cells: string[][], texts: string[]): void {
  const rowTexts = cells.map((row) => row.join(''))
  const missing = library.missingCharacters([...texts, ...rowTexts])
  if (missing.length === 0) return
  const wanted = new Set(missing)
  const rows = rowTexts.flatMap((text, index) => ([...text].some((character) => wanted.has(character)) ? [index + 1] : [])).slice(0, 10)
  const codes = missing.map((character) => `“${character}”(U+${(character.codePointAt(0) as number).toString(16).toUpperCase()})`)
  const where = rows.length > 0 ? `（序号 ${rows.join('、')}）` : ''
  throw new AppError('VALIDATION', `名单中有字库缺少的字：${codes.join('、')}${where}，无法生成 PDF`)
}

/** The width of `text` as the embedded subset will draw it. */
function widthOf(drawing: Drawing, weight: FontWeight, text: string, size: number): number {
  return drawing.library.widthOf(weight, text, size)
}

function centreText(canvas: PageCanvas, drawing: Drawing, weight: FontWeight, text: string, centre: number, y: number, size: number): void {
  canvas.text(drawing.fonts[weight], size, centre - widthOf(drawing, weight, text, size) / 2, y, text)
}

/** The title and the batch's details on the first page; returns where the table starts. */
function drawHeading(canvas: PageCanvas, drawing: Drawing, title: string, detailLines: string[]): number {
  centreText(canvas, drawing, 'bold', title, PAGE_WIDTH / 2, TOP - TITLE_SIZE, TITLE_SIZE)
  let y = TOP - TITLE_HEIGHT
  for (const line of detailLines) {
    canvas.text(drawing.fonts.regular, DETAIL_SIZE, MARGIN_X, y - DETAIL_SIZE - 2, line)
    y -= DETAIL_HEIGHT
  }
  return y - 6
}

/** The header row and this page's rows, ruled; returns the table's bottom edge. */
function drawTable(canvas: PageCanvas, drawing: Drawing, headers: string[], plan: PlannedPage, top: number): number {
  const right = MARGIN_X + TABLE_WIDTH
  canvas.fillRectangle(MARGIN_X, top - HEADER_HEIGHT, TABLE_WIDTH, HEADER_HEIGHT, HEADER_GREY)
  headers.forEach((header, column) => {
    const centre = columnLefts[column] + columnWidths[column] / 2
    centreText(canvas, drawing, 'bold', header, centre, top - HEADER_HEIGHT / 2 - 0.38 * BODY_SIZE, BODY_SIZE)
  })
  let y = top - HEADER_HEIGHT
  canvas.line(MARGIN_X, top, right, top)
  canvas.line(MARGIN_X, y, right, y)
  for (const row of plan.rows) {
    row.lines.forEach((lines, column) => {
      const centre = columnLefts[column] + columnWidths[column] / 2
      lines.forEach((line, index) => {
        centreText(canvas, drawing, 'regular', line, centre, y - PAD_Y - index * LINE_HEIGHT - BASELINE_DROP, BODY_SIZE)
      })
    })
    y -= row.height
    canvas.line(MARGIN_X, y, right, y)
  }
  for (const left of [...columnLefts, right]) canvas.line(left, top, left, y)
  canvas.stroke(RULE_GREY, 0.6)
  return y
}

/** The summary line, the head's signature line and the box for the official stamp. */
function drawClosing(canvas: PageCanvas, drawing: Drawing, summary: string, tableBottom: number): void {
  const summaryBaseline = tableBottom - 12 - SUMMARY_SIZE
  canvas.text(drawing.fonts.bold, SUMMARY_SIZE, MARGIN_X, summaryBaseline, summary)
  const bandTop = summaryBaseline - 4 - 16
  canvas.text(drawing.fonts.regular, 11, MARGIN_X, bandTop - 40, SIGNATURE_LINE)
  const boxX = MARGIN_X + TABLE_WIDTH - STAMP_WIDTH - 20
  canvas.rectangleOutline(boxX, bandTop - STAMP_HEIGHT, STAMP_WIDTH, STAMP_HEIGHT)
  canvas.stroke(RULE_GREY, 0.6, [3, 3])
  centreText(canvas, drawing, 'regular', STAMP_LABEL, boxX + STAMP_WIDTH / 2, bandTop - STAMP_HEIGHT + 10, 10)
}

function setMetadata(document: PDFDocument, list: ProductionList, title: string): void {
  // The approval instant, not the clock: the same batch always gives the same file.
  const date = new Date(list.approvedAt)
  document.setTitle(title, { showInWindowTitleBar: true })
  document.setAuthor(list.organisationName)
  document.setSubject(`制证申请批次 ${list.batchId} 的纸质制证名单`)
  document.setCreator(CREATOR)
  document.setProducer(PRODUCER)
  document.setLanguage('zh-CN')
  if (!Number.isNaN(date.getTime())) {
    document.setCreationDate(date)
    document.setModificationDate(date)
  }
}
