import { describe, expect, it } from 'vitest'
import { FileStore } from '../../electron/core/files/file-store'
import { actorOf } from '../helpers/batches'
import { auditCount, createDemoCore } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { appRefusal as refusal, approvedTitleBatch, documentPdf, recordRevocation, upload } from '../helpers/revocation-fixtures'
import type { RevocationRequest } from '../../electron/core/revocations/revocations-service'
import { clonePerTest } from '../helpers/template'

const WSHL_CERTIFICATE = '2025WSHL00001'
const PDGC_CERTIFICATE = '2025PDGC00001'
const HOLDER = { name: '王丽华', idNumber: '310101198503120022' }

let test: TestCore
clonePerTest(createDemoCore, (clone) => void (test = clone), 120_000)

const as = (username: string) => actorOf(test.core, username)
const record = (text: string, overrides: Partial<RevocationRequest> = {}, username = 'reviewer') =>
  recordRevocation(test.core, text, overrides, username)

const statusOf = async (number: string) =>
  ((await test.core.db('certificates').where({ number }).first('status')) as { status: string }).status
const stored = async () => ({
  requests: Number(((await test.core.db('revocation_requests').count({ n: '*' }).first()) as { n: number }).n),
  rows: Number(((await test.core.db('revocations').count({ n: '*' }).first()) as { n: number }).n),
  audit: await auditCount(test),
})

