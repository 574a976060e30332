import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, isAllowedExternalUrl, isAllowedNavigation, isAppUrl, isTrustedSender } from '../../electron/main/security'
import { mainWindowOptions } from '../../electron/main/window-options'

describe('main window options', () => {
  const options = mainWindowOptions('/app/out/preload/index.js')

  it('sandboxes and isolates the renderer with no Node access', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

describe('content security policy', () => {
  it('never allows eval and keeps scripts to the app itself', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
  })
})

describe('openExternal allow-list', () => {
  it.each([
    ['https://rsj.sh.gov.cn/notice', true],
    ['https://www.shanghai.gov.cn/', true],
    ['http://rsj.sh.gov.cn/', false],
    ['https://rsj.sh.gov.cn.evil.example/', false],
    ['https://evil.example/?rsj.sh.gov.cn', false],
    ['https://user:pass@rsj.sh.gov.cn/', false],
    ['https://rsj.sh.gov.cn:8443/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed)
  })
})

describe('app URL, navigation and IPC sender checks', () => {
  const packaged = { indexFile: '/opt/CertDesk/resources/app/out/renderer/index.html' }
  const development = { devServerUrl: 'http://localhost:5173/' }

  it('accepts the packaged index file with any hash route, and nothing else on disk', () => {
    expect(isAppUrl('file:///opt/CertDesk/resources/app/out/renderer/index.html#/dashboard', packaged)).toBe(true)
    expect(isAppUrl('file:///opt/CertDesk/resources/app/out/renderer/other.html', packaged)).toBe(false)
    expect(isAppUrl('file:///etc/passwd', packaged)).toBe(false)
    expect(isAppUrl('https://example.com/', packaged)).toBe(false)
  })

  it('accepts only the dev server origin in development', () => {
    expect(isAppUrl('http://localhost:5173/#/login', development)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', development)).toBe(false)
    expect(isAppUrl('http://127.0.0.1:5173/', development)).toBe(false)
  })

  it('blocks navigation away from the app', () => {
    expect(isAllowedNavigation('https://evil.example/', packaged)).toBe(false)
    expect(isAllowedNavigation('file:///opt/CertDesk/resources/app/out/renderer/index.html#/login', packaged)).toBe(true)
  })

  it('trusts only the top-level frame of the app page', () => {
    const url = 'file:///opt/CertDesk/resources/app/out/renderer/index.html#/dashboard'
    expect(isTrustedSender({ url, isTopFrame: true }, packaged)).toBe(true)
    expect(isTrustedSender({ url, isTopFrame: false }, packaged)).toBe(false)
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true }, packaged)).toBe(false)
    expect(isTrustedSender(null, packaged)).toBe(false)
  })
})
