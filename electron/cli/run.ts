import { parseArgs } from 'node:util'
import { openCore } from '../core/app'
import { resolveDataDir } from '../core/paths'
import { AppError } from '../core/util/app-error'
import { importBatch, template } from './commands/applications'
import { auditVerify } from './commands/audit'
import { CORRECTIONS_COMMANDS, CORRECTIONS_HELP, CORRECTIONS_OPTIONS, correctionsImport, correctionsTemplate } from './commands/corrections'
import { isReviewCommand, review, REVIEW_COMMANDS, REVIEW_HELP, REVIEW_OPTIONS } from './commands/review'
import { dbMigrate } from './commands/db'
import { demo } from './commands/demo'
import { render } from './commands/render'
import { SEAL_ADD_OPTIONS, SEAL_ADD_USAGE, sealAdd } from './commands/seal-add'
import { SIGN_OPTIONS, SIGN_USAGE, sign } from './commands/sealing'
import { SYNC_OPTIONS, syncCommand } from './commands/sync'
import { verify } from './commands/verify'
import { userAdd, userList } from './commands/user'
import { CliError, createOutput, Secrets } from './io'

const HELP = `certdesk — CertDesk 命令行（与桌面应用共用同一套核心服务）

用法：certdesk [--data-dir DIR] [--json] <命令>

  db migrate                 应用数据库迁移
  demo                       在新的数据目录中写入演示机构与每个角色的演示账户（打印密码）
  user add --user 管理员 --username 名称 --name 显示名 --org 机构代码或名称 --roles reviewer,clerk
                             新建用户（打印一次性密码）
  user list --user 管理员     列出用户
  audit verify               校验审计日志哈希链，指出第一条损坏的记录
  render --user 用户 --certificate 证书编号 --out 文件.pdf [--version N] [--document certificate|slip]
                             按数据库中的快照生成证书 PDF（未签章），或其查询单/考试合格成绩单
  template --family title|vocational --out 文件.xlsx
                             生成统一数据格式的制证申请模板
  import --user 用户 --family title|vocational --org 机构代码 --file 名单.xlsx [--photos 目录或ZIP]
         [--notice 通知.pdf] [--errors-out 错误清单.xlsx]
                             导入制证申请批次（自动检查；有错误时批次不能审核通过）
${REVIEW_HELP}
${CORRECTIONS_HELP}
  sign --user 印章密钥持有人 --batch 批次号 --seal 印章编号或名称 --module 模块路径 --token 密钥标签 [--pin-stdin] [--timestamp]
                             用 USB Key 印章为审核通过的批次签章（一次输入 PIN 码；中断后再次运行即从中断处继续；
                             退出码 3 表示因密钥拔出等原因暂停）
  seal add --user 管理员 --module 模块路径 --token 密钥标签 --certificate 证书标签、CKA_ID 或指纹 --org 机构
           --name 印章名称 [--purpose 用途] --applies title:senior,vocational:* [--appearance 图样.png]
                             用密钥中的证书登记电子印章
  verify 文件.pdf            校验证书 PDF 的电子签章与登记状态（退出码 0 有效，1 无效）
  sync [--once]              向电子证照库发送待发布的证书、注销与审计检查点，并取回网上申请
                             （--once 只运行一轮；否则每半分钟一轮，Ctrl-C 停止）

需要身份的命令用 --user 指定用户，密码从标准输入或环境变量 CERTDESK_PASSWORD 读取。
数据目录默认为 CERTDESK_DATA_DIR 或应用的 userData/data。`

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  user: { type: 'string' },
  username: { type: 'string' },
  name: { type: 'string' },
  org: { type: 'string' },
  roles: { type: 'string' },
  certificate: { type: 'string' },
  out: { type: 'string' },
  version: { type: 'string' },
  document: { type: 'string' },
  family: { type: 'string' },
  file: { type: 'string' },
  photos: { type: 'string' },
  notice: { type: 'string' },
  'errors-out': { type: 'string' },
  ...REVIEW_OPTIONS,
  ...CORRECTIONS_OPTIONS,
  ...SIGN_OPTIONS,
  ...SEAL_ADD_OPTIONS,
  ...SYNC_OPTIONS,
} as const

/** Runs one command; returns the exit code. Every failure is one line on stderr. */
export async function run(argv: string[]): Promise<number> {
  let json = false
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
    json = values.json
    // `verify FILE.pdf` is the one command with an argument of its own.
    const command = positionals[0] === 'verify' ? 'verify' : positionals.join(' ')
    if (values.help || command === '' || command === 'help') {
      console.log(HELP)
      return 0
    }
    const known = [
      'db migrate',
      'demo',
      'user add',
      'user list',
      'audit verify',
      'render',
      'template',
      'import',
      'sign',
      'seal add',
      'verify',
      'sync',
      ...REVIEW_COMMANDS,
      ...CORRECTIONS_COMMANDS,
    ]
    if (!known.includes(command)) throw new CliError(`未知命令“${command}”，运行 certdesk --help 查看用法`)
    const output = createOutput(json)
    const secrets = new Secrets()
    const core = await openCore({ dataDir: resolveDataDir(values['data-dir']) })
    try {
      if (command === 'verify') return await verify(core, output, positionals[1])
      if (command === 'sync') return await syncCommand(core, output, values)
      if (command === 'db migrate') dbMigrate(core, output)
      else if (command === 'demo') await demo(core, output)
      else if (command === 'audit verify') await auditVerify(core, output)
      else if (command === 'template') await template(core, output, values)
      else if (command === 'corrections template') await correctionsTemplate(core, output, values)
      else {
        if (!values.user)
          throw new CliError(
            command === 'sign' ? SIGN_USAGE : command === 'seal add' ? SEAL_ADD_USAGE : '此命令需要 --user 指定执行操作的用户',
          )
        const actor = await core.auth.authenticate(values.user, await secrets.password(values.user))
        if (command === 'sign') return await sign(core, actor, output, values, secrets)
        if (command === 'user add') await userAdd(core, actor, output, values)
        else if (command === 'seal add') await sealAdd(core, actor, output, values)
        else if (command === 'render') await render(core, actor, output, values)
        else if (command === 'import') await importBatch(core, actor, output, values)
        else if (command === 'corrections import') await correctionsImport(core, actor, output, values)
        else if (isReviewCommand(command)) await review(core, actor, output, command, values)
        else await userList(core, actor, output)
      }
    } finally {
      await core.close()
    }
    return 0
  } catch (error) {
    const exitCode = error instanceof CliError ? error.exitCode : 1
    const message = error instanceof Error ? error.message : String(error)
    const code = error instanceof AppError ? error.code : exitCode === 1 ? 'CLI_ERROR' : 'FAILED'
    if (message) console.error(json ? JSON.stringify({ ok: false, error: { code, message } }) : `certdesk: ${message}`)
    return exitCode
  }
}
