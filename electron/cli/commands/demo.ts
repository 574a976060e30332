import { ROLE_LABELS } from '../../contract/roles'
import type { Core } from '../../core/app'
import { seedDemo } from '../../../db/seeds/demo'
import type { Output } from '../io'

/** `certdesk demo`: demo organisations and one account per role, passwords printed once. */
export async function demo(core: Core, output: Output): Promise<void> {
  const accounts = await seedDemo(core)
  output.result({ dataDir: core.dataDir, accounts }, () =>
    [
      `已在 ${core.dataDir} 写入演示数据。演示账户（密码只显示这一次）：`,
      ...accounts.map(
        (account) =>
          `  ${account.username.padEnd(16)} ${account.password}  ${account.roles.map((role) => ROLE_LABELS[role]).join('、')} · ${account.organisation}`,
      ),
    ].join('\n'),
  )
}
