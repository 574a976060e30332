import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Where the engine finds its files; every path can be overridden (e.g. by a packaged app). */
export interface DocumentResourcePaths {
  /** Folder holding title-certificate.json, vocational-certificate.json, query-slip.json, pass-certificate.json. */
  templatesDir: string
  regularFont: string
  boldFont: string
  harfbuzzWasm: string
}

// Bundled (esbuild, CJS), run by tsx or by vitest, this file always has a __filename.
const here = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js')
const requireHere = createRequire(here)

function findUpwards(start: string, relative: string): string | undefined {
  let folder = start
  for (;;) {
    const candidate = join(folder, relative)
    if (existsSync(candidate)) return candidate
    const parent = dirname(folder)
    if (parent === folder) return undefined
    folder = parent
  }
}

/** The default locations: resources/templates of the app, the fonts and harfbuzz from node_modules. */
export function defaultResourcePaths(overrides: Partial<DocumentResourcePaths> = {}): DocumentResourcePaths {
  const templatesDir =
    overrides.templatesDir ??
    findUpwards(dirname(here), join('resources', 'templates')) ??
    findUpwards(process.cwd(), join('resources', 'templates')) ??
    join(process.cwd(), 'resources', 'templates')
  return {
    templatesDir,
    regularFont: overrides.regularFont ?? requireHere.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf'),
    boldFont: overrides.boldFont ?? requireHere.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf'),
    harfbuzzWasm: overrides.harfbuzzWasm ?? requireHere.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'),
  }
}
