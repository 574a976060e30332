import { readFile, stat } from 'node:fs/promises'
import type { Actor } from '../users/access'
import { AppError } from '../util/app-error'
import type { UploadStore } from './upload-store'

/** A scanned formal document is generous in size, but not unbounded. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
const MAX_DOCUMENT_MB = MAX_DOCUMENT_BYTES / 1024 / 1024

/** Whether the bytes are a PDF by its header (never by a file name). */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-'
}

function requirePdf(bytes: Buffer, label: string): Buffer {
  if (!isPdf(bytes)) throw new AppError('VALIDATION', `上传的${label}不是 PDF 文件`)
  return bytes
}

/**
 * Reads a PDF given by its path (an upload's file or the CLI's): within the size limit and a PDF
 * by its header. `label` names the document in the messages (情况说明…).
 */
export async function readPdfFile(path: string, label: string): Promise<Buffer> {
  if ((await stat(path)).size > MAX_DOCUMENT_BYTES) throw new AppError('VALIDATION', `${label}的 PDF 不能超过 ${MAX_DOCUMENT_MB} MB`)
  return requirePdf(await readFile(path), label)
}

/**
 * Reads a finished upload of one PDF (purpose 'notice') for a service that keeps it in the
 * FileStore: exactly one file, within the size limit, a PDF by its header (never by its name).
 * `label` names the document in the messages (注销文件, 纸质制证名单扫描件…).
 */
export async function readPdfUpload(uploads: UploadStore, actor: Actor, uploadId: string, label: string): Promise<Buffer> {
  const upload = await uploads.resolve(actor, uploadId, 'notice')
  if (upload.files.length !== 1) throw new AppError('VALIDATION', `${label}请只选择一个 PDF 文件`)
  const [file] = upload.files
  if (file.size > MAX_DOCUMENT_BYTES) throw new AppError('VALIDATION', `${label}不能超过 ${MAX_DOCUMENT_MB} MB`)
  return requirePdf(await readFile(file.path), label)
}
