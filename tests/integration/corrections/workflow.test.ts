import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CorrectionDetail } from '../../../electron/contract/corrections'
import type { Actor } from '../../../electron/core/users/access'
import { photoFor } from '../../fixtures/applications/generate'
import { proofPdf } from '../../fixtures/corrections/tables'
import { actorOf, addUser } from '../../helpers/batches'
import { call, expectError, expectOk } from '../../helpers/calls'
import type { TestCore } from '../../helpers/core'
import { certificateOf, correctionRow, correctionsTemplate, submitTable } from '../../helpers/corrections'
import { clonePerTest, sessionFor } from '../../helpers/template'

/** Submit → the bureau decides (whole or row by row) → the institute applies, with who may do what. */

let test: TestCore
let work: string
let department: Actor
let bureau: Actor
let clerk: Actor

clonePerTest(correctionsTemplate, async (clone) => {
  test = clone
  department = await actorOf(clone.core, 'reviewer')
  bureau = await actorOf(clone.core, 'bureau-reviewer')
  clerk = await actorOf(clone.core, 'clerk')
})
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-corrections-'))
})
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
})

const title = (index: number) => certificateOf('WSHL', 'title', index)
const PHOTO_REASON = '原照片为他人照片，经公安部门核实后更换'
const newPhoto = photoFor('corrected-photo')

/** A submitted request: an employer on 1, a specialty on 2, a new photo on 3. */
async function submitThree(): Promise<CorrectionDetail> {
  const result = await submitTable(test.core, department, work, {
    rows: [
      correctionRow(title(1), '工作单位', '上海市第六人民医院'),
      correctionRow(title(2), '专业名称', '内科护理'),
      correctionRow(title(3), '照片', '', { reason: PHOTO_REASON, proofs: '新照片.jpg' }),
    ],
    proofs: { '新照片.jpg': newPhoto, '证明.pdf': proofPdf() },
  })
  if (!result.accepted) throw new Error(result.messages.join('\n'))
  return test.core.corrections.get(bureau, result.request.id)
}

const approveAll = (detail: CorrectionDetail) =>
  detail.rows.map((row) => ({ rowId: row.id, decision: 'approved' as const, photoConsent: true }))

