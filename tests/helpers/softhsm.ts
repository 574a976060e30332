import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Debian's SoftHSM2 module; override with CERTDESK_SOFTHSM_MODULE. */
export const SOFTHSM_MODULE = process.env.CERTDESK_SOFTHSM_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so'

export interface SoftHsm {
  modulePath: string
  /** Where SoftHSM2 keeps this instance's tokens: rename it away to "pull the key out". */
  tokenDir: string
  confPath: string
}

/**
 * A SoftHSM2 of its own under `root`: a softhsm2.conf with its own token directory, named by
 * SOFTHSM2_CONF in this process's environment. SoftHSM2 reads SOFTHSM2_CONF once, at the
 * process's first C_Initialize (worker threads share the process's environment and its module):
 * call this before anything in the process initialises the module. Vitest runs each test file
 * in a process of its own, so one call per file. Fails loudly when SoftHSM2 is missing.
 */
export function createSoftHsm(root: string): SoftHsm {
  if (!existsSync(SOFTHSM_MODULE)) {
    throw new Error(
      `SoftHSM2 not found at ${SOFTHSM_MODULE}: install it with bash scripts/install-system-deps.sh (Debian package softhsm2)`,
    )
  }
  const tokenDir = join(root, 'tokens')
  mkdirSync(tokenDir, { recursive: true })
  const confPath = join(root, 'softhsm2.conf')
  writeFileSync(
    confPath,
    [`directories.tokendir = ${tokenDir}`, 'objectstore.backend = file', 'log.level = ERROR', 'slots.removable = false', ''].join('\n'),
  )
  process.env.SOFTHSM2_CONF = confPath
  return { modulePath: SOFTHSM_MODULE, tokenDir, confPath }
}
