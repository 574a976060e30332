import { stat } from 'node:fs/promises'
import { basename, posix } from 'node:path'
import { TextDecoder } from 'node:util'
import { SaxesParser } from 'saxes'
import { MAX_BATCH_ROWS } from '../../../contract/application-format'
import { AppError } from '../../util/app-error'
import type { CellValue, SheetRow } from '../types'
import { sniffFile } from './sniff'
import { ZipArchive, ZipError, type ZipLimits } from './zip'

/**
 * Reads the first worksheet of an .xlsx as a stream of rows, safe against hostile files: every
 * refusal is a WorkbookError naming what the file really is and what to do, memory is bounded
 * (only the shared strings are held, never the sheet) and so is time (byte caps on every part).
 * Nothing is evaluated: formulas come back as formulas with their cached result.
 */

export interface WorkbookLimits extends ZipLimits {
  maxFileBytes: number
  /** Most inflated bytes of a small part: [Content_Types].xml, the workbook, relationships, styles. */
  maxPartBytes: number
  /** Highest Excel row number that may hold anything (header + data rows). */
  maxRows: number
  /** Most columns that may hold anything (column A is 1). */
  maxColumns: number
  maxSharedStrings: number
  /** Most characters across all shared strings: they are the one thing held in memory. */
  maxSharedStringChars: number
  /** Most characters in one cell (Excel's own limit). */
  maxCellChars: number
}

const MIB = 1024 * 1024

/**
 * A real 100,000-row workbook with the 12 template columns is about 50 MB of sheet XML with
 * shared strings and 100–150 MB with inline strings; 256 MiB leaves room for that and for
 * clutter, and reading that much junk still takes only a few seconds. Real sheet XML compresses
 * 10–20:1, so a declared ratio above 200:1 is a bomb.
 */
export const DEFAULT_WORKBOOK_LIMITS: Readonly<WorkbookLimits> = Object.freeze({
  maxFileBytes: 512 * MIB,
  maxEntries: 10_000,
  maxEntryBytes: 256 * MIB,
  maxPartBytes: 64 * MIB,
  maxTotalBytes: 512 * MIB,
  maxCompressionRatio: 200,
  ratioExemptBytes: MIB,
  maxRows: MAX_BATCH_ROWS + 1,
  maxColumns: 64,
  maxSharedStrings: 2_000_000,
  maxSharedStringChars: 32 * MIB,
  maxCellChars: 32_767,
})

/** Why a workbook was refused. */
export type WorkbookRefusal =
  | 'empty'
  | 'not_xlsx'
  | 'csv'
  | 'legacy_or_encrypted'
  | 'macro'
  | 'zip_bomb'
  | 'too_large'
  | 'malformed'
  | 'no_sheet'
  | 'too_many_rows'
  | 'too_many_columns'
  | 'cell_too_long'

/** A refused workbook; the message names the file and what to do, never a cell's content. */
export class WorkbookError extends AppError {
  constructor(
    readonly reason: WorkbookRefusal,
    message: string,
  ) {
    super('VALIDATION', message)
    this.name = 'WorkbookError'
  }
}

/**
 * The non-empty rows of the first worksheet, in order. Refuses the whole file with a
 * WorkbookError before the first row or while streaming; stopping early closes the file.
 */
export async function* readFirstSheet(file: string, limits: Partial<WorkbookLimits> = {}): AsyncGenerator<SheetRow, void, undefined> {
  const bounds: WorkbookLimits = { ...DEFAULT_WORKBOOK_LIMITS, ...limits }
  const name = basename(file)
  await checkFile(file, name, bounds)
  let zip: ZipArchive
  try {
    zip = await ZipArchive.open(file, bounds)
  } catch (error) {
    throw refusalOf(error, name, bounds)
  }
  let sheet: SheetVisitor | null = null
  try {
    const workbook = await readWorkbookParts(zip, name, bounds)
    sheet = new SheetVisitor(name, workbook, bounds)
    for await (const _chunk of parseXml(zip.read(workbook.sheetPart), sheet)) {
      if (sheet.rows.length === 0) continue
      const ready = sheet.rows
      sheet.rows = []
      yield* ready
    }
  } catch (error) {
    if (error instanceof MalformedPart && sheet) throw sheet.malformedHere()
    throw refusalOf(error, name, bounds)
  } finally {
    await zip.close()
  }
}

