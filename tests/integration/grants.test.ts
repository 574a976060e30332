import { describe, expect, it } from 'vitest'
import type { AuditEntry, OrganisationGrant, SettingValues } from '../../electron/contract'
import { requiredSeals } from '../../electron/core/certificates/seal-rules'
import { grantedLevels, isGranted } from '../../electron/core/organisations/grants'
import type { TestCore } from '../helpers/core'
import { auditCount, call, CHINESE, createDemoCore, expectError, expectOk, organisationId } from '../helpers/calls'
import { clonePerTest, sessionFor } from '../helpers/template'

const NURSING_BOARD = '上海市卫生系列护理专业高级职称评审委员会'
const ENGINEERING_BOARD = '浦东新区工程系列中级职称评审委员会'
const EXAM_CENTRE = '上海市建设工程考试中心'
const BUREAU = '上海市人力资源和社会保障局'
const DISTRICT = '上海市浦东新区人力资源和社会保障局'
const CONSTRUCTION = '上海市住房和城乡建设管理委员会'
const INSTITUTE = '上海市职业能力考试院'

let test: TestCore
let admin: string

clonePerTest(createDemoCore, async (clone) => {
  test = clone
  admin = await sessionFor(clone, 'admin')
})

const id = (name: string) => organisationId(test, name)
const title = (level: string, sealOrganisationId: number | null = null): OrganisationGrant => ({
  family: 'title',
  level,
  sealOrganisationId,
})
const vocational = (level: string): OrganisationGrant => ({ family: 'vocational', level, sealOrganisationId: null })

async function setGrants(organisation: string, grants: OrganisationGrant[], session = admin) {
  return call(test, 'organisations.setGrants', { organisationId: await id(organisation), grants }, session)
}

async function grantsOf(organisation: string, session: string | null = admin) {
  return call(test, 'organisations.grants', { organisationId: await id(organisation) }, session)
}

