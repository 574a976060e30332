import { writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Core } from '../../core/app'
import type { Actor } from '../../core/users/access'
import { CliError, type Output } from '../io'

/** The corrections commands, as `run` dispatches them. */
export const CORRECTIONS_COMMANDS = ['corrections template', 'corrections import'] as const
export const CORRECTIONS_OPTIONS = {
  explanation: { type: 'string' },
  proofs: { type: 'string' },
} as const
export const CORRECTIONS_HELP = `  corrections template --out 文件.xlsx
                             生成《证书信息勘误汇总表》模板（含填表说明）
  corrections import --user 审核员 --file 勘误汇总表.xlsx [--explanation 情况说明.pdf] [--proofs 目录或ZIP]
                             提交勘误申请：整表检查通过才提交；有错误时整表不提交（退出码 1），
                             列出每行的错误并在表格旁保存错误清单`

const TEMPLATE_USAGE = '用法：certdesk corrections template --out 文件.xlsx'
const IMPORT_USAGE =
  '用法：certdesk corrections import --user 审核员 --file 勘误汇总表.xlsx [--explanation 情况说明.pdf] [--proofs 目录或ZIP]'

/** `certdesk corrections template --out FILE`: the blank table holds no data, so no user is needed. */
export async function correctionsTemplate(core: Core, output: Output, options: { out?: string }): Promise<void> {
  if (!options.out) throw new CliError(TEMPLATE_USAGE)
  const bytes = await core.corrections.templateBytes()
  await writeFile(options.out, bytes)
  output.result({ file: options.out, bytes: bytes.length }, () => `已生成勘误汇总表模板 ${options.out}`)
}

/**
 * `certdesk corrections import …`: submits a table as the signed-in reviewer, exactly like the
 * import dialog. A refused table stores nothing: exit 1 with every row message (the error
 * workbook beside the table has them all, with the rows to correct).
 */
export async function correctionsImport(
  core: Core,
  actor: Actor,
  output: Output,
  options: { file?: string; explanation?: string; proofs?: string },
): Promise<void> {
  if (!options.file) throw new CliError(IMPORT_USAGE)
  const result = await core.corrections.importTable(actor, {
    tablePath: options.file,
    fileName: basename(options.file),
    explanationPath: options.explanation ?? null,
    proofsPath: options.proofs ?? null,
  })
  if (!result.accepted) {
    const path = join(dirname(options.file), result.errorWorkbook.fileName)
    await writeFile(path, Buffer.from(result.errorWorkbook.base64, 'base64'))
    const more = result.errorCount > result.messages.length ? `\n……共 ${result.errorCount} 处错误，全部列在错误清单中` : ''
    throw new CliError(
      `勘误汇总表未提交：${result.rowCount} 行中发现 ${result.errorCount} 处错误，整表不提交，请改正后重新导入\n` +
        `${result.messages.join('\n')}${more}\n错误清单已保存到 ${path}`,
    )
  }
  const request = result.request
  output.result(
    { request },
    () => `已提交勘误申请 ${request.id}：${request.rowCount} 行，涉及 ${request.certificateCount} 张证书，待市人社局审核`,
  )
}
