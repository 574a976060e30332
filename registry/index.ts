import { parseArgs } from 'node:util'
import { startRegistry } from './server'

/**
 * `npm run registry -- [--port 5190] [--data-dir DIR] [--admin-token TOKEN] [--print-json]`:
 * the reference registry on 127.0.0.1 until SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5190' },
      'data-dir': { type: 'string' },
      'admin-token': { type: 'string' },
      'print-json': { type: 'boolean', default: false },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`端口无效：${values.port}`)
  const registry = await startRegistry({ port, dataDir: values['data-dir'], adminToken: values['admin-token'] })
  if (values['print-json']) {
    console.log(JSON.stringify({ url: registry.url, port: registry.port, adminToken: registry.adminToken, dataDir: registry.dataDir }))
  } else {
    console.log(`CertDesk 参考登记服务已启动（仅本机可访问）：${registry.url}`)
    console.log(`数据目录：${registry.dataDir}`)
    console.log(`管理令牌（/_admin/ 接口用 Authorization: Bearer …）：${registry.adminToken}`)
  }
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    registry.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error))
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('端口已被占用：请用 --port 指定其他端口，或 --port 0 自动选择 (port in use: pass --port)')
  } else {
    console.error(error instanceof Error ? error.message : String(error))
  }
  process.exit(1)
})
