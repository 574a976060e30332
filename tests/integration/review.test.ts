import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import type { BatchDetail } from '../../electron/contract/applications'
import type { ErrorCode } from '../../electron/contract/errors'
import { resourcesDir } from '../../electron/core/paths'
import { AppError } from '../../electron/core/util/app-error'
import { actorOf, addUser, applicants, insertBatch, vocationalFields, type BatchSpec } from '../helpers/batches'
import { createDemoCore, organisationId } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { clonePerTest } from '../helpers/template'

const HEALTH = '上海市卫生健康委员会'
const CONSTRUCTION = '上海市住房和城乡建设管理委员会'
const BUREAU = '上海市人力资源和社会保障局'
const WSHL = '上海市卫生系列护理专业高级职称评审委员会'
const PHOTO = readFileSync(join(resourcesDir(), 'demo', 'photo-1.jpg'))

let test: TestCore

// Seeding hashes a password per account (scrypt): slow on a busy machine.
async function createTemplate(): Promise<TestCore> {
  const template = await createDemoCore()
  const reviewer = (username: string, displayName: string, organisation: string) =>
    addUser(template.core, { username, displayName, organisation, roles: ['reviewer'] })
  await reviewer('health-second', '卫健委审核员二', HEALTH)
  await reviewer('zjw-first', '住建委审核员', CONSTRUCTION)
  await reviewer('zjw-second', '住建委审核员二', CONSTRUCTION)
  await reviewer('bureau-second', '市人社局审核员二', BUREAU)
  await addUser(template.core, { username: 'wshl-clerk', displayName: '护理评委会经办人', organisation: 'WSHL', roles: ['clerk'] })
  await addUser(template.core, { username: 'jsks-clerk', displayName: '建设考试中心经办人', organisation: 'JSKS', roles: ['clerk'] })
  return template
}
clonePerTest(
  createTemplate,
  (clone) => {
    test = clone
  },
  120_000,
)

const as = (username: string) => actorOf(test.core, username)

/** The AppError a call fails with; fails the test when it succeeds or throws anything else. */
async function refusal(work: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  )
  if (!(error instanceof AppError)) throw new Error(`expected AppError ${code}, got ${String(error)}`)
  expect(error.code).toBe(code)
  expect(error.message).toMatch(/[\u4e00-\u9fff]/)
  return error
}

function titleBatch(spec: Partial<BatchSpec> = {}) {
  return insertBatch(test.core, {
    organisationCode: 'WSHL',
    family: 'title',
    createdBy: 'wshl-clerk',
    applicants: applicants('title', 3),
    ...spec,
  })
}

function vocationalBatch(spec: Partial<BatchSpec> = {}) {
  return insertBatch(test.core, {
    organisationCode: 'JSKS',
    family: 'vocational',
    createdBy: 'jsks-clerk',
    applicants: applicants('vocational', 2),
    ...spec,
  })
}

async function certificatesOf(batchId: number) {
  return (await test.core
    .db('certificates as c')
    .join('certificate_versions as v', 'v.certificate_id', 'c.id')
    .where('c.batch_id', batchId)
    .orderBy('c.number')
    .select('c.*', 'v.version', 'v.status as version_status', 'v.fields', 'v.photo_hash')) as Array<Record<string, unknown>>
}

async function auditSince(id: number) {
  return (await test.core.db('audit_log').where('id', '>', id).orderBy('id')) as Array<{ action: string; details: string }>
}

async function auditHead(): Promise<number> {
  return test.core.audit.count()
}

