import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** Where `certdesk demo` keeps its SoftHSM2 token: inside the demo's own data directory. */
export function demoTokenDir(dataDir: string): string {
  return join(dataDir, 'demo-token')
}

/** The SoftHSM2 configuration of that token, written by the demo seed and read by useDemoToken. */
export function demoTokenConf(dataDir: string): string {
  return join(demoTokenDir(dataDir), 'softhsm2.conf')
}

/**
 * Points SoftHSM2 at the demo token of this data directory, when there is one and nothing else
 * chose a configuration: SoftHSM2 reads SOFTHSM2_CONF once, at the process's first
 * C_Initialize, so this runs when the core opens, before any token is touched. A real USB key's
 * module ignores the variable.
 */
export function useDemoToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const conf = demoTokenConf(dataDir)
  if (!env.SOFTHSM2_CONF && existsSync(conf)) env.SOFTHSM2_CONF = conf
}
