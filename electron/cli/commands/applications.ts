import { writeFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Core } from '../../core/app'
import type { Actor } from '../../core/users/access'
import { FAMILIES, type Family } from '../../contract/roles'
import { CliError, type Output } from '../io'

function family(value: string | undefined, usage: string): Family {
  if (!value || !(FAMILIES as readonly string[]).includes(value))
    throw new CliError(`--family 只能是 title（职称证书）或 vocational（职业资格证书）\n${usage}`)
  return value as Family
}

const TEMPLATE_USAGE = '用法：certdesk template --family title|vocational --out 文件.xlsx'

/** `certdesk template --family title|vocational --out FILE`: the unified-format template; it holds no data, so no user is needed. */
export async function template(core: Core, output: Output, options: { family?: string; out?: string }): Promise<void> {
  const which = family(options.family, TEMPLATE_USAGE)
  if (!options.out) throw new CliError(TEMPLATE_USAGE)
  const bytes = await core.imports.templateBytes(which)
  await writeFile(options.out, bytes)
  output.result({ file: options.out, bytes: bytes.length }, () => `已生成模板 ${options.out}`)
}

const IMPORT_USAGE =
  '用法：certdesk import --user 用户 --family title|vocational --org 机构代码 --file 名单.xlsx [--photos 目录或ZIP] [--notice 通知.pdf] [--errors-out 错误清单.xlsx]'

/**
 * `certdesk import …`: imports an application batch as the signed-in user, exactly like the
 * import page. Row errors do not stop the import (the batch is stored with its issue list and
 * cannot be approved until they are dealt with); `--errors-out` saves the error workbook.
 */
export async function importBatch(
  core: Core,
  actor: Actor,
  output: Output,
  options: { family?: string; org?: string; file?: string; photos?: string; notice?: string; 'errors-out'?: string },
): Promise<void> {
  const which = family(options.family, IMPORT_USAGE)
  if (!options.org || !options.file) throw new CliError(IMPORT_USAGE)
  const organisation = (await core.db('organisations').where({ code: options.org.toUpperCase() }).first('id')) as { id: number } | undefined
  if (!organisation) throw new CliError(`没有代码为 ${options.org} 的机构`)
  const batch = await core.imports.importBatch(actor, {
    family: which,
    organisationId: organisation.id,
    workbookPath: options.file,
    fileName: basename(options.file),
    photosPath: options.photos ?? null,
    noticePath: options.notice ?? null,
  })
  let errorsFile: string | null = null
  if (options['errors-out'] && batch.errorCount > 0) {
    const workbook = await core.review.errorWorkbook(actor, batch.id)
    await writeFile(options['errors-out'], Buffer.from(workbook.base64, 'base64'))
    errorsFile = options['errors-out']
  }
  output.result(
    { batch, errorsFile },
    () =>
      `已导入批次 ${batch.id}（${batch.organisationName}）：${batch.applicantCount} 人，错误 ${batch.errorCount} 条，警告 ${batch.warningCount} 条` +
      (errorsFile ? `；错误清单已保存到 ${errorsFile}` : batch.errorCount > 0 ? '；可用 --errors-out 保存错误清单' : ''),
  )
}
