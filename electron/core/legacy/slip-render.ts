import type { TitleCertificateFields, TitleLevel } from '../../contract/certificates'
import { SLIP_KIND_OF, type SlipKind } from '../../contract/legacy'
import type { Family } from '../../contract/roles'
import type { DocumentTasks } from '../certificates/document-task'
import type { DocumentRenderer, PassCertificateFields, QuerySlipFields, SealInput } from '../documents/types'

/** What a slip says, as stored in query_slips.fields: the document's fields, who issues it and on which day. */
export interface SlipContent {
  kind: SlipKind
  document: QuerySlipFields | PassCertificateFields
  /** The body that made the record (落款). */
  issuer: string
  issuedOn: string
}

/** The record a slip is made from. */
export interface SlipSource {
  family: Family
  level: string | null
  number: string
  organisation_id: number
  organisation_name: string
  /** The current version's field snapshot, JSON. */
  fields: string
}

export function isSeniorTitle(source: Pick<SlipSource, 'family' | 'level'>): boolean {
  return source.family === 'title' && (source.level === 'senior' || source.level === 'senior_full')
}

/** The slip's content from the record, issued on `issuedOn` by the body that made the record. */
export function slipContent(source: SlipSource, issuedOn: string): SlipContent {
  const issuer = source.organisation_name
  if (source.family === 'title') {
    const fields = JSON.parse(source.fields) as TitleCertificateFields
    const document: QuerySlipFields = {
      name: fields.name,
      idNumber: fields.idNumber,
      reviewedOn: fields.obtainedOn,
      reviewBody: fields.reviewBody,
      level: fields.level as TitleLevel,
      titleName: fields.titleName,
      specialty: fields.specialty,
      certificateNumber: source.number,
    }
    return { kind: SLIP_KIND_OF.title, document, issuer, issuedOn }
  }
  const fields = JSON.parse(source.fields) as Record<string, string>
  const document: PassCertificateFields = {
    name: fields.name,
    gender: fields.gender as '男' | '女',
    idNumber: fields.idNumber,
    examYear: fields.examYear || fields.approvedOn.slice(0, 4),
    qualificationName: fields.qualificationName,
    level: fields.level,
    specialty: fields.category,
    managementNumber: source.number,
  }
  return { kind: SLIP_KIND_OF.vocational, document, issuer, issuedOn }
}

/** Whether two contents say the same thing (the re-check compares the slip with the record). */
export function sameDocument(a: SlipContent['document'], b: SlipContent['document']): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].every((key) => (a as unknown as Record<string, unknown>)[key] === (b as unknown as Record<string, unknown>)[key])
}

/**
 * The seals drawn on a slip. The issuing body's office stamp (落款，评审机构/考试机构盖章) goes in the
 * single slot; a senior title's query slip also carries the bureau's 专业技术资格证书专用章
 * (attachment 3: “高级职称需另加盖专业技术资格证书专用章”), planned as for a certificate. Reads the
 * database: call it outside a write transaction (one pooled connection).
 */
export async function slipSeals(tasks: DocumentTasks, source: SlipSource, content: SlipContent): Promise<SealInput[]> {
  const office: SealInput = { slot: 'single', organisationName: content.issuer, purpose: '' }
  if (!isSeniorTitle(source)) return [office]
  return [office, { ...(await tasks.sealPlan(source))[0].input, slot: 'bureau' }]
}

/** The slip's PDF: the same content and seals give the same file. */
export function renderSlip(
  renderer: DocumentRenderer,
  content: SlipContent,
  seals: SealInput[],
  number: string,
  preview: boolean,
): Promise<Uint8Array> {
  const common = { number, issuer: content.issuer, issuedOn: content.issuedOn, preview, seals }
  return content.kind === 'pass_certificate'
    ? renderer.renderPassCertificate({ ...common, fields: content.document as PassCertificateFields })
    : renderer.renderQuerySlip({ ...common, fields: content.document as QuerySlipFields })
}
