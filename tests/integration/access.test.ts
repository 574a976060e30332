import { WORKFLOW_STATES } from '../../electron/contract/dashboard'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { listChannels, type DashboardGroup } from '../../electron/contract'
import type { Actor } from '../../electron/core/users/access'
import { AppError } from '../../electron/core/util/app-error'
import { loadActor } from '../../electron/core/users/users-repository'
import type { TestCore } from '../helpers/core'
import {
  auditCount,
  call,
  createDemoCore,
  DEMO_PASSWORD,
  DEMO_USERNAMES,
  expectError,
  expectOk,
  organisationId,
  userId,
  type DemoUsername,
} from '../helpers/calls'
import { cloneCore, sessionFor } from '../helpers/template'
import { DEMO_USERS } from '../../db/seeds/demo'
import { sealPng } from '../fixtures/seals/png'

const SEAL_PNG = sealPng().toString('base64')

/** The demo data (seeded once, five scrypt hashes); every block works on its own copy. */
let template: TestCore

beforeAll(async () => {
  template = await createDemoCore()
})

afterAll(async () => {
  await template.cleanup()
})

async function actorOf(test: TestCore, username: string): Promise<Actor> {
  return (await loadActor(test.core.db, await userId(test, username)))!
}

interface Ids {
  organisation: number
  user: number
  suffix: string
}

/** A valid payload for every non-public channel; `suffix` keeps created names unique per caller. */
const ADMIN_ONLY: Record<string, (ids: Ids) => unknown> = {
  'organisations.create': ({ suffix }) => ({
    name: `新评审委员会${suffix}`,
    kind: 'review_body',
    code: `NEW${suffix.toUpperCase()}`,
    parentId: null,
    organisingUnit: null,
  }),
  'organisations.update': ({ organisation }) => ({ id: organisation, organisingUnit: '上海市卫生健康委员会' }),
  'users.list': () => ({}),
  'users.create': ({ organisation, suffix }) => ({
    username: `newcomer-${suffix}`,
    displayName: '新用户',
    organisationId: organisation,
    roles: ['clerk'],
  }),
  'users.update': ({ user }) => ({ id: user, displayName: '卫健委审核员' }),
  'users.resetPassword': ({ user }) => ({ id: user }),
  'settings.update': () => ({ key: 'session.idleMinutes', value: 20 }),
  'audit.list': () => ({}),
  'audit.verify': () => ({}),
  'seals.setAppearance': ({ organisation }) => ({ organisationId: organisation, pngBase64: SEAL_PNG }),
  // Runs after setAppearance (insertion order), so there is an appearance to remove.
  'seals.removeAppearance': ({ organisation }) => ({ organisationId: organisation }),
  'organisations.setGrants': ({ organisation }) => ({
    organisationId: organisation,
    grants: [
      { family: 'title', level: 'senior_full', sealOrganisationId: null },
      { family: 'title', level: 'senior', sealOrganisationId: null },
    ],
  }),
}

const EVERY_SIGNED_IN: Record<string, (ids: Ids) => unknown> = {
  'auth.changePassword': () => ({ currentPassword: 'Not-the-password-1', newPassword: 'Brand-new-pass-2026' }),
  'organisations.list': () => ({}),
  'settings.get': () => ({}),
  'dashboard.summary': () => ({}),
  'certificates.list': () => ({}),
  'seals.getAppearance': ({ organisation }) => ({ organisationId: organisation }),
  // A demo certificate of the nursing board: inside every demo user's reach.
  'certificates.preview': () => ({ number: '2025WSHL00001' }),
  // The register (tests/integration/register.test.ts): every desk, within its organisation's reach.
  'certificates.search': () => ({ number: '2025WSHL00001' }),
  'certificates.detail': () => ({ number: '2025WSHL00001' }),
  'certificates.history': () => ({ number: '2025WSHL00001' }),
  'integrity.list': () => ({ certificateNumber: '2025WSHL00001' }),
  'integrity.evidence': () => ({ id: 1 }),
}

const UPLOAD_ID = 'f'.repeat(32)
const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so'

