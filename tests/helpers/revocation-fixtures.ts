import { createHash } from 'node:crypto'
import ExcelJS from 'exceljs'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { expect } from 'vitest'
import type { ErrorCode } from '../../electron/contract/errors'
import type { RevocationDetail } from '../../electron/contract/revocations'
import { UPLOAD_CHUNK_BYTES, type UploadPurpose } from '../../electron/contract/uploads'
import type { Core } from '../../electron/core/app'
import type { RevocationRequest } from '../../electron/core/revocations/revocations-service'
import { AppError } from '../../electron/core/util/app-error'
import type { Actor } from '../../electron/core/users/access'
import { actorOf, applicants, insertBatch } from './batches'

/** A real one-page PDF (a scanned document stands in for it): `label` makes each one's bytes and hash differ. */
export async function documentPdf(label: string): Promise<Buffer> {
  const document = await PDFDocument.create()
  const page = document.addPage([595, 842])
  // The standard font is Latin only: the label is drawn as its digest.
  const tag = createHash('sha256').update(label).digest('hex').slice(0, 16)
  page.drawText(`CertDesk test document ${tag}`, { x: 72, y: 760, size: 14, font: await document.embedFont(StandardFonts.Helvetica) })
  // A fixed date keeps the bytes of the same label the same.
  document.setCreationDate(new Date('2026-11-20T00:00:00Z'))
  document.setModificationDate(new Date('2026-11-20T00:00:00Z'))
  return Buffer.from(await document.save())
}

/** Sends bytes through core's upload store as the renderer does (in 512 KB chunks) and returns the upload id. */
export async function upload(core: Core, actor: Actor, purpose: UploadPurpose, name: string, bytes: Buffer): Promise<string> {
  const { id } = await core.uploads.begin(actor, purpose)
  let offset = 0
  do {
    const chunk = bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES)
    await core.uploads.append(actor, id, name, offset, chunk.toString('base64'))
    offset += chunk.length
  } while (offset < bytes.length)
  await core.uploads.finish(actor, id)
  return id
}

/** A workbook as a clerk would make it: `rows` under a header row, the first sheet only. */
export async function listWorkbook(header: string[], rows: Array<Array<string | number | null>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('名单')
  sheet.addRow(header)
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/**
 * A WSHL title batch (the health department's nursing board) approved by the department's
 * reviewer and numbered; with `active`, its certificates are marked issued as sealing would
 * leave them (these tests are about what happens after issue, not about sealing).
 */
export async function approvedTitleBatch(
  core: Core,
  options: { count: number; from: number; active?: boolean; createdBy?: string },
): Promise<{ batchId: number; numbers: string[] }> {
  const batch = await insertBatch(core, {
    organisationCode: 'WSHL',
    family: 'title',
    createdBy: options.createdBy ?? 'clerk',
    applicants: applicants('title', options.count, options.from),
  })
  await core.review.approve(await actorOf(core, 'reviewer'), batch.id)
  if (options.active) {
    const now = core.clock.now().toISOString()
    await core.db('certificates').where({ batch_id: batch.id }).update({ status: 'active', issued_at: now })
    await core
      .db('certificate_versions')
      .whereIn('certificate_id', core.db('certificates').select('id').where({ batch_id: batch.id }))
      .update({
        status: 'active',
        issued_at: now,
      })
  }
  const numbers = (await core.db('certificates').where({ batch_id: batch.id }).orderBy('number').pluck('number')) as string[]
  return { batchId: batch.id, numbers }
}

/** The AppError a call fails with, in Chinese; fails the test when it succeeds or throws anything else. */
export async function appRefusal(work: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  )
  if (!(error instanceof AppError)) throw new Error(`expected AppError ${code}, got ${String(error)}`)
  expect(error.code).toBe(code)
  expect(error.message).toMatch(/[\u4e00-\u9fff]/)
  return error
}

/** A revocation request by `username` (the health department's reviewer unless told) for a typed list, with its PDF uploaded. */
export async function revocationRequest(
  core: Core,
  text: string,
  overrides: Partial<RevocationRequest> = {},
  username = 'reviewer',
): Promise<RevocationRequest> {
  const actor = await actorOf(core, username)
  return {
    list: { kind: 'text', text },
    documentNumber: '沪卫人〔2026〕88号',
    documentDate: '2026-11-20',
    document: await upload(core, actor, 'notice', '注销决定.pdf', await documentPdf(`revocation ${text}`)),
    reason: 'report',
    ...overrides,
  }
}

/** Records a revocation through the service as `username`. */
export async function recordRevocation(
  core: Core,
  text: string,
  overrides: Partial<RevocationRequest> = {},
  username = 'reviewer',
): Promise<RevocationDetail> {
  return core.revocations.record(await actorOf(core, username), await revocationRequest(core, text, overrides, username))
}
