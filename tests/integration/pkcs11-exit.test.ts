import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { SO_PIN, USER_PIN } from '../helpers/token-fixture'

/**
 * A whole session in a process of its own (tests/fixtures/pkcs11-shim/exit-without-close.ts):
 * provision, a wrong PIN, a signature, then the process ends without TokenHost.close(). Its
 * stdout and stderr are captured at the file-descriptor level, native code included.
 */
const SCRIPT = join(__dirname, '../fixtures/pkcs11-shim/exit-without-close.ts')
const WRONG_PIN = 'wrong-1618-0339'
const root = mkdtempSync(join(tmpdir(), 'certdesk-pkcs11-exit-'))

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('a process that ends without closing its TokenHost', () => {
  it('still finalises the module at exit, and never writes a PIN to stdout, stderr or the login log', async () => {
    const run = promisify(execFile)
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', SCRIPT, root, WRONG_PIN], { timeout: 120_000 })
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ signatureBytes: expect.any(Number), keyType: 'ec' })
    // The careless caller printed the wrong-PIN error: the message is there, the PIN is not.
    expect(stderr).toContain('CKR_PIN_INCORRECT')
    const log = readFileSync(join(root, 'login.log'), 'utf8').trim().split('\n')
    expect(log.at(-1)).toBe('C_Finalize rv=0x0')
    for (const text of [stdout, stderr, log.join('\n')]) {
      for (const pin of [USER_PIN, SO_PIN, WRONG_PIN]) expect(text).not.toContain(pin)
    }
  })
})