/** Channels of particular desks (reviewer, clerk…): their role rules are tested with each service. */
const DESK_ONLY: Record<string, (ids: Ids) => unknown> = {
  'organisations.grants': ({ organisation }) => ({ organisationId: organisation }),
  'uploads.begin': () => ({ purpose: 'workbook' }),
  'uploads.append': () => ({ id: UPLOAD_ID, file: 'a.xlsx', offset: 0, dataBase64: 'AAAA' }),
  'uploads.finish': () => ({ id: UPLOAD_ID }),
  'uploads.discard': () => ({ id: UPLOAD_ID }),
  'applications.template': () => ({ family: 'title' }),
  'applications.applyingOrganisations': () => ({}),
  'applications.import': ({ organisation }) => ({ family: 'title', organisationId: organisation, workbook: UPLOAD_ID }),
  'applications.queues': () => ({}),
  'applications.list': () => ({ queue: 'all' }),
  'applications.get': () => ({ id: 1 }),
  'applications.applicants': () => ({ batchId: 1 }),
  'applications.issues': () => ({ batchId: 1 }),
  'applications.photo': () => ({ applicantId: 1 }),
  'applications.notice': () => ({ batchId: 1 }),
  'applications.acknowledge': () => ({ batchId: 1, issueIds: [1] }),
  'applications.exclude': () => ({ batchId: 1, applicantIds: [1], reason: '重复申报' }),
  'applications.include': () => ({ batchId: 1, applicantIds: [1] }),
  'applications.approve': () => ({ batchId: 1 }),
  'applications.returnBatch': () => ({ batchId: 1, reason: '材料不全' }),
  'applications.errorWorkbook': () => ({ batchId: 1 }),
  'applications.productionList': () => ({ batchId: 1, format: 'pdf' }),
  // The seal registry is the admin's, the sealing desk the seal-key holders' (tests/integration/sealing/roles.test.ts).
  'seals.list': () => ({}),
  'seals.register': ({ organisation }) => ({
    organisationId: organisation,
    name: '测试印章',
    purpose: '专业技术资格证书专用章',
    certificateDerBase64: 'MIIB',
    appliesTo: [{ family: 'title', level: '*' }],
  }),
  'seals.update': () => ({ id: 1, active: false }),
  'seals.appearance': () => ({ id: 1 }),
  'sealing.modules': () => ({}),
  'sealing.setModules': () => ({ paths: [SOFTHSM] }),
  'sealing.slots': () => ({ modulePath: SOFTHSM }),
  'sealing.tokenCertificates': () => ({ modulePath: SOFTHSM, token: { label: '演示' } }),
  'sealing.batches': () => ({}),
  'sealing.jobs': () => ({}),
  'sealing.job': () => ({ jobId: 1 }),
  'sealing.jobItems': () => ({ jobId: 1 }),
  'sealing.createJob': () => ({ batchId: 1, sealId: 1 }),
  'sealing.start': () => ({ jobId: 1, modulePath: SOFTHSM, token: { label: '演示' }, pin: '123456' }),
  'sealing.pause': () => ({ jobId: 1 }),
  'sealing.resume': () => ({ jobId: 1 }),
  'sealing.cancel': () => ({ jobId: 1 }),
  'verification.verify': () => ({ uploadId: UPLOAD_ID }),
  // The sync page is the admin's and the institute's clerks' (tests/integration/sync/).
  'sync.status': () => ({}),
  'sync.items': () => ({}),
  'sync.retry': () => ({ ids: [1] }),
  'sync.runNow': () => ({}),
  // Corrections: the departments' and the bureau's reviewers, the institute's clerks (tests/integration/corrections/).
  'corrections.template': () => ({}),
  'corrections.import': () => ({ table: UPLOAD_ID }),
  'corrections.queues': () => ({}),
  'corrections.list': () => ({ queue: 'all' }),
  'corrections.get': () => ({ id: 1 }),
  'corrections.photo': () => ({ rowId: 1, which: 'new' }),
  'corrections.document': () => ({ requestId: 1, kind: 'table' }),
  'corrections.decide': () => ({
    requestId: 1,
    rows: [{ rowId: 1, decision: 'returned', reason: '证明材料不足' }],
    reason: '证明材料不足',
  }),
  'corrections.apply': () => ({ requestId: 1 }),
  // Recording findings: the institute's clerks and the supervising reviewers (tests/integration/integrity.test.ts).
  'integrity.record': () => ({
    kind: 'lending',
    subject: { type: 'certificate', number: '2025WSHL00001' },
    foundOn: '2026-11-20',
    description: '经查证存在挂证行为',
    evidence: UPLOAD_ID,
  }),
  // Revocations and filings (tests/integration/revocations.test.ts, filings.test.ts).
  'revocations.template': () => ({}),
  'revocations.record': () => ({
    list: { kind: 'text', text: '2025WSHL00001' },
    documentNumber: '沪卫人〔2026〕1号',
    documentDate: '2026-11-20',
    document: UPLOAD_ID,
    reason: 'report',
  }),
  'revocations.list': () => ({}),
  'revocations.get': () => ({ id: 1 }),
  'revocations.document': () => ({ id: 1 }),
  'revocations.approve': () => ({ id: 1 }),
  'revocations.reject': () => ({ id: 1, reason: '材料不足' }),
  'revocations.execute': () => ({ id: 1 }),
  'filings.unfiled': () => ({}),
  'filings.list': () => ({}),
  'filings.record': () => ({ batchId: 1, receivedOn: '2026-11-20', paperCount: 1, listScan: UPLOAD_ID }),
  'filings.document': () => ({ filingId: 1, kind: 'list' }),
  // Legacy records and clause 9's slips: reviewers and clerks, the import and 复核 the institute's clerks (tests/integration/legacy/).
  'legacy.desk': () => ({}),
  'legacy.template': () => ({ family: 'title' }),
  'legacy.organisations': () => ({ family: 'title' }),
  'legacy.import': ({ organisation }) => ({ family: 'title', organisationId: organisation, workbook: UPLOAD_ID }),
  'legacy.list': () => ({}),
  'legacy.record': () => ({ id: 1 }),
  'legacy.issueSlip': () => ({ certificateId: 1, reason: '原证书遗失' }),
  'legacy.slips': () => ({}),
  'legacy.recheck': () => ({ slipId: 1, decision: 'refuse', reason: '与档案不符' }),
  'legacy.slipDocument': () => ({ slipId: 1 }),
  // Any signed-in user holding a slip may look its number up, like 证书验证.
  'legacy.lookupSlip': () => ({ number: 'CX2026000001' }),
}

