import { TITLE_LEVEL_LABELS, type TitleLevel } from '../electron/contract/certificates'
import type { PublicStatus } from './status'
import { shanghaiIso } from '../electron/core/util/shanghai-time'

/** Headers of the public page: nothing runs, nothing loads, nothing frames it. */
export const STATUS_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}

/** The calendar date in Shanghai (UTC+8, no daylight saving) of an ISO date-time. */
function shanghaiDate(iso: string): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return iso
  const [year, month, day] = shanghaiIso(at).slice(0, 10).split('-').map(Number)
  return `${year}年${month}月${day}日`
}

function kindLabel(status: PublicStatus): string {
  if (status.family === 'title') {
    const level = status.level ? (TITLE_LEVEL_LABELS[status.level as TitleLevel] ?? status.level) : null
    return level ? `${level}职称证书` : '职称证书'
  }
  return status.level ? `职业资格证书（${status.level}）` : '职业资格证书'
}

interface Verdict {
  /** valid, superseded, revoked, mismatch or unknown: on the page as data-status, for machines. */
  state: string
  headline: string
  explanation: string
  tone: 'good' | 'warn' | 'bad' | 'none'
}

function verdictOf(status: PublicStatus): Verdict {
  if (status.status === 'revoked') {
    return { state: 'revoked', headline: '已注销', explanation: '该证书已被注销，不再有效。', tone: 'bad' }
  }
  if (status.status === 'superseded') {
    return {
      state: 'superseded',
      headline: '已被新版本取代',
      explanation: '您所持的是该证书更正前的旧版本，请以发证机构提供的最新版本为准。',
      tone: 'warn',
    }
  }
  if (status.codeMatches === false) {
    return {
      state: 'mismatch',
      headline: '校验码不符',
      explanation: '该证书编号已登记，但二维码中的校验码与登记的任何版本都不一致：所持证书可能被篡改或伪造，请勿采信。',
      tone: 'bad',
    }
  }
  return { state: 'valid', headline: '有效', explanation: '该证书已在电子证照库登记，当前有效。', tone: 'good' }
}

const TONES = { good: '#1a7f37', warn: '#b35900', bad: '#c62828', none: '#555' }

function page(verdict: Verdict, rows: Array<[string, string]>): string {
  const details = rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>证书查验：${escapeHtml(verdict.headline)}</title>
<style>
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f5f5f5; color: #222; }
main { max-width: 32rem; margin: 2rem auto; background: #fff; padding: 1.5rem; border-radius: 8px; }
h1 { font-size: 1rem; font-weight: normal; color: #555; margin: 0 0 1rem; }
.verdict { font-size: 2rem; font-weight: bold; color: ${TONES[verdict.tone]}; margin: 0 0 .5rem; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .5rem 1rem; margin: 1.5rem 0 0; }
dt { color: #555; }
dd { margin: 0; }
</style>
</head>
<body>
<main>
<h1>上海市专业技术资格电子证书查验</h1>
<p class="verdict" data-status="${verdict.state}">${escapeHtml(verdict.headline)}</p>
<p>${escapeHtml(verdict.explanation)}</p>
<dl>${details}</dl>
</main>
</body>
</html>
`
}

/** The page the QR code opens: the verdict, the number, the masked name, the kind and the issue date; nothing else. */
export function renderStatusPage(status: PublicStatus): string {
  const rows: Array<[string, string]> = [
    ['证书编号', status.number],
    ['持证人', status.holderName],
    ['证书类别', kindLabel(status)],
    ['发证日期', shanghaiDate(status.issuedAt)],
  ]
  if (status.revokedAt) rows.push(['注销日期', shanghaiDate(status.revokedAt)])
  return page(verdictOf(status), rows)
}

/** The page for a number the registry does not know. */
export function renderUnknownPage(number: string): string {
  return page(
    {
      state: 'unknown',
      headline: '未查到该证书',
      explanation: '电子证照库中没有该编号的证书。请核对证书编号，或联系发证机构。',
      tone: 'none',
    },
    [['证书编号', number.slice(0, 64)]],
  )
}
