import type { TitleCertificateFields, TitleLevel, VocationalCertificateFields } from '../../contract/certificates'

/** An ID-card photo (证件照) as uploaded: JPEG or PNG bytes. */
export interface PhotoInput {
  bytes: Uint8Array
  type: 'jpeg' | 'png'
}

/**
 * Which seal a slot holds: a title certificate has one (`single`), a vocational certificate the
 * bureau's and the industry department's; a query slip has the review body's office stamp
 * (`single`) and, for senior titles, the bureau's (`bureau`).
 */
export type SealSlot = 'single' | 'bureau' | 'department'

export interface SealInput {
  slot: SealSlot
  organisationName: string
  /** The seal's purpose under the star; the template's default (专业技术资格证书专用章) when absent. */
  purpose?: string
  /** The uploaded appearance (PNG with transparency); drawn in red vector graphics when absent. */
  png?: Uint8Array
}

interface DocumentInputBase {
  /** The issuing body's name (落款), also the PDF's Author. */
  issuer: string
  seals: SealInput[]
  /** ISO date (YYYY-MM-DD) of issue; also the PDF's creation date, so the same input gives the same file. */
  issuedOn: string
  /** Draws a light diagonal 预览 watermark. */
  preview?: boolean
  /**
   * For sealing: each seal becomes an unsigned signature field whose hidden widget carries the
   * seal's appearance, instead of ink on the page; signing the field reveals it.
   */
  sealFields?: boolean
}

interface CertificateInputBase extends DocumentInputBase {
  /** The certificate number (upper-case letters and digits). */
  number: string
  photo?: PhotoInput
  /** The QR code encodes `${verifyBaseUrl}/${number}?c=${shortCode}`. */
  verifyBaseUrl: string
}

export interface TitleCertificateInput extends CertificateInputBase {
  fields: TitleCertificateFields
}

export interface VocationalCertificateInput extends CertificateInputBase {
  fields: VocationalCertificateFields
}

/** 职称评审结果查询单 (attachment 3): issued by a review body from the qualification database. */
export interface QuerySlipFields {
  name: string
  idNumber: string
  /** ISO date (YYYY-MM-DD) the review was passed. */
  reviewedOn: string
  reviewBody: string
  level: TitleLevel
  titleName: string
  specialty: string
  certificateNumber: string
}

export interface QuerySlipInput extends DocumentInputBase {
  /** The slip's own number (查询单编号). */
  number: string
  fields: QuerySlipFields
}

/** 考试合格成绩单 (attachment 4): issued by an exam institution from its exam database. */
export interface PassCertificateFields {
  name: string
  gender: '男' | '女'
  idNumber: string
  /** Exam year, e.g. "2023". */
  examYear: string
  qualificationName: string
  level: string
  specialty: string
  /** 发证编号/管理号. */
  managementNumber: string
}

export interface PassCertificateInput extends DocumentInputBase {
  /** The slip's own number. */
  number: string
  fields: PassCertificateFields
}

export interface DocumentRenderer {
  renderTitleCertificate(input: TitleCertificateInput): Promise<Uint8Array>
  renderVocationalCertificate(input: VocationalCertificateInput): Promise<Uint8Array>
  renderQuerySlip(input: QuerySlipInput): Promise<Uint8Array>
  renderPassCertificate(input: PassCertificateInput): Promise<Uint8Array>
  /** Characters of these texts that the embedded font lacks (NFC, astral characters whole). */
  missingCharacters(texts: string[]): string[]
}
