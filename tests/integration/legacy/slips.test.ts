import { describe, expect, it } from 'vitest'
import { FileStore } from '../../../electron/core/files/file-store'
import type { TestCore } from '../../helpers/core'
import { countOf, examRecord, titleRecord } from '../../helpers/legacy'
import { clonePerTest } from '../../helpers/template'
import { createLegacyCore, JSKS, PDGC, slipSteps } from './slip-fixture'

let test: TestCore
clonePerTest(createLegacyCore, (clone) => {
  test = clone
})
const { actor, recordId, issue, textOf, watermarked, storedFile } = slipSteps(() => test)

describe('issuing a query slip for an intermediate title', () => {
  it('numbers, records, stores and audits it; printable at once; pdftotext shows the record', async () => {
    const auditBefore = await countOf(test.core, 'audit_log')
    const slip = await issue('engineering-staff', 'GC20120010')
    expect(slip).toMatchObject({ number: 'CX2026000001', kind: 'query_slip', state: 'issued', needsRecheck: false, printable: true })
    const row = await test.core.db('query_slips').where({ id: slip.id }).first()
    expect(row).toMatchObject({
      recheck_state: null,
      reason: '原纸质证书遗失，申请人办理聘任需要',
      issued_by: (await actor('engineering-staff')).userId,
    })
    expect(await countOf(test.core, 'audit_log')).toBe(auditBefore + 1)
    const entry = await test.core.db('audit_log').orderBy('id', 'desc').first()
    expect(entry).toMatchObject({ action: 'slip.issue', object_type: 'query_slip', object_id: String(slip.id) })
    expect(entry.details).not.toMatch(/历史|310101|遗失/)

    const document = await test.core.legacy.slips.document(await actor('engineering-staff'), slip.id)
    expect(document.final).toBe(true)
    expect(FileStore.hashOf(Buffer.from(document.pdfBase64, 'base64'))).toBe(row.pdf_hash)
    const text = textOf(document.pdfBase64)
    const fields = titleRecord(10)
    for (const expected of [
      '职称评审结果查询单',
      '编号：CX2026000001',
      '历史11',
      String(fields.idNumber),
      '2015年12月20日',
      PDGC,
      '工程师',
      '土木工程',
      'GC20120010',
      '2026年11月28日',
    ]) {
      expect(text).toContain(expected)
    }
    expect(watermarked(text)).toBe(false)
    // Not senior: the body's office stamp only, without the bureau's seal.
    expect(text).not.toContain('专用章')
  })
})

describe('issuing a pass certificate for an exam record', () => {
  it('numbers it in its own series and shows the exam record', async () => {
    const slip = await issue('exam-staff', 'JZ201600001')
    expect(slip).toMatchObject({ number: 'CJ2026000001', kind: 'pass_certificate', state: 'issued', printable: true })
    const text = textOf(await storedFile(slip.id))
    const record = examRecord(0)
    for (const expected of ['2016', '建造师', '考生1', String(record.idNumber), '男', '一级', '建筑工程', 'JZ201600001', JSKS])
      expect(text).toContain(expected)
  })
})

describe('the senior re-check (复核)', () => {
  it('cannot be printed before the institute confirms it; the issuer and other desks cannot re-check it', async () => {
    const slip = await issue('nursing-staff', 'HL20150001')
    expect(slip).toMatchObject({ state: 'pending_recheck', needsRecheck: true, printable: false, canRecheck: false })
    const preview = await test.core.legacy.slips.document(await actor('nursing-staff'), slip.id)
    expect(preview.final).toBe(false)
    expect(watermarked(textOf(preview.pdfBase64))).toBe(true)
    expect((await test.core.legacy.slips.list(await actor('clerk'), 'recheck', 50)).map((item) => item.number)).toEqual([slip.number])
    await expect(test.core.legacy.slips.list(await actor('nursing-staff'), 'recheck', 50)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(test.core.legacy.slips.recheck(await actor('nursing-staff'), slip.id, 'confirm', null)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(test.core.legacy.slips.recheck(await actor('reviewer'), slip.id, 'confirm', null)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })

    const confirmed = await test.core.legacy.slips.recheck(await actor('clerk'), slip.id, 'confirm', null)
    expect(confirmed).toMatchObject({ state: 'issued', printable: true, recheck: { decision: 'confirmed', byName: '考试院备案员' } })
    const document = await test.core.legacy.slips.document(await actor('nursing-staff'), slip.id)
    expect(document.final).toBe(true)
    const text = textOf(document.pdfBase64)
    // The bureau's 专业技术资格证书专用章 beside the body's office stamp (attachment 3).
    expect(text).toContain('专业技术资格证书专用章')
    expect(watermarked(text)).toBe(false)
    expect(await test.core.db('slip_rechecks').where({ slip_id: slip.id }).first()).toMatchObject({ decision: 'confirmed' })
    await expect(test.core.legacy.slips.recheck(await actor('clerk2'), slip.id, 'refuse', '重复复核')).rejects.toMatchObject({
      code: 'INVALID_STATE',
    })
  })

  it('a clerk who issued a senior slip leaves the re-check to another clerk', async () => {
    const slip = await issue('clerk', 'HL20150002')
    expect(slip.canRecheck).toBe(false)
    await expect(test.core.legacy.slips.recheck(await actor('clerk'), slip.id, 'confirm', null)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: '复核人不能是开具该查询单的人',
    })
    const [queued] = await test.core.legacy.slips.list(await actor('clerk2'), 'recheck', 50)
    expect(queued).toMatchObject({ id: slip.id, canRecheck: true })
    expect(await test.core.legacy.slips.recheck(await actor('clerk2'), slip.id, 'confirm', null)).toMatchObject({ printable: true })
  })

  it('a refused re-check voids the slip for good; a new slip gets the next number and the record a second chance', async () => {
    const slip = await issue('nursing-staff', 'HL20150001')
    await expect(issue('nursing-staff', 'HL20150001')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('待复核'),
    })
    const auditBefore = await countOf(test.core, 'audit_log')
    const refused = await test.core.legacy.slips.recheck(await actor('clerk'), slip.id, 'refuse', '档案中的评审专业与记录不符')
    expect(refused).toMatchObject({
      state: 'refused',
      printable: false,
      recheck: { decision: 'refused', reason: '档案中的评审专业与记录不符' },
    })
    expect(await countOf(test.core, 'audit_log')).toBe(auditBefore + 1)
    expect((await test.core.legacy.slips.document(await actor('nursing-staff'), slip.id)).final).toBe(false)
    const report = await test.core.verification.verifyBytes(await storedFile(slip.id))
    expect(report).toMatchObject({ valid: false, registryStatus: 'revoked', slip: { number: slip.number, state: 'refused' } })
    expect(report.summary).toContain('复核未通过')

    const next = await issue('nursing-staff', 'HL20150001')
    expect(next.number).toBe('CX2026000002')
    expect(next.state).toBe('pending_recheck')
  })

  it('cannot confirm a slip whose record changed since it was issued', async () => {
    const slip = await issue('nursing-staff', 'HL20150001')
    const id = await recordId('HL20150001')
    const version = await test.core.db('certificate_versions').where({ certificate_id: id }).first()
    // As a correction would leave it: the record's current content now differs from the slip's.
    await test.core
      .db('certificate_versions')
      .where({ id: version.id })
      .update({ fields: JSON.stringify({ ...JSON.parse(version.fields), specialty: '社区护理' }) })
    await expect(test.core.legacy.slips.recheck(await actor('clerk'), slip.id, 'confirm', null)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('内容与证书库中的记录不一致'),
    })
    expect(await test.core.db('query_slips').where({ id: slip.id }).first('recheck_state')).toEqual({ recheck_state: 'pending' })
  })
})