describe('the review desk: title batches', () => {
  it('numbers a title batch on approval: row order, pending certificates with the applicant fields, one audit entry without personal data', async () => {
    const specs = applicants('title', 3).map((spec) => ({ ...spec, photo: PHOTO }))
    const batch = await titleBatch({ applicants: specs, declarationYear: 2026 })
    const reviewer = await as('reviewer')
    const before = await auditHead()

    const pending = await test.core.review.get(reviewer, batch.id)
    expect(pending).toMatchObject({ state: 'submitted', canApprove: true, canReturn: true, approveBlockers: [], numbers: null })
    expect(pending.nextStage).toEqual({ stage: 1, organisationId: await organisationId(test, HEALTH), organisationName: HEALTH })

    const detail = await test.core.review.approve(reviewer, batch.id)
    expect(detail).toMatchObject({ state: 'approved', nextStage: null, canApprove: false, canReturn: false })
    expect(detail.numbers).toEqual({ first: '2026WSHL00001', last: '2026WSHL00003', count: 3 })
    expect(detail.decidedAt).not.toBeNull()
    expect(detail.reviews).toEqual([
      { stage: 1, decision: 'approved', reason: null, reviewerName: '卫健委审核员', organisationName: HEALTH, decidedAt: detail.decidedAt },
    ])

    const certificates = await certificatesOf(batch.id)
    const photoHash = (await test.core.db('applicants').where({ id: batch.applicantIds[0] }).first('photo_hash')).photo_hash
    expect(certificates.map((row) => [row.number, row.applicant_id])).toEqual([
      ['2026WSHL00001', batch.applicantIds[0]],
      ['2026WSHL00002', batch.applicantIds[1]],
      ['2026WSHL00003', batch.applicantIds[2]],
    ])
    certificates.forEach((row, index) => {
      const fields = specs[index].fields
      const { photoName: _photoName, ...expected } = fields
      expect(row).toMatchObject({
        family: 'title',
        level: 'senior',
        status: 'pending',
        version_status: 'pending',
        version: 1,
        current_version: 1,
        holder_name: fields.name,
        holder_id_number: fields.idNumber,
        issued_at: null,
        organisation_id: expect.any(Number),
        photo_hash: photoHash,
      })
      expect(Boolean(row.legacy)).toBe(false)
      expect(JSON.parse(String(row.fields))).toEqual(expected)
    })

    const rows = await test.core.review.applicants(reviewer, batch.id)
    expect(rows.map((row) => row.certificateNumber)).toEqual(['2026WSHL00001', '2026WSHL00002', '2026WSHL00003'])
    expect(rows.every((row) => row.hasPhoto)).toBe(true)

    const entries = await auditSince(before)
    expect(entries.map((entry) => entry.action)).toEqual(['batch.approve'])
    expect(JSON.parse(entries[0].details)).toEqual({
      batchId: batch.id,
      stage: 1,
      organisationId: await organisationId(test, HEALTH),
      final: true,
      count: 3,
      firstNumber: '2026WSHL00001',
      lastNumber: '2026WSHL00003',
    })
    const logged = JSON.stringify(entries)
    for (const spec of specs) {
      expect(logged).not.toContain(spec.fields.idNumber)
      expect(logged).not.toContain(spec.fields.name)
    }
    expect((await test.core.audit.verify()).ok).toBe(true)
  })

  it('never lets the submitter approve or return their own batch', async () => {
    const batch = await titleBatch({ createdBy: 'reviewer' })
    const reviewer = await as('reviewer')
    const detail = await test.core.review.get(reviewer, batch.id)
    expect(detail).toMatchObject({ canApprove: false, canReturn: false })
    expect(detail.approveBlockers[0]).toContain('自己提交')
    expect((await refusal(test.core.review.approve(reviewer, batch.id), 'FORBIDDEN')).message).toContain('自己提交')
    await refusal(test.core.review.returnBatch(reviewer, batch.id, '材料不全'), 'FORBIDDEN')
    await refusal(test.core.review.exclude(reviewer, batch.id, [batch.applicantIds[0]], '重复申报'), 'FORBIDDEN')
    expect((await test.core.review.approve(await as('health-second'), batch.id)).state).toBe('approved')
  })

  it('hides a batch from other departments (NOT_FOUND) and lets only the supervising department decide it', async () => {
    const batch = await titleBatch()
    const stranger = await as('zjw-first')
    for (const call of [
      () => test.core.review.get(stranger, batch.id),
      () => test.core.review.applicants(stranger, batch.id),
      () => test.core.review.issues(stranger, batch.id),
      () => test.core.review.photo(stranger, batch.applicantIds[0]),
      () => test.core.review.approve(stranger, batch.id),
      () => test.core.review.returnBatch(stranger, batch.id, '不属于本部门'),
    ]) {
      await refusal(call(), 'NOT_FOUND')
    }
    expect((await test.core.review.list(stranger, { queue: 'all', limit: 50 })).map((item) => item.id)).not.toContain(batch.id)
    // The bureau sees the whole city but does not take a title batch's stage.
    const bureau = await as('bureau-reviewer')
    expect((await test.core.review.get(bureau, batch.id)).canApprove).toBe(false)
    expect((await refusal(test.core.review.approve(bureau, batch.id), 'FORBIDDEN')).message).toContain(HEALTH)
    // The institute's clerk reads but never decides.
    const clerk = await as('clerk')
    expect((await test.core.review.applicants(clerk, batch.id)).length).toBe(3)
    await refusal(test.core.review.approve(clerk, batch.id), 'FORBIDDEN')
    await refusal(test.core.review.get(null, batch.id), 'UNAUTHENTICATED')
  })

  it('blocks approval while an applicant has an error, refuses to acknowledge an error, and numbers only those left in', async () => {
    const specs = applicants('title', 3)
    specs[1].issues = [{ severity: 'error', code: 'ID_CHECK_CHARACTER', column: '证件号码' }]
    const batch = await titleBatch({ applicants: specs })
    const reviewer = await as('reviewer')
    const blocked = await test.core.review.get(reviewer, batch.id)
    expect(blocked.canApprove).toBe(false)
    expect(blocked.canReturn).toBe(true)
    expect(blocked.approveBlockers.join()).toContain('1 名申请人有错误')
    expect((await refusal(test.core.review.approve(reviewer, batch.id), 'INVALID_STATE')).message).toContain('有错误')

    const [error] = await test.core.review.issues(reviewer, batch.id)
    expect(error).toMatchObject({
      applicantId: batch.applicantIds[1],
      rowNumber: 3,
      column: '证件号码',
      severity: 'error',
      acknowledged: false,
    })
    expect((await refusal(test.core.review.acknowledge(reviewer, batch.id, [error.id]), 'INVALID_STATE')).message).toContain('错误不能确认')

    const before = await auditHead()
    const excluded = await test.core.review.exclude(reviewer, batch.id, [batch.applicantIds[1]], '证件号码有误，另行申报')
    expect(excluded).toMatchObject({ excludedCount: 1, canApprove: true, approveBlockers: [] })
    const [entry] = await auditSince(before)
    expect(entry.action).toBe('batch.exclude')
    expect(entry.details).not.toContain('证件号码有误')
    expect(JSON.parse(entry.details)).toMatchObject({ batchId: batch.id, count: 1, applicantIds: [batch.applicantIds[1]] })

    // Put back, the error blocks again; excluded once more, approval numbers the other two.
    expect((await test.core.review.include(reviewer, batch.id, [batch.applicantIds[1]])).canApprove).toBe(false)
    await test.core.review.exclude(reviewer, batch.id, [batch.applicantIds[1]], '证件号码有误')
    const approved = await test.core.review.approve(reviewer, batch.id)
    expect(approved.numbers).toEqual({ first: '2026WSHL00001', last: '2026WSHL00002', count: 2 })
    const rows = await test.core.review.applicants(reviewer, batch.id)
    expect(rows.map((row) => [row.excluded, row.exclusionReason, row.certificateNumber, row.errorCount, row.issueCodes])).toEqual([
      [false, null, '2026WSHL00001', 0, []],
      [true, '证件号码有误', null, 1, ['ID_CHECK_CHARACTER']],
      [false, null, '2026WSHL00002', 0, []],
    ])
    await refusal(test.core.review.include(reviewer, batch.id, [batch.applicantIds[1]]), 'INVALID_STATE')
  })

  it('needs every warning acknowledged (row and batch level), and refuses a batch with nobody left', async () => {
    const specs = applicants('title', 2)
    specs[0].issues = [{ severity: 'warning', code: 'AGE_UNUSUAL', column: '出生年月' }]
    const batch = await titleBatch({ applicants: specs, batchIssues: [{ severity: 'warning', code: 'NOTICE_MISSING' }] })
    const reviewer = await as('reviewer')
    const detail = await test.core.review.get(reviewer, batch.id)
    expect(detail).toMatchObject({ warningCount: 2, unacknowledgedWarnings: 2, canApprove: false })
    expect(detail.approveBlockers).toEqual(['还有 2 条警告未确认：请逐条核实后确认'])
    const issues = await test.core.review.issues(reviewer, batch.id)
    expect(issues.map((issue) => issue.code)).toEqual(['NOTICE_MISSING', 'AGE_UNUSUAL'])
    const acknowledged = await test.core.review.acknowledge(
      reviewer,
      batch.id,
      issues.map((issue) => issue.id),
    )
    expect(acknowledged).toMatchObject({ unacknowledgedWarnings: 0, canApprove: true })
    expect((await test.core.review.issues(reviewer, batch.id)).every((issue) => issue.acknowledged)).toBe(true)
    await refusal(test.core.review.acknowledge(reviewer, batch.id, [999_999]), 'NOT_FOUND')

    const emptied = await test.core.review.exclude(reviewer, batch.id, batch.applicantIds, '均不符合条件')
    expect(emptied.approveBlockers.join()).toContain('没有可发证的申请人')
    await refusal(test.core.review.approve(reviewer, batch.id), 'INVALID_STATE')
  })

  it('returns a batch with a reason; a decided batch is never decided again', async () => {
    const batch = await titleBatch()
    const reviewer = await as('reviewer')
    await refusal(test.core.review.returnBatch(reviewer, batch.id, ' 缺'), 'VALIDATION')
    const before = await auditHead()
    const returned = await test.core.review.returnBatch(reviewer, batch.id, '结果通知未盖章，请补正后重新申报')
    expect(returned).toMatchObject({ state: 'returned', canApprove: false, canReturn: false, approveBlockers: [], numbers: null })
    expect(returned.decidedAt).not.toBeNull()
    expect(returned.reviews).toMatchObject([{ stage: 1, decision: 'returned', reason: '结果通知未盖章，请补正后重新申报' }])
    const entries = await auditSince(before)
    expect(entries.map((entry) => entry.action)).toEqual(['batch.return'])
    expect(entries[0].details).not.toContain('盖章')

    expect((await refusal(test.core.review.approve(reviewer, batch.id), 'INVALID_STATE')).message).toContain('您已审核过')
    expect((await refusal(test.core.review.approve(await as('health-second'), batch.id), 'INVALID_STATE')).message).toContain(
      '已由他人处理',
    )
    expect(await test.core.db('certificates').where({ batch_id: batch.id }).count({ n: '*' })).toEqual([{ n: 0 }])
  })

  it('lets only one of two reviewers clicking at once decide', async () => {
    const batch = await titleBatch()
    const outcomes = await Promise.allSettled([
      test.core.review.approve(await as('reviewer'), batch.id),
      test.core.review.returnBatch(await as('health-second'), batch.id, '同时处理'),
    ])
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
    const [rejected] = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
    expect(rejected.reason).toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('已由他人处理') })
    expect(await test.core.db('batch_reviews').where({ batch_id: batch.id }).count({ n: '*' })).toEqual([{ n: 1 }])
  })

  it('honours the legacy start and the layout from the settings', async () => {
    const admin = await as('admin')
    await test.core.settings.update(admin, 'numbering.legacyStarts', { '2026WSHL': 1201 })
    await test.core.settings.update(admin, 'numbering.layout', { yearDigits: 2, serialDigits: 5 })
    const first = await titleBatch({ applicants: applicants('title', 2) })
    expect((await test.core.review.approve(await as('reviewer'), first.id)).numbers).toEqual({
      first: '26WSHL01201',
      last: '26WSHL01202',
      count: 2,
    })
    const second = await titleBatch({ applicants: applicants('title', 1, 10) })
    expect((await test.core.review.approve(await as('reviewer'), second.id)).numbers).toMatchObject({ first: '26WSHL01203' })
  })

  it('refuses the final approval when the organisation has no code', async () => {
    const batch = await titleBatch()
    await test.core.db('organisations').where({ code: 'WSHL' }).update({ code: null })
    const detail = await test.core.review.get(await as('reviewer'), batch.id)
    expect(detail.approveBlockers.join()).toContain('尚未分配机构代码')
    await refusal(test.core.review.approve(await as('reviewer'), batch.id), 'INVALID_STATE')
  })
})

