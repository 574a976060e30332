import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DownloadFile } from '../../electron/contract/applications'
import type { IntegrityRecord } from '../../electron/contract/integrity'
import type { CertificateDetail, HistoryPage, RegisterPage } from '../../electron/contract/register'
import type { Actor } from '../../electron/core/users/access'
import { actorOf, addUser } from '../helpers/batches'
import { auditCount, call, CHINESE, createDemoCore, expectError, expectOk } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { evidencePdf, uploadFiles } from '../helpers/register-fixtures'
import { clonePerTest, sessionFor } from '../helpers/template'

const NURSE = { number: '2025WSHL00001', name: '王丽华', idNumber: '310101198503120022' }
const ENGINEER = { number: '2025PDGC00001', name: '陈志强', idNumber: '310115198207074816' }
/** Someone with no certificate in the register (a valid resident ID). */
const STRANGER = { name: '孙立', idNumber: '310101198001010034' }

let test: TestCore
const sessions: Record<string, string> = {}

clonePerTest(
  async () => {
    const template = await createDemoCore()
    await addUser(template.core, { username: 'board-reviewer', displayName: '评审委员会审核员', organisation: 'WSHL', roles: ['reviewer'] })
    await addUser(template.core, {
      username: 'bureau-clerk',
      displayName: '市人社局备案员',
      organisation: '上海市人力资源和社会保障局',
      roles: ['clerk'],
    })
    return template
  },
  async (clone) => {
    test = clone
    for (const username of [
      'clerk',
      'reviewer',
      'district-reviewer',
      'bureau-reviewer',
      'sealer',
      'admin',
      'board-reviewer',
      'bureau-clerk',
    ]) {
      sessions[username] = await sessionFor(clone, username)
    }
  },
)

async function evidence(username: string, files?: Array<{ name: string; bytes: Buffer }>): Promise<string> {
  const actor: Actor = await actorOf(test.core, username)
  return uploadFiles(test.core, actor, 'attachment', files ?? [{ name: '查证报告.pdf', bytes: await evidencePdf(`report ${username}`) }])
}

function finding(upload: string, subject: Record<string, unknown> = { type: 'certificate', number: NURSE.number }) {
  return { kind: 'lending', subject, foundOn: '2026-11-20', description: '经查证，持证人将证书挂靠于外单位。', evidence: upload }
}

