import { PDFDocument, StandardFonts } from 'pdf-lib'
import type { UploadPurpose } from '../../electron/contract/uploads'
import type { Core } from '../../electron/core/app'
import { insertReturningId } from '../../electron/core/db/insert'
import { writeTransaction } from '../../electron/core/db/transaction'
import type { Actor } from '../../electron/core/users/access'

/** Puts files into a finished upload of `actor`, as the renderer does in chunks; returns its id. */
export async function uploadFiles(
  core: Core,
  actor: Actor,
  purpose: UploadPurpose,
  files: Array<{ name: string; bytes: Buffer }>,
): Promise<string> {
  const { id } = await core.uploads.begin(actor, purpose)
  for (const file of files) {
    await core.uploads.append(actor, id, file.name, 0, file.bytes.toString('base64'))
  }
  await core.uploads.finish(actor, id)
  return id
}

/** A real one-page PDF (an investigation report stand-in), different for every `title`. */
export async function evidencePdf(title: string): Promise<Buffer> {
  const document = await PDFDocument.create()
  const page = document.addPage([420, 300])
  page.drawText(title, { x: 40, y: 240, size: 14, font: await document.embedFont(StandardFonts.Helvetica) })
  return Buffer.from(await document.save())
}

export interface CertificateSpec {
  number: string
  organisationCode: string
  family: 'title' | 'vocational'
  level: string
  name: string
  idNumber: string
  issuedAt: string | null
  status?: 'pending' | 'active' | 'revoked'
  legacy?: boolean
}

/**
 * A certificate with its first version written straight into the tables (as the demo seed and the
 * legacy import store them), for register tests that need particular dates, flags or holders.
 */
export async function insertCertificate(core: Core, spec: CertificateSpec): Promise<number> {
  return writeTransaction(core.db, async (trx) => {
    const organisation = (await trx('organisations').where({ code: spec.organisationCode }).first('id')) as { id: number }
    const now = '2026-11-28T08:00:00.000Z'
    const status = spec.status ?? 'active'
    const id = await insertReturningId(trx, 'certificates', {
      number: spec.number,
      family: spec.family,
      level: spec.level,
      status,
      organisation_id: organisation.id,
      holder_name: spec.name,
      holder_id_number: spec.idNumber,
      legacy: spec.legacy ?? false,
      current_version: 1,
      issued_at: spec.issuedAt,
      created_at: now,
      updated_at: now,
    })
    await trx('certificate_versions').insert({
      certificate_id: id,
      version: 1,
      status: status === 'revoked' ? 'active' : status,
      fields: JSON.stringify({ name: spec.name, idNumber: spec.idNumber, level: spec.level }),
      created_at: now,
      issued_at: spec.issuedAt,
    })
    return id
  })
}
