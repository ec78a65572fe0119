"""Run trafilatura's command line with `*.localhost` resolved (see loopback_names.py).

    trafilatura-venv/bin/python bench/peers/trafilatura_cli.py [--stdout-to FILE] ARGS...

ARGS go to trafilatura's own CLI unchanged; `--stdout-to FILE` first sends what it prints (the
URL list of `--sitemap URL --list`) to FILE.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loopback_names

loopback_names.install()

from trafilatura.cli import main  # noqa: E402

if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--stdout-to"]:
        sys.stdout = open(arguments[1], "w", encoding="utf-8")  # noqa: SIM115 - until exit
        arguments = arguments[2:]
    sys.argv = ["trafilatura", *arguments]
    try:
        main()
    finally:
        sys.stdout.flush()
