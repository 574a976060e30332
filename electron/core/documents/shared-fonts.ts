import { FontLibrary } from './fonts'
import { defaultResourcePaths, type DocumentResourcePaths } from './resources'

let sharedFonts: FontLibrary | undefined

/**
 * The certificate fonts, loaded once per process on first use, for every PDF core writes on
 * this thread (certificate checks, production lists); worker threads load their own.
 */
export function sharedFontLibrary(paths?: Partial<DocumentResourcePaths>): FontLibrary {
  sharedFonts ??= new FontLibrary(defaultResourcePaths(paths))
  return sharedFonts
}
