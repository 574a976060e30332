import type { Knex } from 'knex'
import type { ParsedInputOf } from '../../contract/method'
import type { SealInfo, seals } from '../../contract/seals'
import type { AuditLog } from '../audit/audit-log'
import { insertReturningId } from '../db/insert'
import { writeTransaction } from '../db/transaction'
import type { FileStore } from '../files/file-store'
import { certificatePem, parseCertificate, sealCertificateProblems } from '../sealing/crypto/x509'
import { auditActor, requireRole, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { decodeSealPng } from './png-check'
import { findSeal, sealQuery, toInfo, toRecord, type SealRecord, type SealRow } from './seal-records'

/** Organisations that own seals under clause 3: the bureau, district bureaus, industry departments. */
const SEAL_OWNERS = ['bureau', 'district_bureau', 'industry_department']

/** The contract's validated inputs: one definition for the screen, the CLI and the service. */
export type RegisterSealInput = ParsedInputOf<(typeof seals)['register']>
export type UpdateSealInput = ParsedInputOf<(typeof seals)['update']>

function auditState(record: SealRecord): Record<string, unknown> {
  const { certificate, ...rest } = record
  return { ...rest, fingerprint: certificate.fingerprint }
}

/** The registry of electronic seals (印章管理): the admin registers them, sealing and verification use them. */
export class SealRegistry {
  constructor(
    private readonly db: Knex,
    private readonly files: FileStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Admins see every seal; a seal-key holder those of their own organisation. */
  async list(actor: Actor | null, options: { includeInactive: boolean }): Promise<SealInfo[]> {
    const user = requireRole(actor, 'admin', 'sealer')
    const query = sealQuery(this.db).orderBy('s.id')
    if (!user.roles.includes('admin')) query.where('s.organisation_id', user.organisationId)
    if (!options.includeInactive) query.where('s.active', true)
    const rows = (await query) as SealRow[]
    return rows.map((row) => toInfo(toRecord(row), this.clock.now()))
  }

  async register(actor: Actor | null, input: RegisterSealInput): Promise<SealInfo> {
    const admin = requireRole(actor, 'admin')
    const certificate = parseCertificate(Buffer.from(input.certificateDerBase64, 'base64'))
    const problems = sealCertificateProblems(certificate, this.clock.now())
    if (problems.length > 0) throw new AppError('SEAL_CERTIFICATE_INVALID', `该证书不能用于电子印章：${problems.join('；')}`)
    const appearance = input.appearancePngBase64 ? await decodeSealPng(input.appearancePngBase64) : null
    const id = await writeTransaction(this.db, async (trx) => {
      const organisation = (await trx('organisations').where({ id: input.organisationId }).first('id', 'name', 'kind')) as
        { id: number; name: string; kind: string } | undefined
      if (!organisation) throw new AppError('NOT_FOUND', '机构不存在')
      if (!SEAL_OWNERS.includes(organisation.kind))
        throw new AppError('VALIDATION', `“${organisation.name}”不是可以持有专用章的机构（市人社局、区人社局或行业主管部门）`)
      const existing = await findSeal(trx, { fingerprint: certificate.fingerprint })
      if (existing) throw new AppError('CONFLICT', `该证书已登记为印章“${existing.name}”`)
      const stored = appearance ? await this.files.put(trx, appearance.bytes, 'image/png', 'seal-appearance.png') : null
      const now = isoNow(this.clock)
      const sealId = await insertReturningId(trx, 'seals', {
        organisation_id: organisation.id,
        name: input.name,
        purpose: input.purpose,
        certificate_fingerprint: certificate.fingerprint,
        certificate_pem: certificatePem(certificate.der),
        appearance_hash: stored?.hash ?? null,
        applies_to: JSON.stringify(input.appliesTo),
        active: true,
        token_label: input.tokenLabel ?? null,
        token_serial: input.tokenSerial ?? null,
        created_by: admin.userId,
        created_at: now,
        updated_at: now,
      })
      const record = (await findSeal(trx, { id: sealId }))!
      await this.audit.record(trx, auditActor(admin), {
        action: 'seal.register',
        objectType: 'seal',
        objectId: sealId,
        after: auditState(record),
        details: { name: input.name, organisation: organisation.name, fingerprint: certificate.fingerprint, subject: certificate.subject },
      })
      return sealId
    })
    return toInfo((await findSeal(this.db, { id }))!, this.clock.now())
  }

  async update(actor: Actor | null, input: UpdateSealInput): Promise<SealInfo> {
    const admin = requireRole(actor, 'admin')
    const appearance = input.appearancePngBase64 ? await decodeSealPng(input.appearancePngBase64) : null
    await writeTransaction(this.db, async (trx) => {
      const before = await findSeal(trx, { id: input.id })
      if (!before) throw new AppError('NOT_FOUND', '印章不存在')
      const stored = appearance ? await this.files.put(trx, appearance.bytes, 'image/png', 'seal-appearance.png') : null
      const changes: Record<string, unknown> = { updated_at: isoNow(this.clock) }
      if (input.name !== undefined) changes.name = input.name
      if (input.purpose !== undefined) changes.purpose = input.purpose
      if (input.appliesTo !== undefined) changes.applies_to = JSON.stringify(input.appliesTo)
      if (input.active !== undefined) changes.active = input.active
      if (input.appearancePngBase64 !== undefined) changes.appearance_hash = stored?.hash ?? null
      await trx('seals').where({ id: input.id }).update(changes)
      const after = (await findSeal(trx, { id: input.id }))!
      await this.audit.record(trx, auditActor(admin), {
        action: 'seal.update',
        objectType: 'seal',
        objectId: input.id,
        before: auditState(before),
        after: auditState(after),
        details: { name: after.name, changed: Object.keys(changes).filter((key) => key !== 'updated_at') },
      })
    })
    return toInfo((await findSeal(this.db, { id: input.id }))!, this.clock.now())
  }

  async appearance(actor: Actor | null, id: number): Promise<{ pngBase64: string } | null> {
    requireRole(actor, 'admin', 'sealer')
    const seal = await findSeal(this.db, { id })
    if (!seal) throw new AppError('NOT_FOUND', '印章不存在')
    if (!seal.appearanceHash) return null
    return { pngBase64: Buffer.from((await this.files.read(this.db, seal.appearanceHash)).bytes).toString('base64') }
  }
}
