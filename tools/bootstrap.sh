#!/usr/bin/env bash
# Set-up on a fresh machine that has Python 3.11: the locked toolchain (uv, then every
# dependency from uv.lock), Debian's Chromium for the site's browser tests and Debian's R
# (readr, jsonlite) for the R client test.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
UV_VERSION=0.13.8

if ! command -v uv >/dev/null 2>&1 || [ "$(uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  # uv comes only as a wheel whose hash is in tools/uv.txt. A Python that manages its own
  # packages (PEP 668: EXTERNALLY-MANAGED, outside a venv, as pip checks it) takes a user install.
  if python3.11 - <<'PY'
import os, sys, sysconfig
in_venv = sys.prefix != sys.base_prefix
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if not in_venv and os.path.exists(marker) else 1)
PY
  then
    python3.11 -m pip install -q --require-hashes --only-binary :all: \
      --user --break-system-packages -r tools/uv.txt
    user_base="$(python3.11 -m site --user-base)"
    export PATH="$user_base/bin:$PATH"
  else
    python3.11 -m pip install -q --require-hashes --only-binary :all: -r tools/uv.txt
  fi
fi
command -v uv >/dev/null 2>&1 || export PATH="$HOME/.local/bin:$PATH"
if [ "$(uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "bootstrap: $(command -v uv) is not uv $UV_VERSION" >&2
  exit 1
fi
# Compiled now, once: an environment that may not write bytecode (PYTHONDONTWRITEBYTECODE)
# would otherwise compile pandas at every start (1.3 s, not 0.5 s, to import validation).
uv sync --locked --compile-bytecode

# Debian packages the tests need: Chromium for the site's browser tests, R with readr and
# jsonlite for the R client test.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "bootstrap: the tests need ${*/#--*/}; install them with apt-get" >&2
  fi
}
command -v chromium >/dev/null 2>&1 || apt_install chromium
Rscript -e 'library(readr); library(jsonlite)' >/dev/null 2>&1 ||
  apt_install --no-install-recommends r-base-core r-cran-readr r-cran-jsonlite
