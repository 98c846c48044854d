#!/bin/sh
# Installs Debian's Chromium for the browser tests if it is missing (idempotent; never downloads a
# Playwright browser).
set -eu
command -v chromium || (apt-get update && apt-get install -y chromium)
