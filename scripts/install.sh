#!/usr/bin/env bash
# Set up (or update) the project's virtual environment in .venv.
#   bash scripts/install.sh          the application
#   bash scripts/install.sh test     the application and what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "newsarchive needs Python 3.11 or newer as '$PYTHON' (set PYTHON=... to choose one)" >&2
  exit 1
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian's Python keeps venv in a separate package.
    rm -rf .venv
    as_root apt-get update -q
    as_root apt-get install -y -q python3-venv
    "$PYTHON" -m venv .venv
  fi
fi

extras=""
if [ "${1:-}" = "test" ]; then extras="[test]"; fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"

# The browser tests drive Debian's Chromium through Playwright; Playwright's own browser
# download (`playwright install`) is never used.
if [ "${1:-}" = "test" ] && [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update -q
  as_root apt-get install -y -q chromium
fi

# tests/test_distributed.py runs Debian's redis-server itself, on a free loopback port with no
# persistence; it never uses the service the package may start on port 6379.
if [ "${1:-}" = "test" ] && [ ! -x /usr/bin/redis-server ]; then
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server
fi

# tests/test_faults.py runs Debian's nginx with docs/nginx.conf in front of `newsarchive serve`,
# on loopback ports of its own; it never uses the service the package may start on port 80.
if [ "${1:-}" = "test" ] && [ ! -x /usr/sbin/nginx ]; then
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx
fi