// ---------------------------------------------------------------------------------------------
// Refusals

const SAVE_AS = '请在 Excel 中打开该文件，另存为“Excel 工作簿 (*.xlsx)”后再导入。'

function refuse(reason: WorkbookRefusal, message: string): never {
  throw new WorkbookError(reason, message)
}

/** A structural fault found while parsing one part; worded by the caller, who knows the part. */
class MalformedPart extends Error {}

async function checkFile(file: string, name: string, limits: WorkbookLimits): Promise<void> {
  const info = await stat(file)
  if (!info.isFile()) refuse('not_xlsx', `${name} 不是文件。请选择要导入的 Excel 工作簿 (*.xlsx)。`)
  if (info.size > limits.maxFileBytes) {
    refuse(
      'too_large',
      `文件 ${name} 有 ${megabytes(info.size)} MB，超过了 ${megabytes(limits.maxFileBytes)} MB 的上限。请确认没有选错文件，或删除多余的工作表和图片后再导入。`,
    )
  }
  switch (await sniffFile(file)) {
    case 'zip':
      return
    case 'empty':
      return refuse('empty', `文件 ${name} 是空文件（0 字节），可能在复制或下载时出错。请重新获取名单文件后再导入。`)
    case 'ole2':
      return refuse(
        'legacy_or_encrypted',
        `文件 ${name} 是旧版的 Excel 97-2003 工作簿（.xls），或是设置了打开密码的加密工作簿，无法读取。` +
          `请在 Excel 中打开（如有密码，先在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除密码），另存为“Excel 工作簿 (*.xlsx)”后再导入。`,
      )
    case 'text':
      return refuse('csv', `文件 ${name} 实际是 CSV 文本文件，不是 Excel 工作簿。${SAVE_AS}`)
    case 'markup':
      return refuse('csv', `文件 ${name} 实际是网页或 XML 文本文件，不是 Excel 工作簿。${SAVE_AS}`)
    case 'other':
      return refuse('not_xlsx', `文件 ${name} 不是 Excel 工作簿（.xlsx）。${SAVE_AS}`)
  }
}

/** Words a ZipError for people; a WorkbookError or an unexpected error passes through. */
function refusalOf(error: unknown, name: string, limits: WorkbookLimits): unknown {
  if (!(error instanceof ZipError)) return error
  const bomb = `文件 ${name} 的内部结构异常（压缩数据的大小、压缩比或部件数量不正常），可能是恶意构造的“压缩炸弹”文件，已拒绝导入。${SAVE_AS}`
  const tooLarge = (bytes: number): string =>
    `文件 ${name} 解压后的内容超过 ${megabytes(bytes)} MB，远超一批制证名单应有的大小。请删除多余的内容或拆分成多个文件后再导入。`
  switch (error.problem) {
    case 'ratio':
    case 'size_mismatch':
    case 'too_many_entries':
      return new WorkbookError('zip_bomb', bomb)
    case 'entry_too_large':
      return new WorkbookError('too_large', tooLarge(limits.maxEntryBytes))
    case 'total_too_large':
      return new WorkbookError('too_large', tooLarge(limits.maxTotalBytes))
    case 'encrypted':
      return new WorkbookError('legacy_or_encrypted', `文件 ${name} 的内容经过加密，无法读取。${SAVE_AS}`)
    case 'corrupt':
    case 'unsupported':
    case 'duplicate_entry':
    case 'missing_entry':
      return new WorkbookError('malformed', `文件 ${name} 已损坏或不完整，无法读取。${SAVE_AS}`)
  }
}

function malformed(name: string, where: string): WorkbookError {
  return new WorkbookError('malformed', `文件 ${name} 已损坏，或不是由 Excel 正常保存的工作簿（${where}的内容格式有误）。${SAVE_AS}`)
}

function megabytes(bytes: number): string {
  return String(Math.round(bytes / MIB))
}

// ---------------------------------------------------------------------------------------------
// Bounded XML

interface XmlVisitor {
  /** `name` without its namespace prefix. */
  open(name: string, attributes: Record<string, string>): void
  close(name: string): void
  text(text: string): void
}

// Excel's parts nest about six deep; saxes keeps a stack, so a hostile nesting must be cut off.
const MAX_XML_DEPTH = 64
// saxes buffers a text node, comment or open tag until it ends: a cell (32,767 characters, each
// at most a ten-character character reference) or a long sqref list fits easily in this.
const MAX_XML_NODE_CHARS = 8 * MIB

