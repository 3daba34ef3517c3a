#!/usr/bin/env bash
# Set-up on a fresh machine that has Python 3.11: the locked toolchain (uv, then every
# dependency from uv.lock) and Debian's Chromium for the site's browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

if ! command -v uv >/dev/null 2>&1 || [ "$(uv --version | cut -d' ' -f2)" != "0.13.8" ]; then
  # A Python that manages its own packages (PEP 668) takes uv as a user install.
  python3.11 -m pip install -q uv==0.13.8 2>/dev/null \
    || python3.11 -m pip install -q --user --break-system-packages uv==0.13.8
fi
command -v uv >/dev/null 2>&1 || export PATH="$HOME/.local/bin:$PATH"
uv sync --locked

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "bootstrap: the site tests need Chromium; install it (e.g. apt-get install chromium)" >&2
  fi
fi
