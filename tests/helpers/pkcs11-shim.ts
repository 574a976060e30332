import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(__dirname, '../..')
const SOURCE = join(ROOT, 'tests/fixtures/pkcs11-shim/shim.c')
const INCLUDES = join(ROOT, 'node_modules/pkcs11js/includes')
const OUTPUT = join(ROOT, 'node_modules/.cache/certdesk/pkcs11-shim.so')

/**
 * Compiles the pass-through PKCS#11 module (tests/fixtures/pkcs11-shim/shim.c) with gcc when its
 * .so is missing or older than the source, and returns the .so's path. Fails loudly, with gcc's
 * output. Test files run in parallel: each compiles to a file of its own and renames it into place.
 */
export function buildShim(): string {
  if (existsSync(OUTPUT) && statSync(OUTPUT).mtimeMs >= statSync(SOURCE).mtimeMs) return OUTPUT
  mkdirSync(join(OUTPUT, '..'), { recursive: true })
  const temporary = `${OUTPUT}.${process.pid}.tmp`
  const args = [
    '-shared',
    '-fPIC',
    '-O2',
    '-Wall',
    '-Wextra',
    '-fvisibility=hidden',
    '-I',
    INCLUDES,
    '-o',
    temporary,
    SOURCE,
    '-ldl',
    '-lpthread',
  ]
  const result = spawnSync('gcc', args, { encoding: 'utf8' })
  if (result.error) throw new Error(`gcc could not run (${result.error.message}): install it with bash scripts/install-system-deps.sh`)
  if (result.status !== 0) throw new Error(`gcc failed to build the PKCS#11 shim:\n${result.stdout}${result.stderr}`)
  renameSync(temporary, OUTPUT)
  return OUTPUT
}

export interface ShimOptions {
  /** The real module behind the shim. */
  target: string
  /** Delay before each C_Sign that signs; read at every call. */
  signDelayMs?: number
  /** Emulated user-PIN retry counter. */
  pinTries?: number
  /** File that gets one line per C_Login received (and per C_Initialize / C_Finalize). */
  loginLog?: string
}

/**
 * Sets the shim's environment. The target, PIN tries and log are read once, when the process
 * first initialises the shim: call this before. Returns the shim's path, built if need be.
 */
export function configureShim(options: ShimOptions): string {
  process.env.CERTDESK_SHIM_TARGET = options.target
  process.env.CERTDESK_SHIM_SIGN_DELAY_MS = String(options.signDelayMs ?? 0)
  if (options.pinTries !== undefined) process.env.CERTDESK_SHIM_PIN_TRIES = String(options.pinTries)
  if (options.loginLog !== undefined) process.env.CERTDESK_SHIM_LOGIN_LOG = options.loginLog
  return buildShim()
}
