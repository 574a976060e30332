import { readFile } from 'node:fs/promises'
import type { Knex } from 'knex'
import type { RegistryStatus, VerificationReport } from '../../contract/verification'
import { FileStore } from '../files/file-store'
import { slipByFile, slipReport } from '../legacy/slip-verification'
import { registeredSeals } from '../seals/seal-records'
import type { UploadStore } from '../uploads/upload-store'
import { requireSignedIn, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { verifyPdf } from './pdf-verifier'

/** Larger than any certificate this app makes; a bigger file is not one of ours. */
const MAX_PDF_BYTES = 20 * 1024 * 1024

/**
 * Verifies certificate files: the signatures (pdf-verifier) and what the register says of the
 * exact file — issued and current, superseded by a later version, revoked, or a file this
 * register never issued.
 */
export class VerificationService {
  constructor(
    private readonly db: Knex,
    private readonly files: FileStore,
    private readonly uploads: UploadStore,
  ) {}

  /** The drop-a-PDF page: any signed-in user may check a file. */
  async verify(actor: Actor | null, uploadId: string): Promise<VerificationReport> {
    const upload = await this.uploads.resolve(requireSignedIn(actor), uploadId, 'attachment')
    if (upload.files.length !== 1) throw new AppError('VALIDATION', '请只选择一个 PDF 文件')
    if (upload.files[0].size > MAX_PDF_BYTES) throw new AppError('VALIDATION', 'PDF 文件超过 20 MB，不是本系统生成的证书')
    return this.verifyBytes(new Uint8Array(await readFile(upload.files[0].path)))
  }

  /** `certdesk verify FILE.pdf`: the same check without a session. */
  async verifyBytes(bytes: Uint8Array): Promise<VerificationReport> {
    const report = verifyPdf(bytes, await registeredSeals(this.db))
    const hash = FileStore.hashOf(bytes)
    const registry = await this.registryOf(hash)
    // Not a certificate version: perhaps a query slip or pass certificate issued here (clause 9).
    const slip = registry.status === 'unknown' ? await slipByFile(this.db, hash) : null
    if (slip) return slipReport(report, slip)
    const problems = [...report.problems]
    if (report.valid && registry.status === 'revoked') problems.push('该证书已注销')
    return {
      ...report,
      valid: report.valid && registry.status !== 'revoked',
      summary: report.valid && registry.status === 'revoked' ? '签章有效，但该证书已注销' : report.summary,
      certificateNumber: report.certificateNumber ?? registry.number,
      version: registry.version,
      registryStatus: registry.status,
      problems,
    }
  }

  /** What the register knows of this exact file: a sealed state of some certificate version, or nothing. */
  private async registryOf(hash: string): Promise<{ status: RegistryStatus; number: string | null; version: number | null }> {
    const row = (await this.db('version_seals as s')
      .join('certificate_versions as v', 'v.id', 's.certificate_version_id')
      .join('certificates as c', 'c.id', 'v.certificate_id')
      .where('s.pdf_hash', hash)
      .first('c.number', 'c.status as certificate_status', 'v.version', 'v.status as version_status', 'v.pdf_hash')) as
      { number: string; certificate_status: string; version: number; version_status: string; pdf_hash: string | null } | undefined
    if (!row) return { status: 'unknown', number: null, version: null }
    const status: RegistryStatus =
      row.certificate_status === 'revoked'
        ? 'revoked'
        : row.version_status === 'superseded'
          ? 'superseded'
          : row.pdf_hash === hash && row.version_status === 'active'
            ? 'active'
            : 'pending'
    return { status, number: row.number, version: row.version }
  }
}
