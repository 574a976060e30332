import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CorrectionImportResult } from '../../../electron/contract/corrections'
import type { Actor } from '../../../electron/core/users/access'
import { actorOf } from '../../helpers/batches'
import type { TestCore } from '../../helpers/core'
import { certificateOf, correctionRow, correctionsTemplate, submitTable, type TableSubmission } from '../../helpers/corrections'
import { clonePerTest } from '../../helpers/template'

/**
 * Every row check of the correction summary table on real workbooks: each table holds one row per
 * case, and every row must come back refused with its own row- and column-addressed message.
 */

let test: TestCore
let work: string
let reviewer: Actor

clonePerTest(correctionsTemplate, async (clone) => {
  test = clone
  reviewer = await actorOf(clone.core, 'reviewer')
})
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-corrections-'))
})
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
})

const title = (index: number) => certificateOf('WSHL', 'title', index)
const vocational = (index: number) => certificateOf('JSKS', 'vocational', index)

async function refused(submission: TableSubmission, actor: Actor = reviewer): Promise<string[]> {
  const result: CorrectionImportResult = await submitTable(test.core, actor, work, submission)
  if (result.accepted) throw new Error('expected the table to be refused')
  expect(await test.core.db('correction_requests').count({ n: '*' }).first()).toEqual({ n: 0 })
  return result.messages
}

/** Row N's messages (the table's first data row is Excel's row 2). */
function messagesOf(messages: string[], rowNumber: number): string[] {
  return messages.filter((message) => message.startsWith(`第 ${rowNumber} 行`))
}

describe('the certificate a row names', () => {
  it('must exist, be under the submitting department, be issued and active, and not be a legacy record', async () => {
    const district = { number: '2025PDGC00001', name: '陈志强', idNumber: '310115198207074816' }
    const messages = await refused({
      rows: [
        correctionRow(title(1), '工作单位', '上海市第六人民医院', { number: '2024WSHL999999' }),
        correctionRow(
          { id: 0, ...district, fields: { ...district, employer: '上海浦东建设工程有限公司' } },
          '工作单位',
          '上海浦东建设集团',
        ),
        correctionRow(title(10), '工作单位', '上海市第六人民医院'),
        correctionRow(title(11), '工作单位', '上海市第六人民医院'),
        correctionRow(title(12), '工作单位', '上海市第六人民医院'),
        correctionRow(title(1), '工作单位', '上海市第六人民医院', { number: 'ab-12' }),
      ],
    })
    expect(messagesOf(messages, 2)).toEqual(['第 2 行「证书编号」：证书 2024WSHL999999 不存在，或不在您所在机构的主管范围内'])
    // The engineering board reports to the district bureau, not to the health commission.
    expect(messagesOf(messages, 3)).toEqual(['第 3 行「证书编号」：证书 2025PDGC00001 不存在，或不在您所在机构的主管范围内'])
    expect(messagesOf(messages, 4)).toEqual([`第 4 行「证书编号」：证书 ${title(10).number} 已注销，不能勘误`])
    expect(messagesOf(messages, 5)[0]).toContain('尚未签章发证，不能勘误')
    expect(messagesOf(messages, 6)[0]).toContain('旧版（纸质）证书的登记记录')
    expect(messagesOf(messages, 7)).toEqual(['第 7 行「证书编号」：证书编号只能由 4 至 32 位大写字母和数字组成，请照证书上的编号填写'])
  })

  it('must match the holder: name and ID number, never quoted back', async () => {
    const certificate = title(2)
    const messages = await refused({
      rows: [
        correctionRow(certificate, '工作单位', '上海市第六人民医院', { name: '张冠李戴' }),
        correctionRow(certificate, '专业名称', '内科护理', { idNumber: title(3).fields.idNumber }),
        // Full-width digits and a lower-case x are the same number, as at intake.
        correctionRow(title(4), '专业名称', '内科护理', {
          idNumber: title(4).fields.idNumber.replace(/\d/, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0)),
        }),
      ],
    })
    expect(messagesOf(messages, 2)).toEqual([`第 2 行「姓名」：与证书 ${certificate.number} 上的姓名不一致，请核对证书编号和姓名`])
    expect(messagesOf(messages, 3)).toEqual([
      `第 3 行「证件号码」：与证书 ${certificate.number} 上的证件号码不一致，请核对证书编号和证件号码`,
    ])
    expect(messagesOf(messages, 4)).toEqual([])
    for (const message of messages) expect(message).not.toContain(title(3).fields.idNumber)
  })
})

