import {
  PDFArray,
  PDFContentStream,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFPage,
  PDFRef,
  PDFString,
  type PDFDocument,
  type PDFFont,
} from 'pdf-lib'
import { placeSeal, type SealAppearance, type SealPlacement } from './seal-appearance'
import type { SealSlot } from './types'

/** The AcroForm name of the signature field at a seal slot: what the sealing step signs. */
export function sealFieldName(slot: SealSlot): string {
  return `seal_${slot}`
}

// Annotation flags (PDF 32000-1, 12.5.3): an unsigned seal is hidden; signing makes it print.
export const ANNOTATION_HIDDEN = 2
export const ANNOTATION_PRINT = 4

/**
 * Draws the seal into a Form XObject of this document, `diameter` points square. A page that
 * never joins the page tree is the drawing surface, so the seal uses the document's own font
 * subset and images; its content stream becomes the XObject and the page itself is dropped.
 */
async function sealAppearanceXObject(
  document: PDFDocument,
  seal: SealAppearance,
  diameter: number,
  font: PDFFont | undefined,
): Promise<PDFRef> {
  const surface = PDFPage.create(document)
  await placeSeal(surface, { cx: diameter / 2, cy: diameter / 2, diameter }, seal, font)
  const contents = surface.node.Contents()
  const refs = contents instanceof PDFArray ? contents.asArray() : [contents]
  if (refs.length !== 1 || !(refs[0] instanceof PDFRef)) throw new Error('the seal surface should have exactly one content stream')
  const stream = document.context.lookup(refs[0])
  if (!(stream instanceof PDFContentStream)) throw new Error('the seal surface content is not a content stream')
  stream.dict.set(PDFName.of('Type'), PDFName.of('XObject'))
  stream.dict.set(PDFName.of('Subtype'), PDFName.of('Form'))
  stream.dict.set(PDFName.of('BBox'), document.context.obj([0, 0, diameter, diameter]))
  stream.dict.set(PDFName.of('Resources'), surface.node.Resources()!)
  document.context.delete(surface.ref)
  return refs[0]
}

function acroFormOf(document: PDFDocument): PDFDict {
  const existing = document.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)
  if (existing) return existing
  // SigFlags 3: signatures exist, and the file may only be appended to (never rewritten).
  const form = document.context.obj({ Fields: [], SigFlags: 3 })
  document.catalog.set(PDFName.of('AcroForm'), document.context.register(form))
  return form
}

/**
 * Puts an unsigned signature field at a seal slot, its widget carrying the seal's appearance
 * but hidden: the sealing step signs the field and un-hides the widget in the same incremental
 * update, so a seal is visible exactly when its signature is in the file.
 */
export async function addSealField(
  page: PDFPage,
  slot: SealSlot,
  at: SealPlacement,
  seal: SealAppearance,
  font: PDFFont | undefined,
): Promise<void> {
  const document = page.doc
  const appearance = await sealAppearanceXObject(document, seal, at.diameter, font)
  const half = at.diameter / 2
  const widget = document.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFString.of(sealFieldName(slot)),
    TU: PDFHexString.fromText(`${seal.organisationName}电子印章`),
    Rect: [at.cx - half, at.cy - half, at.cx + half, at.cy + half].map((value) => PDFNumber.of(Math.round(value * 100) / 100)),
    F: ANNOTATION_HIDDEN,
    P: page.ref,
    AP: { N: appearance },
  })
  const widgetRef = document.context.register(widget)
  page.node.addAnnot(widgetRef)
  acroFormOf(document).lookup(PDFName.of('Fields'), PDFArray).push(widgetRef)
}
