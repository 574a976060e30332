import { describe, expect, it } from 'vitest'
import { knownModules, suggestModules } from '../../electron/core/sealing/pkcs11/module-suggestions'

describe('PKCS#11 module suggestions', () => {
  it('offers the usual Linux locations, those present first', () => {
    const present = new Set(['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/softhsm/libsofthsm2.so'])
    const suggestions = suggestModules('linux', (path) => present.has(path))
    expect(
      suggestions
        .slice(0, 2)
        .map((suggestion) => suggestion.path)
        .sort(),
    ).toEqual([...present].sort())
    expect(suggestions.slice(0, 2).every((suggestion) => suggestion.present)).toBe(true)
    expect(suggestions.slice(2).some((suggestion) => suggestion.present)).toBe(false)
    const paths = suggestions.map((suggestion) => suggestion.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
        '/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so',
        '/usr/lib/libeTPkcs11.so',
      ]),
    )
  })

  it('offers the Windows vendor modules, with Chinese and English vendor names', () => {
    const suggestions = suggestModules('win32', () => false)
    const vendorOf = (file: string) => suggestions.find((suggestion) => suggestion.path.endsWith(`\\${file}`))?.vendor
    expect(vendorOf('eTPKCS11.dll')).toContain('SafeNet')
    expect(vendorOf('opensc-pkcs11.dll')).toContain('OpenSC')
    expect(vendorOf('ShuttleCsp11_3003.dll')).toMatch(/飞天诚信 Feitian/)
    expect(vendorOf('eps2003csp11.dll')).toMatch(/飞天诚信 Feitian/)
    expect(vendorOf('gm3000_pkcs11.dll')).toMatch(/龙脉 Longmai/)
    expect(vendorOf('WDPKCS.dll')).toMatch(/握奇 Watchdata/)
    expect(suggestions.every((suggestion) => /^C:\\/.test(suggestion.path) && !suggestion.present)).toBe(true)
    // Longmai's mtoken_gm3000.dll is its SKF library, not PKCS#11: it must not be offered.
    expect(suggestions.some((suggestion) => /mtoken_gm3000\.dll$/i.test(suggestion.path))).toBe(false)
  })

  it('knows nothing for other platforms, and checks this machine by default', () => {
    expect(knownModules('darwin')).toEqual([])
    const here = suggestModules()
    expect(here.length).toBe(knownModules(process.platform).length)
    if (process.platform === 'linux')
      expect(here.find((suggestion) => suggestion.path === '/usr/lib/softhsm/libsofthsm2.so')?.present).toBe(true)
  })
})
