import type { BatchRow, Db } from './batch-rows'

interface IssueCounts {
  applicantErrors: number
  applicantsWithErrors: number
  batchErrors: number
  openWarnings: number
}

/** Issues that still count: on applicants left in the batch, or on the batch itself. */
async function countOpenIssues(db: Db, batchId: number): Promise<IssueCounts> {
  const rows = (await db('batch_issues as i')
    .leftJoin('applicants as a', 'a.id', 'i.applicant_id')
    .where('i.batch_id', batchId)
    .whereNull('a.excluded_at')
    .where((where) => where.where('i.severity', 'error').orWhereNull('i.acknowledged_at'))
    .groupBy('i.severity', db.raw('i.applicant_id is null'))
    .select('i.severity', db.raw('i.applicant_id is null as batch_level'))
    .count({ n: '*' })
    .countDistinct({ applicants: 'i.applicant_id' })) as Array<{
    severity: string
    batch_level: number | boolean
    n: number | string
    applicants: number | string
  }>
  const counts: IssueCounts = { applicantErrors: 0, applicantsWithErrors: 0, batchErrors: 0, openWarnings: 0 }
  for (const row of rows) {
    if (row.severity === 'warning') counts.openWarnings += Number(row.n)
    else if (row.batch_level && Number(row.batch_level) !== 0) counts.batchErrors += Number(row.n)
    else {
      counts.applicantErrors += Number(row.n)
      counts.applicantsWithErrors += Number(row.applicants)
    }
  }
  return counts
}

async function remainingApplicants(db: Db, batchId: number): Promise<number> {
  const row = (await db('applicants').where({ batch_id: batchId }).whereNull('excluded_at').count({ n: '*' }).first()) as {
    n: number | string
  }
  return Number(row.n)
}

/**
 * Why the batch's content cannot be approved now, in Chinese (empty when it can): errors on
 * applicants still in the batch (exclude them), errors on the batch itself (return it), open
 * warnings (acknowledge them), nobody left, and at the final approval what the number needs.
 */
export async function contentBlockers(db: Db, row: BatchRow, final: boolean): Promise<string[]> {
  const blockers: string[] = []
  const issues = await countOpenIssues(db, row.id)
  if (issues.applicantErrors > 0) {
    blockers.push(
      `还有 ${issues.applicantsWithErrors} 名申请人有错误（共 ${issues.applicantErrors} 条）：错误不能确认放行，请排除这些申请人或退回批次`,
    )
  }
  if (issues.batchErrors > 0) blockers.push(`批次本身有 ${issues.batchErrors} 条错误，只能退回`)
  if (issues.openWarnings > 0) blockers.push(`还有 ${issues.openWarnings} 条警告未确认：请逐条核实后确认`)
  if ((await remainingApplicants(db, row.id)) === 0) blockers.push('批次中已没有可发证的申请人（全部已排除），只能退回')
  if (final && !row.organisation_code) {
    blockers.push(`${row.organisation_name} 尚未分配机构代码，无法生成证书编号：请系统管理员先分配代码`)
  }
  if (final && row.declaration_year === null) blockers.push('批次缺少申报年度，无法生成证书编号')
  return blockers
}
