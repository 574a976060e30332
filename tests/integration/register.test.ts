import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CertificateDetail, HistoryPage, RegisterPage } from '../../electron/contract/register'
import { RegisterSearchSchema } from '../../electron/contract/register'
import { pageIdsQuery } from '../../electron/core/certificates/register-search'
import type { Actor } from '../../electron/core/users/access'
import { actorOf, insertBatch, titleFields } from '../helpers/batches'
import { auditCount, call, CHINESE, createDemoCore, expectError, expectOk } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { insertCertificate } from '../helpers/register-fixtures'
import { sessionFor } from '../helpers/template'

/** The demo's three certificates and their holders. */
const NURSE = { number: '2025WSHL00001', name: '王丽华', idNumber: '310101198503120022' }
const ENGINEER = { number: '2025PDGC00001', name: '陈志强', idNumber: '310115198207074816' }
const CONSTRUCTOR = { number: '2025JSKS00001', name: '李娜', idNumber: '310104199009210042' }

let test: TestCore
const sessions: Record<string, string> = {}
/** The approved WSHL batch's certificates, in row order; the third applicant was excluded and included again. */
let batchNumbers: string[]

async function search(payload: Record<string, unknown>, username = 'clerk'): Promise<RegisterPage> {
  return expectOk<RegisterPage>(await call(test, 'certificates.search', payload, sessions[username]))
}
const numbersOf = (page: RegisterPage) => page.items.map((item) => item.number)

beforeAll(async () => {
  test = await createDemoCore()
  const { core } = test
  // A real approval: the health department's reviewer numbers a batch of seven senior nurses, the
  // fifth of them 李娜 (who holds the demo's vocational certificate too).
  const people = Array.from({ length: 7 }, (_, index) =>
    index === 4
      ? { fields: titleFields(index + 1, { name: CONSTRUCTOR.name, idNumber: CONSTRUCTOR.idNumber, gender: '女', birthMonth: '1990-09' }) }
      : { fields: titleFields(index + 1) },
  )
  const batch = await insertBatch(core, { organisationCode: 'WSHL', family: 'title', createdBy: 'clerk', applicants: people })
  const reviewer = await actorOf(core, 'reviewer')
  await core.review.exclude(reviewer, batch.id, [batch.applicantIds[2]], '待核实')
  await core.review.include(reviewer, batch.id, [batch.applicantIds[2]])
  await core.review.approve(reviewer, batch.id)
  batchNumbers = (await core.db('certificates').where({ batch_id: batch.id }).orderBy('id').pluck('number')) as string[]
  // Legacy paper records (clause 9) and one issued late on 25 December UTC, which is 26 December in Shanghai.
  await insertCertificate(core, {
    number: '2015WSHL00007',
    organisationCode: 'WSHL',
    family: 'title',
    level: 'senior',
    name: '赵敏',
    idNumber: '310101197001011239',
    issuedAt: '2015-06-30T02:00:00.000Z',
    legacy: true,
  })
  await insertCertificate(core, {
    number: '2025WSHL00099',
    organisationCode: 'WSHL',
    family: 'title',
    level: 'senior_full',
    name: '钱进',
    idNumber: '310101197502021234',
    issuedAt: '2025-12-25T17:00:00.000Z',
    status: 'revoked',
  })
  for (const username of ['clerk', 'reviewer', 'district-reviewer', 'bureau-reviewer', 'sealer', 'admin']) {
    sessions[username] = await sessionFor(test, username)
  }
})

afterAll(() => test.cleanup())