describe('numbering', () => {
  it('counts each kind per year, gives back the number of a failed issue and never reuses one', async () => {
    expect((await issue('engineering-staff', 'GC20120010')).number).toBe('CX2026000001')
    // The font lacks 𠇔: refused before anything is stored, and the number goes back.
    const before = await countOf(test.core, 'query_slips')
    await expect(issue('engineering-staff', 'GC20120011')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('𠇔'),
    })
    expect(await countOf(test.core, 'query_slips')).toBe(before)
    expect((await issue('engineering-staff', 'GC20120010')).number).toBe('CX2026000002')
    expect((await issue('exam-staff', 'JZ201600002')).number).toBe('CJ2026000001')
    test.clock.advance(40 * 86_400_000)
    expect((await issue('engineering-staff', 'GC20120010')).number).toBe('CX2027000001')
    const numbers = await test.core.db('query_slips').orderBy('id').pluck('number')
    expect(numbers).toEqual(['CX2026000001', 'CX2026000002', 'CJ2026000001', 'CX2027000001'])
  })
})

describe('what may be issued, and by whom', () => {
  it('refuses an electronic certificate, another body’s record, a revoked record; scopes the lists', async () => {
    const electronic = await recordId('2025PDGC00001')
    await expect(test.core.legacy.slips.issue(await actor('engineering-staff'), electronic, '遗失')).rejects.toMatchObject({
      code: 'INVALID_STATE',
    })
    await expect(issue('nursing-staff', 'GC20120010')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(issue('reviewer', 'HL20150001')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(issue('sealer', 'HL20150001')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const slip = await issue('engineering-staff', 'GC20120010')
    await test.core.db('certificates').where({ number: 'GC20120010' }).update({ status: 'revoked' })
    await expect(issue('engineering-staff', 'GC20120010')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('已注销'),
    })
    const [listed] = await test.core.legacy.slips.list(await actor('engineering-staff'), 'all', 50)
    expect(listed).toMatchObject({ id: slip.id, state: 'record_revoked', printable: false })
    expect((await test.core.verification.verifyBytes(await storedFile(slip.id))).registryStatus).toBe('revoked')

    const own = await test.core.legacy.records.list(await actor('engineering-staff'), { limit: 50 })
    expect(own.map((record) => record.number).sort()).toEqual(['GC20120010', 'GC20120011'])
    expect(own[0].idNumberMasked).toMatch(/^3101\*+\d{3}[\dX]$/)
    const all = await test.core.legacy.records.list(await actor('clerk'), { limit: 50 })
    expect(all).toHaveLength(6)
    await expect(test.core.legacy.records.record(await actor('exam-staff'), await recordId('GC20120010'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    expect(await test.core.legacy.records.desk(await actor('engineering-staff'))).toEqual({
      canImport: false,
      canRecheck: false,
      pendingRechecks: 0,
    })
  })

  it('shows a record with its slips and why a second one must wait', async () => {
    const slip = await issue('nursing-staff', 'HL20150001')
    const detail = await test.core.legacy.records.record(await actor('nursing-staff'), await recordId('HL20150001'))
    expect(detail).toMatchObject({ number: 'HL20150001', rowNumber: 2, importedByName: '考试院备案员', slips: [{ id: slip.id }] })
    expect(detail.issueBlocker).toContain(slip.number)
    expect(await test.core.legacy.records.desk(await actor('clerk'))).toEqual({ canImport: true, canRecheck: true, pendingRechecks: 1 })
    const found = await test.core.legacy.records.list(await actor('clerk'), { search: 'hl-2015-0001', limit: 10 })
    expect(found.map((record) => record.number)).toEqual(['HL20150001'])
  })
})
