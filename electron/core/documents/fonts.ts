import { readFileSync } from 'node:fs'
import fontkit from '@pdf-lib/fontkit'
import { CustomFontEmbedder, PDFFont, PDFHexString, type PDFDocument } from 'pdf-lib'
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

/** The parts of a fontkit font that pdf-lib's CustomFontEmbedder reads outside its glyphs. */
interface FaceMetrics {
  postscriptName: string
  unitsPerEm: number
  italicAngle: number
  ascent: number
  descent: number
  capHeight: number
  xHeight: number
  'OS/2': { sFamilyClass: number }
  post: { isFixedPitch: boolean }
  head: { macStyle: { italic: boolean } }
  cff: undefined
}

/** A glyph as pdf-lib's W array and ToUnicode CMap see it. */
interface SubsetGlyph {
  id: number
  advanceWidth: number
  codePoints: number[]
}

/** Offset of a table in a TrueType file, from its table directory. */
function tableOffset(bytes: Uint8Array, name: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = view.getUint16(4)
  for (let index = 0; index < count; index++) {
    const record = 12 + index * 16
    if (String.fromCharCode(bytes[record], bytes[record + 1], bytes[record + 2], bytes[record + 3]) === name)
      return view.getUint32(record + 8)
  }
  throw new Error(`font subset has no ${name} table`)
}

const hex4 = (value: number) => value.toString(16).padStart(4, '0').toUpperCase()

/** UTF-16 hex of a code point, as pdf-lib's CMap writer spells it. */
function utf16Hex(codePoint: number): string {
  if (codePoint < 0x10000) return hex4(codePoint)
  const offset = codePoint - 0x10000
  return hex4(0xd800 + (offset >> 10)) + hex4(0xdc00 + (offset & 0x3ff))
}

/** The ToUnicode CMap exactly as pdf-lib's createCmap writes it (core/embedders/CMap.js). */
function toUnicodeCmap(glyphs: SubsetGlyph[]): string {
  const bfChars = glyphs.map((glyph) => `<${hex4(glyph.id)}> <${glyph.codePoints.map(utf16Hex).join('')}>`)
  return `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo <<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000><ffff>
endcodespacerange
${bfChars.length} beginbfchar
${bfChars.join('\n')}
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end`
}

/**
 * pdf-lib's embedder for one of our harfbuzz subsets, built without fontkit: fontkit would parse
 * the subset again per document (Struct decoding, a sixth of the render) and lay out every string
 * (another fifth). Our subsets carry no GSUB, GPOS or kern table, so a string's glyphs are exactly
 * its characters' cmap entries and its width the sum of their advances. The subset's glyph ids
 * are its retained glyphs in the order of their ids in the whole font (harfbuzz without
 * RETAIN_GIDS), which `FontLibrary` checks against the subset's glyph count. Everything pdf-lib
 * writes at save — FontFile2, W array, ToUnicode CMap, FontDescriptor — comes out as it would
 * from CustomFontEmbedder.for(fontkit, bytes): the same objects from the same data. One embedder
 * holds no per-document state, so a subset that repeats (the bold title and seal, a template's
 * constant text) serves every document of the process.
 */
class SubsetEmbedder extends CustomFontEmbedder {
  private readonly encoded = new Map<string, string>()
  private unicodeCmap?: Uint8Array
  private widths?: Array<number | number[]>

  constructor(
    metrics: FaceMetrics,
    bytes: Uint8Array,
    customName: string,
    private readonly glyphs: SubsetGlyph[],
    /** Code point → 4-digit hex glyph code in the subset. */
    private readonly codes: Map<number, string>,
    /** Code point → advance width in font units. */
    private readonly advances: Map<number, number>,
  ) {
    const head = tableOffset(bytes, 'head')
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const bbox = {
      minX: view.getInt16(head + 36),
      minY: view.getInt16(head + 38),
      maxX: view.getInt16(head + 40),
      maxY: view.getInt16(head + 42),
    }
    super({ ...metrics, bbox } as never, bytes, customName)
    this.glyphCache = { access: () => this.glyphs } as never
  }

  override encodeText(text: string): PDFHexString {
    let hex = this.encoded.get(text)
    if (hex === undefined) {
      hex = ''
      for (const character of text) {
        const code = this.codes.get(character.codePointAt(0) as number)
        if (code === undefined) throw new Error(`font subset ${this.customName} lacks “${character}”`)
        hex += code
      }
      if (this.encoded.size < 4096) this.encoded.set(text, hex)
    }
    return PDFHexString.of(hex)
  }

  override widthOfTextAtSize(text: string, size: number): number {
    let units = 0
    for (const character of text) units += this.advances.get(character.codePointAt(0) as number) ?? 0
    return (units * this.scale * size) / 1000
  }

  protected override computeWidths(): Array<number | number[]> {
    this.widths ??= super.computeWidths()
    return this.widths
  }

  /** The CMap once per subset, and the same bytes each time, so its compressed form is kept too (compression.ts). */
  protected override embedUnicodeCmap(context: Parameters<CustomFontEmbedder['embedIntoContext']>[0]) {
    this.unicodeCmap ??= Buffer.from(toUnicodeCmap(this.glyphs), 'latin1')
    return context.register(context.flateStream(this.unicodeCmap))
  }
}