describe('organisation grants', () => {
  it('reads the demo grants in level order', async () => {
    expect(expectOk(await grantsOf(NURSING_BOARD))).toEqual([title('senior_full'), title('senior')])
    expect(expectOk(await grantsOf(ENGINEERING_BOARD))).toEqual([title('intermediate', await id(DISTRICT)), title('primary')])
    expect(expectOk(await grantsOf(EXAM_CENTRE))).toEqual([vocational('*')])
  })

  it('lets the admin replace the grants as a whole, with one audit entry holding before and after', async () => {
    const before = await auditCount(test)
    const saved = expectOk<OrganisationGrant[]>(await setGrants(NURSING_BOARD, [title('primary', await id(BUREAU)), title('senior')]))
    expect(saved).toEqual([title('senior'), title('primary', await id(BUREAU))])
    expect(expectOk(await grantsOf(NURSING_BOARD))).toEqual(saved)
    expect(await auditCount(test)).toBe(before + 1)
    const [entry] = expectOk<AuditEntry[]>(await call(test, 'audit.list', { limit: 1 }, admin))
    expect(entry).toMatchObject({
      action: 'organisation.grants',
      objectType: 'organisation',
      objectId: String(await id(NURSING_BOARD)),
      details: { code: 'WSHL', levels: ['senior', 'primary'] },
    })
    expect(entry.beforeDigest).not.toBeNull()
    expect(entry.afterDigest).not.toBe(entry.beforeDigest)

    // An empty list takes every grant away (the body can no longer apply).
    expectOk(await setGrants(NURSING_BOARD, []))
    expect(expectOk(await grantsOf(NURSING_BOARD))).toEqual([])
    expect(await auditCount(test)).toBe(before + 2)
  })

  it('refuses every non-admin writer, lets the desks read within their scope, and the sealer not at all', async () => {
    const before = await auditCount(test)
    for (const username of ['reviewer', 'bureau-reviewer', 'clerk', 'sealer', 'district-reviewer']) {
      const error = expectError(await setGrants(NURSING_BOARD, [title('senior')], await sessionFor(test, username)), 'FORBIDDEN')
      expect(error.message).toContain('系统管理员')
    }
    expect(await auditCount(test)).toBe(before)
    expect(expectOk(await grantsOf(NURSING_BOARD))).toHaveLength(2)

    // The health department oversees the nursing board; the bureau and the institute see the whole city.
    expectOk(await grantsOf(NURSING_BOARD, await sessionFor(test, 'reviewer')))
    expectOk(await grantsOf(EXAM_CENTRE, await sessionFor(test, 'bureau-reviewer')))
    expectOk(await grantsOf(ENGINEERING_BOARD, await sessionFor(test, 'clerk')))
    expectOk(await grantsOf(EXAM_CENTRE, await sessionFor(test, 'construction-reviewer')))
    expectOk(await grantsOf(ENGINEERING_BOARD, await sessionFor(test, 'district-reviewer')))
    // …but not the Pudong engineering board, which is not under it.
    expectError(await grantsOf(ENGINEERING_BOARD, await sessionFor(test, 'reviewer')), 'NOT_FOUND')
    expectError(await grantsOf(NURSING_BOARD, await sessionFor(test, 'sealer')), 'FORBIDDEN')
    expectError(await grantsOf(NURSING_BOARD, null), 'UNAUTHENTICATED')
    expectError(await call(test, 'organisations.grants', { organisationId: 9999 }, admin), 'NOT_FOUND')
  })

  it('gives title grants to review bodies and vocational grants to exam institutions only, in Chinese', async () => {
    const before = await auditCount(test)
    const refusals = [
      await setGrants(NURSING_BOARD, [vocational('一级')]),
      await setGrants(EXAM_CENTRE, [title('senior')]),
      await setGrants(INSTITUTE, [title('senior')]),
      await setGrants(CONSTRUCTION, [vocational('*')]),
      await setGrants(NURSING_BOARD, [title('senior'), title('senior')]),
      await setGrants(EXAM_CENTRE, [vocational('*'), vocational('一级')]),
    ]
    for (const refusal of refusals) expect(expectError(refusal, 'VALIDATION').message).toMatch(CHINESE)
    expect(expectError(refusals[0], 'VALIDATION').message).toContain('评审机构只能申请职称证书')
    expect(expectError(refusals[2], 'VALIDATION').message).toContain('只有评审机构和考试机构')
    // A level of the other family is refused at the boundary by the contract.
    expectError(await setGrants(NURSING_BOARD, [title('一级')]), 'VALIDATION')
    expectError(await setGrants(EXAM_CENTRE, [vocational('senior')]), 'VALIDATION')
    expect(await auditCount(test)).toBe(before)
    expect(expectOk(await grantsOf(EXAM_CENTRE))).toEqual([vocational('*')])

    expectOk(await setGrants(EXAM_CENTRE, [vocational('二级'), vocational('一级')]))
    expect(expectOk(await grantsOf(EXAM_CENTRE))).toEqual([vocational('一级'), vocational('二级')])
    // Another organisation's kind needs no grants, and may be cleared.
    expectOk(await setGrants(CONSTRUCTION, []))
  })

  it('takes a seal organisation only for intermediate and primary titles, and only the bureau or a department', async () => {
    const before = await auditCount(test)
    const refusals = [
      await setGrants(NURSING_BOARD, [title('senior', await id(BUREAU))]),
      await setGrants(EXAM_CENTRE, [{ family: 'vocational', level: '一级', sealOrganisationId: await id(BUREAU) }]),
      await setGrants(ENGINEERING_BOARD, [title('intermediate', await id(INSTITUTE))]),
      await setGrants(ENGINEERING_BOARD, [title('intermediate', await id(NURSING_BOARD))]),
      await setGrants(ENGINEERING_BOARD, [title('primary', 9999)]),
    ]
    for (const refusal of refusals) expect(expectError(refusal, 'VALIDATION').message).toMatch(CHINESE)
    expect(expectError(refusals[2], 'VALIDATION').message).toContain('上海市职业能力考试院')
    expect(await auditCount(test)).toBe(before)

    for (const seal of [BUREAU, DISTRICT, CONSTRUCTION]) {
      expectOk(await setGrants(ENGINEERING_BOARD, [title('intermediate', await id(seal)), title('primary', await id(seal))]))
    }
    expect(await auditCount(test)).toBe(before + 3)
  })

  it('decides the seal of an intermediate title by the configured grant (clause 3)', async () => {
    const board = await id(ENGINEERING_BOARD)
    const seal = async (level: string) =>
      (await requiredSeals(test.core.db, { family: 'title', level, organisationId: board })).map((item) => item.organisationName)
    expect(await seal('intermediate')).toEqual([DISTRICT])
    expectOk(await setGrants(ENGINEERING_BOARD, [title('intermediate', await id(CONSTRUCTION)), title('primary', await id(BUREAU))]))
    expect(await seal('intermediate')).toEqual([CONSTRUCTION])
    expect(await seal('primary')).toEqual([BUREAU])
    // Without a configured seal: the supervising department's.
    expectOk(await setGrants(ENGINEERING_BOARD, [title('intermediate')]))
    expect(await seal('intermediate')).toEqual([DISTRICT])
    // Senior titles carry the bureau's seal whatever is configured.
    expect(await seal('senior')).toEqual([BUREAU])
  })

  it('answers the import checks: granted levels, and every level under *', async () => {
    const db = test.core.db
    expect((await grantedLevels(db, await id(NURSING_BOARD), 'title')).sort()).toEqual(['senior', 'senior_full'])
    expect(await isGranted(db, await id(NURSING_BOARD), 'title', 'senior')).toBe(true)
    expect(await isGranted(db, await id(NURSING_BOARD), 'title', 'intermediate')).toBe(false)
    expect(await isGranted(db, await id(NURSING_BOARD), 'vocational', '一级')).toBe(false)
    expect(await isGranted(db, await id(EXAM_CENTRE), 'vocational', '三级')).toBe(true)
    expect(await isGranted(db, await id(EXAM_CENTRE), 'title', 'senior')).toBe(false)
  })
})

