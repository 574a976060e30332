import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, rgb, type PDFPage } from 'pdf-lib'
import { AppError } from '../util/app-error'
import { FontLibrary, type FontWeight } from './fonts'
import { colourOf, drawFields, drawFrame, drawParagraph, drawTextElement, drawWatermark, elementTexts, type Fonts } from './layout'
import { compressPageContents, useNativeDeflate } from './compression'
import { applyMetadata } from './metadata'
import { drawQrCode, verificationUrl } from './qr'
import { defaultResourcePaths, type DocumentResourcePaths } from './resources'
import { placeSeal, sealAppearanceText, type SealAppearance } from './seal-appearance'
import { addSealField } from './seal-fields'
import { fillPlaceholders, loadTemplate, TEMPLATE_FILES, type DocumentTemplate, type TemplateElement, type TemplateKind } from './template'
import type { DocumentRenderer, PhotoInput, SealInput } from './types'
import { passCertificateValues, querySlipValues, titleValues, vocationalValues, type DocumentValues, type TextSource } from './values'

export type DocumentRendererOptions = Partial<DocumentResourcePaths>

interface RenderJob {
  template: DocumentTemplate
  document: DocumentValues
  number: string
  issuer: string
  issuedOn: string
  seals: SealInput[]
  photo?: PhotoInput
  qrUrl?: string
  preview?: boolean
  sealFields?: boolean
}

function codeOf(character: string): string {
  return `U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`
}

/** Refuses, before anything is produced, a document holding a character the font lacks. */
function assertCoverage(fonts: FontLibrary, sources: TextSource[]): void {
  const details: Array<{ path: string; message: string }> = []
  for (const source of sources) {
    const missing = fonts.missingCharacters([source.text])
    if (missing.length === 0) continue
    const list = missing.map((character) => `“${character}”(${codeOf(character)})`).join('、')
    details.push({ path: source.path, message: `${source.where}中有字库缺少的字：${list}，无法生成证书` })
  }
  if (details.length > 0) throw new AppError('VALIDATION', details.map((detail) => detail.message).join('；'), details)
}

function sealFor(element: { slot: string; defaultPurpose: string }, seals: SealInput[]): SealAppearance | undefined {
  const seal = seals.find((candidate) => candidate.slot === element.slot)
  if (!seal) return undefined
  return {
    organisationName: seal.organisationName.normalize('NFC'),
    purpose: (seal.purpose ?? element.defaultPurpose).normalize('NFC'),
    png: seal.png,
  }
}

/** Every character each weight must hold for this document. */
function textsByWeight(job: RenderJob): Record<FontWeight, string> {
  const texts: Record<FontWeight, string[]> = { regular: [], bold: [] }
  for (const element of job.template.elements) {
    if (element.type === 'photo' && job.photo) continue
    for (const [weight, text] of elementTexts(element, job.document.values)) texts[weight].push(text)
    if (element.type === 'seal') {
      const seal = sealFor(element, job.seals)
      if (seal) texts.bold.push(sealAppearanceText(seal))
    }
  }
  if (job.preview) texts.bold.push(job.template.preview.text)
  return { regular: texts.regular.join(''), bold: texts.bold.join('') }
}

async function drawElement(page: PDFPage, element: TemplateElement, job: RenderJob, fonts: Fonts): Promise<void> {
  const values = job.document.values
  switch (element.type) {
    case 'frame':
      return drawFrame(page, element, job.template)
    case 'rect':
      page.drawRectangle({
        x: element.x,
        y: element.y,
        width: element.width,
        height: element.height,
        color: element.fill ? colourOf(element.fill) : undefined,
        opacity: element.fillOpacity,
        borderColor: element.borderColour ? colourOf(element.borderColour) : undefined,
        borderWidth: element.borderWidth,
      })
      return
    case 'line':
      page.drawLine({
        start: { x: element.from[0], y: element.from[1] },
        end: { x: element.to[0], y: element.to[1] },
        thickness: element.width,
        color: colourOf(element.colour),
        dashArray: element.dash,
      })
      return
    case 'text':
      return drawTextElement(page, element, values, fonts)
    case 'fields':
      return drawFields(page, element, values, fonts)
    case 'paragraph':
      return drawParagraph(page, element, values, fonts)
    case 'photo':
      return drawPhoto(page, element, job.photo, fonts)
    case 'qr':
      if (!job.qrUrl) throw new Error('this template has a QR code but the document has no verification URL')
      return drawQrCode(page, job.qrUrl, {
        x: element.x,
        y: element.y,
        size: element.size,
        quietZone: element.quietZone,
        colour: hexToTuple(element.colour),
      })
    case 'seal': {
      const seal = sealFor(element, job.seals)
      if (!seal) return
      const at = { cx: element.cx, cy: element.cy, diameter: element.diameter }
      if (job.sealFields) await addSealField(page, element.slot, at, seal, fonts.bold)
      else await placeSeal(page, at, seal, fonts.bold)
      return
    }
  }
}

