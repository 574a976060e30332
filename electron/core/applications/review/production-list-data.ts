import { TITLE_LEVEL_LABELS, type TitleLevel } from '../../../contract/certificates'
import type { Family } from '../../../contract/roles'
import type { ProductionList } from '../exports/production-list'
import { certificatesOfBatch } from './applicant-rows'
import type { BatchRow, Db } from './batch-rows'
import { reviewsOf } from './reviews'

/** 正高级… for a title level code; a vocational level is already its label (一级, 高级…). */
export function levelLabel(family: Family, level: string | null | undefined): string {
  if (!level) return ''
  return family === 'title' ? (TITLE_LEVEL_LABELS[level as TitleLevel] ?? level) : level
}

/**
 * The paper production list (纸质制证名单) of an approved batch: the applicants left in it, in
 * row order, with their certificate numbers, and who approved it at each stage.
 */
export async function productionListData(db: Db, batch: BatchRow): Promise<ProductionList> {
  const numbers = new Map((await certificatesOfBatch(db, batch)).map((row) => [Number(row.applicant_id), row.number]))
  const applicants = (await db('applicants')
    .where({ batch_id: batch.id })
    .whereNull('excluded_at')
    .orderBy('row_number')
    .select('id', 'name', 'id_type', 'id_number', 'fields')) as Array<{
    id: number
    name: string
    id_type: string
    id_number: string
    fields: string
  }>
  const approvals = (await reviewsOf(db, batch.id))
    .filter((review) => review.decision === 'approved')
    .map(({ stage, organisationName, reviewerName, decidedAt }) => ({ stage, organisationName, reviewerName, decidedAt }))
  const title = batch.family === 'title'
  return {
    organisationName: batch.organisation_name,
    family: batch.family,
    levelLabel: batch.level ? levelLabel(batch.family, batch.level) : null,
    declarationYear: Number(batch.declaration_year ?? Number(batch.created_at.slice(0, 4))),
    batchId: Number(batch.id),
    approvedAt: batch.decided_at ?? '',
    approvals,
    rows: applicants.map((applicant) => {
      const fields = JSON.parse(applicant.fields) as Record<string, string | undefined>
      return {
        number: numbers.get(Number(applicant.id)) ?? '',
        name: applicant.name,
        gender: fields.gender ?? '',
        idType: applicant.id_type,
        idNumber: applicant.id_number,
        title: (title ? fields.titleName : fields.qualificationName) ?? '',
        specialty: (title ? fields.specialty : fields.category) ?? '',
        level: levelLabel(batch.family, fields.level),
        date: (title ? fields.obtainedOn : fields.approvedOn) ?? '',
      }
    }),
  }
}
