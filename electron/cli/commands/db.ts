import type { Core } from '../../core/app'
import type { Output } from '../io'

/** `certdesk db migrate`: opening the core applies pending migrations (and audits them). */
export function dbMigrate(core: Core, output: Output): void {
  output.result({ applied: core.appliedMigrations }, () =>
    core.appliedMigrations.length === 0
      ? '数据库结构已是最新，无需迁移。'
      : `已应用 ${core.appliedMigrations.length} 个迁移：\n${core.appliedMigrations.map((name) => `  ${name}`).join('\n')}`,
  )
}
