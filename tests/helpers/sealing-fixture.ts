import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCore, type Core } from '../../electron/core/app'
import { resourcesDir } from '../../electron/core/paths'
import { TokenHost, type TokenHostOptions } from '../../electron/core/sealing/pkcs11/token-host'
import type { Actor } from '../../electron/core/users/access'
import { seedDemo } from '../../db/seeds/demo'
import { actorOf, applicants, insertBatch } from './batches'
import { TestClock } from './core'
import { createTestPki, type TestPki } from './openssl'
import { createSoftHsm, type SoftHsm } from './softhsm'
import { provisionSealToken, USER_PIN, type SealKey, type SealKeySpec } from './token-fixture'

export { USER_PIN }

export const DEMO_PASSWORD = 'Demo-pass-2026'
export const TOKEN_LABEL = 'CertDesk 测试印章'

/** The two seals of the fixture: the bureau's (RSA-2048) and the construction department's (ECDSA P-256). */
export const SEAL_KEYS: Record<'bureau' | 'construction', SealKeySpec> = {
  bureau: {
    keyType: 'rsa-2048',
    id: '01',
    subject: '/C=CN/O=上海市人力资源和社会保障局/CN=上海市人力资源和社会保障局专业技术资格证书专用章',
  },
  construction: { keyType: 'ec-p256', id: '02', subject: '/C=CN/O=上海市住房和城乡建设管理委员会/CN=上海市住房和城乡建设管理委员会专用章' },
}

export interface SealingFixture {
  root: string
  hsm: SoftHsm
  tokens: TokenHost
  core: Core
  clock: TestClock
  pki: TestPki
  serial: string
  keys: Record<'bureau' | 'construction', SealKey>
  seals: { bureau: number; construction: number }
  actors: { admin: Actor; sealer: Actor; constructionSealer: Actor }
  /** A title batch (WSHL senior nurses), approved and numbered. */
  titleBatch(count: number, from?: number): Promise<number>
  /** A vocational batch (JSKS constructors), approved by the department and the bureau. */
  vocationalBatch(count: number, from?: number): Promise<number>
  /** Reopens the core on the same data directory (a restart of the app). */
  reopen(): Promise<void>
  cleanup(): Promise<void>
}

/**
 * A real sealing setup: SoftHSM2 with its own token directory (set before this process's first
 * C_Initialize), a token holding the two demo seals' keys with certificates from an openssl CA,
 * the demo organisations and accounts, the seals registered and the module configured.
 */
export async function createSealingFixture(options: { host?: TokenHostOptions } = {}): Promise<SealingFixture> {
  const root = mkdtempSync(join(tmpdir(), 'certdesk-sealing-'))
  const hsm = createSoftHsm(join(root, 'hsm'))
  const tokens = new TokenHost(options.host)
  // The certificates openssl issues below start when issued: the app's clock runs an hour ahead of them.
  const clock = new TestClock(new Date(Date.now() + 3600_000).toISOString())
  const dataDir = join(root, 'data')
  const fixture = { root, hsm, tokens, clock } as SealingFixture
  fixture.core = await openCore({ dataDir, clock, tokens })
  await seedDemo(fixture.core, () => DEMO_PASSWORD)
  fixture.pki = createTestPki(join(root, 'pki'))
  const token = await provisionSealToken(tokens, hsm.modulePath, fixture.pki, TOKEN_LABEL, SEAL_KEYS)
  fixture.serial = token.serial
  fixture.keys = token.keys
  const admin = await actorOf(fixture.core, 'admin')
  await fixture.core.tokens.setModules(admin, [hsm.modulePath])
  const organisation = async (name: string) => ((await fixture.core.db('organisations').where({ name }).first('id')) as { id: number }).id
  const register = async (
    name: string,
    organisationName: string,
    key: SealKey,
    appliesTo: Array<{ family: 'title' | 'vocational'; level: string }>,
  ) =>
    (
      await fixture.core.sealRegistry.register(admin, {
        organisationId: await organisation(organisationName),
        name,
        purpose: '专业技术资格证书专用章',
        certificateDerBase64: key.der.toString('base64'),
        tokenLabel: TOKEN_LABEL,
        tokenSerial: token.serial,
        appliesTo,
      })
    ).id
  fixture.seals = {
    bureau: await register('市人社局专业技术资格证书专用章', '上海市人力资源和社会保障局', token.keys.bureau, [
      { family: 'title', level: '*' },
      { family: 'vocational', level: '*' },
    ]),
    construction: await register('市住建委专用章', '上海市住房和城乡建设管理委员会', token.keys.construction, [
      { family: 'vocational', level: '*' },
    ]),
  }
  const loadActors = async () => ({
    admin: await actorOf(fixture.core, 'admin'),
    sealer: await actorOf(fixture.core, 'sealer'),
    constructionSealer: await actorOf(fixture.core, 'construction-sealer'),
  })
  fixture.actors = await loadActors()
  const photo = readFileSync(join(resourcesDir(), 'demo', 'photo-1.jpg'))
  const approve = async (batchId: number, reviewers: string[]) => {
    for (const reviewer of reviewers) await fixture.core.review.approve(await actorOf(fixture.core, reviewer), batchId)
    return batchId
  }
  fixture.titleBatch = async (count, from = 1) => {
    const people = applicants('title', count, from).map((applicant) => ({ ...applicant, photo }))
    const batch = await insertBatch(fixture.core, { organisationCode: 'WSHL', family: 'title', createdBy: 'clerk', applicants: people })
    return approve(batch.id, ['reviewer'])
  }
  fixture.vocationalBatch = async (count, from = 1) => {
    const people = applicants('vocational', count, from).map((applicant) => ({ ...applicant, photo }))
    const batch = await insertBatch(fixture.core, {
      organisationCode: 'JSKS',
      family: 'vocational',
      createdBy: 'clerk',
      applicants: people,
    })
    return approve(batch.id, ['construction-reviewer', 'bureau-reviewer'])
  }
  fixture.reopen = async () => {
    await fixture.core.close()
    fixture.tokens = new TokenHost(options.host)
    fixture.core = await openCore({ dataDir, clock, tokens: fixture.tokens })
    fixture.actors = await loadActors()
  }
  fixture.cleanup = async () => {
    await fixture.core.close()
    rmSync(root, { recursive: true, force: true })
  }
  return fixture
}
