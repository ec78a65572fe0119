"""Memory of the CDXJ index lines a crawl makes: held in memory, or spooled to sorted run files.

    python bench/warc_index_memory.py                          # 100 000 and 300 000 responses
    python bench/warc_index_memory.py --responses 1000000

For each number of responses and each way (every line held until the crawl closes, and the
default spool of SPOOLED_INDEX_LINES lines), a process of its own writes that many small
exchanges with a news site's URLs through RotatingWarcWriter, writes the sorted index as a
closing crawl does, and reports how far its peak RSS grew over its start and its CPU seconds.
The WARC files and the index go to a temporary folder, removed afterwards.
Not part of the test run; the figures are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.warcs import SPOOLED_INDEX_LINES, write_index_lines
from crawler.warc import Exchange, RotatingWarcWriter

# larger than any run here: every line stays in memory
HELD = 10**9


def _exchange(number: int) -> Exchange:
    return Exchange(
        url=f"https://www.example.be/nieuws/2024/06/{number}/een-artikel-over-de-gemeenteraad/",
        method="GET",
        request_headers=[("User-Agent", "bench")],
        request_body=b"",
        status=200,
        response_headers=[("Content-Type", "text/html; charset=UTF-8")],
        body=b"<p>Een artikel.</p>",
    )


def measure(responses: int, spooled_lines: int) -> None:
    """Write `responses` exchanges and their index; print the peak RSS growth and CPU time."""
    folder = Path(tempfile.mkdtemp(prefix="warc-index-memory-"))
    try:
        start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start_cpu = time.process_time()
        writer = RotatingWarcWriter(folder, prefix="bench", spooled_lines=spooled_lines)
        for number in range(responses):
            writer.write_exchange(_exchange(number))
        writer.close()
        write_index_lines(writer.index_lines, folder / "indexes" / "crawl.cdxj")
        writer.index_lines.discard()
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start_rss) / 1024
        cpu = time.process_time() - start_cpu
        print(f"{grown:.1f} {cpu:.1f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", default="100000,300000", help="comma-separated counts")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(*args.child)
        return
    print(f"{'responses':>10} {'index lines':>22} {'peak RSS growth MiB':>20} {'CPU s':>7}")
    for responses in (int(n) for n in args.responses.split(",")):
        for label, lines in (
            ("all held", HELD),
            (f"spooled ({SPOOLED_INDEX_LINES})", SPOOLED_INDEX_LINES),
        ):
            out = subprocess.run(  # noqa: S603 - this script, with arguments built here
                [sys.executable, __file__, "--child", str(responses), str(lines)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            print(f"{responses:>10} {label:>22} {float(out[0]):>20.1f} {float(out[1]):>7.1f}")


if __name__ == "__main__":
    main()