function hexToTuple(hex: string): [number, number, number] {
  const colour = colourOf(hex)
  return [colour.red, colour.green, colour.blue]
}

async function drawPhoto(
  page: PDFPage,
  frame: Extract<TemplateElement, { type: 'photo' }>,
  photo: PhotoInput | undefined,
  fonts: Fonts,
): Promise<void> {
  if (photo) {
    const image = photo.type === 'jpeg' ? await page.doc.embedJpg(photo.bytes) : await page.doc.embedPng(photo.bytes)
    // Fit inside the frame, centred: an ID-card photo is never cropped.
    const scale = Math.min(frame.width / image.width, frame.height / image.height)
    const width = image.width * scale
    const height = image.height * scale
    page.drawImage(image, { x: frame.x + (frame.width - width) / 2, y: frame.y + (frame.height - height) / 2, width, height })
  } else if (fonts.regular) {
    const size = 12
    const width = fonts.regular.widthOfTextAtSize(frame.placeholder, size)
    page.drawText(frame.placeholder, {
      x: frame.x + (frame.width - width) / 2,
      y: frame.y + frame.height / 2 - size * 0.38,
      size,
      font: fonts.regular,
      color: rgb(0.6, 0.6, 0.6),
    })
  }
  page.drawRectangle({
    x: frame.x,
    y: frame.y,
    width: frame.width,
    height: frame.height,
    borderColor: colourOf(frame.borderColour),
    borderWidth: frame.borderWidth,
  })
}

/** Noon in Shanghai on the issue date: a fixed creation date, so the same input gives the same file. */
function issueDate(issuedOn: string): Date {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(issuedOn) ? new Date(`${issuedOn}T12:00:00+08:00`) : new Date(Number.NaN)
  if (Number.isNaN(parsed.getTime())) throw new AppError('VALIDATION', `发证日期“${issuedOn}”不是有效的日期（应为 YYYY-MM-DD）`)
  return parsed
}

/**
 * The document engine. Fonts and templates load once (per process or worker thread); each
 * document then costs a harfbuzz subset of its own characters plus pdf-lib's layout and save.
 */
export function createDocumentRenderer(options: DocumentRendererOptions = {}): DocumentRenderer {
  const paths = defaultResourcePaths(options)
  const fonts = new FontLibrary(paths)
  const templates = Object.fromEntries(
    (Object.keys(TEMPLATE_FILES) as TemplateKind[]).map((kind) => [kind, loadTemplate(paths.templatesDir, kind)]),
  ) as Record<TemplateKind, DocumentTemplate>

  async function render(job: RenderJob): Promise<Uint8Array> {
    assertCoverage(fonts, job.document.sources)
    const createdAt = issueDate(job.issuedOn)
    const texts = textsByWeight(job)
    const missing = fonts.missingCharacters([texts.regular, texts.bold])
    if (missing.length > 0) throw new Error(`document template ${job.template.name} uses characters the font lacks: ${missing.join('')}`)
    const document = await PDFDocument.create({ updateMetadata: false })
    document.registerFontkit(fontkit)
    useNativeDeflate(document)
    const embedded: Fonts = {}
    for (const weight of ['regular', 'bold'] as const)
      if (texts[weight]) embedded[weight] = await fonts.embed(document, weight, texts[weight])
    const page = document.addPage([job.template.page.width, job.template.page.height])
    for (const element of job.template.elements) await drawElement(page, element, job, embedded)
    if (job.preview && embedded.bold) drawWatermark(page, job.template, embedded.bold)
    const values = job.document.values
    applyMetadata(document, {
      title: fillPlaceholders(job.template.metadata.title, values),
      subject: fillPlaceholders(job.template.metadata.subject, values),
      author: job.issuer,
      keywords: [job.number, ...job.template.metadata.keywords.map((keyword) => fillPlaceholders(keyword, values))],
      certificateNumber: job.number,
      createdAt,
    })
    compressPageContents(document)
    // A classic xref table: the sealing step appends incremental updates to it.
    return document.save({ useObjectStreams: false })
  }

  return {
    missingCharacters: (texts) => fonts.missingCharacters(texts),
    renderTitleCertificate: (input) =>
      render({
        ...input,
        template: templates.title,
        document: titleValues(input),
        qrUrl: verificationUrl(input.verifyBaseUrl, input.number, input.fields),
      }),
    renderVocationalCertificate: (input) =>
      render({
        ...input,
        template: templates.vocational,
        document: vocationalValues(input),
        qrUrl: verificationUrl(input.verifyBaseUrl, input.number, input.fields),
      }),
    renderQuerySlip: (input) => render({ ...input, template: templates.querySlip, document: querySlipValues(input) }),
    renderPassCertificate: (input) => render({ ...input, template: templates.passCertificate, document: passCertificateValues(input) }),
  }
}
