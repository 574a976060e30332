import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { SlipSummary } from '../../../electron/contract/legacy'
import type { Actor } from '../../../electron/core/users/access'
import type { TestCore } from '../../helpers/core'
import { actorOf, addUser } from '../../helpers/batches'
import { createDemoCore, organisationId } from '../../helpers/calls'
import { examRecord, importLegacy, titleRecord } from '../../helpers/legacy'
import { poppler } from '../../fixtures/documents/poppler'

export const WSHL = '上海市卫生系列护理专业高级职称评审委员会'
export const PDGC = '浦东新区工程系列中级职称评审委员会'
export const JSKS = '上海市建设工程考试中心'

export /** The demo, a second institute clerk, the three bodies' staff, and legacy records of each body. */
async function createLegacyCore(): Promise<TestCore> {
  const test = await createDemoCore()
  const users = [
    { username: 'clerk2', displayName: '考试院复核员', organisation: '上海市职业能力考试院', roles: ['clerk' as const] },
    { username: 'nursing-staff', displayName: '护理评委会办公室', organisation: WSHL, roles: ['reviewer' as const] },
    { username: 'engineering-staff', displayName: '工程评委会办公室', organisation: PDGC, roles: ['clerk' as const] },
    { username: 'exam-staff', displayName: '建设考试中心工作人员', organisation: JSKS, roles: ['reviewer' as const] },
  ]
  for (const user of users) await addUser(test.core, user)
  const clerk = await actorOf(test.core, 'clerk')
  const work = mkdtempSync(join(tmpdir(), 'certdesk-slips-'))
  try {
    const intermediate = {
      level: '中级',
      titleName: '工程师',
      specialty: '土木工程',
      reviewBody: PDGC,
      employer: '上海浦东建设工程有限公司',
    }
    const imports = [
      importLegacy(
        test.core,
        clerk,
        'title',
        await organisationId(test, WSHL),
        [titleRecord(0), titleRecord(1, { level: '正高级', titleName: '主任护师' })],
        work,
      ),
      importLegacy(
        test.core,
        clerk,
        'title',
        await organisationId(test, PDGC),
        [
          titleRecord(10, { ...intermediate, number: 'GC20120010' }),
          titleRecord(11, { ...intermediate, number: 'GC20120011', name: '王𠇔' }),
        ],
        work,
      ),
      importLegacy(test.core, clerk, 'vocational', await organisationId(test, JSKS), [examRecord(0), examRecord(1)], work),
    ]
    for (const result of imports) expect(await result).toMatchObject({ accepted: true })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return test
}

/** The slip desk's steps on the test's current core. */
export function slipSteps(current: () => TestCore) {
  const actor = (username: string): Promise<Actor> => actorOf(current().core, username)

  async function recordId(number: string): Promise<number> {
    return ((await current().core.db('certificates').where({ number }).first('id')) as { id: number }).id
  }

  async function issue(username: string, number: string, reason = '原纸质证书遗失，申请人办理聘任需要'): Promise<SlipSummary> {
    return current().core.legacy.slips.issue(await actor(username), await recordId(number), reason)
  }

  /** pdftotext of a PDF with all whitespace removed (labels are letter-spaced, paragraphs wrap). */
  function textOf(base64OrBytes: string | Uint8Array): string {
    const bytes = typeof base64OrBytes === 'string' ? Buffer.from(base64OrBytes, 'base64') : base64OrBytes
    return poppler('pdftotext', ['-layout', '-enc', 'UTF-8', '-'], bytes).stdout.toString('utf8').replace(/\s+/g, '')
  }

  /** The diagonal 预览 watermark: its two rotated characters land apart in pdftotext's layout. */
  function watermarked(text: string): boolean {
    return text.includes('预') && text.includes('览')
  }

  async function storedFile(slipId: number): Promise<Uint8Array> {
    const row = (await current().core.db('query_slips').where({ id: slipId }).first('pdf_hash')) as { pdf_hash: string }
    return (await current().core.files.read(current().core.db, row.pdf_hash)).bytes
  }

  return { actor, recordId, issue, textOf, watermarked, storedFile }
}
