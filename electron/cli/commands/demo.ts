import { ROLE_LABELS } from '../../contract/roles'
import type { Core } from '../../core/app'
import { seedDemo } from '../../../db/seeds/demo'
import { pointDemoAtRegistry, seedDemoRegistry } from '../../../db/seeds/demo-registry'
import { seedDemoSealing } from '../../../db/seeds/demo-sealing'
import type { Output } from '../io'

/**
 * `certdesk demo`: demo organisations and one account per role, passwords printed once; where
 * SoftHSM2 is installed, a demo seal token and two sample batches sealed with it; a demo
 * reference registry that receives them and offers an online application.
 */
export async function demo(core: Core, output: Output): Promise<void> {
  const accounts = await seedDemo(core)
  await pointDemoAtRegistry(core)
  const sealing = await seedDemoSealing(core)
  const registry = await seedDemoRegistry(core)
  output.result({ dataDir: core.dataDir, accounts, sealing, registry }, () =>
    [
      `已在 ${core.dataDir} 写入演示数据。演示账户（密码只显示这一次）：`,
      ...accounts.map(
        (account) =>
          `  ${account.username.padEnd(22)} ${account.password}  ${account.roles.map((role) => ROLE_LABELS[role]).join('、')} · ${account.organisation}`,
      ),
      ...(sealing
        ? [
            `演示印章密钥“${sealing.tokenLabel}”（SoftHSM2，模块 ${sealing.modulePath}），PIN 码 ${sealing.pin}：`,
            '  已用市人社局专用章为职称样例批次签章，用市人社局与市住建委两枚专用章为职业资格样例批次签章。',
            `  签章后的证书（可用 certdesk verify 或 pdfsig 校验；演示根 CA：${sealing.caPath}）：`,
            ...sealing.files.map((file) => `    ${file}`),
          ]
        : ['未安装 SoftHSM2（Debian 软件包 softhsm2），未创建演示印章密钥与签章样例。']),
      `演示电子证照库（参考实现）：已送达 ${registry.delivered} 条，取回网上申请 ${registry.applications} 批。`,
      `  运行 npm run registry -- --data-dir ${registry.dataDir} 后，${registry.url} 即可应答证书二维码并继续同步。`,
    ].join('\n'),
  )
}