/**
 * Feeds inflated chunks through saxes and yields after each one, so the caller can hand out
 * what the visitor collected. Throws MalformedPart for anything that is not well-formed UTF-8
 * or UTF-16 XML without a DOCTYPE; a visitor's WorkbookError passes through.
 */
async function* parseXml(chunks: AsyncIterable<Buffer>, visitor: XmlVisitor): AsyncGenerator<void, void, undefined> {
  const parser = new SaxesParser({ position: false, xmlns: false })
  let depth = 0
  let sawTag = false
  parser.on('opentag', (tag) => {
    sawTag = true
    if (++depth > MAX_XML_DEPTH) throw new MalformedPart('nested too deep')
    visitor.open(localName(tag.name), tag.attributes)
  })
  parser.on('closetag', (tag) => {
    sawTag = true
    depth -= 1
    visitor.close(localName(tag.name))
  })
  parser.on('text', (text) => visitor.text(text))
  parser.on('cdata', (text) => visitor.text(text))
  parser.on('doctype', () => {
    throw new MalformedPart('DOCTYPE')
  })
  let decoder: TextDecoder | null = null
  let pending = 0
  try {
    for await (const chunk of chunks) {
      decoder ??= new TextDecoder(encodingOf(chunk), { fatal: true })
      const text = decoder.decode(chunk, { stream: true })
      parser.write(text)
      pending = sawTag ? 0 : pending + text.length
      sawTag = false
      if (pending > MAX_XML_NODE_CHARS) throw new MalformedPart('node too long')
      yield
    }
    if (decoder) parser.write(decoder.decode())
    parser.close()
  } catch (error) {
    if (error instanceof WorkbookError || error instanceof MalformedPart || error instanceof ZipError) throw error
    // saxes' own errors and TextDecoder's TypeError for bytes that are not the declared encoding.
    throw new MalformedPart(error instanceof Error ? error.message : String(error))
  }
  yield
}

/** Excel writes UTF-8; the format also allows UTF-16 with a byte-order mark. */
function encodingOf(chunk: Buffer): string {
  if (chunk[0] === 0xff && chunk[1] === 0xfe) return 'utf-16le'
  if (chunk[0] === 0xfe && chunk[1] === 0xff) return 'utf-16be'
  return 'utf-8'
}

function localName(name: string): string {
  const colon = name.indexOf(':')
  return colon === -1 ? name : name.slice(colon + 1)
}

