#!/usr/bin/env bash
# Installs the Debian packages CertDesk's tests need (run as root, or it uses sudo):
#   chromium        the browser the end-to-end tests drive through the web host (playwright-core)
#   fonts-noto-cjk  Chinese glyphs for the browser, so screens and screenshots show real text
#   poppler-utils   pdftotext, pdffonts, pdftoppm: check the certificate PDFs independently
#   zip             Info-ZIP, to write photo archives the way users' tools do (import tests)
#   softhsm2        a real PKCS#11 token for the sealing tests, the benchmark and `certdesk demo`
#   opensc          pkcs11-tool, to look at a token from outside the app
#   openssl         checks the CMS of every signature and acts as the RFC 3161 timestamp authority
#   gcc, libc6-dev  build the PKCS#11 pass-through module that slows a token down (tests, bench)
set -euo pipefail
PACKAGES=(chromium fonts-noto-cjk poppler-utils zip softhsm2 opensc openssl gcc libc6-dev)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages already installed: ${PACKAGES[*]}"
  exit 0
fi
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
