import type { Knex } from 'knex'
import { SETTING_DEFINITIONS, SETTING_KEYS, type SettingKey, type SettingValues } from '../../contract/settings'
import type { AuditLog } from '../audit/audit-log'
import { writeTransaction } from '../db/transaction'
import { auditActor, requireRole, requireSignedIn, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'

/** Settings with their defaults; a stored value that no longer validates falls back to the default. */
export class SettingsService {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  private async readAll(db: Knex | Knex.Transaction = this.db): Promise<SettingValues> {
    const rows = (await db('settings').select('key', 'value')) as Array<{ key: string; value: string }>
    const stored = new Map(rows.map((row) => [row.key, row.value]))
    const values: Record<string, unknown> = {}
    for (const key of SETTING_KEYS) {
      const definition = SETTING_DEFINITIONS[key]
      const raw = stored.get(key)
      const parsed = raw === undefined ? undefined : definition.schema.safeParse(JSON.parse(raw))
      values[key] = parsed?.success ? parsed.data : definition.default
    }
    return values as SettingValues
  }

  /** For core's own use (session expiry, throttling): no actor needed. */
  async value<K extends SettingKey>(key: K): Promise<SettingValues[K]> {
    return (await this.readAll())[key]
  }

  async get(actor: Actor | null): Promise<SettingValues> {
    requireSignedIn(actor)
    return this.readAll()
  }

  async update(actor: Actor | null, key: SettingKey, value: unknown): Promise<SettingValues> {
    return this.write(requireRole(actor, 'admin'), key, value)
  }

  /**
   * Validates and stores one setting, audited, for a caller whose service already checked the
   * role: most settings are the admin's (update), the seal keys' module paths the sealer's too.
   */
  async write(admin: Actor, key: SettingKey, value: unknown): Promise<SettingValues> {
    const parsed = SETTING_DEFINITIONS[key].schema.safeParse(value)
    if (!parsed.success) {
      throw new AppError('VALIDATION', `设置项“${key}”的值无效：${parsed.error.issues.map((issue) => issue.message).join('；')}`)
    }
    return writeTransaction(this.db, async (trx) => {
      const before = await this.readAll(trx)
      const now = isoNow(this.clock)
      const row = { key, value: JSON.stringify(parsed.data), updated_at: now, updated_by: admin.userId }
      await trx('settings').insert(row).onConflict('key').merge()
      const after = await this.readAll(trx)
      await this.audit.record(trx, auditActor(admin), {
        action: 'settings.update',
        objectType: 'setting',
        objectId: key,
        before: before[key],
        after: after[key],
        details: { key, from: before[key], to: after[key] },
      })
      return after
    })
  }
}
