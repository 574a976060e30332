import { describe, expect, it } from 'vitest'
import type { DashboardGroup } from '../../electron/contract/dashboard'
import { FileStore } from '../../electron/core/files/file-store'
import type { FilingInput } from '../../electron/core/filings/filings-service'
import { actorOf, addUser } from '../helpers/batches'
import { auditCount, createDemoCore } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { appRefusal as refusal, approvedTitleBatch, documentPdf, upload } from '../helpers/revocation-fixtures'
import { clonePerTest } from '../helpers/template'

const DAY = 24 * 60 * 60 * 1000

let test: TestCore

async function createTemplate(): Promise<TestCore> {
  const template = await createDemoCore()
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
const pdf = async (label: string, username = 'clerk') =>
  upload(test.core, await as(username), 'notice', `${label}.pdf`, await documentPdf(label))

async function filing(batchId: number, overrides: Partial<FilingInput> = {}, username = 'clerk'): Promise<FilingInput> {
  return {
    batchId,
    receivedOn: '2026-11-27',
    paperCount: 3,
    listScan: await pdf(`list ${batchId}`, username),
    offline: false,
    ...overrides,
  }
}

const unfiled = async (overdueOnly = false) => (await test.core.filings.unfiled(await as('clerk'), { overdueOnly, limit: 100 })).items
const dashboardFiling = async () =>
  ((await test.core.dashboard.summary(await as('clerk'))) as DashboardGroup[]).find((group) => group.key === 'filing')!.counts
const stored = async () => ({
  filings: Number(((await test.core.db('filings').count({ n: '*' }).first()) as { n: number }).n),
  audit: await auditCount(test),
})

describe('the approved batches still waiting for filing', () => {
  it('lists them with their age, overdue after filing.reminderDays, also on the dashboard', async () => {
    const { batchId } = await approvedTitleBatch(test.core, { count: 3, from: 1 })
    expect(await unfiled()).toEqual([
      expect.objectContaining({ batchId, state: 'approved', ageDays: 0, overdue: false, electronicCount: 3, offlineEligible: true }),
    ])
    expect(await unfiled(true)).toEqual([])
    expect(await dashboardFiling()).toEqual([
      { key: 'unfiled', count: 1 },
      { key: 'overdue', count: 0 },
      { key: 'filed', count: 0 },
    ])

    test.clock.advance(15 * DAY)
    expect(await unfiled(true)).toEqual([expect.objectContaining({ batchId, ageDays: 15, overdue: true })])
    expect((await dashboardFiling())[1]).toEqual({ key: 'overdue', count: 1 })

    // The admin gives the institutes longer: the same batch is no longer overdue.
    await test.core.settings.update(await as('admin'), 'filing.reminderDays', 30)
    expect(await test.core.filings.unfiled(await as('clerk'), { overdueOnly: false, limit: 10 })).toMatchObject({
      reminderDays: 30,
      items: [{ batchId, ageDays: 15, overdue: false }],
    })
    expect(await unfiled(true)).toEqual([])
    expect((await dashboardFiling())[1]).toEqual({ key: 'overdue', count: 0 })
  })

  it('leaves out batches not yet approved, and those filed', async () => {
    await approvedTitleBatch(test.core, { count: 1, from: 10 })
    const { batchId: filed } = await approvedTitleBatch(test.core, { count: 1, from: 20 })
    await test.core.filings.record(await as('clerk'), await filing(filed, { paperCount: 1 }))
    const pendingReview = await test.core.db('application_batches').where({ state: 'submitted' }).pluck('id')
    const listed = (await unfiled()).map((item) => item.batchId)
    expect(listed).not.toContain(filed)
    for (const id of pendingReview) expect(listed).not.toContain(id)
    expect(listed).toHaveLength(1)
  })
})

describe('recording a filing', () => {
  it('keeps the scans by hash, the counts and the date, with one audit entry; never twice for a batch', async () => {
    const { batchId } = await approvedTitleBatch(test.core, { count: 3, from: 30 })
    const list = await documentPdf('the paper list')
    const notice = await documentPdf('the notice')
    const clerk = await as('clerk')
    const before = await auditCount(test)
    const recorded = await test.core.filings.record(clerk, {
      ...(await filing(batchId)),
      listScan: await upload(test.core, clerk, 'notice', 'list.pdf', list),
      noticeScan: await upload(test.core, clerk, 'notice', 'notice.pdf', notice),
    })
    expect(recorded).toMatchObject({
      batchId,
      receivedOn: '2026-11-27',
      paperCount: 3,
      electronicCount: 3,
      discrepancy: null,
      offline: false,
      documents: ['list', 'notice'],
      recordedByName: '考试院备案员',
    })
    expect(await test.core.db('filings').where({ batch_id: batchId }).first('scan_hash')).toEqual({ scan_hash: FileStore.hashOf(list) })
    const downloaded = await test.core.filings.document(clerk, recorded.id, 'notice')
    expect(Buffer.from(downloaded.base64, 'base64').equals(notice)).toBe(true)
    await refusal(test.core.filings.document(clerk, recorded.id, 'consent'), 'NOT_FOUND')
    const entries = await test.core.db('audit_log').where('id', '>', before).select('action', 'object_type')
    expect(entries).toEqual([{ action: 'filing.record', object_type: 'filing' }])
    expect(await test.core.filings.list(clerk, { limit: 10 })).toEqual([recorded])
    expect((await dashboardFiling())[2]).toEqual({ key: 'filed', count: 1 })

    const again = await refusal(test.core.filings.record(clerk, await filing(batchId, { receivedOn: '2026-11-28' })), 'CONFLICT')
    expect(again.message).toContain('已经备案（收到日期 2026-11-27），备案记录不能重复登记或修改')
    expect(await test.core.db('filings').where({ batch_id: batchId }).pluck('received_on')).toEqual(['2026-11-27'])
  })

  it('asks for a discrepancy note when the paper count differs from the numbered certificates', async () => {
    const { batchId } = await approvedTitleBatch(test.core, { count: 3, from: 40 })
    const clerk = await as('clerk')
    const before = await stored()
    const error = await refusal(test.core.filings.record(clerk, await filing(batchId, { paperCount: 2 })), 'VALIDATION')
    expect(error.message).toBe('纸质名单为 2 人，电子批次已编号 3 人，数量不一致：请在“差异说明”中写明原因')
    expect(await stored()).toEqual(before)
    const note = '纸质名单漏列一人，已电话告知评审机构补正'
    const recorded = await test.core.filings.record(clerk, await filing(batchId, { paperCount: 2, discrepancy: note }))
    expect(recorded).toMatchObject({ paperCount: 2, electronicCount: 3, discrepancy: note })
    // The note is free text: the audit entry keeps a digest of it, never the text.
    const details = (await test.core.db('audit_log').orderBy('id', 'desc').first('details')) as { details: string }
    expect(details.details).not.toContain('漏列')
  })

  it('refuses batches not approved, bad dates and files that are not PDFs, storing nothing', async () => {
    const clerk = await as('clerk')
    const { batchId } = await approvedTitleBatch(test.core, { count: 3, from: 50 })
    const before = await stored()
    const submitted = (await test.core.db('application_batches').insert({
      organisation_id: (await test.core.db('organisations').where({ code: 'WSHL' }).first('id')).id,
      family: 'title',
      state: 'submitted',
      source: 'import',
      created_at: '2026-11-28T00:00:00.000Z',
      updated_at: '2026-11-28T00:00:00.000Z',
    })) as number[]
    expect((await refusal(test.core.filings.record(clerk, await filing(submitted[0])), 'INVALID_STATE')).message).toContain(
      '审核通过后才能备案',
    )
    await refusal(test.core.filings.record(clerk, await filing(9999)), 'NOT_FOUND')
    expect(
      (await refusal(test.core.filings.record(clerk, await filing(batchId, { receivedOn: '2026-11-29' })), 'VALIDATION')).message,
    ).toBe('收到纸质材料的日期“2026-11-29”晚于今天（2026-11-28）')
    const text = await upload(test.core, clerk, 'notice', 'list.pdf', Buffer.from('a photo, not a PDF'))
    expect((await refusal(test.core.filings.record(clerk, await filing(batchId, { listScan: text })), 'VALIDATION')).message).toBe(
      '上传的纸质制证名单扫描件不是 PDF 文件',
    )
    expect(await stored()).toEqual(before)
  })

  it('is the institute clerks’ desk: reviewers, sealers and clerks elsewhere are refused', async () => {
    const { batchId } = await approvedTitleBatch(test.core, { count: 3, from: 60 })
    await refusal(test.core.filings.record(await as('reviewer'), await filing(batchId, {}, 'reviewer')), 'FORBIDDEN')
    const elsewhere = await refusal(
      test.core.filings.record(await as('health-clerk'), await filing(batchId, {}, 'health-clerk')),
      'FORBIDDEN',
    )
    expect(elsewhere.message).toBe('备案须由市职业能力考试院的备案员登记')
    await refusal(test.core.filings.unfiled(await as('sealer'), { overdueOnly: false, limit: 10 }), 'FORBIDDEN')
    await refusal(test.core.filings.list(await as('bureau-reviewer'), { limit: 10 }), 'FORBIDDEN')
    expect(await unfiled()).toHaveLength(1)
  })
})

describe('an offline review (clause 4’s exception), recorded at filing', () => {
  it('keeps the bureau’s consent reference and document for a title batch the institute entered', async () => {
    const { batchId } = await approvedTitleBatch(test.core, { count: 3, from: 70, createdBy: 'clerk' })
    const clerk = await as('clerk')
    const without = await refusal(
      test.core.filings.record(clerk, await filing(batchId, { offline: true, consentReference: '沪人社专函〔2026〕5号' })),
      'VALIDATION',
    )
    expect(without.message).toBe('线下评审须上传市人社局同意线下评审的文件（PDF）')
    expect((await refusal(test.core.filings.record(clerk, await filing(batchId, { offline: true })), 'VALIDATION')).message).toContain(
      '文号',
    )
    const consent = await documentPdf('the bureau consents')
    const recorded = await test.core.filings.record(
      clerk,
      await filing(batchId, {
        offline: true,
        consentReference: '沪人社专函〔2026〕5号',
        consentDocument: await upload(test.core, clerk, 'notice', 'consent.pdf', consent),
      }),
    )
    expect(recorded).toMatchObject({ offline: true, consentReference: '沪人社专函〔2026〕5号', documents: ['list', 'consent'] })
    const downloaded = await test.core.filings.document(clerk, recorded.id, 'consent')
    expect(Buffer.from(downloaded.base64, 'base64').equals(consent)).toBe(true)
  })

  it('refuses it for a batch the review body submitted itself, and a consent on an ordinary filing', async () => {
    const { batchId } = await approvedTitleBatch(test.core, { count: 3, from: 80, createdBy: 'district-reviewer' })
    expect((await unfiled()).find((item) => item.batchId === batchId)?.offlineEligible).toBe(false)
    const clerk = await as('clerk')
    const offline = { offline: true, consentReference: '沪人社专函〔2026〕6号', consentDocument: await pdf('consent') }
    expect((await refusal(test.core.filings.record(clerk, await filing(batchId, offline)), 'VALIDATION')).message).toContain(
      '线下评审只适用于由市职业能力考试院代为录入的职称批次',
    )
    expect(
      (await refusal(test.core.filings.record(clerk, await filing(batchId, { consentReference: '沪人社专函〔2026〕6号' })), 'VALIDATION'))
        .message,
    ).toBe('只有线下评审的批次才需要填写市人社局的同意文件')
    expect(await stored()).toMatchObject({ filings: 0 })
  })
})
