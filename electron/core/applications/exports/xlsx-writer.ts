import { crc32, createDeflateRaw } from 'node:zlib'
import { centralHeader, endOfCentralDirectory, localHeader, type ZipEntryRecord } from '../../util/zip-records'

/**
 * A minimal XLSX writer for one large sheet of text (the error workbook of a 100,000-row batch):
 * the sheet's XML is deflated as it is written, so memory holds only the compressed file, and
 * it is several times faster than exceljs's streaming writer for this one job. Cells are inline
 * strings or numbers; never formulas.
 */

/** The few cell styles the error workbook uses (indexes into cellXfs below). */
export const STYLE = { plain: 0, header: 1, errorHeader: 2, errorText: 3, text: 4, faultyCell: 5 } as const
export type StyleIndex = (typeof STYLE)[keyof typeof STYLE]

export interface SheetCell {
  value: string | number
  style?: StyleIndex
}

export interface SheetSpec {
  name: string
  /** Column widths in characters, A onwards. */
  widths: number[]
  /** Rows, the first being the header (frozen with the first column). */
  rows: Iterable<Array<SheetCell | null>>
}

const STYLES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<fonts count="3"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font>' +
  '<font><sz val="11"/><color rgb="FF9C0006"/><name val="等线"/></font></fonts>' +
  '<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>' +
  '<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/></patternFill></fill>' +
  '<fill><patternFill patternType="solid"><fgColor rgb="FFFF9999"/></patternFill></fill>' +
  '<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/></patternFill></fill></fills>' +
  '<borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border></borders>' +
  '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="6">' +
  '<xf/>' +
  '<xf fontId="1" fillId="2" borderId="1" applyFont="1" applyFill="1" applyBorder="1"/>' +
  '<xf fontId="1" fillId="3" borderId="1" applyFont="1" applyFill="1" applyBorder="1"/>' +
  '<xf numFmtId="49" fontId="2" fillId="4" applyNumberFormat="1" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>' +
  '<xf numFmtId="49" applyNumberFormat="1"/>' +
  '<xf numFmtId="49" fillId="4" applyNumberFormat="1" applyFill="1"/>' +
  '</cellXfs></styleSheet>'

// Characters XML 1.0 cannot carry; Excel's own escape keeps them readable.
// eslint-disable-next-line no-control-regex -- these are exactly the characters to escape
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(INVALID_XML, (character) => `_x${character.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}_`)
}

function columnLetters(index: number): string {
  let letters = ''
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters
  return letters
}

function cellXml(cell: SheetCell, ref: string): string {
  const style = cell.style ? ` s="${cell.style}"` : ''
  if (typeof cell.value === 'number') return `<c r="${ref}"${style}><v>${cell.value}</v></c>`
  return `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${escapeXml(cell.value)}</t></is></c>`
}

function* sheetXml(spec: SheetSpec): Generator<string> {
  const cols = spec.widths.map((width, index) => `<col min="${index + 1}" max="${index + 1}" width="${width}" customWidth="1"/>`).join('')
  yield (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<sheetViews><sheetView workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/></sheetView></sheetViews>' +
    `<cols>${cols}</cols><sheetData>`
  )
  const letters = spec.widths.map((_, index) => columnLetters(index))
  let rowNumber = 0
  let batch = ''
  for (const row of spec.rows) {
    rowNumber += 1
    let xml = `<row r="${rowNumber}">`
    row.forEach((cell, index) => {
      if (cell && cell.value !== '') xml += cellXml(cell, `${letters[index] ?? columnLetters(index)}${rowNumber}`)
    })
    batch += `${xml}</row>`
    if (batch.length > 256 * 1024) {
      yield batch
      batch = ''
    }
  }
  yield `${batch}</sheetData></worksheet>`
}

/** Writes the workbook (one sheet) and returns its bytes. */
export async function writeSheetXlsx(spec: SheetSpec, creator = 'CertDesk'): Promise<Buffer> {
  const parts: Array<[string, Iterable<string>]> = [
    [
      '[Content_Types].xml',
      [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
      ],
    ],
    [
      '_rels/.rels',
      [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
      ],
    ],
    [
      'docProps/core.xml',
      [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
          `<dc:creator>${escapeXml(creator)}</dc:creator><cp:lastModifiedBy>${escapeXml(creator)}</cp:lastModifiedBy></cp:coreProperties>`,
      ],
    ],
    [
      'xl/workbook.xml',
      [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
          `<sheets><sheet name="${escapeXml(spec.name)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ],
    ],
    [
      'xl/_rels/workbook.xml.rels',
      [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
      ],
    ],
    ['xl/styles.xml', [STYLES_XML]],
    ['xl/worksheets/sheet1.xml', sheetXml(spec)],
  ]
  const chunks: Buffer[] = []
  const entries: ZipEntryRecord[] = []
  let offset = 0
  const push = (bytes: Buffer) => {
    chunks.push(bytes)
    offset += bytes.length
  }
  for (const [name, texts] of parts) {
    const entry = await deflateEntry(Buffer.from(name, 'utf8'), texts, offset)
    push(localHeader(entry))
    for (const chunk of entry.data) push(chunk)
    entries.push(entry)
  }
  const centralStart = offset
  for (const entry of entries) push(centralHeader(entry))
  push(endOfCentralDirectory(entries.length, offset - centralStart, centralStart))
  return Buffer.concat(chunks)
}

// UTF-8 names, deflated.
async function deflateEntry(name: Buffer, texts: Iterable<string>, offset: number): Promise<ZipEntryRecord & { data: Buffer[] }> {
  const deflate = createDeflateRaw({ level: 6 })
  const data: Buffer[] = []
  let compressed = 0
  deflate.on('data', (chunk: Buffer) => {
    data.push(chunk)
    compressed += chunk.length
  })
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve)
    deflate.on('error', reject)
  })
  let crc = 0
  let size = 0
  for (const text of texts) {
    const bytes = Buffer.from(text, 'utf8')
    crc = crc32(bytes, crc)
    size += bytes.length
    if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await done
  return { name, flags: 0x0800, method: 8, crc, compressedSize: compressed, size, offset, data }
}