/** One face: its cmap and advance widths, and its harfbuzz subsetter, all loaded once. */
class FontFace {
  private readonly font: FontkitFont
  private readonly covered: Set<number>
  private readonly subsetter: HarfBuzzSubsetter
  private readonly advances = new Map<number, number>()
  private readonly glyphIds = new Map<number, number>()
  readonly unitsPerEm: number
  /** What pdf-lib's embedder reads of a font besides its glyphs (the FontDescriptor's metrics and flags). */
  readonly metrics: FaceMetrics

  constructor(
    readonly postscriptName: string,
    fontBytes: Uint8Array,
    wasmPath: string,
  ) {
    this.font = fontkit.create(fontBytes as Buffer)
    this.unitsPerEm = this.font.unitsPerEm
    this.covered = new Set(this.font.characterSet)
    this.subsetter = new HarfBuzzSubsetter(wasmPath, fontBytes)
    const font = this.font as unknown as FaceMetrics
    this.metrics = {
      postscriptName: font.postscriptName,
      unitsPerEm: font.unitsPerEm,
      italicAngle: font.italicAngle,
      ascent: font.ascent,
      descent: font.descent,
      capHeight: font.capHeight,
      xHeight: font.xHeight,
      'OS/2': { sFamilyClass: font['OS/2'] ? font['OS/2'].sFamilyClass : 0 },
      post: { isFixedPitch: font.post.isFixedPitch },
      head: { macStyle: { italic: font.head.macStyle.italic } },
      cff: undefined,
    }
  }

  /** The glyph of a code point in the whole font. */
  glyphId(codePoint: number): number {
    let id = this.glyphIds.get(codePoint)
    if (id === undefined) {
      id = this.font.glyphForCodePoint(codePoint).id
      this.glyphIds.set(codePoint, id)
    }
    return id
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
   * Recent subsets by character set, as ready embedders. The bold text (title, seal) repeats
   * across a batch, so its subset — and, through the same bytes, its compressed stream — is
   * made once; the regular text holds the person's data and rarely repeats. Insertion-ordered,
   * oldest dropped first.
   */
  private readonly recent = new Map<string, SubsetEmbedder>()

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
    const key = `${weight}:${codePoints.join(',')}`
    let embedder = this.recent.get(key)
    if (!embedder) {
      embedder = this.subsetEmbedder(weight, codePoints, key)
      this.recent.set(key, embedder)
      if (this.recent.size > 32) this.recent.delete(this.recent.keys().next().value as string)
    } else {
      // Most recently used last, so the subsets every document shares are never dropped.
      this.recent.delete(key)
      this.recent.set(key, embedder)
    }
    // As PDFDocument.embedFont does: the document embeds its fonts when it is saved.
    const font = PDFFont.of(document.context.nextRef(), document, embedder)
    ;(document as unknown as { fonts: PDFFont[] }).fonts.push(font)
    return font
  }

  private subsetEmbedder(weight: FontWeight, codePoints: number[], key: string): SubsetEmbedder {
    const face = this.faces[weight]
    const bytes = face.subset(codePoints)
    const digest = sha256Hex(key)
    const subsetTag = [...digest.slice(0, 6)].map((digit) => String.fromCharCode(65 + (parseInt(digit, 16) % 26))).join('')
    const customName = `${subsetTag}+${face.postscriptName}`
    // harfbuzz numbers the retained glyphs in the order of their ids in the whole font,
    // .notdef first. Should the subset hold more glyphs than that (composite components),
    // fontkit reads the subset's own cmap instead.
    const oldIds = [...new Set([0, ...codePoints.map((codePoint) => face.glyphId(codePoint))])].sort((a, b) => a - b)
    const numGlyphs = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(tableOffset(bytes, 'maxp') + 4)
    let idOf: (codePoint: number) => number
    if (numGlyphs === oldIds.length) {
      const newIds = new Map(oldIds.map((id, index) => [id, index]))
      idOf = (codePoint) => newIds.get(face.glyphId(codePoint)) as number
    } else {
      const parsed = fontkit.create(bytes as Buffer)
      idOf = (codePoint) => parsed.glyphForCodePoint(codePoint).id
    }
    const codes = new Map<number, string>()
    const advances = new Map<number, number>()
    const byId = new Map<number, SubsetGlyph>()
    for (const codePoint of codePoints) {
      const id = idOf(codePoint)
      const advanceWidth = face.advance(codePoint)
      codes.set(codePoint, hex4(id))
      advances.set(codePoint, advanceWidth)
      // As fontkit's glyph cache: a glyph two code points share keeps the first (lowest) one.
      if (!byId.has(id)) byId.set(id, { id, advanceWidth, codePoints: [codePoint] })
    }
    const glyphs = [...byId.values()].sort((a, b) => a.id - b.id)
    return new SubsetEmbedder(face.metrics, bytes, customName, glyphs, codes, advances)
  }

  /** The width of `text` at `size` points, as the embedded subset will draw it. */
  widthOf(weight: FontWeight, text: string, size: number): number {
    const face = this.faces[weight]
    let units = 0
    for (const character of text) units += face.advance(character.codePointAt(0) as number)
    return (units * size) / face.unitsPerEm
  }
}
