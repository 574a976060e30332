import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rewriteAuditEntry } from '../../helpers/audit-rewrite'
import { actorOf } from '../../helpers/batches'
import { createDemoCore } from '../../helpers/calls'
import type { TestCore } from '../../helpers/core'
import { people, writeApplicationWorkbook, writePhotoFolder } from '../../fixtures/applications/generate'
import type { TestRegistry } from '../../helpers/registry-server'
import { connectRegistry } from '../../helpers/sync-registry'

let test: TestCore
let registry: TestRegistry

beforeAll(async () => {
  test = await createDemoCore()
  registry = await connectRegistry(test.core, await actorOf(test.core, 'admin'))
}, 60_000)

afterAll(async () => {
  await registry?.close()
  await test?.cleanup()
})

/** An application as the online platform submits it: the unified-format workbook, its photos as a ZIP, the notice. */
async function submit(id: string, count: number): Promise<void> {
  const dir = join(test.dataDir, `submitted-${id}`)
  mkdirSync(join(dir, 'photos'), { recursive: true })
  const generated = people('title', count)
  await writeApplicationWorkbook(
    join(dir, 'list.xlsx'),
    'title',
    generated.map((person) => person.row),
  )
  await writePhotoFolder(
    join(dir, 'photos'),
    generated.map((person) => person.idNumber),
  )
  execFileSync('zip', ['-qrj', join(dir, 'photos.zip'), join(dir, 'photos')])
  const answer = await registry.admin('POST', '/_admin/applications', {
    id,
    organisationCode: 'WSHL',
    family: 'title',
    workbook: readFileSync(join(dir, 'list.xlsx')).toString('base64'),
    workbookName: '网上申报名单.xlsx',
    photosZip: readFileSync(join(dir, 'photos.zip')).toString('base64'),
    notice: Buffer.from('%PDF-1.7\n% 评审结果通知\n%%EOF\n').toString('base64'),
  })
  expect(answer.status, answer.text()).toBe(201)
}

describe('the inbox and the audit checkpoint', () => {
  it('lets only the admin and the institute’s clerks see, run and retry the sync', async () => {
    for (const username of ['reviewer', 'sealer', 'bureau-reviewer']) {
      const user = await actorOf(test.core, username)
      await expect(test.core.sync.status(user)).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(test.core.sync.runNow(user)).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(test.core.sync.retry(user, [1])).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    const clerk = await test.core.sync.status(await actorOf(test.core, 'clerk'))
    expect(clerk).toMatchObject({ configured: true, baseUrl: registry.url })
    expect(clerk.publicKeyPem).toContain('BEGIN PUBLIC KEY')
    expect(clerk.publicKeyPem).not.toContain('PRIVATE')
  })

  it('takes each application of the online platform once, as a batch like an imported one, and sends its decision back', async () => {
    await submit('WEB-2026-0001', 3)
    const first = await test.core.sync.pass()
    expect(first).toMatchObject({ taken: 1, error: null })
    const batch = await test.core.db('application_batches').where({ external_ref: 'WEB-2026-0001' }).first()
    expect(batch).toMatchObject({ source: 'registry', state: 'submitted', applicant_count: 3, created_by: null })
    // Taken once: the next pass finds nothing new, and the cursor is stored.
    expect((await test.core.sync.pass()).taken).toBe(0)
    expect(await test.core.db('inbox').where({ external_id: 'WEB-2026-0001' })).toHaveLength(1)
    expect(await test.core.db('sync_cursors').where({ name: 'registry.applications' }).first()).toBeTruthy()
    // Reviewed like any batch; the final decision goes back through the outbox.
    const detail = await test.core.review.approve(await actorOf(test.core, 'reviewer'), batch.id)
    expect(detail.state).toBe('approved')
    expect(await test.core.db('outbox').where({ event_type: 'application.decision' }).pluck('ordering_key')).toEqual([
      'application:WEB-2026-0001',
    ])
    expect((await test.core.sync.pass()).delivered).toBeGreaterThanOrEqual(1)
    const stored = (await registry.admin('GET', '/_admin/applications/WEB-2026-0001')).json<{
      decisions: Array<{ decision: string; firstNumber: string }>
    }>()
    expect(stored.decisions).toEqual([expect.objectContaining({ decision: 'approved', firstNumber: detail.numbers!.first })])
  })

  it('returns an application that cannot become a batch, with the reason, and takes it only once', async () => {
    const answer = await registry.admin('POST', '/_admin/applications', {
      id: 'WEB-2026-0002',
      organisationCode: 'WSHL',
      family: 'title',
      workbook: Buffer.from('姓名,性别\n王丽华,女\n').toString('base64'),
      workbookName: '名单.csv.xlsx',
    })
    expect(answer.status).toBe(201)
    expect(await test.core.sync.pass()).toMatchObject({ taken: 0, error: null })
    expect(await test.core.db('inbox').where({ external_id: 'WEB-2026-0002' }).first()).toMatchObject({ batch_id: null })
    expect(await test.core.db('application_batches').where({ external_ref: 'WEB-2026-0002' })).toHaveLength(0)
    await test.core.sync.pass()
    const stored = (await registry.admin('GET', '/_admin/applications/WEB-2026-0002')).json<{
      decisions: Array<{ decision: string; reason: string }>
    }>()
    expect(stored.decisions).toEqual([
      expect.objectContaining({ decision: 'returned', reason: expect.stringMatching(/工作簿|Excel|xlsx/) }),
    ])
  })

  it('detects a local audit log rewritten after its checkpoint was published, even with every later hash recomputed', async () => {
    await test.core.sync.pass()
    const published = (await test.core.sync.status(await actorOf(test.core, 'admin'))).checkpoint
    expect(published).toMatchObject({ matches: true })
    // Someone with the database file edits an entry and recomputes the chain after it, so that
    // the log verifies on its own: only the published checkpoint gives it away.
    await rewriteAuditEntry(test.core.db, 2, { rewritten: true })
    expect((await test.core.audit.verify()).ok).toBe(true)
    await test.core.sync.pass()
    const checkpoint = (await test.core.sync.status(await actorOf(test.core, 'admin'))).checkpoint
    expect(checkpoint).toMatchObject({ matches: false })
    expect(checkpoint!.reason).toContain('被改写')
    // Later passes publish no checkpoint of the rewritten log: the mismatch does not wear off.
    const checkpoints = () => test.core.db('outbox').where({ event_type: 'audit.checkpoint' }).count({ n: '*' }).first()
    const before = await checkpoints()
    test.clock.advance(24 * 3600_000)
    await test.core.sync.pass()
    expect(await checkpoints()).toEqual(before)
    expect((await test.core.sync.status(await actorOf(test.core, 'admin'))).checkpoint).toMatchObject({ matches: false })
  })
})
