#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser test (test/local/console/console-browser.test.ts drives
# /usr/bin/chromium with playwright-core, which never downloads a browser of its own). Does nothing when it is there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-chromium: /usr/bin/chromium is missing and this is not root (and there is no sudo): install the Debian package 'chromium'" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