describe('勘误项目', () => {
  it('never the number or the level, only the fields of the certificate’s own family', async () => {
    const messages = await refused(
      {
        rows: [
          correctionRow(title(1), '证书编号', '2024WSHL000099'),
          correctionRow(title(1), '职称级别', '正高级'),
          correctionRow(title(1), '资格名称', '护士执业资格'),
          correctionRow(vocational(1), '工作单位', '上海建工集团'),
          correctionRow(title(1), '籍贯', '上海'),
          correctionRow(title(1), '照片文件名', 'a.jpg'),
        ],
      },
      await actorOf(test.core, 'reviewer'),
    )
    expect(messagesOf(messages, 2)[0]).toBe('第 2 行「勘误项目」：证书编号不能勘误：编号一经制证永不改变，勘误后的证书沿用原编号')
    expect(messagesOf(messages, 3)[0]).toContain('职称级别决定证书的样式和所需印章，不能勘误')
    expect(messagesOf(messages, 4)[0]).toMatch(/^第 4 行「勘误项目」：「资格名称」不是职称证书的项目，可勘误的项目为：姓名、性别/)
    // The vocational certificate is the construction department's: outside the health reviewer's reach.
    expect(messagesOf(messages, 5)[0]).toContain('不在您所在机构的主管范围内')
    expect(messagesOf(messages, 6)[0]).toMatch(/^第 6 行「勘误项目」：「籍贯」不是可以勘误的项目/)
    expect(messagesOf(messages, 7)[0]).toContain('勘误照片时请填写「照片」')
  })

  it('a vocational certificate’s own fields are refused on a title and accepted on it', async () => {
    const construction = await actorOf(test.core, 'construction-reviewer')
    const result = await submitTable(test.core, construction, work, {
      rows: [correctionRow(vocational(1), '资格名称', '监理工程师执业资格'), correctionRow(vocational(2), '专业类别', '市政公用工程')],
    })
    expect(result).toMatchObject({ accepted: true, request: { rowCount: 2, certificateCount: 2 } })
    const stored = await test.core.db('correction_rows').orderBy('seq').select('field', 'old_value', 'new_value')
    expect(stored).toEqual([
      { field: 'qualificationName', old_value: '建造师执业资格', new_value: '监理工程师执业资格' },
      { field: 'category', old_value: '建筑工程', new_value: '市政公用工程' },
    ])
  })
})

describe('原内容 and 更正内容', () => {
  it('原内容 must be what the certificate says, read as the intake reads it', async () => {
    const certificate = title(1)
    const messages = await refused({
      rows: [
        correctionRow(certificate, '工作单位', '上海市第六人民医院', { oldValue: '上海市第二人民医院' }),
        correctionRow(title(2), '姓名', '申请人贰', { oldValue: '申请人二' }),
        // 2025年12月20日 is the certificate's 2025-12-20: accepted (this row is sound).
        correctionRow(title(3), '取得职称时间', '2025-12-19', { oldValue: '2025年12月20日' }),
        correctionRow(title(4), '工作单位', '上海市第六人民医院', { oldValue: '' }),
      ],
    })
    expect(messagesOf(messages, 2)).toEqual([
      `第 2 行「原内容」：与证书 ${certificate.number} 现有的工作单位不一致（证书现为「上海市第一人民医院」），请照证书现有内容填写`,
    ])
    // A name is personal data: not quoted.
    expect(messagesOf(messages, 3)).toEqual([`第 3 行「原内容」：与证书 ${title(2).number} 现有的姓名不一致，请照证书现有内容填写`])
    expect(messagesOf(messages, 4)).toEqual([])
    expect(messagesOf(messages, 5)[0]).toContain('「原内容」：与证书')
  })

  it('更正内容 passes the same checks as at intake, and must change something', async () => {
    const messages = await refused({
      rows: [
        correctionRow(title(1), '取得职称时间', '2025-02-30'),
        correctionRow(title(2), '取得职称时间', '2027-01-05'),
        correctionRow(title(3), '证件类型', '驾驶证'),
        correctionRow(
          title(4),
          '证件号码',
          `${title(4).fields.idNumber.slice(0, 17)}${title(4).fields.idNumber.endsWith('1') ? '2' : '1'}`,
        ),
        correctionRow(title(5), '工作单位', '医'.repeat(101)),
        correctionRow(title(6), '工作单位', '上海市第一人民医院'),
        correctionRow(title(7), '性别', '男性'),
        correctionRow(title(8), '姓名', '王𠇔'),
        correctionRow(title(9), '出生年月', '1970/1'),
      ],
    })
    expect(messagesOf(messages, 2)).toEqual(['第 2 行「更正内容」：「2025-02-30」不是真实存在的日期'])
    expect(messagesOf(messages, 3)).toEqual(['第 3 行「更正内容」：2027-01-05 晚于今天（2026-11-28）'])
    expect(messagesOf(messages, 4)[0]).toMatch(/^第 4 行「更正内容」：「驾驶证」不是可选的证件类型/)
    expect(messagesOf(messages, 5)[0]).toMatch(/^第 5 行「更正内容」：.*校验位错误/)
    expect(messagesOf(messages, 6)).toEqual(['第 6 行「更正内容」：内容有 101 个字，超过上限 100 个字'])
    expect(messagesOf(messages, 7)).toEqual(['第 7 行「更正内容」：与原内容相同，没有需要更正的内容，请删除该行'])
    expect(messagesOf(messages, 8)).toEqual(['第 8 行「更正内容」：应填写「男」或「女」'])
    expect(messagesOf(messages, 9)).toEqual(['第 9 行「更正内容」：有证书字库缺少的字：𠇔，无法制作证书，请核对或改用规范字'])
    // 1970/1 is the certificate's own 1970-01, read the intake's way: nothing to correct.
    expect(messagesOf(messages, 10)).toEqual(['第 10 行「更正内容」：与原内容相同，没有需要更正的内容，请删除该行'])
  })

  it('stores corrected values in the snapshot’s form (ISO dates, upper-case ID, 资格名称 with its kind)', async () => {
    const result = await submitTable(test.core, reviewer, work, {
      rows: [correctionRow(title(1), '取得职称时间', '2025年12月9日'), correctionRow(title(2), '评审机构', ' 上海市护理学会评审委员会 ')],
    })
    expect(result.accepted).toBe(true)
    expect(await test.core.db('correction_rows').orderBy('seq').pluck('new_value')).toEqual(['2025-12-09', '上海市护理学会评审委员会'])
  })
})