describe('the review desk: vocational batches in two stages', () => {
  it('goes from the industry department to the bureau, by two people, and only then numbers', async () => {
    const batch = await vocationalBatch()
    const bureau = await as('bureau-reviewer')
    const first = await as('zjw-first')
    expect((await refusal(test.core.review.approve(bureau, batch.id), 'FORBIDDEN')).message).toContain(CONSTRUCTION)

    const stageOne = await test.core.review.approve(first, batch.id)
    expect(stageOne).toMatchObject({ state: 'first_approved', numbers: null, decidedAt: null })
    expect(stageOne.nextStage).toEqual({ stage: 2, organisationId: await organisationId(test, BUREAU), organisationName: BUREAU })
    expect(await test.core.db('certificates').where({ batch_id: batch.id }).count({ n: '*' })).toEqual([{ n: 0 }])

    // The industry department does not take stage 2, whoever tries.
    expect((await refusal(test.core.review.approve(first, batch.id), 'FORBIDDEN')).message).toContain('复核')
    await refusal(test.core.review.approve(await as('zjw-second'), batch.id), 'FORBIDDEN')
    expect((await test.core.review.get(bureau, batch.id)).canApprove).toBe(true)

    const final = await test.core.review.approve(bureau, batch.id)
    expect(final).toMatchObject({ state: 'approved', numbers: { first: '2026JSKS00001', last: '2026JSKS00002', count: 2 } })
    expect(final.reviews.map((review) => [review.stage, review.reviewerName, review.organisationName])).toEqual([
      [1, '住建委审核员', CONSTRUCTION],
      [2, '市人社局审核员', BUREAU],
    ])
    const [certificate] = await certificatesOf(batch.id)
    expect(certificate).toMatchObject({ family: 'vocational', level: '一级', status: 'pending' })
    const { photoName: _photoName, ...expected } = vocationalFields(1)
    expect(JSON.parse(String(certificate.fields))).toEqual(expected)
    expect(JSON.parse(String(certificate.fields))).toMatchObject({ qualificationKind: '执业', category: '建筑工程' })
  })

  it('needs two different people when the bureau takes both stages', async () => {
    const admin = await as('admin')
    await test.core.organisations.create(admin, {
      name: '上海市人才测评考试中心',
      kind: 'exam_institution',
      code: 'RCKS',
      parentId: null,
      organisingUnit: null,
    })
    const batch = await insertBatch(test.core, {
      organisationCode: 'RCKS',
      family: 'vocational',
      createdBy: 'jsks-clerk',
      applicants: applicants('vocational', 1),
    })
    const reviewer = await as('bureau-reviewer')
    expect((await test.core.review.approve(reviewer, batch.id)).state).toBe('first_approved')
    const detail = await test.core.review.get(reviewer, batch.id)
    expect(detail.canApprove).toBe(false)
    expect(detail.approveBlockers[0]).toContain('另一位审核员')
    expect((await refusal(test.core.review.approve(reviewer, batch.id), 'FORBIDDEN')).message).toContain('另一位审核员')
    expect((await test.core.review.approve(await as('bureau-second'), batch.id)).numbers?.first).toBe('2026RCKS00001')
  })

  it('returns at stage 2 with the reason, after the stage-1 approval', async () => {
    const batch = await vocationalBatch()
    await test.core.review.approve(await as('zjw-first'), batch.id)
    const returned = await test.core.review.returnBatch(await as('bureau-reviewer'), batch.id, '考试结果材料与名单不一致')
    expect(returned.state).toBe('returned')
    expect(returned.reviews.map((review) => [review.stage, review.decision])).toEqual([
      [1, 'approved'],
      [2, 'returned'],
    ])
  })
})

