import { closeSync, openSync, readSync } from 'node:fs'
import { defaultResourcePaths } from '../../documents/resources'

/**
 * Which code points the certificate font (both weights of Noto Serif SC) can draw, read from the
 * fonts' own cmap tables: a few kilobytes of each 15 MB file, in milliseconds, where loading the
 * document engine (pdf-lib, fontkit, harfbuzz) to ask it would cost over a second of the 2 s a
 * 5,000-row table may take. A test holds it to the engine's FontLibrary.missingCharacters.
 */
export class FontCoverage {
  private constructor(private readonly faces: Array<Uint32Array>) {}

  static load(paths: string[]): FontCoverage {
    return new FontCoverage(paths.map(readCoverage))
  }

  /** Characters of the texts (NFC, each once, in first-seen order) that either weight lacks. */
  missing(texts: string[]): string[] {
    const missing = new Set<string>()
    for (const text of texts) {
      for (const character of text.normalize('NFC')) {
        const codePoint = character.codePointAt(0) as number
        if (!this.faces.every((ranges) => covers(ranges, codePoint))) missing.add(character)
      }
    }
    return [...missing]
  }
}

let shared: FontCoverage | null = null

/** The coverage of the fonts the documents use, read once per process. */
export function certificateFontCoverage(): FontCoverage {
  const paths = defaultResourcePaths()
  shared ??= FontCoverage.load([paths.regularFont, paths.boldFont])
  return shared
}

/** Binary search in [start0, end0, start1, end1, …], sorted and disjoint. */
function covers(ranges: Uint32Array, codePoint: number): boolean {
  let low = 0
  let high = ranges.length / 2 - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    if (codePoint < ranges[middle * 2]) high = middle - 1
    else if (codePoint > ranges[middle * 2 + 1]) low = middle + 1
    else return true
  }
  return false
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length)
  let filled = 0
  while (filled < length) {
    const read = readSync(fd, buffer, filled, length - filled, position + filled)
    if (read === 0) throw new Error('font file ends early')
    filled += read
  }
  return buffer
}

/** The code ranges of a TrueType font's Unicode cmap: format 12 (full repertoire) else format 4 (BMP). */
function readCoverage(path: string): Uint32Array {
  const fd = openSync(path, 'r')
  try {
    const count = readAt(fd, 4, 2).readUInt16BE(0)
    const directory = readAt(fd, 12, count * 16)
    let cmap: Buffer | null = null
    for (let index = 0; index < count; index++) {
      if (directory.toString('latin1', index * 16, index * 16 + 4) !== 'cmap') continue
      cmap = readAt(fd, directory.readUInt32BE(index * 16 + 8), directory.readUInt32BE(index * 16 + 12))
    }
    if (!cmap) throw new Error(`${path} has no cmap table`)
    return rangesOf(cmap)
  } finally {
    closeSync(fd)
  }
}

function rangesOf(cmap: Buffer): Uint32Array {
  const subtables = Array.from({ length: cmap.readUInt16BE(2) }, (_, index) => ({
    platform: cmap.readUInt16BE(4 + index * 8),
    encoding: cmap.readUInt16BE(6 + index * 8),
    offset: cmap.readUInt32BE(8 + index * 8),
  }))
  const full = subtables.find((table) => cmap.readUInt16BE(table.offset) === 12 && (table.platform === 3 || table.platform === 0))
  if (full) return format12(cmap, full.offset)
  const bmp = subtables.find((table) => cmap.readUInt16BE(table.offset) === 4 && (table.platform === 3 || table.platform === 0))
  if (bmp) return format4(cmap, bmp.offset)
  throw new Error('font has no Unicode cmap')
}

function format12(cmap: Buffer, offset: number): Uint32Array {
  const groups = cmap.readUInt32BE(offset + 12)
  const ranges = new Uint32Array(groups * 2)
  for (let index = 0; index < groups; index++) {
    ranges[index * 2] = cmap.readUInt32BE(offset + 16 + index * 12)
    ranges[index * 2 + 1] = cmap.readUInt32BE(offset + 20 + index * 12)
  }
  return ranges
}

/** Segments mapping to a glyph; code points a segment sends to glyph 0 are left out one by one. */
function format4(cmap: Buffer, offset: number): Uint32Array {
  const segments = cmap.readUInt16BE(offset + 6) / 2
  const ends = offset + 14
  const starts = ends + segments * 2 + 2
  const deltas = starts + segments * 2
  const rangeOffsets = deltas + segments * 2
  const covered: number[] = []
  for (let segment = 0; segment < segments; segment++) {
    const start = cmap.readUInt16BE(starts + segment * 2)
    const end = cmap.readUInt16BE(ends + segment * 2)
    const delta = cmap.readUInt16BE(deltas + segment * 2)
    const rangeOffset = cmap.readUInt16BE(rangeOffsets + segment * 2)
    for (let code = start; code <= end && code !== 0xffff; code++) {
      const at = rangeOffsets + segment * 2 + rangeOffset + (code - start) * 2
      const glyph = rangeOffset === 0 ? (code + delta) & 0xffff : cmap.readUInt16BE(at) === 0 ? 0 : (cmap.readUInt16BE(at) + delta) & 0xffff
      if (glyph === 0) continue
      if (covered.length > 0 && covered[covered.length - 1] === code - 1) covered[covered.length - 1] = code
      else covered.push(code, code)
    }
  }
  return Uint32Array.from(covered)
}
