import { writeFile } from 'node:fs/promises'
import type { Core } from '../../core/app'
import type { Actor } from '../../core/users/access'
import { CliError, type Output } from '../io'

/**
 * `certdesk render --certificate NO --out FILE.pdf [--version N] [--document certificate|slip]`:
 * renders a version, or its query slip / pass certificate, from the stored snapshot.
 */
export async function render(
  core: Core,
  actor: Actor,
  output: Output,
  options: { certificate?: string; out?: string; version?: string; document?: string },
): Promise<void> {
  if (!options.certificate || !options.out) {
    throw new CliError(
      '用法：certdesk render --user 用户 --certificate 证书编号 --out 文件.pdf [--version 版本号] [--document certificate|slip]',
    )
  }
  const document = options.document ?? 'certificate'
  if (document !== 'certificate' && document !== 'slip') throw new CliError('--document 只能是 certificate（证书）或 slip（查询单/成绩单）')
  const version = options.version === undefined ? undefined : Number(options.version)
  if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new CliError('--version 必须是正整数')
  const { fileName, bytes } = await core.certificates.renderVersion(actor, options.certificate.toUpperCase(), version, document)
  await writeFile(options.out, bytes)
  output.result(
    { file: options.out, fileName, bytes: bytes.length },
    () => `已生成 ${options.out}（${fileName}，${Math.round(bytes.length / 1024)} KB）`,
  )
}
