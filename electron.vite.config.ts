import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

/**
 * main and preload are bundled for Electron (CommonJS: a sandboxed preload cannot be an ES
 * module); the renderer is a plain Vite + Vue build served by Electron or by the web host.
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // The document pool's worker, found beside the main bundle.
          'render-worker': resolve(__dirname, 'electron/core/documents/render-worker.ts'),
          // TokenHost's worker (every PKCS#11 call), found beside the main bundle likewise.
          'token-worker': resolve(__dirname, 'electron/core/sealing/pkcs11/token-worker.ts'),
        },
      },
    },
  },
  preload: {
    // Bundled whole: a sandboxed preload can require nothing but a few electron modules.
    build: {
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: {
      alias: { '@renderer': resolve(__dirname, 'renderer/src'), '@contract': resolve(__dirname, 'electron/contract') },
    },
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      chunkSizeWarningLimit: 2000,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
})