describe('the register: finding certificates', () => {
  it('finds a certificate by its number however it is typed, with its holder’s ID number for the desk', async () => {
    for (const typed of [NURSE.number, NURSE.number.toLowerCase(), '２０２５ＷＳＨＬ００００１', ` ${NURSE.number} `]) {
      const page = await search({ number: typed })
      expect(numbersOf(page), typed).toEqual([NURSE.number])
      expect(page).toMatchObject({ hasMore: false, nextCursor: null })
    }
    expect((await search({ number: NURSE.number })).items[0]).toMatchObject({
      holderName: NURSE.name,
      holderIdNumber: NURSE.idNumber,
      family: 'title',
      level: 'senior',
      status: 'active',
      version: 1,
      sealed: false,
      legacy: false,
      integrityRecords: 0,
      organisationName: '上海市卫生系列护理专业高级职称评审委员会',
    })
    expect((await search({ number: '2025WSHL99999' })).items).toEqual([])
  })

  it('finds a person’s certificates by ID number, newest first; with the name too; a wrong name finds nothing', async () => {
    const title = batchNumbers[4]
    expect(numbersOf(await search({ idNumber: CONSTRUCTOR.idNumber }))).toEqual([title, CONSTRUCTOR.number])
    expect(numbersOf(await search({ idNumber: CONSTRUCTOR.idNumber, name: CONSTRUCTOR.name }))).toEqual([title, CONSTRUCTOR.number])
    expect(numbersOf(await search({ idNumber: CONSTRUCTOR.idNumber, name: '李娜娜' }))).toEqual([])
    // The ID's check character typed in lower case, or the number in full-width digits.
    expect(numbersOf(await search({ idNumber: '３１０１０１１９８５０３１２００２２' }))).toEqual([NURSE.number])
    expect(numbersOf(await search({ name: ENGINEER.name }))).toEqual([ENGINEER.number])
  })

  it('filters by organisation, family, level, issue period (Shanghai days), status and the legacy flag', async () => {
    const nursing = (await test.core.db('organisations').where({ code: 'WSHL' }).first('id')).id as number
    const all = numbersOf(await search({ organisationId: nursing }))
    expect(all).toEqual(expect.arrayContaining([NURSE.number, '2015WSHL00007', '2025WSHL00099', ...batchNumbers]))
    expect(all).toHaveLength(3 + batchNumbers.length)
    expect(numbersOf(await search({ organisationId: nursing, family: 'title', level: 'senior_full' }))).toEqual(['2025WSHL00099'])
    expect(numbersOf(await search({ organisationId: nursing, family: 'vocational' }))).toEqual([])
    // 2025-12-25T17:00Z is 01:00 on 26 December in Shanghai.
    const day = (from: string, to: string) => search({ organisationId: nursing, issuedFrom: from, issuedTo: to })
    expect(numbersOf(await day('2025-12-26', '2025-12-26'))).toEqual(['2025WSHL00099', NURSE.number])
    expect(numbersOf(await day('2025-12-25', '2025-12-25'))).toEqual([])
    expect(numbersOf(await search({ issuedFrom: '2015-01-01', issuedTo: '2015-12-31' }))).toEqual(['2015WSHL00007'])
    expect(numbersOf(await search({ status: 'revoked' }))).toEqual(['2025WSHL00099'])
    expect(numbersOf(await search({ status: 'pending' }))).toEqual([...batchNumbers].reverse())
    expect(numbersOf(await search({ legacy: true }))).toEqual(['2015WSHL00007'])
    expect(numbersOf(await search({ level: 'intermediate' }))).toEqual([ENGINEER.number])
    expect(numbersOf(await search({ family: 'vocational', status: 'active' }))).toEqual([CONSTRUCTOR.number])
    // Every criterion narrows: a number outside the filter is not found.
    expect(numbersOf(await search({ number: NURSE.number, status: 'revoked' }))).toEqual([])
  })

  it('pages newest first with a cursor, never counting the whole table, and says when more follow', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 10; page += 1) {
      const result = await search({ status: 'pending', limit: 3, ...(cursor ? { cursor } : {}) })
      expect(result.items.length).toBeLessThanOrEqual(3)
      seen.push(...numbersOf(result))
      expect(result.hasMore).toBe(result.nextCursor !== null)
      if (!result.hasMore) break
      cursor = result.nextCursor!
    }
    expect(seen).toEqual([...batchNumbers].reverse())
    const firstPage = await search({ status: 'pending', limit: 7 })
    expect(firstPage).toMatchObject({ hasMore: false, nextCursor: null })
  })
})