/** Reads a whole part through a visitor; a fault becomes a `malformed` refusal naming the part. */
async function readPart(zip: ZipArchive, part: string, maxBytes: number, visitor: XmlVisitor, name: string): Promise<void> {
  try {
    for await (const _chunk of parseXml(zip.read(part, maxBytes), visitor)) continue
  } catch (error) {
    if (error instanceof MalformedPart) throw malformed(name, `内部部件 ${part} `)
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// The package: content types, workbook, relationships, shared strings, styles

interface WorkbookParts {
  sheetPart: string
  sharedStrings: string[]
  /** Per cellXfs index: whether the style's number format shows a date. */
  dateStyles: boolean[]
  /** The 1904 date system (old Mac workbooks): serials count from 1904-01-01. */
  date1904: boolean
}

const MACRO_TYPE_MARKERS = ['macroenabled', 'vbaproject', 'macrosheet', 'ms-excel.sheet.binary', 'ms-excel.worksheet']
const WORKBOOK_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml',
]

async function readWorkbookParts(zip: ZipArchive, name: string, limits: WorkbookLimits): Promise<WorkbookParts> {
  const macro = `文件 ${name} 是启用宏的工作簿或二进制工作簿（由 .xlsm 或 .xlsb 改名而来），为安全起见不接受含宏的工作簿。请在 Excel 中另存为“Excel 工作簿 (*.xlsx)”（不含宏）后再导入。`
  if (zip.names().some(isMacroPartName)) refuse('macro', macro)
  if (!zip.has('[Content_Types].xml')) {
    const ods = zip.has('mimetype') && zip.has('content.xml')
    refuse(
      'not_xlsx',
      `文件 ${name} ${ods ? '是 WPS 或 LibreOffice 的 OpenDocument 表格（.ods）' : '是一个 ZIP 压缩包'}，不是 Excel 工作簿。${SAVE_AS}`,
    )
  }
  const contentTypes = new Map<string, string>()
  await readPart(zip, '[Content_Types].xml', limits.maxPartBytes, new ContentTypesVisitor(contentTypes, limits.maxEntries), name)
  if ([...contentTypes.values()].some((type) => MACRO_TYPE_MARKERS.some((marker) => type.includes(marker)))) refuse('macro', macro)
  const workbookPart = [...contentTypes].find(([, type]) => WORKBOOK_TYPES.includes(type))?.[0] ?? 'xl/workbook.xml'
  if (!zip.has(workbookPart)) refuse('not_xlsx', `文件 ${name} 不是 Excel 工作簿（其中没有工作簿内容）。${SAVE_AS}`)

  const workbook = { sheetIds: [] as string[], date1904: false }
  await readPart(zip, workbookPart, limits.maxPartBytes, new WorkbookVisitor(workbook, limits.maxEntries), name)
  const relationships = new Map<string, Relationship>()
  const relsPart = relationshipsPartOf(workbookPart)
  if (zip.has(relsPart)) {
    await readPart(
      zip,
      relsPart,
      limits.maxPartBytes,
      new RelationshipsVisitor(relationships, posix.dirname(workbookPart), limits.maxEntries),
      name,
    )
  }
  const related = (type: string): string | undefined => [...relationships.values()].find((each) => each.type === type)?.target
  // Without a usable workbook, Excel's own names are the best guess.
  const sheetPart = firstWorksheet(workbook.sheetIds, relationships) ?? related('worksheet') ?? 'xl/worksheets/sheet1.xml'
  if (!zip.has(sheetPart)) refuse('no_sheet', `文件 ${name} 中没有可读取的工作表。请确认名单在第一个工作表中，${SAVE_AS}`)

  const sharedStringsPart = related('sharedStrings') ?? 'xl/sharedStrings.xml'
  const sharedStrings: string[] = []
  if (zip.has(sharedStringsPart)) {
    await readPart(zip, sharedStringsPart, limits.maxEntryBytes, new SharedStringsVisitor(sharedStrings, name, limits), name)
  }
  const stylesPart = related('styles') ?? 'xl/styles.xml'
  const styles = new StylesVisitor()
  if (zip.has(stylesPart)) await readPart(zip, stylesPart, limits.maxPartBytes, styles, name)
  return { sheetPart, sharedStrings, dateStyles: styles.dateStyles(), date1904: workbook.date1904 }
}

function isMacroPartName(entryName: string): boolean {
  const lower = entryName.toLowerCase()
  return (
    lower.endsWith('vbaproject.bin') ||
    lower.startsWith('xl/macrosheets/') ||
    lower === 'xl/workbook.bin' ||
    (lower.startsWith('xl/worksheets/') && lower.endsWith('.bin'))
  )
}

/** A part name as stored in the ZIP: no leading slash; lookups ignore case. */
function partName(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name
}

class ContentTypesVisitor implements XmlVisitor {
  constructor(
    private readonly types: Map<string, string>,
    private readonly maxParts: number,
  ) {}

  open(name: string, attributes: Record<string, string>): void {
    if (this.types.size >= this.maxParts) throw new MalformedPart('too many content types')
    if (name === 'Override' && attributes.PartName && attributes.ContentType) {
      this.types.set(partName(attributes.PartName), attributes.ContentType.toLowerCase())
    } else if (name === 'Default' && attributes.Extension && attributes.ContentType) {
      this.types.set(`*.${attributes.Extension.toLowerCase()}`, attributes.ContentType.toLowerCase())
    }
  }
  close(): void {}
  text(): void {}
}

class WorkbookVisitor implements XmlVisitor {
  constructor(
    private readonly workbook: { sheetIds: string[]; date1904: boolean },
    private readonly maxSheets: number,
  ) {}

  open(name: string, attributes: Record<string, string>): void {
    if (name === 'workbookPr') {
      this.workbook.date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true'
    } else if (name === 'sheet') {
      if (this.workbook.sheetIds.length >= this.maxSheets) throw new MalformedPart('too many sheets')
      // The relationship id is `r:id` with whatever prefix the file bound to the namespace.
      const id = Object.keys(attributes).find((key) => key.endsWith(':id'))
      this.workbook.sheetIds.push(id ? attributes[id] : '')
    }
  }
  close(): void {}
  text(): void {}
}

interface Relationship {
  /** The last segment of the type URI (`worksheet`, `sharedStrings`…): transitional and strict alike. */
  type: string
  target: string
}

function relationshipsPartOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`)
}

class RelationshipsVisitor implements XmlVisitor {
  constructor(
    private readonly relationships: Map<string, Relationship>,
    private readonly baseDirectory: string,
    private readonly maxRelationships: number,
  ) {}

  open(name: string, attributes: Record<string, string>): void {
    if (name !== 'Relationship' || !attributes.Id || !attributes.Type || !attributes.Target) return
    if (attributes.TargetMode === 'External') return
    if (this.relationships.size >= this.maxRelationships) throw new MalformedPart('too many relationships')
    const target = resolveTarget(this.baseDirectory, attributes.Target)
    if (target) this.relationships.set(attributes.Id, { type: attributes.Type.slice(attributes.Type.lastIndexOf('/') + 1), target })
  }
  close(): void {}
  text(): void {}
}

/** A relationship target as a part name, or null when it points outside the package. */
function resolveTarget(baseDirectory: string, target: string): string | null {
  let decoded = target
  try {
    decoded = decodeURIComponent(target)
  } catch {
    // Not percent-encoded after all: use it as written.
  }
  const resolved = decoded.startsWith('/') ? posix.normalize(decoded.slice(1)) : posix.normalize(posix.join(baseDirectory, decoded))
  return resolved.startsWith('../') || resolved === '..' ? null : resolved
}

function firstWorksheet(sheetIds: string[], relationships: Map<string, Relationship>): string | undefined {
  for (const id of sheetIds) {
    const relationship = relationships.get(id)
    // Chart sheets and dialog sheets hold no cells: the first sheet with cells is the list.
    if (relationship?.type === 'worksheet') return relationship.target
  }
  return undefined
}

class SharedStringsVisitor implements XmlVisitor {
  private inItem = false
  private inPhonetic = false
  private inText = false
  private current = ''
  private totalChars = 0

  constructor(
    private readonly strings: string[],
    private readonly name: string,
    private readonly limits: WorkbookLimits,
  ) {}

  open(name: string): void {
    if (name === 'si') {
      this.inItem = true
      this.current = ''
    } else if (name === 'rPh') {
      this.inPhonetic = true
    } else if (name === 't' && this.inItem && !this.inPhonetic) {
      this.inText = true
    }
  }

  close(name: string): void {
    if (name === 't') {
      this.inText = false
    } else if (name === 'rPh') {
      this.inPhonetic = false
    } else if (name === 'si') {
      this.inItem = false
      if (this.strings.length >= this.limits.maxSharedStrings) this.tooMany()
      this.strings.push(unescapeOoxml(this.current))
      this.current = ''
    }
  }

  text(text: string): void {
    if (!this.inText) return
    this.totalChars += text.length
    if (this.totalChars > this.limits.maxSharedStringChars) this.tooMany()
    this.current += text
  }

  private tooMany(): never {
    refuse(
      'too_large',
      `文件 ${this.name} 中的文字内容过多，远超一批制证名单应有的大小。请删除多余的工作表或内容，或拆分成多个文件后再导入。`,
    )
  }
}

/** Excel writes characters XML cannot hold (such as a carriage return) as `_xHHHH_`. */
function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

// Excel's built-in number formats that show a date or time.
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
])
// Excel caps cellXfs at 64,000 and custom formats at a few hundred.
const MAX_STYLES = 65_536

class StylesVisitor implements XmlVisitor {
  private readonly customDateFormats = new Map<number, boolean>()
  private readonly cellFormats: number[] = []
  private inNumFmts = false
  private inCellXfs = false

  open(name: string, attributes: Record<string, string>): void {
    if (name === 'numFmts') {
      this.inNumFmts = true
    } else if (name === 'numFmt' && this.inNumFmts) {
      if (this.customDateFormats.size >= MAX_STYLES) throw new MalformedPart('too many number formats')
      this.customDateFormats.set(Number(attributes.numFmtId), isDateFormatCode(attributes.formatCode ?? ''))
    } else if (name === 'cellXfs') {
      this.inCellXfs = true
    } else if (name === 'xf' && this.inCellXfs) {
      if (this.cellFormats.length >= MAX_STYLES) throw new MalformedPart('too many cell formats')
      this.cellFormats.push(Number(attributes.numFmtId ?? 0))
    }
  }

  close(name: string): void {
    if (name === 'numFmts') this.inNumFmts = false
    else if (name === 'cellXfs') this.inCellXfs = false
  }

  text(): void {}

  dateStyles(): boolean[] {
    return this.cellFormats.map((id) => this.customDateFormats.get(id) ?? BUILT_IN_DATE_FORMATS.has(id))
  }
}

/** Whether a custom number format shows a date or time: y, m, d, h or s outside quotes, brackets and escapes. */
export function isDateFormatCode(code: string): boolean {
  for (let index = 0; index < code.length; index += 1) {
    const character = code[index]
    if (character === '"') {
      index = code.indexOf('"', index + 1)
      if (index === -1) return false
    } else if (character === '[') {
      index = code.indexOf(']', index + 1)
      if (index === -1) return false
    } else if (character === '\\' || character === '_' || character === '*') {
      // An escaped character, a space the width of the next one, or a fill: the next one is literal.
      index += 1
    } else if ('yYmMdDhHsS'.includes(character)) {
      return true
    }
  }
  return false
}

// ---------------------------------------------------------------------------------------------
// The worksheet

const MAX_EXCEL_ROW = 1_048_576
const MAX_EXCEL_COLUMN = 16_384
// Days between Excel's 1900 and 1904 date systems.
const DATE_1904_OFFSET = 1462
// Shared formulas are referred to by index; more distinct ones than this keep an empty text.
const MAX_SHARED_FORMULAS = 10_000
const DAY_MS = 86_400_000

/** Which element's text is being collected. */
type Capture = 'none' | 'value' | 'formula' | 'inline'

/** Collects the non-empty rows of `<sheetData>`; everything outside it is parsed and dropped. */
class SheetVisitor implements XmlVisitor {
  /** Rows completed since the caller last took them. */
  rows: SheetRow[] = []

  private inSheetData = false
  private inRow = false
  private rowNumber = 0
  private cells: Array<CellValue | undefined> | null = null
  /** Whether the row has a cell that is not blank; spaces alone do not count. */
  private rowHasContent = false
  private lastColumn = -1

  private inCell = false
  private column = 0
  private type = 'n'
  private style = 0
  private value: string | null = null
  private formula: string | null = null
  private sharedFormula: string | null = null
  private inline: string | null = null
  private inInline = false
  private inPhonetic = false
  private capture: Capture = 'none'
  private captured = ''
  private readonly sharedFormulas = new Map<string, string>()

  constructor(
    private readonly name: string,
    private readonly workbook: WorkbookParts,
    private readonly limits: WorkbookLimits,
  ) {}

  open(name: string, attributes: Record<string, string>): void {
    if (!this.inSheetData) {
      if (name === 'sheetData') this.inSheetData = true
      return
    }
    if (this.inCell) return this.openInCell(name, attributes)
    if (name === 'row') return this.openRow(attributes.r)
    if (name === 'c') return this.openCell(attributes)
  }

  close(name: string): void {
    if (!this.inSheetData) return
    if (this.inCell) {
      if (name === 'c') this.closeCell()
      else this.closeInCell(name)
    } else if (name === 'row') {
      this.closeRow()
    } else if (name === 'sheetData') {
      this.inSheetData = false
    }
  }

  text(text: string): void {
    if (this.capture !== 'none') this.captured += text
  }

  private openRow(reference: string | undefined): void {
    if (this.inRow) this.malformed('row inside row')
    const number = reference === undefined ? this.rowNumber + 1 : parseDigits(reference)
    // Excel writes rows in ascending order; a repeated or backward row would make rows ambiguous.
    if (!(number > this.rowNumber && number <= MAX_EXCEL_ROW)) this.malformed('row number')
    this.inRow = true
    this.rowNumber = number
    this.cells = null
    this.rowHasContent = false
    this.lastColumn = -1
  }

  private closeRow(): void {
    this.inRow = false
    if (this.cells === null || !this.rowHasContent) return
    if (this.rowNumber > this.limits.maxRows) {
      refuse(
        'too_many_rows',
        `文件 ${this.name} 的第一个工作表在第 ${this.rowNumber} 行仍有内容，超过了每批最多 ${this.limits.maxRows - 1} 行数据（另加一行表头）的上限。` +
          `请拆分成多个文件分批导入；如果下方只是残留的内容，请删除这些行后再导入。`,
      )
    }
    this.rows.push({ rowNumber: this.rowNumber, cells: this.cells })
    this.cells = null
  }

  private openCell(attributes: Record<string, string>): void {
    if (!this.inRow) this.malformed('cell outside row')
    const column = attributes.r === undefined ? this.lastColumn + 1 : columnIndex(attributes.r)
    if (!(column > this.lastColumn && column < MAX_EXCEL_COLUMN)) this.malformed('cell reference')
    this.inCell = true
    this.lastColumn = column
    this.column = column
    this.type = attributes.t ?? 'n'
    this.style = attributes.s === undefined ? 0 : parseDigits(attributes.s)
    this.value = null
    this.formula = null
    this.sharedFormula = null
    this.inline = null
  }

  private openInCell(name: string, attributes: Record<string, string>): void {
    if (name === 'v') {
      this.startCapture('value')
    } else if (name === 'f') {
      this.sharedFormula = attributes.t === 'shared' && attributes.si !== undefined ? attributes.si : null
      this.startCapture('formula')
    } else if (name === 'is') {
      this.inInline = true
      this.inline ??= ''
    } else if (name === 'rPh') {
      this.inPhonetic = true
    } else if (name === 't' && this.inInline && !this.inPhonetic) {
      this.startCapture('inline')
    }
  }

  private closeInCell(name: string): void {
    if (name === 'v' && this.capture === 'value') {
      this.value = this.endCapture()
    } else if (name === 'f' && this.capture === 'formula') {
      this.formula = this.formulaText(this.endCapture())
    } else if (name === 't' && this.capture === 'inline') {
      this.inline = (this.inline ?? '') + this.endCapture()
      this.checkLength(this.inline)
    } else if (name === 'rPh') {
      this.inPhonetic = false
    } else if (name === 'is') {
      this.inInline = false
    }
  }

  private closeCell(): void {
    this.inCell = false
    this.inInline = false
    this.inPhonetic = false
    this.capture = 'none'
    const cell = this.formula === null ? this.plainCell() : this.formulaCell(this.formula)
    // An empty string is no cell at all; spaces are kept as written, but make no row or column count.
    if (cell === undefined || (cell.kind === 'string' && cell.text === '')) return
    const blank = isBlank(cell)
    if (this.column >= this.limits.maxColumns) {
      if (blank) return
      refuse(
        'too_many_columns',
        `文件 ${this.name} 的第一个工作表在第 ${this.rowNumber} 行的 ${columnLetters(this.column)} 列有内容，超过了最多 ${this.limits.maxColumns} 列的上限。` +
          `请删除模板之外的多余列后再导入。`,
      )
    }
    this.cells ??= []
    while (this.cells.length < this.column) this.cells.push(undefined)
    this.cells.push(cell)
    if (!blank) this.rowHasContent = true
  }

  private plainCell(): CellValue | undefined {
    const value = this.value
    switch (this.type) {
      case 's':
        return value === null ? undefined : { kind: 'string', text: this.checkLength(this.sharedString(value)) }
      case 'str':
      case 'inlineStr': {
        const text = this.inline ?? value
        return text === null ? undefined : { kind: 'string', text: this.checkLength(unescapeOoxml(text)) }
      }
      case 'b':
        return value === null ? undefined : { kind: 'boolean', value: this.booleanOf(value) }
      case 'e':
        return value === null ? undefined : { kind: 'error', text: this.checkLength(value) }
      case 'd':
        return value === null ? undefined : this.isoDateCell(value)
      case 'n':
        return value === null || value.trim() === '' ? undefined : this.numberCell(value)
      default:
        return this.malformed('cell type')
    }
  }

  private formulaCell(formula: string): CellValue {
    const value = this.value
    let cached: string | null = value
    if (value !== null && this.type === 's') cached = this.sharedString(value)
    else if (value !== null && this.type === 'b') cached = this.booleanOf(value) ? 'TRUE' : 'FALSE'
    else if (this.inline !== null) cached = unescapeOoxml(this.inline)
    else if (value !== null && this.type === 'str') cached = unescapeOoxml(value)
    return { kind: 'formula', formula, cached: cached === null ? null : this.checkLength(cached) }
  }

  private numberCell(raw: string): CellValue {
    if (!isXmlNumber(raw)) this.malformed('number')
    const value = Number(raw)
    if (!Number.isFinite(value)) this.malformed('number')
    const dateFormat = this.workbook.dateStyles[this.style] === true
    // Normalised to the 1900 system the checks assume; `raw` stays the file's own text.
    const serial = dateFormat && this.workbook.date1904 ? value + DATE_1904_OFFSET : value
    return { kind: 'number', value: serial, raw, dateFormat }
  }

  /** `t="d"` (ISO 8601, written by some tools, never by Excel) becomes a date-formatted serial. */
  private isoDateCell(raw: string): CellValue {
    const time = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(raw) || !raw.includes('T') ? raw : `${raw}Z`)
    if (!Number.isFinite(time)) this.malformed('date')
    const days = (time - Date.UTC(1899, 11, 30)) / DAY_MS
    // Before 1900-03-01 Excel counts from 1899-12-31: its phantom 1900-02-29 comes later.
    return { kind: 'number', value: days < 61 ? days - 1 : days, raw, dateFormat: true }
  }

  private sharedString(index: string): string {
    const text = this.workbook.sharedStrings[parseDigits(index)]
    return text ?? this.malformed('shared string index')
  }

  private booleanOf(value: string): boolean {
    if (value === '1' || value === 'true') return true
    if (value === '0' || value === 'false') return false
    return this.malformed('boolean')
  }

  /** The text of a formula; cells sharing a formula carry only its index, so the first one's text is kept. */
  private formulaText(text: string): string {
    const index = this.sharedFormula
    if (index === null) return this.checkLength(text)
    if (text !== '') {
      if (this.sharedFormulas.size < MAX_SHARED_FORMULAS) this.sharedFormulas.set(index, text)
      return this.checkLength(text)
    }
    return this.sharedFormulas.get(index) ?? ''
  }

  private checkLength(text: string): string {
    if (text.length > this.limits.maxCellChars) {
      refuse(
        'cell_too_long',
        `文件 ${this.name} 的单元格 ${columnLetters(this.column)}${this.rowNumber} 超过了 Excel 单元格最多 ${this.limits.maxCellChars} 个字符的上限，` +
          `可能是文件已损坏或内容粘贴有误。请检查并修改该单元格后再导入。`,
      )
    }
    return text
  }

  private startCapture(capture: Capture): void {
    this.capture = capture
    this.captured = ''
  }

  private endCapture(): string {
    const text = this.captured
    this.capture = 'none'
    this.captured = ''
    if (text.length > this.limits.maxCellChars) this.checkLength(text)
    return text
  }

  /** A structural fault at the current row: the message points the clerk near it. */
  malformedHere(): WorkbookError {
    return malformed(this.name, this.rowNumber > 0 ? `第一个工作表第 ${this.rowNumber} 行附近` : '第一个工作表')
  }

  private malformed(_what: string): never {
    throw this.malformedHere()
  }
}

function isBlank(cell: CellValue): boolean {
  return cell.kind === 'string' && cell.text.trim() === ''
}

/** A decimal integer, or NaN: no signs, spaces or exponents (row numbers, indexes, style ids). */
function parseDigits(text: string): number {
  if (text.length === 0 || text.length > 15) return Number.NaN
  let value = 0
  for (let index = 0; index < text.length; index += 1) {
    const digit = text.charCodeAt(index) - 48
    if (digit < 0 || digit > 9) return Number.NaN
    value = value * 10 + digit
  }
  return value
}

/** Whether `text` is an xsd:double as Excel writes it: digits, sign, point, exponent; no hex, no spaces. */
function isXmlNumber(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index)
    // 0-9 + - . E e
    if (!((code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46 || code === 69 || code === 101)) return false
  }
  return true
}

/** The 0-based column of a cell reference such as `AB12`, or -1 when it is not one. */
function columnIndex(reference: string): number {
  let column = 0
  let index = 0
  for (; index < reference.length && index < 4; index += 1) {
    const code = reference.charCodeAt(index) | 0x20 // lower-case ASCII letters
    if (code < 97 || code > 122) break
    column = column * 26 + (code - 96)
  }
  if (index === 0 || index > 3 || Number.isNaN(parseDigits(reference.slice(index)))) return -1
  return column - 1
}

/** `0` → `A`, `26` → `AA`. */
function columnLetters(column: number): string {
  let letters = ''
  for (let rest = column + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters
  }
  return letters
}
