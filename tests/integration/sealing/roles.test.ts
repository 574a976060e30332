import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { actorOf } from '../../helpers/batches'
import { createSealingFixture, TOKEN_LABEL, USER_PIN, type SealingFixture } from '../../helpers/sealing-fixture'
import { signBatch } from '../../helpers/sealing-jobs'

let fixture: SealingFixture

beforeAll(async () => {
  fixture = await createSealingFixture()
}, 120_000)

afterAll(async () => {
  await fixture?.cleanup()
})

const start = (jobId: number) => ({
  jobId,
  modulePath: fixture.hsm.modulePath,
  token: { serial: fixture.serial, label: TOKEN_LABEL },
  pin: USER_PIN,
  confirmFinalTry: false,
  timestamp: false,
})

describe('who may seal, and what is kept of the PIN', () => {
  it('only admins register seals; only the seal-key holders of the seal’s organisation sign with it', async () => {
    const { core, actors, seals } = fixture
    const reviewer = await actorOf(core, 'reviewer')
    const clerk = await actorOf(core, 'clerk')
    const register = { organisationId: 1, name: '私刻印章', purpose: '专业技术资格证书专用章', certificateDerBase64: 'MIIB', appliesTo: [] }
    for (const user of [reviewer, clerk, actors.sealer])
      await expect(core.sealRegistry.register(user, register)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    for (const user of [reviewer, clerk]) {
      await expect(core.sealing.batches(user)).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(core.tokens.slots(user, fixture.hsm.modulePath)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    const batchId = await fixture.titleBatch(1, 500)
    // The admin registers seals but holds no key: signing is the sealer's.
    await expect(core.sealing.createJob(actors.admin, batchId, seals.bureau)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // The construction department's key holder cannot use the bureau's seal.
    await expect(core.sealing.createJob(actors.constructionSealer, batchId, seals.bureau)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const job = await core.sealing.createJob(actors.sealer, batchId, seals.bureau)
    await expect(core.sealing.start(actors.constructionSealer, start(job.id))).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(core.sealing.job(actors.constructionSealer, job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // The bureau's seal does not apply to a seal slot that is the department's.
    const vocational = await fixture.vocationalBatch(1, 500)
    await signBatch(fixture, vocational, seals.bureau)
    await expect(core.sealing.createJob(actors.constructionSealer, vocational, seals.construction)).resolves.toMatchObject({ total: 1 })
  })

  it('never loads a module nobody configured', async () => {
    const { core, actors } = fixture
    await expect(core.tokens.slots(actors.sealer, '/usr/lib/x86_64-linux-gnu/libc.so.6')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('尚未配置'),
    })
  })

  it('keeps the PIN nowhere: not in the database or its journal, the audit log, the files or anything printed', async () => {
    const printed: string[] = []
    const spies = (['log', 'error', 'warn', 'info'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...items: unknown[]) => void printed.push(items.map(String).join(' '))),
    )
    try {
      const batchId = await fixture.titleBatch(2, 600)
      expect(await signBatch(fixture, batchId, fixture.seals.bureau)).toMatchObject({ state: 'completed', done: 2 })
      await expect(
        fixture.core.sealing.start(fixture.actors.sealer, {
          ...start(
            (await fixture.core.sealing.createJob(fixture.actors.sealer, await fixture.titleBatch(1, 700), fixture.seals.bureau)).id,
          ),
          pin: 'wrong-pin-31337',
        }),
      ).rejects.toMatchObject({ code: 'PIN_INCORRECT', message: expect.not.stringContaining('31337') })
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
    for (const pin of [USER_PIN, 'wrong-pin-31337']) {
      expect(printed.join('\n')).not.toContain(pin)
      const dataDir = join(fixture.root, 'data')
      for (const name of ['certdesk.sqlite', 'certdesk.sqlite-wal']) {
        const file = join(dataDir, name)
        if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(pin)), `${name} holds the PIN`).toBe(false)
      }
      const audit = (await fixture.core.db('audit_log').select('details')) as Array<{ details: string }>
      expect(audit.some((row) => row.details.includes(pin))).toBe(false)
      for (const pack of readdirSync(join(dataDir, 'files', 'packs'))) {
        expect(readFileSync(join(dataDir, 'files', 'packs', pack)).includes(Buffer.from(pin)), pack).toBe(false)
      }
    }
  })
})
