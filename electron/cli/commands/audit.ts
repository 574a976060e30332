import type { Core } from '../../core/app'
import { CliError, type Output } from '../io'

/** `certdesk audit verify`: walks the chain; a broken chain exits 2 and names the first bad entry. */
export async function auditVerify(core: Core, output: Output): Promise<void> {
  const verification = await core.audit.verify()
  output.result(verification, () =>
    verification.ok
      ? `审计日志完整：共 ${verification.count} 条，链头哈希 ${verification.headHash}`
      : `审计日志校验失败：${verification.firstBroken!.reason}（第 ${verification.firstBroken!.id} 条）`,
  )
  if (!verification.ok) throw new CliError('', 2)
}
