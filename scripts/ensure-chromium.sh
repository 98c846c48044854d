#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (Banner Studio, verifier page), once (idempotent).
# Never `npx playwright install`: it downloads a browser and fails offline.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium
