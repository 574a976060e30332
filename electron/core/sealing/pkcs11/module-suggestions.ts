import { existsSync } from 'node:fs'

/** A place a vendor's PKCS#11 module is usually installed. */
export interface KnownModule {
  path: string
  /** Chinese name first, the English one after: '飞天诚信 Feitian ePass2003'. */
  vendor: string
}

/** A known module location, and whether the file is there on this machine. */
export interface ModuleSuggestion extends KnownModule {
  present: boolean
}

/*
 * Only PKCS#11 modules (they export C_GetFunctionList). Several Chinese USB-key vendors ship an
 * SKF (GM/T 0016) library as well, under a similar name, which cannot be loaded here: Longmai's
 * mtoken_gm3000.dll is SKF, its PKCS#11 module is gm3000_pkcs11.dll. Windows paths are the 64-bit
 * System32 copies, which a 64-bit Electron loads; SysWOW64 holds the 32-bit ones.
 */
const LINUX: readonly KnownModule[] = [
  { path: '/usr/lib/softhsm/libsofthsm2.so', vendor: 'SoftHSM2 软件密钥（测试、演示）' },
  { path: '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', vendor: 'SoftHSM2 软件密钥（测试、演示）' },
  { path: '/usr/lib64/pkcs11/libsofthsm2.so', vendor: 'SoftHSM2 软件密钥（测试、演示）' },
  { path: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', vendor: 'OpenSC 通用智能卡 OpenSC' },
  { path: '/usr/lib64/opensc-pkcs11.so', vendor: 'OpenSC 通用智能卡 OpenSC' },
  { path: '/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so', vendor: 'p11-kit 系统模块代理 p11-kit proxy' },
  { path: '/usr/lib64/p11-kit-proxy.so', vendor: 'p11-kit 系统模块代理 p11-kit proxy' },
  { path: '/usr/lib/libeTPkcs11.so', vendor: '赛孚耐 SafeNet eToken' },
  { path: '/usr/lib/libIDPrimePKCS11.so', vendor: '金雅拓 Thales (Gemalto) IDPrime' },
  { path: '/usr/lib/x86_64-linux-gnu/libykcs11.so', vendor: 'YubiKey PIV（YKCS11）' },
  { path: '/usr/lib/libcastle.so.1.0.0', vendor: '飞天诚信 Feitian ePass2003' },
  { path: '/usr/local/lib/libcastle.so.1.0.0', vendor: '飞天诚信 Feitian ePass2003' },
  { path: '/usr/lib/libgm3000_pkcs11.so', vendor: '龙脉 Longmai mToken GM3000' },
  { path: '/usr/lib64/libgm3000_pkcs11.so', vendor: '龙脉 Longmai mToken GM3000' },
  { path: '/usr/lib/libwdpkcs.so', vendor: '握奇 Watchdata' },
]

const WINDOWS: readonly KnownModule[] = [
  { path: 'C:\\Windows\\System32\\eTPKCS11.dll', vendor: '赛孚耐 SafeNet eToken' },
  { path: 'C:\\Windows\\System32\\opensc-pkcs11.dll', vendor: 'OpenSC 通用智能卡 OpenSC' },
  { path: 'C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll', vendor: 'OpenSC 通用智能卡 OpenSC' },
  { path: 'C:\\Windows\\System32\\ShuttleCsp11_3003.dll', vendor: '飞天诚信 Feitian ePass3003' },
  { path: 'C:\\Windows\\System32\\eps2003csp11.dll', vendor: '飞天诚信 Feitian ePass2003' },
  { path: 'C:\\Windows\\System32\\gm3000_pkcs11.dll', vendor: '龙脉 Longmai mToken GM3000' },
  { path: 'C:\\Windows\\System32\\WDPKCS.dll', vendor: '握奇 Watchdata' },
  { path: 'C:\\Windows\\System32\\IDPrimePKCS1164.dll', vendor: '金雅拓 Thales (Gemalto) IDPrime' },
  { path: 'C:\\Program Files\\Yubico\\Yubico PIV Tool\\bin\\libykcs11.dll', vendor: 'YubiKey PIV（YKCS11）' },
  { path: 'C:\\SoftHSM2\\lib\\softhsm2-x64.dll', vendor: 'SoftHSM2 软件密钥（测试、演示）' },
]

/** The known module locations of a platform (none on others: macOS is not a CertDesk platform). */
export function knownModules(platform: NodeJS.Platform): readonly KnownModule[] {
  if (platform === 'win32') return WINDOWS
  if (platform === 'linux') return LINUX
  return []
}

/**
 * Suggestions for the module-path field: the usual vendor locations of this platform, those
 * present first. A suggestion only; the user may type any absolute path.
 */
export function suggestModules(
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): ModuleSuggestion[] {
  const suggestions = knownModules(platform).map((known) => ({ ...known, present: exists(known.path) }))
  return [...suggestions.filter((suggestion) => suggestion.present), ...suggestions.filter((suggestion) => !suggestion.present)]
}
