import type { Knex } from 'knex'
import type { SealAppearanceInfo } from '../../contract/seals'
import type { AuditLog } from '../audit/audit-log'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import { auditActor, requireRole, requireSignedIn, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { decodeSealPng } from './png-check'

interface AppearanceRow {
  organisation_id: number
  image_hash: string
  width: number
  height: number
  updated_at: string
}

/** Uploaded seal appearances per organisation: the admin sets them, rendering uses them. */
export class SealAppearancesService {
  constructor(
    private readonly db: Knex,
    private readonly files: FileStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** The PNG bytes for each organisation that has one (for rendering; no actor: core's own use). */
  async pngsFor(organisationIds: number[]): Promise<Map<number, Uint8Array>> {
    const rows = (await this.db('seal_appearances').whereIn('organisation_id', organisationIds)) as AppearanceRow[]
    const result = new Map<number, Uint8Array>()
    for (const row of rows) result.set(row.organisation_id, (await this.files.read(this.db, row.image_hash)).bytes)
    return result
  }

  async get(actor: Actor | null, organisationId: number): Promise<SealAppearanceInfo | null> {
    requireSignedIn(actor)
    const row = (await this.db('seal_appearances').where({ organisation_id: organisationId }).first()) as AppearanceRow | undefined
    if (!row) return null
    const { bytes } = await this.files.read(this.db, row.image_hash)
    return {
      organisationId,
      pngBase64: Buffer.from(bytes).toString('base64'),
      width: row.width,
      height: row.height,
      updatedAt: row.updated_at,
    }
  }

  async set(actor: Actor | null, organisationId: number, pngBase64: string): Promise<SealAppearanceInfo> {
    const admin = requireRole(actor, 'admin')
    const { bytes, ...size } = await decodeSealPng(pngBase64)
    await writeTransaction(this.db, async (trx) => {
      const organisation = await trx('organisations').where({ id: organisationId }).first('id', 'name')
      if (!organisation) throw new AppError('NOT_FOUND', '机构不存在')
      const before = (await trx('seal_appearances').where({ organisation_id: organisationId }).first()) as AppearanceRow | undefined
      const stored = await this.files.put(trx, bytes, 'image/png', `seal-${organisationId}.png`)
      const row = {
        organisation_id: organisationId,
        image_hash: stored.hash,
        ...size,
        updated_by: admin.userId,
        updated_at: isoNow(this.clock),
      }
      await trx('seal_appearances').insert(row).onConflict('organisation_id').merge()
      await this.audit.record(trx, auditActor(admin), {
        action: 'seal_appearance.set',
        objectType: 'organisation',
        objectId: organisationId,
        before: before ? { imageHash: before.image_hash } : null,
        after: { imageHash: stored.hash },
        details: { organisation: organisation.name, imageHash: stored.hash, ...size },
      })
    })
    return (await this.get(admin, organisationId))!
  }

  async remove(actor: Actor | null, organisationId: number): Promise<void> {
    const admin = requireRole(actor, 'admin')
    await writeTransaction(this.db, async (trx) => {
      const before = (await trx('seal_appearances').where({ organisation_id: organisationId }).first()) as AppearanceRow | undefined
      if (!before) throw new AppError('NOT_FOUND', '该机构没有上传的印章图样')
      await trx('seal_appearances').where({ organisation_id: organisationId }).delete()
      await this.audit.record(trx, auditActor(admin), {
        action: 'seal_appearance.remove',
        objectType: 'organisation',
        objectId: organisationId,
        before: { imageHash: before.image_hash },
        details: { imageHash: before.image_hash },
      })
    })
  }
}
