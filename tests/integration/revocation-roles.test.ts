import { describe, expect, it } from 'vitest'
import type { RevocationRequest } from '../../electron/core/revocations/revocations-service'
import { actorOf, addUser } from '../helpers/batches'
import { createDemoCore } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { appRefusal as refusal, recordRevocation } from '../helpers/revocation-fixtures'
import { clonePerTest } from '../helpers/template'

const WSHL_CERTIFICATE = '2025WSHL00001'
const PDGC_CERTIFICATE = '2025PDGC00001'

let test: TestCore

async function createTemplate(): Promise<TestCore> {
  const template = await createDemoCore()
  const bureau = '上海市人力资源和社会保障局'
  await addUser(template.core, { username: 'bureau-second', displayName: '市人社局审核员二', organisation: bureau, roles: ['reviewer'] })
  // A clerk outside the institute: may import for the department's bodies, never execute a revocation.
  await addUser(template.core, {
    username: 'health-clerk',
    displayName: '卫健委经办人',
    organisation: '上海市卫生健康委员会',
    roles: ['clerk'],
  })
  return template
}
clonePerTest(createTemplate, (clone) => void (test = clone), 120_000)

const as = (username: string) => actorOf(test.core, username)
const record = (text: string, overrides: Partial<RevocationRequest> = {}, username = 'reviewer') =>
  recordRevocation(test.core, text, overrides, username)
const statusOf = async (number: string) =>
  ((await test.core.db('certificates').where({ number }).first('status')) as { status: string }).status

describe('who may take each step', () => {
  it('only a reviewer records; only the bureau decides; only the institute executes, after approval', async () => {
    await refusal(record(WSHL_CERTIFICATE, {}, 'health-clerk'), 'FORBIDDEN')
    const recorded = await record(WSHL_CERTIFICATE)
    const forbidden = async (username: string, step: 'approve' | 'execute') =>
      (await refusal(test.core.revocations[step](await as(username), recorded.id), 'FORBIDDEN')).message
    expect(await forbidden('reviewer', 'approve')).toBe('注销申请须由市人社局的审核员审核')
    expect(await forbidden('clerk', 'approve')).toBe('注销申请须由市人社局的审核员审核')
    await refusal(test.core.revocations.reject(await as('construction-reviewer'), recorded.id, '证据不足'), 'NOT_FOUND')
    expect(await forbidden('bureau-reviewer', 'execute')).toBe('注销须由市职业能力考试院的备案员执行')
    // The institute cannot execute what the bureau has not approved.
    expect((await refusal(test.core.revocations.execute(await as('clerk'), recorded.id), 'INVALID_STATE')).message).toContain(
      '待市人社局审核',
    )
    await test.core.revocations.approve(await as('bureau-reviewer'), recorded.id)
    expect((await refusal(test.core.revocations.approve(await as('bureau-second'), recorded.id), 'INVALID_STATE')).message).toContain(
      '待考试院注销',
    )
    expect(await forbidden('health-clerk', 'execute')).toBe('注销须由市职业能力考试院的备案员执行')
    await refusal(test.core.revocations.get(await as('sealer'), recorded.id), 'FORBIDDEN')
    expect(await statusOf(WSHL_CERTIFICATE)).toBe('active')
  })

  it('never lets the recorder approve, even a bureau reviewer recording for a body under the bureau', async () => {
    const admin = await as('admin')
    const bureauId = ((await test.core.db('organisations').where({ kind: 'bureau' }).first('id')) as { id: number }).id
    const body = await test.core.organisations.create(admin, {
      name: '上海市经济系列高级职称评审委员会',
      kind: 'review_body',
      code: 'JJGJ',
      parentId: bureauId,
      organisingUnit: null,
    })
    await test.core.db('certificates').where({ number: PDGC_CERTIFICATE }).update({ organisation_id: body.id })
    const recorded = await record(PDGC_CERTIFICATE, {}, 'bureau-reviewer')
    expect(recorded.refusal).toBe('不能审核自己登记的注销申请，请由市人社局的其他审核员审核')
    await refusal(test.core.revocations.approve(await as('bureau-reviewer'), recorded.id), 'FORBIDDEN')
    expect((await test.core.revocations.approve(await as('bureau-second'), recorded.id)).state).toBe('approved')
  })

  it('a rejection keeps its reason, frees the certificate for a new revocation and cannot be executed', async () => {
    const recorded = await record(WSHL_CERTIFICATE)
    await refusal(test.core.revocations.reject(await as('bureau-reviewer'), recorded.id, ' '), 'VALIDATION')
    const rejected = await test.core.revocations.reject(await as('bureau-reviewer'), recorded.id, '举报材料未经查实')
    expect(rejected).toMatchObject({ state: 'rejected', rejectionReason: '举报材料未经查实', canDecide: false, canExecute: false })
    expect(await test.core.db('revocations').pluck('state')).toEqual(['rejected'])
    await refusal(test.core.revocations.execute(await as('clerk'), recorded.id), 'INVALID_STATE')
    const again = await record(WSHL_CERTIFICATE, { documentNumber: '沪卫人〔2026〕99号' })
    expect(again.state).toBe('submitted')
    expect(await statusOf(WSHL_CERTIFICATE)).toBe('active')
  })

  it('shows each department its own revocations, and the bureau and the institute all of them', async () => {
    const health = await record(WSHL_CERTIFICATE)
    const district = await record(PDGC_CERTIFICATE, {}, 'district-reviewer')
    const ids = async (username: string) => (await test.core.revocations.list(await as(username), { limit: 50 })).map((item) => item.id)
    expect(await ids('reviewer')).toEqual([health.id])
    expect(await ids('district-reviewer')).toEqual([district.id])
    expect(await ids('bureau-reviewer')).toEqual([district.id, health.id])
    expect(await ids('clerk')).toEqual([district.id, health.id])
    expect((await test.core.revocations.list(await as('clerk'), { state: 'approved', limit: 50 })).length).toBe(0)
    await refusal(test.core.revocations.get(await as('reviewer'), district.id), 'NOT_FOUND')
    await refusal(test.core.revocations.document(await as('construction-reviewer'), health.id), 'NOT_FOUND')
  })
})
