import type { Core } from '../../core/app'
import { outboxCounts, type PassReport } from '../../core/registry/sync-service'
import { CliError, type Output } from '../io'

export const SYNC_OPTIONS = { once: { type: 'boolean', default: false } } as const

async function queue(core: Core): Promise<{ pending: number; failed: number }> {
  const { pending, failed } = await outboxCounts(core.db, ['pending', 'failed'])
  return { pending, failed }
}

function line(report: PassReport, left: { pending: number; failed: number }): string {
  const parts = [
    `送达 ${report.delivered} 条`,
    `新拒收 ${report.refused} 条`,
    `待重试 ${report.retrying} 条`,
    `新收到申请 ${report.taken} 批`,
  ]
  const tail = `队列中待发送 ${left.pending} 条，被拒收 ${left.failed} 条`
  return `${new Date().toISOString()} ${parts.join('，')}；${tail}${report.error ? `；${report.error}` : ''}`
}

/**
 * `certdesk sync [--once]`: delivers the outbox to the registry and pulls new applications, as
 * the app's background sync does. With --once, one pass (until nothing is due) and exit 0, or 1
 * when the registry could not be reached; without, a pass every half minute until Ctrl-C.
 */
export async function syncCommand(core: Core, output: Output, options: { once?: boolean }): Promise<number> {
  if (!(await core.settings.value('registry.baseUrl')))
    throw new CliError('尚未配置电子证照库地址：请管理员在系统设置中填写 registry.baseUrl')
  if (options.once) {
    const report = await core.sync.pass()
    const left = await queue(core)
    output.result({ ...report, ...left }, () => line(report, left))
    return report.error ? 1 : 0
  }
  let stop = false
  const interrupt = () => {
    stop = true
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  try {
    while (!stop) {
      const report = await core.sync.pass()
      const left = await queue(core)
      output.result({ ...report, ...left }, () => line(report, left))
      for (let waited = 0; waited < 30_000 && !stop; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250))
    }
    return 0
  } finally {
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }
}
