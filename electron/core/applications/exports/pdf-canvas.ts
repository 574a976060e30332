import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib'

const number = (value: number) => (Math.round(value * 100) / 100).toString()

/**
 * One page's content written as raw PDF operators. pdf-lib's drawText builds a dozen objects per
 * call, and a 10,000-row list makes 100,000 calls: a plain string is several times faster and
 * gives the same page. Text goes through PDFFont.encodeText, so it uses the embedded subset's
 * glyph codes and pdf-lib still writes the font (W array, ToUnicode) at save.
 */
export class PageCanvas {
  private readonly operators: string[] = []
  private readonly fontNames = new Map<PDFFont, string>()
  /** Segments to stroke, flushed as one path per colour and width. */
  private readonly segments: string[] = []

  constructor(private readonly page: PDFPage) {}

  text(font: PDFFont, size: number, x: number, y: number, text: string): void {
    if (text === '') return
    let name = this.fontNames.get(font)
    if (name === undefined) {
      name = this.page.node.newFontDictionary('F', font.ref).asString()
      this.fontNames.set(font, name)
    }
    this.operators.push(`BT ${name} ${number(size)} Tf 1 0 0 1 ${number(x)} ${number(y)} Tm ${font.encodeText(text).toString()} Tj ET\n`)
  }

  /** A filled rectangle in grey (0 black … 1 white); text after it is black again. */
  fillRectangle(x: number, y: number, width: number, height: number, grey: number): void {
    this.operators.push(`${number(grey)} g ${number(x)} ${number(y)} ${number(width)} ${number(height)} re f 0 g\n`)
  }

  line(x1: number, y1: number, x2: number, y2: number): void {
    this.segments.push(`${number(x1)} ${number(y1)} m ${number(x2)} ${number(y2)} l`)
  }

  /** Strokes the lines drawn so far, in one path. */
  stroke(grey: number, width: number, dash: number[] = []): void {
    if (this.segments.length === 0) return
    this.operators.push(`q ${number(grey)} G ${number(width)} w [${dash.map(number).join(' ')}] 0 d\n${this.segments.join('\n')}\nS Q\n`)
    this.segments.length = 0
  }

  rectangleOutline(x: number, y: number, width: number, height: number): void {
    this.segments.push(`${number(x)} ${number(y)} ${number(width)} ${number(height)} re`)
  }

  /** Adds the operators to the page as one compressed content stream. */
  finish(document: PDFDocument): void {
    const context = document.context
    const stream = context.flateStream(this.operators.join(''))
    this.page.node.addContentStream(context.register(stream))
  }
}
