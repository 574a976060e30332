/**
 * The certificate document engine: the four documents of 沪人社专〔2024〕271号 (title and
 * vocational certificates, query slip, pass certificate) as PDF. Plain Node, safe in a worker_thread.
 */

export { createDocumentRenderer, type DocumentRendererOptions } from './renderer'
export { verificationCode, verificationUrl } from './qr'
export {
  DEFAULT_SEAL_PURPOSE,
  SEAL_RED,
  drawSealAppearance,
  placeSeal,
  sealAppearanceText,
  type SealAppearance,
  type SealPlacement,
} from './seal-appearance'
export { FontLibrary } from './fonts'
export { sealFieldName, ANNOTATION_HIDDEN, ANNOTATION_PRINT } from './seal-fields'
export { sharedFontLibrary } from './shared-fonts'
import { sharedFontLibrary } from './shared-fonts'
import type { DocumentResourcePaths } from './resources'
export { formatChineseDate } from './values'
export { defaultResourcePaths, type DocumentResourcePaths } from './resources'
export { documentTemplateSchema, loadTemplate, type DocumentTemplate } from './template'
export type * from './types'

/**
 * Characters of these texts (NFC; an astral character such as 𠇔 counts once) that the
 * certificate font lacks. Loads the fonts once per process on first use.
 */
export function missingCharacters(texts: string[], paths?: Partial<DocumentResourcePaths>): string[] {
  return sharedFontLibrary(paths).missingCharacters(texts)
}
