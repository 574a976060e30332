import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { createDispatcher } from '../../electron/core/api/dispatch'
import { openCore } from '../../electron/core/app'
import { databaseFile } from '../../electron/core/paths'
import { TestClock, type TestCore } from './core'

/**
 * A fresh core over a copy of `template`'s database file: each test gets its own real SQLite
 * file without paying again for the migrations and the scrypt hashes of seeding.
 */
export async function cloneCore(template: TestCore): Promise<TestCore> {
  // Fold the WAL into the main file so that copying the one file copies everything.
  await template.core.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
  const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-test-'))
  copyFileSync(databaseFile(template.dataDir), databaseFile(dataDir))
  // …and the stored files (photos of the demo certificates) the database refers to.
  const files = join(template.dataDir, 'files')
  if (existsSync(files)) cpSync(files, join(dataDir, 'files'), { recursive: true })
  const clock = new TestClock()
  const core = await openCore({ dataDir, clock })
  const test: TestCore = {
    core,
    dispatch: createDispatcher(core),
    clock,
    dataDir,
    // Closes whichever core the test left in place (restart tests swap in a reopened one).
    cleanup: async () => {
      await test.core.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return test
}

/**
 * A session for `username` without the password check, for tests about what a signed-in user
 * may do rather than about signing in (each real login costs one scrypt derivation).
 */
export async function sessionFor(test: TestCore, username: string): Promise<string> {
  const row = (await test.core.db('users').where({ username }).first('id')) as { id: number } | undefined
  if (!row) throw new Error(`no user ${username}`)
  return test.core.auth.sessions.create(row.id)
}

/**
 * Registers the hooks that build one template core for the file (or `describe` block) and give
 * each test its own clone of it, cleaned up after the test. `onClone` receives the clone before
 * the test runs (to keep it, and to open sessions on it).
 */
export function clonePerTest(
  createTemplate: () => Promise<TestCore>,
  onClone: (test: TestCore) => Promise<void> | void,
  templateTimeout?: number,
): void {
  let template: TestCore
  let test: TestCore
  beforeAll(async () => {
    template = await createTemplate()
  }, templateTimeout)
  afterAll(async () => {
    await template.cleanup()
  })
  beforeEach(async () => {
    test = await cloneCore(template)
    await onClone(test)
  })
  afterEach(async () => {
    await test.cleanup()
  })
}
