import { posix } from 'node:path'
import { malformed, MalformedPart, refuse, SAVE_AS } from './errors'
import type { WorkbookLimits } from './limits'
import { StylesVisitor } from './styles'
import { parseXml, unescapeOoxml, type XmlVisitor } from './xml'
import type { ZipArchive } from './zip'

/**
 * The package around the first worksheet: content types (where macros are caught), the workbook
 * and its relationships (which part is the first worksheet), shared strings and styles. All are
 * read whole before the sheet, because every cell of the sheet may refer to them.
 */

export interface WorkbookParts {
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

export async function readWorkbookParts(zip: ZipArchive, name: string, limits: WorkbookLimits): Promise<WorkbookParts> {
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

/** Reads a whole part through a visitor; a fault becomes a `malformed` refusal naming the part. */
async function readPart(zip: ZipArchive, part: string, maxBytes: number, visitor: XmlVisitor, name: string): Promise<void> {
  try {
    for await (const _chunk of parseXml(zip.read(part, maxBytes), visitor)) continue
  } catch (error) {
    if (error instanceof MalformedPart) throw malformed(name, `内部部件 ${part} `)
    throw error
  }
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
