// Bundles the parts electron-vite does not build: the CLI, the web host and its browser preload.
// Dependencies stay external (node_modules), so native modules load exactly as in the tests.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]
const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external, sourcemap: true, logLevel: 'warning' }

await Promise.all([
  build({ ...node, entryPoints: ['electron/cli/index.ts'], outfile: 'out/cli/index.js' }),
  build({ ...node, entryPoints: ['electron/host/index.ts'], outfile: 'out/host/index.js' }),
  // The document pool looks for its worker beside the bundle that runs it.
  build({ ...node, entryPoints: ['electron/core/documents/render-worker.ts'], outfile: 'out/cli/render-worker.js' }),
  build({ ...node, entryPoints: ['electron/core/documents/render-worker.ts'], outfile: 'out/host/render-worker.js' }),
  // TokenHost looks for its PKCS#11 worker the same way.
  build({ ...node, entryPoints: ['electron/core/sealing/pkcs11/token-worker.ts'], outfile: 'out/cli/token-worker.js' }),
  build({ ...node, entryPoints: ['electron/core/sealing/pkcs11/token-worker.ts'], outfile: 'out/host/token-worker.js' }),
  build({
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    entryPoints: ['electron/host/web-preload.ts'],
    outfile: 'out/host/web-preload.js',
    minify: true,
    logLevel: 'warning',
  }),
])
console.log('built out/cli, out/host')
