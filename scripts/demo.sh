#!/usr/bin/env bash
# Install, then crawl the bundled demo site into demo/archive.db and serve it with Datasette.
# Options are passed on: bash scripts/demo.sh --articles 1000 --port 8001
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/newsarchive demo "$@"
