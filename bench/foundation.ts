import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seedDemo } from '../db/seeds/demo'
import { createDispatcher } from '../electron/core/api/dispatch'
import { openCore } from '../electron/core/app'
import { writeTransaction } from '../electron/core/db/transaction'
import { timed, type BenchRow } from './table'

/**
 * Foundation figures (issue 2 names no target; these are the floor later capabilities build on):
 * audited writes per second on the durable database, audit-chain verification speed, the cost
 * of one login (scrypt), and a read through the whole dispatcher.
 */
export async function benchFoundation(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'))
  const core = await openCore({ dataDir })
  try {
    await seedDemo(core, () => 'Bench-pass-2026')
    const writes = 2000
    const single = await timed(async () => {
      for (let index = 0; index < writes; index += 1) {
        await writeTransaction(core.db, (trx) =>
          core.audit.record(trx, { userId: 1, username: 'admin' }, { action: 'bench.write', objectType: 'bench', objectId: index }),
        )
      }
    })
    const batched = await timed(() =>
      writeTransaction(core.db, async (trx) => {
        for (let index = 0; index < 50_000; index += 1) {
          await core.audit.record(trx, { userId: 1, username: 'admin' }, { action: 'bench.batch', objectType: 'bench', objectId: index })
        }
      }),
    )
    const entries = await core.audit.count()
    const verify = await timed(() => core.audit.verify())
    if (!verify.value.ok) throw new Error('audit chain broken during the benchmark')
    const login = await timed(() => core.auth.login('admin', 'Bench-pass-2026'))
    const dispatch = createDispatcher(core)
    const calls = 2000
    const reads = await timed(async () => {
      for (let index = 0; index < calls; index += 1) {
        const outcome = await dispatch({ channel: 'dashboard.summary', payload: {}, sessionId: login.value.sessionId })
        if (!outcome.result.ok) throw new Error('dashboard.summary failed')
      }
    })
    const perSecond = (count: number, ms: number) => `${Math.round((count / ms) * 1000).toLocaleString('en')} /s`
    return [
      {
        issue: '#2',
        figure: 'audited write transactions (synchronous=FULL, one per commit)',
        value: perSecond(writes, single.ms),
        target: '— (no target)',
      },
      {
        issue: '#2',
        figure: 'audit entries appended inside one transaction',
        value: perSecond(50_000, batched.ms),
        target: '— (no target)',
      },
      {
        issue: '#2',
        figure: `audit chain verified (${entries.toLocaleString('en')} entries)`,
        value: perSecond(entries, verify.ms),
        target: '— (no target)',
      },
      { issue: '#2', figure: 'one login (scrypt N=2^15)', value: `${login.ms.toFixed(0)} ms`, target: '— (deliberately slow)' },
      { issue: '#2', figure: 'dashboard.summary through the dispatcher', value: perSecond(calls, reads.ms), target: '— (no target)' },
    ]
  } finally {
    await core.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