describe('the review desk: queues and files', () => {
  it('counts and lists the queues for each desk', async () => {
    const mine = await titleBatch({ createdBy: 'reviewer' })
    const title = await titleBatch()
    const vocational = await vocationalBatch()
    const counts = async (username: string) =>
      Object.fromEntries((await test.core.review.queues(await as(username))).map((item) => [item.queue, item.count]))
    expect(await counts('reviewer')).toEqual({ to_review: 1, in_progress: 2, returned: 0, approved: 0, submitted_by_me: 1, all: 2 })
    expect(await counts('health-second')).toMatchObject({ to_review: 2, submitted_by_me: 0 })
    expect(await counts('zjw-first')).toMatchObject({ to_review: 1, all: 1 })
    expect(await counts('bureau-reviewer')).toMatchObject({ to_review: 0, all: 3 })
    expect(await counts('clerk')).toMatchObject({ to_review: 0, all: 3 })

    await test.core.review.approve(await as('zjw-first'), vocational.id)
    await test.core.review.approve(await as('health-second'), title.id)
    expect(await counts('bureau-reviewer')).toMatchObject({ to_review: 1, in_progress: 2, approved: 1 })
    expect(await counts('zjw-first')).toMatchObject({ to_review: 0, in_progress: 1 })
    const list = await test.core.review.list(await as('bureau-reviewer'), { queue: 'all', limit: 2 })
    expect(list.map((item) => item.id)).toEqual([vocational.id, title.id])
    expect(list[0]).toMatchObject({ organisationCode: 'JSKS', family: 'vocational', level: '一级', createdByName: '建设考试中心经办人' })
    expect((await test.core.review.list(await as('reviewer'), { queue: 'submitted_by_me', limit: 10 })).map((item) => item.id)).toEqual([
      mine.id,
    ])
  })

  it('serves the photo, the notice, the error workbook and the production list', async () => {
    const notice = Buffer.from('%PDF-1.7\n% notice\n')
    const errors = Buffer.from('PK error workbook')
    const specs = applicants('title', 2)
    specs[0].photo = PHOTO
    const batch = await titleBatch({ applicants: specs, notice, errorWorkbook: errors })
    const clerk = await as('clerk')
    expect(await test.core.review.photo(clerk, batch.applicantIds[0])).toEqual({
      mediaType: 'image/jpeg',
      base64: PHOTO.toString('base64'),
    })
    expect(await test.core.review.photo(clerk, batch.applicantIds[1])).toBeNull()
    expect(await test.core.review.notice(clerk, batch.id)).toMatchObject({
      mediaType: 'application/pdf',
      base64: notice.toString('base64'),
    })
    expect((await test.core.review.errorWorkbook(clerk, batch.id)).base64).toBe(errors.toString('base64'))
    const clean = await titleBatch()
    expect((await refusal(test.core.review.errorWorkbook(clerk, clean.id), 'NOT_FOUND')).message).toContain('错误清单')
    await refusal(test.core.review.notice(clerk, clean.id), 'NOT_FOUND')

    await refusal(test.core.review.productionList(clerk, batch.id, 'xlsx'), 'INVALID_STATE')
    await test.core.review.approve(await as('reviewer'), batch.id)
    const file = await test.core.review.productionList(clerk, batch.id, 'xlsx')
    expect(file.fileName).toMatch(/\.xlsx$/)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
    const text = JSON.stringify(workbook.worksheets[0].getSheetValues())
    expect(text).toContain('2026WSHL00001')
    expect(text).toContain(specs[1].fields.idNumber)
    expect(text).toContain(WSHL)
    const pdf = await test.core.review.productionList(clerk, batch.id, 'pdf')
    expect(pdf).toMatchObject({ mediaType: 'application/pdf', fileName: expect.stringMatching(/\.pdf$/) })
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })
})

