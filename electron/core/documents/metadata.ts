import { PDFName, type PDFDocument } from 'pdf-lib'
import { shanghaiIso } from '../util/shanghai-time'

export interface DocumentMetadata {
  title: string
  subject: string
  author: string
  keywords: string[]
  certificateNumber: string
  /** Fixed from the data (the issue date), so identical input gives identical bytes. */
  createdAt: Date
}

export const CREATOR = 'CertDesk'
export const PRODUCER = 'CertDesk document engine (pdf-lib, harfbuzz)'

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** ISO 8601 in China Standard Time, as XMP writes dates. */
function xmpDate(date: Date): string {
  return `${shanghaiIso(date).slice(0, 19)}+08:00`
}

/**
 * The XMP packet: Dublin Core title/creator/description, pdf:Keywords and pdf:Producer,
 * xmp:CreateDate/ModifyDate/CreatorTool, and certdesk:certificateNumber.
 */
export function xmpPacket(metadata: DocumentMetadata): string {
  const date = xmpDate(metadata.createdAt)
  const lang = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt>`
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ' xmlns:certdesk="https://certdesk.invalid/ns/document/1.0/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${lang(metadata.title)}</dc:title>`,
    `<dc:creator><rdf:Seq><rdf:li>${escapeXml(metadata.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `<dc:description>${lang(metadata.subject)}</dc:description>`,
    `<pdf:Keywords>${escapeXml(metadata.keywords.join('; '))}</pdf:Keywords>`,
    `<pdf:Producer>${escapeXml(PRODUCER)}</pdf:Producer>`,
    `<xmp:CreatorTool>${CREATOR}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `<certdesk:certificateNumber>${escapeXml(metadata.certificateNumber)}</certdesk:certificateNumber>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n')
}

/** Writes the info dictionary and attaches the XMP stream (uncompressed, as PDF/A asks) to the catalog. */
export function applyMetadata(document: PDFDocument, metadata: DocumentMetadata): void {
  document.setTitle(metadata.title, { showInWindowTitleBar: true })
  document.setSubject(metadata.subject)
  document.setAuthor(metadata.author)
  document.setKeywords(metadata.keywords)
  document.setCreator(CREATOR)
  document.setProducer(PRODUCER)
  document.setLanguage('zh-CN')
  document.setCreationDate(metadata.createdAt)
  document.setModificationDate(metadata.createdAt)
  const stream = document.context.stream(new TextEncoder().encode(xmpPacket(metadata)), { Type: 'Metadata', Subtype: 'XML' })
  document.catalog.set(PDFName.of('Metadata'), document.context.register(stream))
}