describe('a revocation end to end: recorded by the department, approved by the bureau, executed by the institute', () => {
  it('revokes the certificate without deleting anything, and publishes it in the same transaction', async () => {
    const versionsBefore = await test.core.db('certificate_versions').orderBy('id').select()
    const document = await documentPdf('end to end')
    const reviewer = await as('reviewer')
    const recorded = await test.core.revocations.record(reviewer, {
      list: { kind: 'text', text: ` ${WSHL_CERTIFICATE.toLowerCase()} \n` },
      documentNumber: '沪卫人〔2026〕88号',
      documentDate: '2026-11-20',
      document: await upload(test.core, reviewer, 'notice', '注销决定.pdf', document),
      reason: 'violation',
    })
    expect(recorded).toMatchObject({
      state: 'submitted',
      certificateCount: 1,
      firstNumber: WSHL_CERTIFICATE,
      organisationName: '上海市卫生健康委员会',
      reason: 'violation',
      canDecide: false,
      refusal: '注销申请须由市人社局的审核员审核',
    })
    expect(recorded.certificates).toEqual([
      expect.objectContaining({ number: WSHL_CERTIFICATE, holderName: HOLDER.name, status: 'active' }),
    ])
    // The document is kept by its hash and comes back byte for byte.
    const downloaded = await test.core.revocations.document(await as('bureau-reviewer'), recorded.id)
    expect(Buffer.from(downloaded.base64, 'base64').equals(document)).toBe(true)
    expect(await test.core.db('revocation_requests').where({ id: recorded.id }).first('document_hash')).toEqual({
      document_hash: FileStore.hashOf(document),
    })

    const bureau = await as('bureau-reviewer')
    expect(await test.core.revocations.get(bureau, recorded.id)).toMatchObject({ canDecide: true, refusal: null })
    const approved = await test.core.revocations.approve(bureau, recorded.id)
    expect(approved).toMatchObject({ state: 'approved', decidedByName: '市人社局审核员', canDecide: false, canExecute: false })
    expect(await statusOf(WSHL_CERTIFICATE)).toBe('active')

    const clerk = await as('clerk')
    expect(await test.core.revocations.get(clerk, recorded.id)).toMatchObject({ canExecute: true })
    const executed = await test.core.revocations.execute(clerk, recorded.id)
    expect(executed).toMatchObject({ state: 'executed', executedByName: '考试院备案员', canExecute: false })
    expect(executed.certificates[0].status).toBe('revoked')
    expect(await statusOf(WSHL_CERTIFICATE)).toBe('revoked')
    // Nothing deleted or rewritten: the versions are exactly as they were.
    expect(await test.core.db('certificate_versions').orderBy('id').select()).toEqual(versionsBefore)
    expect(await test.core.db('revocations').select('state', 'executed_by', 'request_id')).toEqual([
      { state: 'executed', executed_by: clerk.userId, request_id: recorded.id },
    ])

    const events = await test.core
      .db('outbox')
      .where({ event_type: 'certificate.revocation' })
      .select('ordering_key', 'idempotency_key', 'payload')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ ordering_key: WSHL_CERTIFICATE, idempotency_key: `cr:${WSHL_CERTIFICATE}` })
    expect(JSON.parse(events[0].payload)).toEqual({
      number: WSHL_CERTIFICATE,
      version: 1,
      reason: 'violation',
      documentNumber: '沪卫人〔2026〕88号',
      documentDate: '2026-11-20',
      documentSha256: FileStore.hashOf(document),
      revokedAt: executed.executedAt,
    })
    // The register lists it as revoked.
    const listed = await test.core.certificates.list(clerk, { search: WSHL_CERTIFICATE, limit: 10 })
    expect(listed.map((certificate) => [certificate.number, certificate.status])).toEqual([[WSHL_CERTIFICATE, 'revoked']])
  })

  it('writes one audit entry per state change, none carrying the holder’s name or ID number or the free-text reason', async () => {
    const before = await auditCount(test)
    const recorded = await record(WSHL_CERTIFICATE, { reason: 'other', reasonText: `${HOLDER.name}冒用他人材料` })
    await test.core.revocations.approve(await as('bureau-reviewer'), recorded.id)
    await test.core.revocations.execute(await as('clerk'), recorded.id)
    const entries = await test.core.db('audit_log').where('id', '>', before).orderBy('id').select('action', 'object_type', 'details')
    expect(entries.map((entry) => [entry.action, entry.object_type])).toEqual([
      ['revocation.record', 'revocation_request'],
      ['revocation.approve', 'revocation_request'],
      ['revocation.execute', 'revocation_request'],
      ['certificate.revoke', 'certificate'],
    ])
    const details = entries.map((entry) => entry.details).join('\n')
    for (const secret of [HOLDER.name, HOLDER.idNumber, '冒用']) expect(details).not.toContain(secret)
    expect(JSON.parse(entries[0].details)).toMatchObject({ count: 1, reason: 'other', numbers: [WSHL_CERTIFICATE] })
    expect(JSON.parse(entries[3].details)).toMatchObject({ number: WSHL_CERTIFICATE, version: 1, revocationId: recorded.id })
    expect((await test.core.auditService.verify(await as('admin'))).ok).toBe(true)
  })

  it('rolls the execution back whole when the registry event cannot be written: nothing revoked, nothing audited', async () => {
    const recorded = await record(WSHL_CERTIFICATE)
    await test.core.revocations.approve(await as('bureau-reviewer'), recorded.id)
    // An outbox row already holding the revocation's idempotency key makes the enqueue fail.
    await test.core.db('outbox').insert({
      ordering_key: WSHL_CERTIFICATE,
      event_type: 'certificate.revocation',
      payload: '{}',
      idempotency_key: `cr:${WSHL_CERTIFICATE}`,
      state: 'delivered',
      attempts: 1,
      created_at: '2026-11-27T00:00:00.000Z',
    })
    const before = await auditCount(test)
    await expect(test.core.revocations.execute(await as('clerk'), recorded.id)).rejects.toThrow()
    expect(await statusOf(WSHL_CERTIFICATE)).toBe('active')
    expect(await test.core.db('revocation_requests').where({ id: recorded.id }).first('state')).toEqual({ state: 'approved' })
    expect(await test.core.db('revocations').pluck('state')).toEqual(['approved'])
    expect(await auditCount(test)).toBe(before)
  })

  it('takes a whole list at once: every certificate revoked, one registry event each', async () => {
    const { numbers } = await approvedTitleBatch(test.core, { count: 4, from: 100, active: true })
    const text = `${numbers[0]}，${numbers[1]}\n\n${numbers[2]}、${numbers[3]}\r\n${WSHL_CERTIFICATE}`
    const recorded = await record(text)
    expect(recorded.certificateCount).toBe(5)
    expect(recorded.certificates.map((certificate) => certificate.number)).toEqual([...numbers, WSHL_CERTIFICATE].sort())
    await test.core.revocations.approve(await as('bureau-reviewer'), recorded.id)
    await test.core.revocations.execute(await as('clerk'), recorded.id)
    for (const number of [...numbers, WSHL_CERTIFICATE]) expect(await statusOf(number)).toBe('revoked')
    expect(
      (await test.core.db('outbox').where({ event_type: 'certificate.revocation' }).orderBy('ordering_key').pluck('ordering_key')).sort(),
    ).toEqual([...numbers, WSHL_CERTIFICATE].sort())
  })
})