const PROTECTED = { ...ADMIN_ONLY, ...EVERY_SIGNED_IN, ...DESK_ONLY }
const ROLE_OF: Record<DemoUsername, string> = {
  admin: 'admin',
  reviewer: 'reviewer',
  'bureau-reviewer': 'reviewer',
  clerk: 'clerk',
  sealer: 'sealer',
}
const SUFFIX: Record<DemoUsername, string> = { admin: 'adm', reviewer: 'rev', 'bureau-reviewer': 'brev', clerk: 'clk', sealer: 'seal' }

describe('channels and roles', () => {
  let test: TestCore
  const sessions = {} as Record<DemoUsername, string>
  let ids: Omit<Ids, 'suffix'>

  beforeAll(async () => {
    test = await cloneCore(template)
    for (const username of DEMO_USERNAMES) sessions[username] = await sessionFor(test, username)
    ids = { organisation: await organisationId(test, '上海市卫生系列护理专业高级职称评审委员会'), user: await userId(test, 'reviewer') }
  })

  afterAll(async () => {
    await test.cleanup()
  })

  it('lists every non-public channel of the contract in this test, and only those', () => {
    const nonPublic = listChannels()
      .filter((entry) => !entry.method.public)
      .map((entry) => entry.channel)
    expect(Object.keys(PROTECTED).sort()).toEqual([...nonPublic].sort())
    for (const [channel, payload] of Object.entries(PROTECTED)) {
      const method = listChannels().find((entry) => entry.channel === channel)!.method
      expect(method.input.safeParse(payload({ ...ids, suffix: 'x' })).success, channel).toBe(true)
    }
  })

  it('answers UNAUTHENTICATED on every non-public channel without a session, or with an unknown one', async () => {
    for (const [channel, payload] of Object.entries(PROTECTED)) {
      expectError(await call(test, channel, payload({ ...ids, suffix: 'anon' }), null), 'UNAUTHENTICATED')
      expectError(await call(test, channel, payload({ ...ids, suffix: 'anon' }), 'made-up-session-id'), 'UNAUTHENTICATED')
    }
    expect(await test.core.db('users').where('username', 'like', 'newcomer-%')).toEqual([])
  })

  for (const username of DEMO_USERNAMES.filter((name) => name !== 'admin')) {
    it(`refuses the admin-only channels to ${username} (${ROLE_OF[username]}) with FORBIDDEN and changes nothing`, async () => {
      const before = await auditCount(test)
      for (const [channel, payload] of Object.entries(ADMIN_ONLY)) {
        const error = expectError(await call(test, channel, payload({ ...ids, suffix: SUFFIX[username] }), sessions[username]), 'FORBIDDEN')
        expect(error.message, channel).toContain('系统管理员')
      }
      expect(await auditCount(test)).toBe(before)
      expect(await test.core.db('users').where('username', 'like', 'newcomer-%')).toEqual([])
      expect(await test.core.db('organisations').where('name', 'like', '新评审委员会%')).toEqual([])
    })

    it(`lets ${username} use the channels open to every signed-in user`, async () => {
      for (const channel of [
        'organisations.list',
        'settings.get',
        'dashboard.summary',
        'certificates.list',
        'certificates.preview',
        'certificates.search',
        'certificates.detail',
        'certificates.history',
        'integrity.list',
      ]) {
        expectOk(await call(test, channel, EVERY_SIGNED_IN[channel]({ ...ids, suffix: SUFFIX[username] }), sessions[username]))
      }
      // Not forbidden: it fails only because the current password is wrong.
      expectError(
        await call(
          test,
          'auth.changePassword',
          EVERY_SIGNED_IN['auth.changePassword']({ ...ids, suffix: SUFFIX[username] }),
          sessions[username],
        ),
        'LOGIN_FAILED',
      )
    })
  }

  it('lets the admin use every protected channel', async () => {
    for (const [channel, payload] of Object.entries(ADMIN_ONLY)) {
      expectOk(await call(test, channel, payload({ ...ids, suffix: SUFFIX.admin }), sessions.admin))
    }
    for (const channel of ['organisations.list', 'settings.get', 'dashboard.summary'])
      expectOk(await call(test, channel, {}, sessions.admin))
    expect(await test.core.db('users').where({ username: 'newcomer-adm' })).toHaveLength(1)
  })
})