describe('who may do what', () => {
  it('only reviewers submit; a clerk is refused and nothing is stored', async () => {
    await expect(
      submitTable(test.core, clerk, work, { rows: [correctionRow(title(1), '工作单位', '上海市第六人民医院')] }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    expect(await test.core.db('correction_requests').count({ n: '*' }).first()).toEqual({ n: 0 })
  })

  it('only a reviewer of the bureau decides, never the submitter; only the institute’s clerk applies', async () => {
    const detail = await submitThree()
    expect(await test.core.corrections.get(department, detail.id)).toMatchObject({
      canDecide: false,
      decideRefusal: '勘误申请须由市人社局的审核员审核',
    })
    await expect(test.core.corrections.decide(department, detail.id, approveAll(detail))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(test.core.corrections.decide(clerk, detail.id, approveAll(detail))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(test.core.corrections.apply(clerk, detail.id)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('审核通过后才能更正'),
    })
    // A request a bureau reviewer submitted goes to another bureau reviewer.
    await addUser(test.core, {
      username: 'bureau-reviewer-2',
      displayName: '市人社局审核员二',
      organisation: '上海市人力资源和社会保障局',
      roles: ['reviewer'],
    })
    await test.core.db('correction_requests').where({ id: detail.id }).update({ submitted_by: bureau.userId })
    await expect(test.core.corrections.decide(bureau, detail.id, approveAll(detail))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: '不能审核自己提交的勘误申请，请由市人社局的其他审核员审核',
    })
    const approved = await test.core.corrections.decide(await actorOf(test.core, 'bureau-reviewer-2'), detail.id, approveAll(detail))
    expect(approved.state).toBe('approved')
    await expect(test.core.corrections.apply(department, detail.id)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await test.core.corrections.get(clerk, detail.id)).canApply).toBe(true)
  })

  it('shows each desk its queue, and keeps other departments out', async () => {
    const detail = await submitThree()
    const counts = async (actor: Actor) =>
      Object.fromEntries((await test.core.corrections.queues(actor)).map((item) => [item.queue, item.count]))
    expect(await counts(bureau)).toMatchObject({ to_review: 1, open: 1 })
    expect(await counts(department)).toMatchObject({ submitted_by_me: 1, open: 1 })
    expect(await counts(department)).not.toHaveProperty('to_review')
    expect(await counts(clerk)).toMatchObject({ to_apply: 0, open: 1 })
    await test.core.corrections.decide(bureau, detail.id, approveAll(detail))
    expect(await counts(clerk)).toMatchObject({ to_apply: 1 })
    expect(await counts(bureau)).toMatchObject({ to_review: 0 })
    const construction = await actorOf(test.core, 'construction-reviewer')
    expect(await test.core.corrections.list(construction, { queue: 'all', limit: 50 })).toEqual([])
    await expect(test.core.corrections.get(construction, detail.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('the bureau’s decision', () => {
  it('row by row, old and new side by side: returned rows need a reason, a photo needs explicit consent', async () => {
    const detail = await submitThree()
    expect(detail.rows.map((row) => [row.fieldLabel, row.oldValue, row.newValue])).toEqual([
      ['工作单位', '上海市第一人民医院', '上海市第六人民医院'],
      ['专业名称', '护理学', '内科护理'],
      ['照片', expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)],
    ])
    expect((await test.core.corrections.photo(bureau, detail.rows[2].id, 'new'))?.base64).toBe(newPhoto.toString('base64'))
    const [employer, specialty, photo] = detail.rows
    const without = [
      { rowId: employer.id, decision: 'approved' as const, photoConsent: false },
      { rowId: specialty.id, decision: 'returned' as const, reason: '证明材料不足', photoConsent: false },
      { rowId: photo.id, decision: 'approved' as const, photoConsent: false },
    ]
    await expect(test.core.corrections.decide(bureau, detail.id, without)).rejects.toThrow('第 4 行更换照片：须明确同意更换照片')
    await expect(test.core.corrections.decide(bureau, detail.id, without.slice(0, 2))).rejects.toThrow(
      '须对每一行作出决定：第 4 行尚未决定',
    )
    await expect(
      test.core.corrections.decide(bureau, detail.id, [{ ...without[0], decision: 'returned' }, ...without.slice(1)]),
    ).rejects.toThrow('第 2 行退回须写明原因')
    const before = await test.core.audit.count()
    const decided = await test.core.corrections.decide(bureau, detail.id, [without[0], without[1], { ...without[2], photoConsent: true }])
    expect(decided).toMatchObject({ state: 'approved', approvedRows: 2, returnedRows: 1, decidedByName: '市人社局审核员' })
    expect(decided.rows.map((row) => [row.decision, row.decisionReason, row.photoConsent])).toEqual([
      ['approved', null, false],
      ['returned', '证明材料不足', false],
      ['approved', null, true],
    ])
    expect(await test.core.audit.count()).toBe(before + 1)
    const [entry] = await test.core.audit.list({ limit: 1 })
    expect(entry).toMatchObject({ action: 'correction.decide', details: { state: 'approved', approved: 2, returned: 1, photoConsents: 1 } })
    await expect(test.core.corrections.decide(bureau, detail.id, approveAll(detail))).rejects.toMatchObject({ code: 'INVALID_STATE' })
  })

  it('returning every row returns the request, and frees its certificates for a new table', async () => {
    const detail = await submitThree()
    const returned = await test.core.corrections.decide(
      bureau,
      detail.id,
      detail.rows.map((row) => ({ rowId: row.id, decision: 'returned' as const, reason: '情况说明不清', photoConsent: false })),
      '情况说明不清，请补充后重新提交',
    )
    expect(returned).toMatchObject({ state: 'returned', returnedRows: 3, decisionReason: '情况说明不清，请补充后重新提交' })
    expect(
      await submitTable(test.core, department, work, { rows: [correctionRow(title(1), '工作单位', '上海市第六人民医院')] }),
    ).toMatchObject({ accepted: true })
  })
})

describe('the institute applies', () => {
  it('makes version n+1 of each certificate, pending, with the corrected data and photo; nothing overwritten', async () => {
    const detail = await submitThree()
    await test.core.corrections.decide(bureau, detail.id, [
      { rowId: detail.rows[0].id, decision: 'approved', photoConsent: false },
      { rowId: detail.rows[1].id, decision: 'returned', reason: '证明材料不足', photoConsent: false },
      { rowId: detail.rows[2].id, decision: 'approved', photoConsent: true },
    ])
    const before = await test.core.db('certificate_versions').orderBy('id').select()
    const auditBefore = await test.core.audit.count()
    const applied = await test.core.corrections.apply(clerk, detail.id)
    expect(applied).toMatchObject({ state: 'applied', appliedByName: '考试院备案员' })
    expect(applied.rows.map((row) => row.newVersion)).toEqual([2, null, 2])
    // Every earlier version exactly as it was; the certificates still on version 1, active.
    expect((await test.core.db('certificate_versions').orderBy('id').select()).slice(0, before.length)).toEqual(before)
    for (const index of [1, 2, 3]) {
      expect(
        await test.core
          .db('certificates')
          .where({ number: title(index).number })
          .first('status', 'current_version'),
      ).toEqual({ status: 'active', current_version: 1 })
    }
    const made = await test.core
      .db('certificate_versions as v')
      .join('certificates as c', 'c.id', 'v.certificate_id')
      .where('v.version', 2)
      .orderBy('c.number')
      .select('c.number', 'v.status', 'v.fields', 'v.photo_hash', 'v.correction_row_id')
    expect(made.map((version) => version.number)).toEqual([title(1).number, title(3).number])
    expect(made.every((version) => version.status === 'pending')).toBe(true)
    expect(JSON.parse(made[0].fields)).toEqual({ ...title(1).fields, employer: '上海市第六人民医院' })
    expect(JSON.parse(made[1].fields)).toEqual(title(3).fields)
    expect(made[1].photo_hash).toBe(detail.rows[2].newValue)
    expect(made[0].correction_row_id).toBe(detail.rows[0].id)
    const entries = await test.core.audit.list({ limit: (await test.core.audit.count()) - auditBefore })
    expect(entries.map((entry) => [entry.action, entry.details.number ?? null, entry.details.version ?? null]).reverse()).toEqual([
      ['certificate.correct', title(1).number, 2],
      ['certificate.correct', title(3).number, 2],
      ['correction.apply', null, null],
    ])
    expect(JSON.stringify(entries.map((entry) => entry.details))).not.toMatch(/医院|申请人|3101/)
    await expect(test.core.corrections.apply(clerk, detail.id)).rejects.toThrow('该勘误申请已更正完毕')
    // The new version waits for its seals: no second correction until it is issued.
    const again = await submitTable(test.core, department, work, { rows: [correctionRow(title(1), '专业名称', '内科护理')] })
    expect(again).toMatchObject({ accepted: false, messages: [expect.stringContaining('已有尚未签章发证的第 2 版')] })
  })

  it('skips a certificate revoked after the approval: a revocation is final', async () => {
    const detail = await submitThree()
    await test.core.corrections.decide(bureau, detail.id, approveAll(detail))
    await test.core
      .db('certificates')
      .where({ number: title(1).number })
      .update({ status: 'revoked' })
    const applied = await test.core.corrections.apply(clerk, detail.id)
    expect(applied.rows.map((row) => row.newVersion)).toEqual([null, 2, 2])
    const [entry] = await test.core.audit.list({ limit: 1 })
    expect(entry).toMatchObject({ action: 'correction.apply', details: { versions: 2, skipped: [title(1).number] } })
  })
})

describe('through the contract', () => {
  it('validates the decision at the boundary and answers in Chinese', async () => {
    const detail = await submitThree()
    const session = await sessionFor(test, 'bureau-reviewer')
    const error = expectError(
      await call(test, 'corrections.decide', { requestId: detail.id, rows: [{ rowId: detail.rows[0].id, decision: 'returned' }] }, session),
      'VALIDATION',
    )
    expect(JSON.stringify(error)).toContain('退回的行须写明原因')
    const got = expectOk<CorrectionDetail>(await call(test, 'corrections.get', { id: detail.id }, session))
    expect(got.canDecide).toBe(true)
    const table = expectOk<{ fileName: string; base64: string }>(
      await call(test, 'corrections.document', { requestId: detail.id, kind: 'proof', fileName: '新照片.JPG' }, session),
    )
    expect(table.fileName).toBe('新照片.jpg')
    expectError(
      await call(
        test,
        'corrections.document',
        { requestId: detail.id, kind: 'explanation' },
        await sessionFor(test, 'construction-reviewer'),
      ),
      'NOT_FOUND',
    )
  })
})