describe('each entry of the list is checked, and a list with any problem is refused whole', () => {
  it('names every bad line, in Chinese, and stores nothing', async () => {
    const { numbers: pending } = await approvedTitleBatch(test.core, { count: 1, from: 200 })
    const { numbers: active } = await approvedTitleBatch(test.core, { count: 2, from: 300, active: true })
    const open = await record(active[1])
    const before = await stored()
    const text = [
      active[0],
      'not-a-number',
      '2025WSHL99999',
      active[0],
      PDGC_CERTIFICATE,
      pending[0],
      active[1],
      '２０２５ＷＳＨＬ００００１',
    ].join('\n')
    const error = await refusal(record(text), 'VALIDATION')
    expect(error.message).toContain('整份名单均未登记')
    expect(error.details).toEqual([
      { path: '第 2 行', message: '“NOT-A-NUMBER”不是有效的证书编号：证书编号由 4–32 位大写字母和数字组成' },
      { path: '第 3 行', message: '证书 2025WSHL99999 不存在，或不在您的管理范围内' },
      { path: '第 4 行', message: `证书 ${active[0]} 在名单中重复（第 1 行已列出）` },
      // Another department's certificate is as unknown to this department as a missing one.
      { path: '第 5 行', message: `证书 ${PDGC_CERTIFICATE} 不存在，或不在您的管理范围内` },
      { path: '第 6 行', message: `证书 ${pending[0]} 尚未签章发证，只能注销现行有效的证书` },
      { path: '第 7 行', message: `证书 ${active[1]} 已在注销申请 ${open.id} 中（待市人社局审核），不能重复登记` },
    ])
    // The full-width line 8 was fine: only the problems are listed.
    expect(await stored()).toEqual(before)
    expect(await statusOf(active[0])).toBe('active')
  })

  it('refuses certificates already revoked, and legacy paper records', async () => {
    const done = await record(WSHL_CERTIFICATE)
    await test.core.revocations.approve(await as('bureau-reviewer'), done.id)
    await test.core.revocations.execute(await as('clerk'), done.id)
    const { numbers } = await approvedTitleBatch(test.core, { count: 1, from: 400, active: true })
    await test.core.db('certificates').where({ number: numbers[0] }).update({ legacy: true })
    const error = await refusal(record(`${WSHL_CERTIFICATE}\n${numbers[0]}`), 'VALIDATION')
    expect(error.details).toEqual([
      { path: '第 1 行', message: `证书 ${WSHL_CERTIFICATE} 已注销，只能注销现行有效的证书` },
      { path: '第 2 行', message: `证书 ${numbers[0]} 是历史（纸质）证书记录，不是电子证书，不能在此注销` },
    ])
  })

  it('is recorded by the certificate’s own supervising department only, even by the bureau', async () => {
    const error = await refusal(record(WSHL_CERTIFICATE, {}, 'bureau-reviewer'), 'VALIDATION')
    expect(error.details).toEqual([
      {
        path: '第 1 行',
        message: `证书 ${WSHL_CERTIFICATE} 由上海市卫生系列护理专业高级职称评审委员会颁发，须由其主管部门上海市卫生健康委员会登记注销`,
      },
    ])
    expect((await record(PDGC_CERTIFICATE, {}, 'district-reviewer')).certificateCount).toBe(1)
  })

  it('refuses an empty list, and one longer than 5000 certificates', async () => {
    expect((await refusal(record(' \n\n '), 'VALIDATION')).message).toBe('注销名单中没有证书编号')
    const long = Array.from({ length: 5001 }, (_, index) => `2025WSHL${String(index + 1).padStart(5, '0')}`).join('\n')
    expect((await refusal(record(long), 'VALIDATION')).message).toContain('一次最多注销 5000 本证书')
  })

  it('checks the document and the reason: a PDF, a real past date, an explanation for “other”', async () => {
    const before = await stored()
    const reviewer = await as('reviewer')
    const notPdf = await upload(test.core, reviewer, 'notice', '注销决定.pdf', Buffer.from('just text, not a PDF'))
    expect((await refusal(record(WSHL_CERTIFICATE, { document: notPdf }), 'VALIDATION')).message).toBe('上传的注销文件不是 PDF 文件')
    expect((await refusal(record(WSHL_CERTIFICATE, { documentDate: '2026-12-01' }), 'VALIDATION')).message).toBe(
      '注销文件的日期“2026-12-01”晚于今天（2026-11-28）',
    )
    expect((await refusal(record(WSHL_CERTIFICATE, { documentDate: '2026-02-30' }), 'VALIDATION')).message).toContain('不是有效的日期')
    expect((await refusal(record(WSHL_CERTIFICATE, { reason: 'other' }), 'VALIDATION')).message).toContain('请说明具体原因')
    expect((await refusal(record(WSHL_CERTIFICATE, { documentNumber: ' ' }), 'VALIDATION')).message).toContain('文号')
    expect(await stored()).toEqual(before)
  })
})
