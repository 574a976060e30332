import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDispatcher, type Dispatcher } from '../../electron/core/api/dispatch'
import { openCore, type Core } from '../../electron/core/app'
import type { Clock } from '../../electron/core/util/clock'

/** A clock tests can move forward instead of sleeping. */
export class TestClock implements Clock {
  private current: number
  constructor(start = '2026-11-28T08:00:00.000Z') {
    this.current = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.current)
  }
  advance(ms: number): void {
    this.current += ms
  }
}

export interface TestCore {
  core: Core
  dispatch: Dispatcher
  clock: TestClock
  dataDir: string
  cleanup(): Promise<void>
}

/** A real core over a real SQLite file in a fresh temporary folder. */
export async function createTestCore(): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-test-'))
  const clock = new TestClock()
  const core = await openCore({ dataDir, clock })
  return {
    core,
    dispatch: createDispatcher(core),
    clock,
    dataDir,
    cleanup: async () => {
      await core.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export const ADMIN_PASSWORD = 'Admin-pass-2026'

/** First-run setup through the dispatcher; returns the admin's session id. */
export async function setupAdmin(test: TestCore): Promise<string> {
  const outcome = await test.dispatch({
    channel: 'auth.setup',
    payload: { organisationName: '上海市人力资源和社会保障局', username: 'admin', displayName: '系统管理员', password: ADMIN_PASSWORD },
    sessionId: null,
  })
  if (!outcome.result.ok || !outcome.session) throw new Error(`setup failed: ${JSON.stringify(outcome.result)}`)
  return outcome.session
}
