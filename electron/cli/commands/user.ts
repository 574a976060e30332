import { RoleSchema, ROLE_LABELS, type Role } from '../../contract/roles'
import type { Core } from '../../core/app'
import type { Actor } from '../../core/users/access'
import { CliError, type Output } from '../io'

async function findOrganisationId(core: Core, reference: string): Promise<number> {
  const row = (await core
    .db('organisations')
    .where('code', reference)
    .orWhere('name', reference)
    .orWhere('id', /^\d+$/.test(reference) ? Number(reference) : -1)
    .first('id')) as { id: number } | undefined
  if (!row) throw new CliError(`找不到机构“${reference}”（可用机构代码、名称或编号）`)
  return row.id
}

function parseRoles(value: string): Role[] {
  return value.split(',').map((item) => {
    const parsed = RoleSchema.safeParse(item.trim())
    if (!parsed.success) throw new CliError(`未知角色“${item}”，可选：reviewer, clerk, sealer, admin`)
    return parsed.data
  })
}

/** `certdesk user add`: the admin creates an account; its one-time password is printed once. */
export async function userAdd(
  core: Core,
  actor: Actor,
  output: Output,
  options: { username?: string; name?: string; org?: string; roles?: string },
): Promise<void> {
  if (!options.username || !options.org || !options.roles) {
    throw new CliError(
      '用法：certdesk user add --user 管理员 --username 新用户名 --name 显示名 --org 机构代码或名称 --roles reviewer,clerk',
    )
  }
  const { user, initialPassword } = await core.users.create(actor, {
    username: options.username,
    displayName: options.name ?? options.username,
    organisationId: await findOrganisationId(core, options.org),
    roles: parseRoles(options.roles),
  })
  output.result({ user, initialPassword }, () =>
    [
      `已创建用户 ${user.username}（${user.roles.map((role) => ROLE_LABELS[role]).join('、')} · ${user.organisationName}）`,
      `一次性密码：${initialPassword}（首次登录后必须修改）`,
    ].join('\n'),
  )
}

export async function userList(core: Core, actor: Actor, output: Output): Promise<void> {
  const users = await core.users.list(actor, {})
  output.result(users, () =>
    users
      .map(
        (user) =>
          `${user.username.padEnd(16)} ${user.active ? '启用' : '停用'}  ${user.roles.join(',').padEnd(24)} ${user.organisationName}`,
      )
      .join('\n'),
  )
}