describe('the register: what each desk sees', () => {
  it('shows a department its own review bodies only, and the bureau and the institute the whole city', async () => {
    const everything = async (username: string) => numbersOf(await search({ limit: 100 }, username)).sort()
    expect(await everything('reviewer')).toEqual([NURSE.number, '2015WSHL00007', '2025WSHL00099', ...batchNumbers].sort())
    expect(await everything('district-reviewer')).toEqual([ENGINEER.number])
    for (const username of ['clerk', 'bureau-reviewer', 'sealer', 'admin'])
      expect(await everything(username)).toHaveLength(batchNumbers.length + 5)
    // Outside the department's reach a certificate is not there at all, whichever way it is asked for.
    expect(numbersOf(await search({ number: ENGINEER.number }, 'reviewer'))).toEqual([])
    expect(numbersOf(await search({ idNumber: ENGINEER.idNumber }, 'reviewer'))).toEqual([])
    expect(numbersOf(await search({ idNumber: CONSTRUCTOR.idNumber }, 'reviewer'))).toEqual([batchNumbers[4]])
    expectError(await call(test, 'certificates.detail', { number: ENGINEER.number }, sessions.reviewer), 'NOT_FOUND')
    expectError(await call(test, 'certificates.history', { number: ENGINEER.number }, sessions.reviewer), 'NOT_FOUND')
    expectError(await call(test, 'certificates.preview', { number: ENGINEER.number }, sessions.reviewer), 'NOT_FOUND')
  })

  it('refuses malformed searches at the boundary in Chinese and changes nothing', async () => {
    const before = await auditCount(test)
    const refused = [
      { number: '2025-WSHL' },
      { idNumber: '3101<script>' },
      { issuedFrom: '2025-12-31', issuedTo: '2025-01-01' },
      { issuedFrom: '2025-02-30' },
      { limit: 0 },
      { limit: 101 },
      { cursor: 'abc' },
      { status: 'lost' },
      { extra: true },
    ]
    for (const payload of refused) {
      const error = expectError(await call(test, 'certificates.search', payload, sessions.clerk), 'VALIDATION')
      expect(error.message, JSON.stringify(payload)).toMatch(CHINESE)
    }
    expect(expectError(await call(test, 'certificates.search', refused[2], sessions.clerk), 'VALIDATION').message).toContain('起始日')
    expect(await auditCount(test)).toBe(before)
  })
})

