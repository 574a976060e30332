// Run before the tests: a missing system package fails loudly here, naming the script that
// installs it, instead of tests skipping or failing obscurely later.
import { existsSync } from 'node:fs'

export const CHROMIUM = process.env.CERTDESK_CHROMIUM ?? '/usr/bin/chromium'

const requirements = [
  { what: 'Chromium (Debian package chromium)', path: CHROMIUM },
  { what: 'CJK fonts (Debian package fonts-noto-cjk)', path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc' },
  ...['pdftotext', 'pdffonts', 'pdftoppm', 'pdfsig'].map((tool) => ({
    what: `${tool} (Debian package poppler-utils)`,
    path: `/usr/bin/${tool}`,
  })),
  { what: 'zip (Debian package zip)', path: '/usr/bin/zip' },
  {
    what: 'SoftHSM2, a real PKCS#11 token (Debian package softhsm2)',
    path: process.env.CERTDESK_SOFTHSM_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so',
  },
  { what: 'pkcs11-tool (Debian package opensc)', path: '/usr/bin/pkcs11-tool' },
  { what: 'openssl (Debian package openssl)', path: '/usr/bin/openssl' },
  { what: 'gcc, for the PKCS#11 test shim (Debian package gcc)', path: '/usr/bin/gcc' },
]

const missing = requirements.filter((requirement) => !existsSync(requirement.path))
if (missing.length > 0) {
  for (const requirement of missing) console.error(`missing: ${requirement.what} — expected at ${requirement.path}`)
  console.error('Install the test dependencies with: bash scripts/install-system-deps.sh   (then run npm test again)')
  process.exit(1)
}
