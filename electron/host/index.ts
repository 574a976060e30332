import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createDispatcher } from '../core/api/dispatch'
import { openCore } from '../core/app'
import { resolveDataDir } from '../core/paths'
import { startWebHost } from './server'

/** `npm run web`: serves the built renderer and the contract on 127.0.0.1 with a fresh token. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '5183' },
      'print-json': { type: 'boolean', default: false },
      // For tests that drive the sync page themselves.
      'no-sync': { type: 'boolean', default: false },
    },
  })
  const outDir = join(__dirname, '..')
  const staticDir = join(outDir, 'renderer')
  const webPreloadFile = join(__dirname, 'web-preload.js')
  if (!existsSync(join(staticDir, 'index.html')) || !existsSync(webPreloadFile)) {
    throw new Error('找不到构建好的界面，请先运行 npm run build (renderer build missing: run npm run build)')
  }
  const dataDir = resolveDataDir(values['data-dir'])
  const core = await openCore({ dataDir })
  if (!values['no-sync']) core.sync.start()
  const host = await startWebHost({
    dispatcher: createDispatcher(core),
    staticDir,
    webPreloadFile,
    token: randomBytes(24).toString('base64url'),
    port: Number(values.port),
  })
  if (values['print-json']) console.log(JSON.stringify({ url: host.url, port: host.port, dataDir }))
  else {
    console.log(`CertDesk Web 服务已启动（仅本机可访问）。数据目录：${dataDir}`)
    console.log(`在浏览器中打开：${host.url}`)
  }
  const stop = async () => {
    await host.close()
    await core.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('端口已被占用：请用 --port 指定其他端口，或 --port 0 自动选择 (port in use: pass --port)')
    process.exit(1)
  }
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
