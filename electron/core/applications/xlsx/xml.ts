import { TextDecoder } from 'node:util'
import { SaxesParser } from 'saxes'
import { MalformedPart, WorkbookError } from './errors'
import { MIB } from './limits'
import { ZipError } from './zip'

/**
 * The bounded XML driver every part is read through. saxes streams but trusts its input, so the
 * guards a hostile file needs are here: nesting depth, the size of one node, no DOCTYPE (so no
 * entity expansion) and strict decoding.
 */

export interface XmlVisitor {
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
export async function* parseXml(chunks: AsyncIterable<Buffer>, visitor: XmlVisitor): AsyncGenerator<void, void, undefined> {
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

/** Excel writes characters XML cannot hold (such as a carriage return) as `_xHHHH_`. */
export function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}
