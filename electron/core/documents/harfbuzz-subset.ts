import { readFileSync } from 'node:fs'

/** The raw C exports of harfbuzzjs's standalone hb-subset build (no Emscripten runtime needed). */
interface HarfBuzzSubsetExports {
  memory: { buffer: ArrayBuffer }
  _initialize?: () => void
  malloc(size: number): number
  free(pointer: number): void
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number
  hb_blob_destroy(blob: number): void
  hb_blob_get_data(blob: number, length: number): number
  hb_blob_get_length(blob: number): number
  hb_face_create(blob: number, index: number): number
  hb_face_destroy(face: number): void
  hb_face_reference_blob(face: number): number
  hb_set_add(set: number, value: number): void
  hb_subset_input_create_or_fail(): number
  hb_subset_input_destroy(input: number): void
  hb_subset_input_unicode_set(input: number): number
  hb_subset_input_set(input: number, setType: number): number
  hb_subset_input_set_flags(input: number, flags: number): void
  hb_subset_or_fail(face: number, input: number): number
}

const HB_MEMORY_MODE_WRITABLE = 2
const HB_SUBSET_SETS_DROP_TABLE_TAG = 3
const HB_SUBSET_FLAGS_NO_HINTING = 0x1
const HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200

/**
 * Tables a PDF viewer never reads from an embedded CIDFontType2 font. Dropping the layout tables
 * also means pdf-lib's fontkit maps characters straight through cmap, so every glyph it asks for
 * is one harfbuzz kept.
 */
const DROPPED_TABLES = [
  'GSUB',
  'GPOS',
  'GDEF',
  'BASE',
  'STAT',
  'JSTF',
  'MATH',
  'vhea',
  'vmtx',
  'VORG',
  'gasp',
  'prep',
  'fpgm',
  'cvt ',
  'hdmx',
  'LTSH',
  'VDMX',
  'DSIG',
  'kern',
  'meta',
]

function tag(name: string): number {
  return ((name.charCodeAt(0) << 24) | (name.charCodeAt(1) << 16) | (name.charCodeAt(2) << 8) | name.charCodeAt(3)) >>> 0
}

// tsconfig.node has no DOM lib, where the WebAssembly types live; this is the part used here.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly

let cachedModule: object | undefined

/**
 * One TrueType face held in harfbuzz's memory, subset on demand. The face is parsed once per
 * process (or worker thread); a subset of a certificate's ~150 characters takes about a millisecond.
 */
export class HarfBuzzSubsetter {
  private readonly exports: HarfBuzzSubsetExports
  private readonly face: number

  constructor(wasmPath: string, fontBytes: Uint8Array) {
    cachedModule ??= new wasm.Module(readFileSync(wasmPath))
    const instance = new wasm.Instance(cachedModule, {})
    this.exports = instance.exports as unknown as HarfBuzzSubsetExports
    this.exports._initialize?.()
    const pointer = this.exports.malloc(fontBytes.byteLength)
    new Uint8Array(this.exports.memory.buffer).set(fontBytes, pointer)
    // The blob owns the copy for the life of the process: harfbuzz never frees it.
    const blob = this.exports.hb_blob_create(pointer, fontBytes.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0)
    this.face = this.exports.hb_face_create(blob, 0)
    this.exports.hb_blob_destroy(blob)
  }

  /** A standalone TrueType font holding exactly the glyphs of these code points (plus .notdef). */
  subset(codePoints: Iterable<number>): Uint8Array {
    const hb = this.exports
    const input = hb.hb_subset_input_create_or_fail()
    if (!input) throw new Error('harfbuzz: cannot create a subset input')
    try {
      const unicodes = hb.hb_subset_input_unicode_set(input)
      for (const codePoint of codePoints) hb.hb_set_add(unicodes, codePoint)
      const dropped = hb.hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG)
      for (const name of DROPPED_TABLES) hb.hb_set_add(dropped, tag(name))
      hb.hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE)
      const result = hb.hb_subset_or_fail(this.face, input)
      if (!result) throw new Error('harfbuzz: subsetting failed')
      const blob = hb.hb_face_reference_blob(result)
      const data = hb.hb_blob_get_data(blob, 0)
      const length = hb.hb_blob_get_length(blob)
      // slice() copies out of wasm memory, which the next call may grow or overwrite.
      const bytes = new Uint8Array(hb.memory.buffer).slice(data, data + length)
      hb.hb_blob_destroy(blob)
      hb.hb_face_destroy(result)
      return bytes
    } finally {
      hb.hb_subset_input_destroy(input)
    }
  }
}
