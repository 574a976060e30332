import { describe, expect, it } from 'vitest'
import { missingCharacters } from '../../electron/core/documents'
import { certificateFontCoverage } from '../../electron/core/corrections/checks/font-coverage'

/** Every code point from `from` to `to`, as one string (surrogates skipped). */
function span(from: number, to: number): string {
  let text = ''
  for (let code = from; code <= to; code++) if (code < 0xd800 || code > 0xdfff) text += String.fromCodePoint(code)
  return text
}

describe('the correction checks’ font coverage (read from the cmap tables)', () => {
  it('agrees with the document engine on every character it is asked about', () => {
    const coverage = certificateFontCoverage()
    // ASCII and Latin-1, the CJK blocks, full-width forms, and a stretch of Extension B holding 𠇔.
    const texts = [
      span(0x20, 0xff),
      span(0x3000, 0x30ff),
      span(0x3400, 0x4dbf),
      span(0x4e00, 0x9fff),
      span(0xff00, 0xffef),
      span(0x20000, 0x20400),
    ]
    for (const text of texts) expect(coverage.missing([text])).toEqual(missingCharacters([text]))
  })

  it('names what the font lacks, once each, and nothing in an ordinary Chinese name', () => {
    const coverage = certificateFontCoverage()
    expect(coverage.missing(['王丽华', '上海市第一人民医院'])).toEqual([])
    expect(coverage.missing(['王𠇔', '李𠇔'])).toEqual(['𠇔'])
  })
})
