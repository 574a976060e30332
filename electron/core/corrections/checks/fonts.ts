import { certificateFontCoverage } from './font-coverage'
import { columnOf } from './field-values'
import { reportFinding } from './new-values'
import type { CorrectionRow } from './types'

/**
 * A corrected text the certificate font cannot draw (e.g. 𠇔) would stop the re-made certificate
 * at rendering, after the bureau approved it: refused here instead, naming the character. The
 * font's coverage is read only when the table corrects some text.
 */
export function checkFonts(rows: CorrectionRow[]): void {
  const texts = rows.filter(
    (row) => row.newValue !== undefined && row.certificate && columnOf(row.certificate.family, row.field!)?.kind === 'text',
  )
  if (texts.length === 0) return
  const coverage = certificateFontCoverage()
  if (coverage.missing(texts.map((row) => row.newValue!)).length === 0) return
  for (const row of texts) {
    const missing = coverage.missing([row.newValue!])
    if (missing.length === 0) continue
    reportFinding(row, { code: 'FONT_MISSING', detail: `有证书字库缺少的字：${missing.join('、')}，无法制作证书，请核对或改用规范字` })
    row.newValue = undefined
  }
}