describe('the review desk at size', () => {
  it('lists 10,000 applicants with their issue codes in a few queries, and approves them in one transaction', async () => {
    const specs = applicants('title', 10_000).map((spec, index) => ({
      ...spec,
      issues: [
        ...(index % 10 === 0 ? [{ severity: 'error' as const, code: 'ID_CHECK_CHARACTER', column: '证件号码' }] : []),
        ...(index % 7 === 0 ? [{ severity: 'warning' as const, code: 'AGE_UNUSUAL' }] : []),
      ],
    }))
    const batch = await titleBatch({ applicants: specs })
    const reviewer = await as('reviewer')
    const queries: string[] = []
    const onQuery = (query: { sql: string }) => void queries.push(query.sql)
    test.core.db.on('query', onQuery)
    const started = performance.now()
    const rows = await test.core.review.applicants(reviewer, batch.id)
    const elapsed = performance.now() - started
    test.core.db.off('query', onQuery)
    expect(rows).toHaveLength(10_000)
    expect(rows.map((row) => row.rowNumber)).toEqual(specs.map((_, index) => index + 2))
    expect(rows[0]).toMatchObject({
      errorCount: 1,
      warningCount: 1,
      issueCodes: expect.arrayContaining(['ID_CHECK_CHARACTER', 'AGE_UNUSUAL']),
    })
    expect(rows[1]).toMatchObject({ errorCount: 0, warningCount: 0, issueCodes: [] })
    expect(rows[7]).toMatchObject({ errorCount: 0, warningCount: 1, issueCodes: ['AGE_UNUSUAL'] })
    expect(rows[9_999].fields.name).toBe(specs[9_999].fields.name)
    expect(queries.length).toBeLessThanOrEqual(4)
    // Generous: the figure that matters is the query count; this only catches a gross regression.
    expect(elapsed).toBeLessThan(10_000)

    const issues = await test.core.review.issues(reviewer, batch.id)
    const withErrors = rows.filter((row) => row.errorCount > 0).map((row) => row.id)
    await test.core.review.exclude(reviewer, batch.id, withErrors, '证件号码校验位错误')
    const warnings = issues.filter((issue) => issue.severity === 'warning').map((issue) => issue.id)
    const ready: BatchDetail = await test.core.review.acknowledge(reviewer, batch.id, warnings)
    expect(ready).toMatchObject({ excludedCount: 1_000, canApprove: true })
    const approved = await test.core.review.approve(reviewer, batch.id)
    expect(approved.numbers).toEqual({ first: '2026WSHL00001', last: '2026WSHL09000', count: 9_000 })
  })
})
