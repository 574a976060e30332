#!/usr/bin/env bash
# Installs the Debian packages CertDesk's tests need (run as root, or it uses sudo):
#   chromium        the browser the end-to-end tests drive through the web host (playwright-core)
#   fonts-noto-cjk  Chinese glyphs for the browser, so screens and screenshots show real text
#   poppler-utils   pdftotext, pdffonts, pdftoppm: check the certificate PDFs independently
#   zip             Info-ZIP, to write photo archives the way users' tools do (import tests)
# Later capabilities add their own here (softhsm2 and opensc for sealing).
set -euo pipefail
PACKAGES=(chromium fonts-noto-cjk poppler-utils zip)
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
