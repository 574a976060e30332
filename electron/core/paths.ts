import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'CertDesk'

/**
 * Where Electron's app.getPath('userData') points on each platform; the CLI and the web host
 * default to the same place so all three work on the same data.
 */
export function defaultUserDataDir(platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

/** The data directory: explicit option, then CERTDESK_DATA_DIR, then userData/data. */
export function resolveDataDir(explicit?: string, env = process.env): string {
  return explicit ?? env.CERTDESK_DATA_DIR ?? join(defaultUserDataDir(process.platform, env), 'data')
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'certdesk.sqlite')
}

/**
 * The app's read-only resources (templates, fonts, demo photos). Every entry point sits two
 * folders below the project root (electron/core when run from source, out/<entry> when
 * bundled), so the same relative path serves both; packaged builds set CERTDESK_RESOURCES.
 */
export function resourcesDir(env = process.env): string {
  return env.CERTDESK_RESOURCES ?? join(__dirname, '..', '..', 'resources')
}