describe('the services check roles themselves', () => {
  let test: TestCore
  let reviewer: Actor
  let admin: Actor

  beforeAll(async () => {
    test = await cloneCore(template)
    reviewer = await actorOf(test, 'reviewer')
    admin = await actorOf(test, 'admin')
  })

  afterAll(async () => {
    await test.cleanup()
  })

  async function refusal(work: Promise<unknown>): Promise<string> {
    const error = await work.then(
      () => null,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(AppError)
    return (error as AppError).code
  }

  it('refuses a non-admin actor in every admin-only service method', async () => {
    const { core } = test
    const reviewerId = reviewer.userId
    const before = await auditCount(test)
    const calls: Array<[string, Promise<unknown>]> = [
      ['users.list', core.users.list(reviewer, {})],
      ['users.create', core.users.create(reviewer, { username: 'sneaky', displayName: 'x', organisationId: 1, roles: ['admin'] })],
      ['users.update', core.users.update(reviewer, { id: reviewerId, roles: ['admin'] })],
      ['users.resetPassword', core.users.resetPassword(reviewer, admin.userId)],
      [
        'organisations.create',
        core.organisations.create(reviewer, { name: '自建机构', kind: 'review_body', code: 'SELF', parentId: null, organisingUnit: null }),
      ],
      ['organisations.update', core.organisations.update(reviewer, { id: 1, name: '改名' })],
      ['settings.update', core.settings.update(reviewer, 'session.idleMinutes', 480)],
      ['audit.list', core.auditService.list(reviewer, { limit: 10 })],
      ['audit.verify', core.auditService.verify(reviewer)],
    ]
    for (const [name, work] of calls) expect(await refusal(work), name).toBe('FORBIDDEN')
    expect(await auditCount(test)).toBe(before)
    expect(await core.db('user_roles').where({ user_id: reviewerId }).pluck('role')).toEqual(['reviewer'])
    expect(await core.db('users').where({ username: 'sneaky' })).toEqual([])
  })

  it('refuses a missing actor with UNAUTHENTICATED, also for reads open to everyone', async () => {
    const { core } = test
    expect(await refusal(core.users.list(null, {}))).toBe('UNAUTHENTICATED')
    expect(await refusal(core.organisations.list(null, {}))).toBe('UNAUTHENTICATED')
    expect(await refusal(core.settings.get(null))).toBe('UNAUTHENTICATED')
    expect(await refusal(core.dashboard.summary(null))).toBe('UNAUTHENTICATED')
    expect(await refusal(core.auth.changePassword(null, null, DEMO_PASSWORD, 'Another-pass-2026'))).toBe('UNAUTHENTICATED')
  })

  it('lets an admin actor through', async () => {
    expect((await test.core.users.list(admin, {})).map((user) => user.username).sort()).toEqual(
      DEMO_USERS.map((user) => user.username).sort(),
    )
  })
})

describe('the last administrator', () => {
  let test: TestCore
  let admin: string
  let adminId: number

  beforeEach(async () => {
    test = await cloneCore(template)
    admin = await sessionFor(test, 'admin')
    adminId = await userId(test, 'admin')
  })

  afterEach(async () => {
    await test.cleanup()
  })

  it('cannot be disabled or lose the admin role', async () => {
    expectError(await call(test, 'users.update', { id: adminId, active: false }, admin), 'LAST_ADMIN')
    expectError(await call(test, 'users.update', { id: adminId, roles: ['reviewer'] }, admin), 'LAST_ADMIN')
    const actor = await actorOf(test, 'admin')
    await expect(test.core.users.update(actor, { id: adminId, active: false })).rejects.toMatchObject({ code: 'LAST_ADMIN' })
    const stored = await test.core.db('users').where({ id: adminId }).first('active')
    expect(Boolean(stored.active)).toBe(true)
    expect(await test.core.db('user_roles').where({ user_id: adminId }).pluck('role')).toEqual(['admin'])
    // Other changes to the last admin are fine.
    expectOk(await call(test, 'users.update', { id: adminId, roles: ['admin', 'sealer'], displayName: '管理员' }, admin))
  })

  it('can step down once another active admin exists, who then becomes the last one', async () => {
    const second = await userId(test, 'bureau-reviewer')
    expectOk(await call(test, 'users.update', { id: second, roles: ['reviewer', 'admin'] }, admin))
    // A disabled admin does not count.
    expectOk(await call(test, 'users.update', { id: second, active: false }, admin))
    expectError(await call(test, 'users.update', { id: adminId, roles: ['reviewer'] }, admin), 'LAST_ADMIN')
    expectOk(await call(test, 'users.update', { id: second, active: true }, admin))
    expectOk(await call(test, 'users.update', { id: adminId, roles: ['reviewer'] }, admin))
    // The former admin's session lost its rights at once.
    expectError(await call(test, 'users.list', {}, admin), 'FORBIDDEN')
    const secondSession = await sessionFor(test, 'bureau-reviewer')
    expectError(await call(test, 'users.update', { id: second, active: false }, secondSession), 'LAST_ADMIN')
    expectError(await call(test, 'users.update', { id: second, roles: ['reviewer'] }, secondSession), 'LAST_ADMIN')
  })
})

describe('dashboard summary per role', () => {
  let test: TestCore
  const sessions = {} as Record<DemoUsername, string>

  beforeAll(async () => {
    test = await cloneCore(template)
    const db = test.core.db
    const now = '2026-11-28T08:00:00.000Z'
    const org = (name: string) => organisationId(test, name)
    const batch = async (organisation: number, state: string) =>
      (
        (await db('application_batches')
          .insert({ organisation_id: organisation, family: 'title', state, source: 'import', created_at: now, updated_at: now })
          .returning('id')) as Array<{ id: number }>
      )[0].id
    const health = await org('上海市卫生健康委员会')
    const nursing = await org('上海市卫生系列护理专业高级职称评审委员会')
    const engineering = await org('浦东新区工程系列中级职称评审委员会')
    const examCentre = await org('上海市建设工程考试中心')
    const bureau = await org('上海市人力资源和社会保障局')
    await batch(health, 'submitted')
    await batch(health, 'submitted')
    const approved = await batch(nursing, 'approved')
    await batch(engineering, 'submitted')
    const issued = await batch(examCentre, 'issued')
    await db('filings').insert({
      batch_id: issued,
      received_on: '2026-11-28',
      paper_count: 1,
      electronic_count: 1,
      recorded_by: await userId(test, 'clerk'),
      created_at: now,
    })
    const [seal] = (await db('seals')
      .insert({
        organisation_id: bureau,
        name: '上海市人力资源和社会保障局职称专用章',
        purpose: 'title',
        certificate_fingerprint: 'a'.repeat(64),
        certificate_pem: 'PEM',
        applies_to: '[]',
        created_at: now,
        updated_at: now,
      })
      .returning('id')) as Array<{ id: number }>
    await db('signing_jobs').insert({
      batch_id: approved,
      seal_id: seal.id,
      state: 'running',
      created_by: await userId(test, 'sealer'),
      created_at: now,
      updated_at: now,
    })
    for (const username of DEMO_USERNAMES) sessions[username] = await sessionFor(test, username)
  })

  afterAll(async () => {
    await test.cleanup()
  })

  const summary = async (username: DemoUsername) =>
    expectOk<DashboardGroup[]>(await call(test, 'dashboard.summary', {}, sessions[username]))
  const allCounts = (groups: DashboardGroup[], key: DashboardGroup['key']) => groups.find((item) => item.key === key)?.counts
  /** The non-zero counts, sorted by state (every known state is also listed with zero). */
  const group = (groups: DashboardGroup[], key: DashboardGroup['key']) =>
    allCounts(groups, key)
      ?.filter((item) => item.count > 0)
      .sort((a, b) => a.key.localeCompare(b.key))

  it('shows a department reviewer the applications of the department and its review bodies only', async () => {
    const groups = await summary('reviewer')
    expect(groups.map((item) => item.key)).toEqual(['applications', 'corrections', 'revocations'])
    expect(group(groups, 'applications')).toEqual([
      { key: 'approved', count: 1 },
      { key: 'submitted', count: 2 },
    ])
    // Every state of the workflow is on the card, in workflow order, zero included.
    expect(allCounts(groups, 'applications')!.map((item) => item.key)).toEqual([...WORKFLOW_STATES.applications])
    expect(allCounts(groups, 'revocations')).toEqual(WORKFLOW_STATES.revocations.map((key) => ({ key, count: 0 })))
  })

  it('shows the bureau reviewer the applications of the whole city', async () => {
    const groups = await summary('bureau-reviewer')
    expect(groups.map((item) => item.key)).toEqual(['applications', 'corrections', 'revocations'])
    expect(group(groups, 'applications')).toEqual([
      { key: 'approved', count: 1 },
      { key: 'issued', count: 1 },
      { key: 'submitted', count: 3 },
    ])
  })

  it('shows the sealer signing work only', async () => {
    const groups = await summary('sealer')
    expect(groups.map((item) => item.key)).toEqual(['signing'])
    expect(group(groups, 'signing')).toEqual([{ key: 'running', count: 1 }])
  })

  it('shows the clerk filing, with unfiled approved or issued batches', async () => {
    const groups = await summary('clerk')
    expect(groups.map((item) => item.key)).toEqual(['applications', 'filing', 'corrections', 'revocations', 'sync'])
    // Approved just now: waiting, not yet overdue (filing.reminderDays, tests/integration/filings.test.ts).
    expect(allCounts(groups, 'filing')).toEqual([
      { key: 'unfiled', count: 1 },
      { key: 'overdue', count: 0 },
      { key: 'filed', count: 1 },
    ])
  })

  it('shows the admin administration with the real counts', async () => {
    const groups = await summary('admin')
    expect(groups.map((item) => item.key)).toEqual(['sync', 'administration'])
    expect(allCounts(groups, 'administration')).toEqual([
      { key: 'organisations', count: 9 },
      { key: 'users', count: DEMO_USERS.length },
      { key: 'auditEntries', count: await auditCount(test) },
    ])
    expectOk(await call(test, 'users.update', { id: await userId(test, 'sealer'), active: false }, sessions.admin))
    expect(group(await summary('admin'), 'administration')?.find((item) => item.key === 'users')?.count).toBe(DEMO_USERS.length - 1)
  })
})