describe('integrity records (诚信档案)', () => {
  it('a clerk records a finding against a certificate with its evidence; the register shows it and its history', async () => {
    const pdf = await evidencePdf('investigation')
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0])
    const upload = await evidence('clerk', [
      { name: '查证报告.pdf', bytes: pdf },
      { name: '现场照片.jpg', bytes: photo },
    ])
    const before = await auditCount(test)
    const record = expectOk<IntegrityRecord>(await call(test, 'integrity.record', finding(upload), sessions.clerk))
    expect(record).toMatchObject({
      kind: 'lending',
      subject: 'certificate',
      certificateNumber: NURSE.number,
      subjectName: NURSE.name,
      subjectIdNumber: NURSE.idNumber,
      foundOn: '2026-11-20',
      organisationName: '上海市职业能力考试院',
      recordedByName: '考试院备案员',
      recordedAt: '2026-11-28T08:00:00.000Z',
    })
    expect(record.evidence.map((file) => [file.fileName, file.mediaType])).toEqual([
      ['查证报告.pdf', 'application/pdf'],
      ['现场照片.jpg', 'image/jpeg'],
    ])
    // Exactly one audit entry, with the number but neither the holder's name nor the ID number.
    expect(await auditCount(test)).toBe(before + 1)
    const entry = await test.core.db('audit_log').orderBy('id', 'desc').first()
    expect(entry).toMatchObject({ action: 'integrity.record', object_type: 'integrity_record', object_id: String(record.id) })
    expect(entry.details).toContain(NURSE.number)
    expect(entry.details).not.toContain(NURSE.idNumber)
    expect(entry.details).not.toContain(NURSE.name)

    const detail = expectOk<CertificateDetail>(await call(test, 'certificates.detail', { number: NURSE.number }, sessions.reviewer))
    expect(detail.integrity.map((item) => item.id)).toEqual([record.id])
    const page = expectOk<RegisterPage>(await call(test, 'certificates.search', { number: NURSE.number }, sessions.reviewer))
    expect(page.items[0].integrityRecords).toBe(1)
    const history = expectOk<HistoryPage>(await call(test, 'certificates.history', { number: NURSE.number }, sessions.reviewer))
    expect(history.entries[0]).toMatchObject({ action: 'integrity.record', source: 'integrity' })
    const file = expectOk<DownloadFile>(await call(test, 'integrity.evidence', { id: record.evidence[0].id }, sessions.reviewer))
    expect(file).toMatchObject({ fileName: '查证报告.pdf', mediaType: 'application/pdf' })
    expect(Buffer.from(file.base64, 'base64').equals(pdf)).toBe(true)
    // The upload was used up: it cannot be recorded a second time.
    expectError(await call(test, 'integrity.record', finding(upload), sessions.clerk), 'NOT_FOUND')
  })

  it('a supervising reviewer records against a person; it follows the person to the certificates they hold', async () => {
    const upload = await evidence('reviewer')
    const subject = { type: 'person', idNumber: ` ${NURSE.idNumber.slice(0, 17)}２ `, name: NURSE.name }
    const record = expectOk<IntegrityRecord>(
      await call(test, 'integrity.record', { ...finding(upload, subject), kind: 'forgery' }, sessions.reviewer),
    )
    expect(record).toMatchObject({ subject: 'person', certificateNumber: null, subjectIdNumber: NURSE.idNumber, kind: 'forgery' })
    const stranger = expectOk<IntegrityRecord>(
      await call(test, 'integrity.record', finding(await evidence('reviewer'), { type: 'person', ...STRANGER }), sessions.reviewer),
    )
    // Found by the person, and in the detail of the certificate the person holds.
    const byPerson = expectOk<IntegrityRecord[]>(await call(test, 'integrity.list', { idNumber: NURSE.idNumber }, sessions.clerk))
    expect(byPerson.map((item) => item.id)).toEqual([record.id])
    const byCertificate = expectOk<IntegrityRecord[]>(
      await call(test, 'integrity.list', { certificateNumber: NURSE.number }, sessions['bureau-reviewer']),
    )
    expect(byCertificate.map((item) => item.id)).toEqual([record.id])
    // The district's desk neither holds the nurse's certificate nor recorded either finding: it sees neither.
    expect(
      expectOk<IntegrityRecord[]>(await call(test, 'integrity.list', { idNumber: NURSE.idNumber }, sessions['district-reviewer'])),
    ).toEqual([])
    expect(
      expectOk<IntegrityRecord[]>(await call(test, 'integrity.list', { idNumber: STRANGER.idNumber }, sessions['district-reviewer'])),
    ).toEqual([])
    expectError(await call(test, 'integrity.evidence', { id: stranger.evidence[0].id }, sessions['district-reviewer']), 'NOT_FOUND')
    // The recording department sees what it recorded about someone outside its register.
    const own = expectOk<IntegrityRecord[]>(
      await call(test, 'integrity.list', { idNumber: STRANGER.idNumber, name: STRANGER.name }, sessions.reviewer),
    )
    expect(own.map((item) => item.id)).toEqual([stranger.id])
  })

  it('only the institute’s clerks and the bureau’s and departments’ reviewers record; nothing is stored for the others', async () => {
    for (const username of ['sealer', 'admin', 'board-reviewer', 'bureau-clerk']) {
      const upload = await evidence(username)
      const before = await auditCount(test)
      const error = expectError(await call(test, 'integrity.record', finding(upload), sessions[username]), 'FORBIDDEN')
      expect(error.message, username).toMatch(CHINESE)
      expect(await auditCount(test)).toBe(before)
    }
    for (const username of ['district-reviewer', 'bureau-reviewer']) {
      const number = username === 'district-reviewer' ? ENGINEER.number : NURSE.number
      expectOk(await call(test, 'integrity.record', finding(await evidence(username), { type: 'certificate', number }), sessions[username]))
    }
    expect(await test.core.db('integrity_records').count({ n: '*' }).first()).toEqual({ n: 2 })
    // A department cannot record against a certificate outside its reach: it is not there for it.
    expectError(
      await call(
        test,
        'integrity.record',
        finding(await evidence('reviewer'), { type: 'certificate', number: ENGINEER.number }),
        sessions.reviewer,
      ),
      'NOT_FOUND',
    )
  })

  it('refuses bad input with a clear message and stores nothing', async () => {
    const attempt = async (payload: unknown, code: 'VALIDATION' | 'NOT_FOUND', message: RegExp) => {
      const error = expectError(await call(test, 'integrity.record', payload, sessions.clerk), code)
      expect(error.message).toMatch(message)
    }
    await attempt(
      finding(await evidence('clerk', [{ name: '说明.txt', bytes: Buffer.from('不是扫描件') }])),
      'VALIDATION',
      /说明\.txt.*不是 PDF/,
    )
    await attempt(finding(await evidence('clerk', [{ name: '空.pdf', bytes: Buffer.alloc(0) }])), 'VALIDATION', /空\.pdf.*空文件/)
    await attempt({ ...finding(await evidence('clerk')), foundOn: '2026-12-01' }, 'VALIDATION', /晚于今天/)
    await attempt({ ...finding(await evidence('clerk')), foundOn: '2026-02-30' }, 'VALIDATION', /日期不存在/)
    await attempt(
      finding(await evidence('clerk'), { type: 'person', idNumber: '310101198503120023', name: '王丽华' }),
      'VALIDATION',
      /证件号码校验位错误/,
    )
    await attempt({ ...finding(await evidence('clerk')), description: '   ' }, 'VALIDATION', /查证情况/)
    await attempt({ ...finding(await evidence('clerk')), kind: 'rumour' }, 'VALIDATION', CHINESE)
    await attempt(finding(await evidence('clerk'), { type: 'certificate', number: '2025WSHL99999' }), 'NOT_FOUND', /不存在/)
    // Someone else's upload is not there for the caller; an upload of another purpose is refused.
    await attempt(finding(await evidence('reviewer')), 'NOT_FOUND', /上传/)
    const notice = await uploadFiles(test.core, await actorOf(test.core, 'clerk'), 'notice', [
      { name: 'a.pdf', bytes: await evidencePdf('x') },
    ])
    await attempt(finding(notice), 'VALIDATION', /用途/)
    expect(await test.core.db('integrity_records').count({ n: '*' }).first()).toEqual({ n: 0 })
    expect(await test.core.db('integrity_evidence').count({ n: '*' }).first()).toEqual({ n: 0 })
    expect(await test.core.db('audit_log').where({ action: 'integrity.record' })).toEqual([])
    expectError(await call(test, 'integrity.list', {}, sessions.clerk), 'VALIDATION')
    expectError(
      await call(test, 'integrity.list', { certificateNumber: NURSE.number, idNumber: NURSE.idNumber }, sessions.clerk),
      'VALIDATION',
    )
  })
})

describe('integrity records need a session', () => {
  let before: number
  beforeEach(async () => {
    before = await auditCount(test)
  })
  afterEach(async () => {
    expect(await auditCount(test)).toBe(before)
  })
  it('refuses a missing actor in the service itself', async () => {
    await expect(test.core.integrity.list(null, { idNumber: NURSE.idNumber })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(
      test.core.integrity.record(null, {
        kind: 'abuse',
        subject: { type: 'person', ...STRANGER },
        foundOn: '2026-11-01',
        description: 'x',
        evidence: 'f'.repeat(32),
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })
})
