import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CertificateSummary, DocumentPreview } from '../../electron/contract/certificates'
import { requiredSeals } from '../../electron/core/certificates/seal-rules'
import { DocumentPool } from '../../electron/core/documents/pool'
import { writeTransaction } from '../../electron/core/db/transaction'
import { call, createDemoCore, expectError, expectOk } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { sessionFor } from '../helpers/template'
import { poppler } from '../fixtures/documents/poppler'
import { makeIdPhoto, titleSample } from '../fixtures/documents/samples'

const text = (pdf: Uint8Array) => poppler('pdftotext', ['-enc', 'UTF-8', '-'], pdf).stdout.toString('utf8').replace(/\s+/g, '')
const pdfOf = (preview: DocumentPreview) => new Uint8Array(Buffer.from(preview.pdfBase64, 'base64'))

describe('certificates: lookup, preview and render from the stored snapshot', () => {
  let test: TestCore
  const sessions: Record<string, string> = {}

  beforeAll(async () => {
    test = await createDemoCore()
    for (const username of ['admin', 'reviewer', 'clerk', 'sealer']) sessions[username] = await sessionFor(test, username)
  })
  afterAll(() => test.cleanup())

  it('lists what the user’s organisation oversees: the health department sees its nursing board only', async () => {
    const numbers = (list: CertificateSummary[]) => list.map((item) => item.number).sort()
    expect(numbers(expectOk(await call(test, 'certificates.list', {}, sessions.clerk)))).toEqual([
      '2025JSKS00001',
      '2025PDGC00001',
      '2025WSHL00001',
    ])
    expect(numbers(expectOk(await call(test, 'certificates.list', {}, sessions.reviewer)))).toEqual(['2025WSHL00001'])
    expect(numbers(expectOk(await call(test, 'certificates.list', { search: '陈志强' }, sessions.clerk)))).toEqual(['2025PDGC00001'])
    expect(numbers(expectOk(await call(test, 'certificates.list', { search: '2025jsks00001' }, sessions.sealer)))).toEqual([
      '2025JSKS00001',
    ])
  })

  it('previews an unsealed certificate as a fresh rendering with every field of its snapshot', async () => {
    const preview = expectOk<DocumentPreview>(await call(test, 'certificates.preview', { number: '2025JSKS00001' }, sessions.clerk))
    expect(preview).toMatchObject({ sealed: false, fileName: '2025JSKS00001-v1.pdf' })
    const content = text(pdfOf(preview))
    for (const value of ['建造师执业资格证书', '李娜', '310104199009210042', '建筑工程', '2025JSKS00001', '随申办市民云'])
      expect(content).toContain(value)
    // Vocational: both seals, the bureau's and the exam centre's supervising department.
    expect(content).toContain('上海市住房和城乡建设管理委员会')
  })

  it('fills the slips of clause 9 from the database: a query slip for a title, a pass certificate for a vocational one', async () => {
    const slip = expectOk<DocumentPreview>(
      await call(test, 'certificates.preview', { number: '2025WSHL00001', document: 'slip' }, sessions.clerk),
    )
    expect(slip).toMatchObject({ sealed: false, fileName: '2025WSHL00001-query-slip.pdf' })
    const slipText = text(pdfOf(slip))
    // Issued today (the test clock) by the review body, numbered after the date.
    for (const value of ['职称评审结果查询单', '王丽华', '310101198503120022', '副主任护师', '2025WSHL00001', 'CX20261128'])
      expect(slipText).toContain(value)
    const pass = expectOk<DocumentPreview>(
      await call(test, 'certificates.preview', { number: '2025JSKS00001', document: 'slip' }, sessions.clerk),
    )
    expect(pass.fileName).toBe('2025JSKS00001-pass-certificate.pdf')
    const passText = text(pdfOf(pass))
    for (const value of ['成绩合格证明', '李娜', '2025年度建造师考试', '上海市建设工程考试中心']) expect(passText).toContain(value)
  })

  it('refuses a certificate outside the user’s reach as not found, and a malformed number at the boundary', async () => {
    expectError(await call(test, 'certificates.preview', { number: '2025PDGC00001' }, sessions.reviewer), 'NOT_FOUND')
    expectError(await call(test, 'certificates.preview', { number: '2025pdgc00001' }, sessions.clerk), 'VALIDATION')
  })

  it('serves the stored file once a version is sealed, and refuses a stored file that was altered', async () => {
    const signed = new Uint8Array(Buffer.from('%PDF-1.7\n% stands in for the signed file of the sealing capability\n'))
    const stored = await writeTransaction(test.core.db, (trx) => test.core.files.put(trx, signed, 'application/pdf'))
    const certificate = await test.core.db('certificates').where({ number: '2025PDGC00001' }).first('id')
    await test.core.db('certificate_versions').where({ certificate_id: certificate.id, version: 1 }).update({ pdf_hash: stored.hash })
    const preview = expectOk<DocumentPreview>(await call(test, 'certificates.preview', { number: '2025PDGC00001' }, sessions.clerk))
    expect(preview.sealed).toBe(true)
    expect(Buffer.from(pdfOf(preview)).equals(Buffer.from(signed))).toBe(true)
    const { writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    writeFileSync(join(test.dataDir, stored.path), 'tampered')
    expectError(await call(test, 'certificates.preview', { number: '2025PDGC00001' }, sessions.clerk), 'INVALID_STATE')
  })

  it('applies the seal rules of clause 3', async () => {
    const organisation = async (name: string) => (await test.core.db('organisations').where({ name }).first('id')).id as number
    const names = async (family: 'title' | 'vocational', level: string, body: string) =>
      (await requiredSeals(test.core.db, { family, level, organisationId: await organisation(body) })).map(
        (seal) => `${seal.slot}:${seal.organisationName}`,
      )
    expect(await names('title', 'senior', '上海市卫生系列护理专业高级职称评审委员会')).toEqual(['single:上海市人力资源和社会保障局'])
    expect(await names('title', 'intermediate', '浦东新区工程系列中级职称评审委员会')).toEqual([
      'single:上海市浦东新区人力资源和社会保障局',
    ])
    expect(await names('vocational', '一级', '上海市建设工程考试中心')).toEqual([
      'bureau:上海市人力资源和社会保障局',
      'department:上海市住房和城乡建设管理委员会',
    ])
    // A review body configured to carry the bureau's seal for its intermediate titles (the demo grants it the district's).
    await test.core
      .db('organisation_grants')
      .insert({
        organisation_id: await organisation('浦东新区工程系列中级职称评审委员会'),
        family: 'title',
        level: 'intermediate',
        seal_organisation_id: await organisation('上海市人力资源和社会保障局'),
      })
      .onConflict(['organisation_id', 'family', 'level'])
      .merge()
    expect(await names('title', 'intermediate', '浦东新区工程系列中级职称评审委员会')).toEqual(['single:上海市人力资源和社会保障局'])
  })
})

describe('the document pool', () => {
  it('renders on worker threads what the in-process renderer renders, and reports a missing glyph as a clear error', async () => {
    const pool = new DocumentPool(2)
    try {
      const photo = makeIdPhoto()
      const inputs = Array.from({ length: 6 }, (_, index) => ({ ...titleSample(photo), number: `2025WSHL0000${index + 1}` }))
      const pdfs = await Promise.all(inputs.map((input) => pool.render({ kind: 'title', input })))
      pdfs.forEach((pdf, index) => expect(text(pdf)).toContain(`2025WSHL0000${index + 1}`))
      const broken = { ...titleSample(photo), fields: { ...titleSample(photo).fields, name: '王𠇔' } }
      await expect(pool.render({ kind: 'title', input: broken })).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('U+201D4'),
      })
      // The pool keeps working after a refused document.
      expect(text(await pool.render({ kind: 'title', input: inputs[0] }))).toContain('2025WSHL00001')
    } finally {
      await pool.close()
    }
  })
})
