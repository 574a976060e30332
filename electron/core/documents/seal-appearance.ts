import {
  degrees,
  popGraphicsState,
  pushGraphicsState,
  setGraphicsState,
  rgb,
  setCharacterSqueeze,
  type PDFFont,
  type PDFPage,
  type RGB,
} from 'pdf-lib'

/** The purpose line of the seals on these certificates (clause 3 of the notice). */
export const DEFAULT_SEAL_PURPOSE = '专业技术资格证书专用章'

/** Official seal red. */
export const SEAL_RED: RGB = rgb(0.84, 0.06, 0.08)

export interface SealPlacement {
  /** Centre of the seal on the page, and its diameter, in points. */
  cx: number
  cy: number
  diameter: number
}

export interface SealAppearance {
  organisationName: string
  /** Drawn in a straight line under the star; empty for a plain office stamp. */
  purpose: string
  /** An uploaded appearance (PNG with transparency): placed as is instead of drawing. */
  png?: Uint8Array
}

/** The text a drawn seal needs from the font, so the caller can include it in the subset. */
export function sealAppearanceText(seal: SealAppearance): string {
  return seal.png ? '' : `${seal.organisationName}${seal.purpose}`
}

// Seal characters are narrow, as on a carved seal.
const ARC_SQUEEZE = 0.82
// The visual middle of a CJK glyph sits about 0.38 em above its baseline.
const GLYPH_MIDDLE = 0.38

/**
 * Draws the red round official seal with vector graphics: the outer ring, the organisation's
 * name along the upper arc with each character turned to follow it, a five-pointed star in the
 * centre and the purpose in a straight line below. `font` must hold the seal's characters.
 */
export function drawSealAppearance(
  page: PDFPage,
  at: SealPlacement,
  seal: SealAppearance,
  font: PDFFont,
  options: { colour?: RGB; opacity?: number } = {},
): void {
  const colour = options.colour ?? SEAL_RED
  const radius = at.diameter / 2
  const ring = at.diameter * 0.036
  // One graphics state for the whole seal: ink multiplies with what is under it, as a stamp
  // does, so the issuer's name and date stay legible through the red.
  const state = page.node.newExtGState(
    'GS',
    page.doc.context.obj({ Type: 'ExtGState', BM: 'Multiply', ca: options.opacity ?? 0.92, CA: options.opacity ?? 0.92 }),
  )
  page.pushOperators(pushGraphicsState(), setGraphicsState(state))
  page.drawCircle({ x: at.cx, y: at.cy, size: radius - ring / 2, borderWidth: ring, borderColor: colour })
  drawStar(page, at.cx, at.cy, at.diameter * 0.17, colour)
  drawArcText(page, at, seal.organisationName, font, ring, colour)
  if (seal.purpose) {
    const characters = [...seal.purpose].length
    const size = Math.min(at.diameter * 0.085, (at.diameter * 0.62) / (characters * ARC_SQUEEZE))
    const width = font.widthOfTextAtSize(seal.purpose, size) * ARC_SQUEEZE
    page.pushOperators(pushGraphicsState(), setCharacterSqueeze(ARC_SQUEEZE * 100))
    page.drawText(seal.purpose, { x: at.cx - width / 2, y: at.cy - at.diameter * 0.3, size, font, color: colour })
    page.pushOperators(popGraphicsState())
  }
  page.pushOperators(popGraphicsState())
}

function drawArcText(page: PDFPage, at: SealPlacement, text: string, font: PDFFont, ring: number, colour: RGB): void {
  const characters = [...text]
  if (characters.length === 0) return
  const radius = at.diameter / 2
  // Names spread over 150°–220° of the upper arc, as on carved seals: short names are spaced
  // out, long ones get smaller characters rather than running down the sides.
  const minSpan = (150 * Math.PI) / 180
  const maxSpan = (220 * Math.PI) / 180
  const radiusFor = (size: number) => radius - ring - at.diameter * 0.045 - size * 0.5
  let size = at.diameter * 0.118
  const gaps = Math.max(characters.length - 1, 1)
  for (let pass = 0; pass < 4 && (gaps * size * ARC_SQUEEZE * 1.2) / radiusFor(size) > maxSpan; pass++) {
    size = (maxSpan * radiusFor(size)) / (gaps * ARC_SQUEEZE * 1.2)
  }
  const textRadius = radiusFor(size)
  const span = characters.length === 1 ? 0 : Math.min(maxSpan, Math.max(minSpan, (gaps * size * ARC_SQUEEZE * 1.2) / textRadius))
  const step = span / gaps
  const start = Math.PI / 2 + span / 2
  page.pushOperators(pushGraphicsState(), setCharacterSqueeze(ARC_SQUEEZE * 100))
  characters.forEach((character, index) => {
    const angle = start - index * step
    const rotation = angle - Math.PI / 2
    const centreX = at.cx + textRadius * Math.cos(angle)
    const centreY = at.cy + textRadius * Math.sin(angle)
    const halfWidth = (font.widthOfTextAtSize(character, size) * ARC_SQUEEZE) / 2
    const lift = size * GLYPH_MIDDLE
    // The glyph's origin, found by turning (−halfWidth, −lift) by the rotation around its centre.
    const x = centreX - halfWidth * Math.cos(rotation) + lift * Math.sin(rotation)
    const y = centreY - halfWidth * Math.sin(rotation) - lift * Math.cos(rotation)
    page.drawText(character, { x, y, size, font, color: colour, rotate: degrees((rotation * 180) / Math.PI) })
  })
  page.pushOperators(popGraphicsState())
}

function drawStar(page: PDFPage, cx: number, cy: number, outer: number, colour: RGB): void {
  const inner = outer * 0.382
  const commands: string[] = []
  for (let point = 0; point < 10; point++) {
    const radius = point % 2 === 0 ? outer : inner
    const angle = Math.PI / 2 + (point * Math.PI) / 5
    // SVG y grows downwards.
    commands.push(`${point === 0 ? 'M' : 'L'}${(radius * Math.cos(angle)).toFixed(3)} ${(-radius * Math.sin(angle)).toFixed(3)}`)
  }
  page.drawSvgPath(`${commands.join('')}Z`, { x: cx, y: cy, color: colour, borderWidth: 0 })
}

/** Places a seal at its slot: the uploaded PNG when there is one, else the drawn appearance. */
export async function placeSeal(page: PDFPage, at: SealPlacement, seal: SealAppearance, font: PDFFont | undefined): Promise<void> {
  if (seal.png) {
    const image = await page.doc.embedPng(seal.png)
    const scale = Math.min(at.diameter / image.width, at.diameter / image.height)
    const width = image.width * scale
    const height = image.height * scale
    page.drawImage(image, { x: at.cx - width / 2, y: at.cy - height / 2, width, height })
    return
  }
  if (!font) throw new Error('a drawn seal needs a font holding its characters')
  drawSealAppearance(page, at, seal, font)
}