describe('the certificate-number settings', () => {
  const update = (key: string, value: unknown, session = admin) => call(test, 'settings.update', { key, value }, session)

  it('takes a layout of 2 or 4 year digits and 4–8 serial digits, legacy starts by year and code, extra ID types', async () => {
    const values = expectOk<SettingValues>(await update('numbering.layout', { yearDigits: 2, serialDigits: 6 }))
    expect(values['numbering.layout']).toEqual({ yearDigits: 2, serialDigits: 6 })
    expect(expectOk<SettingValues>(await update('numbering.legacyStarts', { '2025WSHL': 1201 }))['numbering.legacyStarts']).toEqual({
      '2025WSHL': 1201,
    })
    expect(expectOk<SettingValues>(await update('applications.extraIdTypes', ['军官证']))['applications.extraIdTypes']).toEqual(['军官证'])

    const before = await auditCount(test)
    for (const [key, value] of [
      ['numbering.layout', { yearDigits: 3, serialDigits: 5 }],
      ['numbering.layout', { yearDigits: 4, serialDigits: 9 }],
      ['numbering.layout', { yearDigits: 4, serialDigits: 5, prefix: 'X' }],
      ['numbering.legacyStarts', { '25WSHL': 1 }],
      ['numbering.legacyStarts', { '2025wshl': 1 }],
      ['numbering.legacyStarts', { '2025WSHL': 0 }],
      ['applications.extraIdTypes', ['军']],
    ] as const) {
      expect(expectError(await update(key, value), 'VALIDATION').message, key).toMatch(CHINESE)
    }
    expectError(await update('numbering.layout', { yearDigits: 4, serialDigits: 6 }, await sessionFor(test, 'reviewer')), 'FORBIDDEN')
    expect(await auditCount(test)).toBe(before)
  })
})
