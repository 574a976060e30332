import { PDFName } from 'pdf-lib'
import type { PdfFile } from './pdf-file'

/** An object written by an incremental update: its number and its serialised value. */
export interface IncrementObject {
  objectNumber: number
  /** The value after `N 0 obj`, in PDF syntax (ASCII; text strings as hex). */
  body: string
}

export interface Increment {
  bytes: Uint8Array
  /** Offset of each written object's value (just after `N 0 obj\n`) in `bytes`. */
  bodyOffsets: Map<number, number>
}

const TRAILER_KEYS = ['Root', 'Info', 'ID'] as const

/** Cross-reference subsections: runs of consecutive object numbers. */
function subsections(entries: Array<[number, number]>): string {
  const sorted = [...entries].sort((a, b) => a[0] - b[0])
  const lines: string[] = []
  for (let start = 0; start < sorted.length;) {
    let end = start + 1
    while (end < sorted.length && sorted[end][0] === sorted[end - 1][0] + 1) end += 1
    lines.push(`${sorted[start][0]} ${end - start}`)
    for (let index = start; index < end; index += 1) lines.push(`${String(sorted[index][1]).padStart(10, '0')} 00000 n\r`)
    start = end
  }
  return lines.join('\n')
}

/**
 * Appends one revision to the file — the objects, a classic cross-reference section and a
 * trailer chained to the previous one by /Prev — and leaves every earlier byte untouched, so
 * signatures already in the file stay valid (pdf-lib's own save() would rewrite them away).
 */
export function appendRevision(file: PdfFile, objects: IncrementObject[], size: number): Increment {
  const original = file.bytes
  const last = original[original.length - 1]
  const parts: string[] = [last === 0x0a || last === 0x0d ? '' : '\n']
  let offset = original.length + parts[0].length
  const bodyOffsets = new Map<number, number>()
  const entries: Array<[number, number]> = []
  for (const object of objects) {
    const header = `${object.objectNumber} 0 obj\n`
    entries.push([object.objectNumber, offset])
    bodyOffsets.set(object.objectNumber, offset + header.length)
    const text = `${header}${object.body}\nendobj\n`
    parts.push(text)
    offset += text.length
  }
  const previous = file.revisions[file.revisions.length - 1]
  const trailer = TRAILER_KEYS.flatMap((key) => {
    const value = file.trailer.get(PDFName.of(key))
    return value ? [`/${key} ${value.toString()}`] : []
  })
  parts.push(
    `xref\n${subsections(entries)}\ntrailer\n<<\n/Size ${size}\n${trailer.join('\n')}\n/Prev ${previous.xrefOffset}\n>>\n`,
    `startxref\n${offset}\n%%EOF\n`,
  )
  const tail = Buffer.from(parts.join(''), 'latin1')
  const bytes = new Uint8Array(original.length + tail.length)
  bytes.set(original, 0)
  bytes.set(tail, original.length)
  return { bytes, bodyOffsets }
}
