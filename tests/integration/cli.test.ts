import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/core/db/connection'
import { databaseFile } from '../../electron/core/paths'
import { poppler } from '../fixtures/documents/poppler'
import { cli } from '../helpers/cli'

describe('certdesk CLI', () => {
  let dataDir: string
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'certdesk-cli-'))
  })
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  it('migrates, then reports the schema as current', async () => {
    const first = await cli(['--data-dir', dataDir, '--json', 'db', 'migrate'])
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout).applied.length).toBeGreaterThan(10)
    const second = await cli(['--data-dir', dataDir, '--json', 'db', 'migrate'])
    expect(JSON.parse(second.stdout).applied).toEqual([])
  })

  it('demo seeds one account per role whose printed password signs in; audit verify then succeeds', async () => {
    const demo = await cli(['--data-dir', dataDir, '--json', 'demo'])
    expect(demo.code).toBe(0)
    const accounts = JSON.parse(demo.stdout).accounts as Array<{ username: string; password: string; roles: string[] }>
    expect(new Set(accounts.flatMap((account) => account.roles))).toEqual(new Set(['admin', 'reviewer', 'clerk', 'sealer']))
    const admin = accounts.find((account) => account.roles.includes('admin'))!
    const list = await cli(['--data-dir', dataDir, '--json', 'user', 'list', '--user', 'admin'], { CERTDESK_PASSWORD: admin.password })
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout).map((user: { username: string }) => user.username)).toContain('clerk')
    const verify = await cli(['--data-dir', dataDir, 'audit', 'verify'])
    expect(verify.code).toBe(0)
    expect(verify.stdout).toContain('审计日志完整')
    expect((await cli(['--data-dir', dataDir, 'demo'])).code).toBe(1)
  })

  it('demo creates a SoftHSM2 token with two seals and seals its sample batches: the files in the data directory verify', async () => {
    const demo = await cli(['--data-dir', dataDir, '--json', 'demo'])
    expect(demo.code).toBe(0)
    const { sealing, registry } = JSON.parse(demo.stdout) as {
      sealing: { files: string[]; pin: string } | null
      registry: { delivered: number; applications: number; url: string }
    }
    // The demo registry got the five sealed certificates (and an audit checkpoint) and offered one online application.
    expect(registry).toMatchObject({ delivered: 6, applications: 1, url: 'http://127.0.0.1:5190' })
    // SoftHSM2 is a test dependency (scripts/install-system-deps.sh): without it this fails, it never skips.
    expect(sealing, 'SoftHSM2 must be installed for the demo seals').not.toBeNull()
    expect(sealing!.files.map((file) => file.split('/').pop())).toEqual([
      '2026WSHL00001.pdf',
      '2026WSHL00002.pdf',
      '2026WSHL00003.pdf',
      '2026JSKS00001.pdf',
      '2026JSKS00002.pdf',
    ])
    for (const file of sealing!.files) {
      const checked = await cli(['--data-dir', dataDir, '--json', 'verify', file])
      expect(checked.code, file).toBe(0)
      const report = JSON.parse(checked.stdout)
      expect(report).toMatchObject({ valid: true, registryStatus: 'active', unsignedFields: [] })
      expect(report.signatures).toHaveLength(file.includes('JSKS') ? 2 : 1)
    }
  })

  it('user add needs an admin: a reviewer is refused, an admin gets a one-time password', async () => {
    const accounts = JSON.parse((await cli(['--data-dir', dataDir, '--json', 'demo'])).stdout).accounts as Array<{
      username: string
      password: string
    }>
    const password = (name: string) => accounts.find((account) => account.username === name)!.password
    const args = ['--data-dir', dataDir, 'user', 'add', '--username', 'wang.li', '--name', '王莉', '--org', 'WSHL', '--roles', 'reviewer']
    const refused = await cli([...args, '--user', 'reviewer'], { CERTDESK_PASSWORD: password('reviewer') })
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('权限')
    const wrong = await cli([...args, '--user', 'admin'], { CERTDESK_PASSWORD: 'wrong-password-1' })
    expect(wrong.code).not.toBe(0)
    expect(wrong.stderr).toContain('用户名或密码错误')
    const added = await cli([...args, '--json', '--user', 'admin'], { CERTDESK_PASSWORD: password('admin') })
    expect(added.code).toBe(0)
    const { user, initialPassword } = JSON.parse(added.stdout)
    expect(user).toMatchObject({ username: 'wang.li', roles: ['reviewer'], mustChangePassword: true })
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{14}$/)
    const unknownOrg = await cli([...args.slice(0, -4), '--org', 'NOPE', '--roles', 'reviewer', '--user', 'admin'], {
      CERTDESK_PASSWORD: password('admin'),
    })
    expect(unknownOrg.stderr).toContain('找不到机构')
  })

  it('audit verify fails with a non-zero exit and names the row edited by hand', async () => {
    await cli(['--data-dir', dataDir, 'demo'])
    const db = openDatabase({ filename: databaseFile(dataDir) })
    try {
      // By hand means around the append-only triggers, as someone with the file would.
      await db.raw('DROP TRIGGER audit_log_no_update')
      await db('audit_log').where({ id: 7 }).update({ actor_name: 'someone-else' })
    } finally {
      await db.destroy()
    }
    const verify = await cli(['--data-dir', dataDir, '--json', 'audit', 'verify'])
    expect(verify.code).toBe(2)
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: false, firstBroken: { id: 7 } })
    const human = await cli(['--data-dir', dataDir, 'audit', 'verify'])
    expect(human.stdout).toContain('第 7 条')
  })

  it('render writes the certificate PDF from its snapshot; an unknown number or another body’s certificate is refused', async () => {
    const accounts = JSON.parse((await cli(['--data-dir', dataDir, '--json', 'demo'])).stdout).accounts as Array<{
      username: string
      password: string
    }>
    const password = (name: string) => accounts.find((account) => account.username === name)!.password
    const out = join(dataDir, 'out.pdf')
    const args = (number: string) => ['--data-dir', dataDir, 'render', '--certificate', number, '--out', out]
    const done = await cli([...args('2025wshl00001'), '--user', 'clerk'], { CERTDESK_PASSWORD: password('clerk') })
    expect(done.code).toBe(0)
    const pdf = readFileSync(out)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(poppler('pdftotext', ['-enc', 'UTF-8', '-'], pdf).stdout.toString('utf8')).toContain('王丽华')
    const unknown = await cli([...args('2025WSHL99999'), '--user', 'clerk'], { CERTDESK_PASSWORD: password('clerk') })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('不存在')
    // The health department's reviewer does not oversee the Pudong engineering board.
    const outside = await cli([...args('2025PDGC00001'), '--user', 'reviewer'], { CERTDESK_PASSWORD: password('reviewer') })
    expect(outside.code).toBe(1)
  })

  it('unknown commands and missing --user fail with a one-line message', async () => {
    const unknown = await cli(['--data-dir', dataDir, 'frobnicate'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr.split('\n')).toHaveLength(1)
    const noUser = await cli(['--data-dir', dataDir, 'user', 'list'])
    expect(noUser.code).toBe(1)
    expect(noUser.stderr).toContain('--user')
  })
})