describe('the register: detail and history', () => {
  it('shows a certificate’s versions, seals, revocations, corrections and integrity records', async () => {
    const detail = expectOk<CertificateDetail>(await call(test, 'certificates.detail', { number: '2025wshl00001' }, sessions.reviewer))
    expect(detail.certificate).toMatchObject({
      number: NURSE.number,
      holderName: NURSE.name,
      holderIdNumber: NURSE.idNumber,
      status: 'active',
      currentVersion: 1,
      organisationCode: 'WSHL',
      legacy: false,
    })
    expect(detail.versions).toHaveLength(1)
    expect(detail.versions[0]).toMatchObject({ version: 1, status: 'active', sealed: false, pdfSha256: null, seals: [] })
    expect(detail.versions[0].fields).toMatchObject({ name: NURSE.name, titleName: '副主任护师' })
    expect(detail).toMatchObject({ revocations: [], corrections: [], integrity: [] })
  })

  it('tells the history from the audit log: the batch’s decisions, and entries about this applicant only', async () => {
    const history = async (number: string) => expectOk<HistoryPage>(await call(test, 'certificates.history', { number }, sessions.clerk))
    const third = await history(batchNumbers[2])
    expect(third.entries.map((entry) => entry.action)).toEqual(['batch.approve', 'batch.include', 'batch.exclude'])
    expect(third.entries.every((entry) => entry.source === 'batch')).toBe(true)
    // The exclusion of the third applicant is not part of the first one's history.
    expect((await history(batchNumbers[0])).entries.map((entry) => entry.action)).toEqual(['batch.approve'])
    const demo = await history(NURSE.number)
    expect(demo.entries).toEqual([
      expect.objectContaining({ action: 'certificate.create', source: 'certificate', objectType: 'certificate' }),
    ])
    // Paged newest first.
    const first = expectOk<HistoryPage>(await call(test, 'certificates.history', { number: batchNumbers[2], limit: 1 }, sessions.clerk))
    expect(first).toMatchObject({ hasMore: true, entries: [expect.objectContaining({ action: 'batch.approve' })] })
    const rest = expectOk<HistoryPage>(
      await call(test, 'certificates.history', { number: batchNumbers[2], beforeId: first.nextBeforeId, limit: 5 }, sessions.clerk),
    )
    expect(rest.entries.map((entry) => entry.action)).toEqual(['batch.include', 'batch.exclude'])
  })

  it('reads without writing: no audit entry, and no ID number searched for ends up in the log', async () => {
    const before = await auditCount(test)
    await search({ idNumber: CONSTRUCTOR.idNumber })
    await call(test, 'certificates.detail', { number: NURSE.number }, sessions.clerk)
    await call(test, 'certificates.history', { number: NURSE.number }, sessions.clerk)
    expect(await auditCount(test)).toBe(before)
    const log = JSON.stringify(await test.core.db('audit_log').select('details', 'object_id'))
    for (const person of [NURSE, ENGINEER, CONSTRUCTOR]) expect(log).not.toContain(person.idNumber)
  })
})

describe('the register: query plans', () => {
  let clerk: Actor
  let reviewer: Actor
  beforeAll(async () => {
    clerk = await actorOf(test.core, 'clerk')
    reviewer = await actorOf(test.core, 'reviewer')
  })

  async function plan(actor: Actor, raw: Record<string, unknown>): Promise<string> {
    const query = pageIdsQuery(test.core.db, actor, RegisterSearchSchema.parse(raw))
    const steps = (await test.core.db.raw(`EXPLAIN QUERY PLAN ${query.toString()}`)) as Array<{ detail: string }>
    return steps.map((step) => step.detail).join(' ; ')
  }

  it('answers each kind of search from the index meant for it, never scanning the table when one applies', async () => {
    const cases: Array<[Actor, Record<string, unknown>, string]> = [
      [clerk, { number: NURSE.number, status: 'active' }, 'certificates_number_unique'],
      [reviewer, { idNumber: NURSE.idNumber, name: NURSE.name, family: 'title' }, 'certificates_holder_id_number_holder_name_index'],
      [clerk, { name: NURSE.name, status: 'active' }, 'certificates_holder_name_index'],
      [
        clerk,
        { organisationId: 1, family: 'title', level: 'senior', issuedFrom: '2025-01-01', issuedTo: '2025-12-31', status: 'active' },
        'COVERING INDEX certificates_register_scope_index (organisation_id=? AND family=? AND level=? AND issued_at>? AND issued_at<?)',
      ],
      [reviewer, { status: 'active', legacy: false }, 'COVERING INDEX certificates_register_scope_index'],
      [clerk, { status: 'revoked', family: 'title' }, 'certificates_status_index'],
      [clerk, { issuedFrom: '2025-01-01', issuedTo: '2025-06-30', status: 'active' }, 'certificates_issued_at_index'],
      [clerk, { level: '一级', status: 'active' }, 'certificates_level_index'],
    ]
    for (const [actor, raw, index] of cases) expect(await plan(actor, raw), JSON.stringify(raw)).toContain(index)
    // The common status is never looked up through its index when an organisation narrows better.
    expect(await plan(reviewer, { status: 'active' })).not.toContain('certificates_status_index')
    // Without any criterion the newest rows are read in id order and the reading stops at the page.
    expect(await plan(clerk, {})).toBe('SCAN c')
  })
})
