import { readFileSync } from 'node:fs'
import fontkit from '@pdf-lib/fontkit'
import type { PDFDocument, PDFFont } from 'pdf-lib'
import { sha256Hex } from '../util/canonical'
import { HarfBuzzSubsetter } from './harfbuzz-subset'

export type FontWeight = 'regular' | 'bold'

/** Code points of a text, astral characters counted once (for…of walks code points, not UTF-16 units). */
export function codePointsOf(text: string): number[] {
  const points: number[] = []
  for (const character of text) points.push(character.codePointAt(0) as number)
  return points
}

type FontkitFont = ReturnType<typeof fontkit.create>

/** One face: its cmap and advance widths, and its harfbuzz subsetter, all loaded once. */
class FontFace {
  private readonly font: FontkitFont
  private readonly covered: Set<number>
  private readonly subsetter: HarfBuzzSubsetter
  private readonly advances = new Map<number, number>()
  readonly unitsPerEm: number

  constructor(
    readonly postscriptName: string,
    fontBytes: Uint8Array,
    wasmPath: string,
  ) {
    this.font = fontkit.create(fontBytes as Buffer)
    this.unitsPerEm = this.font.unitsPerEm
    this.covered = new Set(this.font.characterSet)
    this.subsetter = new HarfBuzzSubsetter(wasmPath, fontBytes)
  }

  /** Advance width in font units, looked up once per code point and kept. */
  advance(codePoint: number): number {
    let width = this.advances.get(codePoint)
    if (width === undefined) {
      width = this.font.glyphForCodePoint(codePoint).advanceWidth
      this.advances.set(codePoint, width)
    }
    return width
  }

  has(codePoint: number): boolean {
    return this.covered.has(codePoint)
  }

  subset(codePoints: number[]): Uint8Array {
    return this.subsetter.subset(codePoints)
  }
}

/**
 * The two weights of Noto Serif SC, parsed once per process or worker. Each document embeds its
 * own harfbuzz subset with pdf-lib's `subset: false`: pdf-lib's fontkit subsetter silently drops
 * CJK glyphs of this font (see ARCHITECTURE.md, known traps).
 */
export class FontLibrary {
  private readonly faces: Record<FontWeight, FontFace>
  /**
   * Recent subsets by character set. The bold text (title, seal) repeats across a batch, so its
   * subset — and, through the same bytes, its compressed stream — is made once; the regular
   * text holds the person's data and rarely repeats. Insertion-ordered, oldest dropped first.
   */
  private readonly recent = new Map<string, Uint8Array>()

  constructor(paths: { regularFont: string; boldFont: string; harfbuzzWasm: string }) {
    this.faces = {
      regular: new FontFace('NotoSerifSC-Regular', readFileSync(paths.regularFont), paths.harfbuzzWasm),
      bold: new FontFace('NotoSerifSC-Bold', readFileSync(paths.boldFont), paths.harfbuzzWasm),
    }
  }

  /** Characters (NFC, one entry per code point, in first-seen order) that either weight lacks. */
  missingCharacters(texts: string[]): string[] {
    const missing = new Set<string>()
    for (const text of texts) {
      for (const character of text.normalize('NFC')) {
        const codePoint = character.codePointAt(0) as number
        if (!this.faces.regular.has(codePoint) || !this.faces.bold.has(codePoint)) missing.add(character)
      }
    }
    return [...missing]
  }

  /**
   * Embeds a subset holding exactly the characters of `text`. The subset tag (the six letters
   * before “+”, which marks a subset for viewers and pdffonts) comes from the characters, so the
   * same document always gets the same bytes.
   */
  async embed(document: PDFDocument, weight: FontWeight, text: string): Promise<PDFFont> {
    const codePoints = [...new Set(codePointsOf(text))].sort((a, b) => a - b)
    const face = this.faces[weight]
    const key = `${weight}:${codePoints.join(',')}`
    let bytes = this.recent.get(key)
    if (!bytes) {
      bytes = face.subset(codePoints)
      this.remember(key, bytes)
    }
    const digest = sha256Hex(key)
    const subsetTag = [...digest.slice(0, 6)].map((digit) => String.fromCharCode(65 + (parseInt(digit, 16) % 26))).join('')
    const font = await document.embedFont(bytes, { subset: false, customName: `${subsetTag}+${face.postscriptName}` })
    // pdf-lib measures by laying the text out with fontkit on every call, a seventh of the
    // render time. Our subsets carry no GSUB, GPOS or kern table, so a width is exactly the sum
    // of the advances, which the face keeps.
    font.widthOfTextAtSize = (text: string, size: number) => this.widthOf(weight, text, size)
    return font
  }

  private remember(key: string, bytes: Uint8Array): void {
    this.recent.set(key, bytes)
    if (this.recent.size > 32) this.recent.delete(this.recent.keys().next().value as string)
  }

  /** The width of `text` at `size` points, as the embedded subset will draw it. */
  widthOf(weight: FontWeight, text: string, size: number): number {
    const face = this.faces[weight]
    let units = 0
    for (const character of text) units += face.advance(character.codePointAt(0) as number)
    return (units * size) / face.unitsPerEm
  }
}
