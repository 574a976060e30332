import { readFile } from 'node:fs/promises'
import { EVIDENCE_MEDIA_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from '../../contract/integrity'
import { isPdf } from '../uploads/pdf-upload'
import type { ResolvedUpload } from '../uploads/upload-store'
import { AppError } from '../util/app-error'

export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number]

export interface EvidenceFile {
  name: string
  mediaType: EvidenceMediaType
  bytes: Buffer
}

/** What a file is by its first bytes (never by its name): a PDF scan, a JPEG or a PNG picture. */
export function sniffEvidence(bytes: Uint8Array): EvidenceMediaType | null {
  const head = Buffer.from(bytes.subarray(0, 8))
  if (isPdf(head)) return 'application/pdf'
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  if (head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  return null
}

/**
 * Reads and checks the evidence of a finding: at least one file, at most MAX_EVIDENCE_FILES,
 * each non-empty, within MAX_EVIDENCE_BYTES and a PDF, JPEG or PNG by its content. The first
 * problem is refused naming the file, before anything is stored.
 */
export async function readEvidence(upload: ResolvedUpload): Promise<EvidenceFile[]> {
  if (upload.files.length === 0) throw new AppError('VALIDATION', '请上传至少一个证明材料文件')
  if (upload.files.length > MAX_EVIDENCE_FILES) {
    throw new AppError('VALIDATION', `证明材料最多 ${MAX_EVIDENCE_FILES} 个文件，本次上传了 ${upload.files.length} 个`)
  }
  const files: EvidenceFile[] = []
  for (const file of upload.files) {
    if (file.size === 0) throw new AppError('VALIDATION', `证明材料“${file.name}”是空文件`)
    if (file.size > MAX_EVIDENCE_BYTES) {
      throw new AppError('VALIDATION', `证明材料“${file.name}”超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`)
    }
    const bytes = await readFile(file.path)
    const mediaType = sniffEvidence(bytes)
    if (!mediaType) throw new AppError('VALIDATION', `证明材料“${file.name}”不是 PDF、JPEG 或 PNG 文件`)
    files.push({ name: file.name, mediaType, bytes })
  }
  return files
}
