import { describe, expect, it } from 'vitest'
import type { Core } from '../../electron/core/app'
import { addUser, applicants, insertBatch, type BatchSpec } from '../helpers/batches'
import { createDemoCore, DEMO_PASSWORD } from '../helpers/calls'
import { cli } from '../helpers/cli'
import type { TestCore } from '../helpers/core'
import { clonePerTest } from '../helpers/template'

const PASSWORD = DEMO_PASSWORD

describe('certdesk review', () => {
  let core: Core
  let dataDir: string

  // Seeding hashes a password per account (scrypt): slow on a busy machine.
  async function createTemplate(): Promise<TestCore> {
    const template = await createDemoCore()
    const add = (username: string, displayName: string, organisation: string, role: 'reviewer' | 'clerk') =>
      addUser(template.core, { username, displayName, organisation, roles: [role], password: PASSWORD })
    await add('health-second', '卫健委审核员二', '上海市卫生健康委员会', 'reviewer')
    await add('zjw-first', '住建委审核员', '上海市住房和城乡建设管理委员会', 'reviewer')
    await add('wshl-clerk', '护理评委会经办人', 'WSHL', 'clerk')
    return template
  }
  // The test's core stays open beside the CLI's own, like the app and the CLI on one data directory.
  clonePerTest(
    createTemplate,
    (clone) => {
      core = clone.core
      dataDir = clone.dataDir
    },
    120_000,
  )

  const batch = (spec: Partial<BatchSpec> = {}) =>
    insertBatch(core, { organisationCode: 'WSHL', family: 'title', createdBy: 'wshl-clerk', applicants: applicants('title', 3), ...spec })

  /** Runs `certdesk --data-dir … <args> --user <user>` with the user's password in the environment. */
  const as = (user: string, ...args: string[]) => cli(['--data-dir', dataDir, ...args, '--user', user], { CERTDESK_PASSWORD: PASSWORD })

  it('approves a title batch and prints its numbers; approving it again fails with one Chinese line', async () => {
    const { id } = await batch()
    const approved = await as('reviewer', 'review', 'approve', '--batch', String(id))
    expect(approved).toMatchObject({ code: 0, stderr: '' })
    expect(approved.stdout).toContain(`批次 ${id} 已审核通过：证书编号 2026WSHL00001–2026WSHL00003，共 3 个`)
    expect(await core.db('certificates').where({ batch_id: id, status: 'pending' }).count({ n: '*' })).toEqual([{ n: 3 }])

    const again = await as('reviewer', 'review', 'approve', '--batch', String(id))
    expect(again.code).toBe(1)
    expect(again.stderr.split('\n')).toHaveLength(1)
    expect(again.stderr).toMatch(/^certdesk: 您已审核过该批次/)
    const json = await as('health-second', '--json', 'review', 'approve', '--batch', String(id))
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stderr)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE', message: expect.stringContaining('已由他人处理') },
    })
  })

  it('returns a batch with the reason, as JSON', async () => {
    const { id } = await batch()
    const returned = await as('reviewer', '--json', 'review', 'return', '--batch', String(id), '--reason', '结果通知未盖章')
    expect(returned.code).toBe(0)
    expect(JSON.parse(returned.stdout)).toMatchObject({
      id,
      state: 'returned',
      reviews: [{ stage: 1, decision: 'returned', reason: '结果通知未盖章', reviewerName: '卫健委审核员' }],
    })
    const human = await batch()
    expect((await as('reviewer', 'review', 'return', '--batch', String(human.id), '--reason', '材料不全')).stdout).toContain(
      `批次 ${human.id} 已退回：材料不全`,
    )
  })

  it('enforces the same rules as the app: the submitter, other departments, a missing password', async () => {
    const own = await batch({ createdBy: 'reviewer' })
    const refused = await as('reviewer', 'review', 'approve', '--batch', String(own.id))
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('不能审核自己提交的批次')
    const hidden = await as('zjw-first', '--json', 'review', 'show', '--batch', String(own.id))
    expect(JSON.parse(hidden.stderr).error.code).toBe('NOT_FOUND')
    const wrong = await cli(['--data-dir', dataDir, 'review', 'approve', '--batch', String(own.id), '--user', 'health-second'], {
      CERTDESK_PASSWORD: 'wrong-password-1',
    })
    expect(wrong.stderr).toContain('用户名或密码错误')
    expect((await as('health-second', 'review', 'approve', '--batch', String(own.id))).code).toBe(0)
  })

  it('lists the queue and shows a batch with what blocks it', async () => {
    const clean = await batch()
    const specs = applicants('title', 2, 10)
    specs[0].issues = [{ severity: 'error', code: 'ID_CHECK_CHARACTER', column: '证件号码' }]
    const blocked = await batch({ applicants: specs })
    const list = await as('reviewer', '--json', 'review', 'list', '--queue', 'to_review')
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout).map((item: { id: number }) => item.id)).toEqual([blocked.id, clean.id])
    const human = await as('reviewer', 'review', 'list')
    expect(human.stdout).toContain('待我审核：')
    expect(human.stdout).toContain(`#${clean.id}`)
    expect((await as('wshl-clerk', 'review', 'list')).stdout).toContain('待我审核：没有批次')

    const show = await as('reviewer', 'review', 'show', '--batch', String(blocked.id))
    expect(show.code).toBe(0)
    expect(show.stdout).toContain('状态：待审核')
    expect(show.stdout).toContain('不能通过：还有 1 名申请人有错误')
    const approve = await as('reviewer', 'review', 'approve', '--batch', String(blocked.id))
    expect(approve.stderr).toContain('该批次现在不能审核通过')
  })

  it('explains bad arguments', async () => {
    const { id } = await batch()
    expect((await as('reviewer', 'review', 'approve')).stderr).toContain('用法：certdesk review approve')
    expect((await as('reviewer', 'review', 'approve', '--batch', 'abc')).stderr).toContain('--batch 必须是批次号')
    expect((await as('reviewer', 'review', 'return', '--batch', String(id))).stderr).toContain('--reason')
    expect((await as('reviewer', 'review', 'return', '--batch', String(id), '--reason', '缺')).stderr).toContain('至少 2 个字')
    expect((await as('reviewer', 'review', 'list', '--queue', 'mine')).stderr).toContain('--queue 只能是')
    expect((await as('reviewer', 'review', 'show', '--batch', '99999')).stderr).toContain('不存在')
    const help = await cli(['--help'])
    expect(help.stdout).toContain('review approve')
  })
})
