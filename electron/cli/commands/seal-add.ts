import { readFile } from 'node:fs/promises'
import type { SealScope } from '../../contract/seals'
import type { Core } from '../../core/app'
import type { Actor } from '../../core/users/access'
import { CliError, type Output } from '../io'

/** Besides run.ts's own (--certificate, --org, --name) and sign's (--module, --token). */
export const SEAL_ADD_OPTIONS = {
  purpose: { type: 'string' },
  applies: { type: 'string' },
  appearance: { type: 'string' },
} as const

export interface SealAddOptions {
  module?: string
  token?: string
  certificate?: string
  org?: string
  name?: string
  purpose?: string
  applies?: string
  appearance?: string
}

export const SEAL_ADD_USAGE =
  '用法：certdesk seal add --user 管理员 --module 模块路径 --token 密钥标签 --certificate 证书标签、CKA_ID 或指纹 --org 机构代码或名称 --name 印章名称 [--purpose 用途] --applies title:senior,vocational:* [--appearance 图样.png]'

/** "title:senior,title:senior_full,vocational:*" → scopes; the core validates each level. */
function scopesOf(value: string): SealScope[] {
  return value.split(',').map((part) => {
    const [family, level = '*'] = part.trim().split(':')
    if (family !== 'title' && family !== 'vocational')
      throw new CliError(`--applies 中的“${part}”应写作 title:级别 或 vocational:级别（* 表示全部级别）`)
    return { family, level }
  })
}

async function organisationId(core: Core, value: string): Promise<number> {
  const row = (await core.db('organisations').where({ code: value }).orWhere({ name: value }).first('id')) as { id: number } | undefined
  if (!row) throw new CliError(`找不到机构“${value}”`)
  return row.id
}

/**
 * `certdesk seal add`: registers a seal from a certificate on a token — the certificate chosen
 * by its CKA_LABEL, CKA_ID or SHA-256 fingerprint, the key found later by its CKA_ID.
 */
export async function sealAdd(core: Core, actor: Actor, output: Output, options: SealAddOptions): Promise<void> {
  const { module, token, certificate, org, name, applies } = options
  if (!module || !token || !certificate || !org || !name || !applies) throw new CliError(SEAL_ADD_USAGE)
  const modules = await core.tokens.modules(actor)
  if (!modules.configured.includes(module)) await core.tokens.setModules(actor, [...modules.configured, module])
  const fingerprint = certificate.toLowerCase().replace(/:/g, '')
  const found = (await core.tokens.certificates(actor, module, { label: token })).filter(
    (item) => item.label === certificate || item.id === fingerprint || item.fingerprint === fingerprint,
  )
  if (found.length !== 1) {
    throw new CliError(
      found.length === 0 ? `密钥“${token}”上没有证书“${certificate}”` : `密钥“${token}”上有多个证书与“${certificate}”匹配，请用指纹指定`,
    )
  }
  const appearance = options.appearance ? (await readFile(options.appearance)).toString('base64') : undefined
  const seal = await core.sealRegistry.register(actor, {
    organisationId: await organisationId(core, org),
    name,
    purpose: options.purpose ?? '专业技术资格证书专用章',
    certificateDerBase64: found[0].derBase64,
    tokenLabel: token,
    appliesTo: scopesOf(applies),
    appearancePngBase64: appearance,
  })
  output.result(
    seal,
    () =>
      `已登记印章 ${seal.id}“${seal.name}”（${seal.organisationName}）：${seal.certificate.subject}，有效期至 ${seal.certificate.notAfter.slice(0, 10)}`,
  )
}
