import { open } from 'node:fs/promises'
import { TextDecoder } from 'node:util'

/**
 * What a file really is, from its first bytes, before any parser sees it: clerks rename a CSV,
 * an old .xls or a web page to .xlsx, and Excel's password protection turns an .xlsx into an
 * OLE2 compound file. Naming the real kind lets the refusal say what to do.
 */
export type FileKind =
  | 'empty'
  /** A ZIP archive (local file header first): possibly an .xlsx. */
  | 'zip'
  /** An OLE2 compound file: an Excel 97–2003 .xls, or an encrypted (password-protected) workbook. */
  | 'ole2'
  /** Plain text: CSV, TSV or the like, in UTF-8, UTF-16 with a BOM, or GB18030 (Excel's "CSV" on Chinese Windows). */
  | 'text'
  /** Text that starts with a tag: HTML or XML (a web page, Excel 2003 XML) saved as .xlsx. */
  | 'markup'
  | 'other'

/** How many leading bytes decide the kind. */
export const SNIFF_BYTES = 4096

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04]
const OLE2_HEADER = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
const UTF8_BOM = [0xef, 0xbb, 0xbf]
const UTF16LE_BOM = [0xff, 0xfe]
const UTF16BE_BOM = [0xfe, 0xff]
const TAB = 0x09
const LINE_FEED = 0x0a
const FORM_FEED = 0x0c
const CARRIAGE_RETURN = 0x0d
const DELETE = 0x7f

/** Reads the first bytes of a file and names its kind. */
export async function sniffFile(path: string): Promise<FileKind> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(SNIFF_BYTES)
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
    return sniffBytes(head.subarray(0, bytesRead), bytesRead < SNIFF_BYTES)
  } finally {
    await handle.close()
  }
}

/** Names the kind of a file from its first bytes; `complete` when `head` is the whole file. */
export function sniffBytes(head: Buffer, complete: boolean): FileKind {
  if (head.length === 0) return 'empty'
  if (startsWith(head, ZIP_LOCAL_HEADER)) return 'zip'
  if (startsWith(head, OLE2_HEADER)) return 'ole2'
  const text = decodeText(head, complete)
  if (text === null) return 'other'
  return text.trimStart().startsWith('<') ? 'markup' : 'text'
}

/** The head as text if it reads as text in an encoding a CSV would come in, else null. */
function decodeText(head: Buffer, complete: boolean): string | null {
  if (startsWith(head, UTF8_BOM)) return decode('utf-8', head.subarray(UTF8_BOM.length), complete)
  if (startsWith(head, UTF16LE_BOM)) return decode('utf-16le', head.subarray(UTF16LE_BOM.length), complete)
  if (startsWith(head, UTF16BE_BOM)) return decode('utf-16be', head.subarray(UTF16BE_BOM.length), complete)
  // Without a BOM, binary formats give themselves away with control bytes (NUL above all).
  if (head.some(isControlByte)) return null
  return decode('utf-8', head, complete) ?? decode('gb18030', head, complete)
}

function decode(encoding: string, bytes: Buffer, complete: boolean): string | null {
  try {
    // `stream` tolerates a character cut in half at the end of a partial head.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes, { stream: !complete })
  } catch {
    return null
  }
}

function isControlByte(byte: number): boolean {
  if (byte === TAB || byte === LINE_FEED || byte === FORM_FEED || byte === CARRIAGE_RETURN) return false
  return byte < 0x20 || byte === DELETE
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte)
}
