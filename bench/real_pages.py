"""Throughput on real-weight pages: crawl and re-extraction against bare extraction's limit.

    python bench/real_pages.py                        # 2 000 pages, 3 runs
    python bench/real_pages.py --pages 500 --runs 1   # a check in a few minutes
    python bench/real_pages.py --json /tmp/real-pages.json
    python bench/real_pages.py --set NEWSARCHIVE_LINKS_IN_WORKERS=False  # a crawl setting

Builds a site from the real article pages in ../shared/realdata/extraction (the 114 news pages
of fundus-dev and the 300 pages of trafilatura's evaluation set, 40-500 KB each), cycled to
--pages pages, each copy under a URL of its own (`/articles/00042/`) and made unique by a comment
at its end, so that every copy is archived, and serves it on 127.0.0.1 with a robots.txt, a
sitemap and a home page. Then, per run, on all cores:

* the limit: `trafilatura.bare_extraction(with_metadata=True)` and our `extract_article` over
  the same pages in a process pool (pages per second, CPU per 1 000 pages);
* `newsarchive crawl --site generic --delay 0` into a fresh archive (articles stored per second,
  wall and CPU of the crawl's whole process tree, measured from outside);
* `newsarchive reextract` over that crawl's WARC files (articles per second).

Prints medians and the ratios to the limit. Not part of the test run; results in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_peers import (
    REPO,
    become_subreaper,
    descendants,
    limit_rates,
    machine,
    run_measured,
)

SHARED = REPO.parent / "shared" / "realdata" / "extraction"
OUT = Path(tempfile.gettempdir()) / "newsarchive-bench" / "real-pages"


def real_pages() -> list[bytes]:
    """The real article pages of ../shared, decompressed, in a fixed order."""
    fundus = SHARED / "fundus-dev"
    pages = []
    for line in (fundus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        pages.append(gzip.decompress((fundus / json.loads(line)["html_file"]).read_bytes()))
    evaluation = SHARED / "trafilatura-eval"
    expectations = json.loads((evaluation / "expectations.json").read_text(encoding="utf-8"))
    for entry in expectations.values():
        pages.append((evaluation / "pages" / entry["file"]).read_bytes())
    return pages


class RealPagesSite:
    """`count` copies of the real pages, served on 127.0.0.1 in a thread of this process."""

    def __init__(self, count: int) -> None:
        sources = real_pages()
        self.pages = {
            f"/articles/{number:05d}/": sources[number % len(sources)]
            + f"\n<!-- copy {number} -->\n".encode()
            for number in range(count)
        }
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str) -> tuple[int, str, bytes]:
        if path in self.pages:
            return 200, "text/html; charset=utf-8", self.pages[path]
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nSitemap: {self.url}/sitemap.xml\n".encode()
        if path == "/sitemap.xml":
            entries = "".join(f"<url><loc>{self.url}{page}</loc></url>" for page in self.pages)
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
            )
            return 200, "application/xml", body.encode()
        if path == "/":
            links = "".join(
                f'<li><a href="{page}">{page}</a></li>' for page in list(self.pages)[:50]
            )
            return 200, "text/html", f"<html><body><ul>{links}</ul></body></html>".encode()
        return 404, "text/html", b"<html><body>not found</body></html>"

    def __enter__(self) -> RealPagesSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, content_type, body = site.answer(self.path.split("?")[0])
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Run:
    """One run: the limit, the crawl and the re-extraction."""

    bare_rate: float
    ours_rate: float
    bare_cpu_per_1000: float
    ours_cpu_per_1000: float
    crawl_articles: int
    crawl_wall: float
    crawl_cpu: float
    reextract_articles: int
    reextract_wall: float
    reextract_cpu: float

    @property
    def crawl_rate(self) -> float:
        return self.crawl_articles / self.crawl_wall

    @property
    def reextract_rate(self) -> float:
        return self.reextract_articles / self.reextract_wall


def stored_articles(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def one_run(site: RealPagesSite, number: int, workers: int, settings: list[str]) -> Run:
    pages = [(body, f"{site.url}{path}") for path, body in site.pages.items()]
    limits = limit_rates(pages, workers, runs=1)
    bare = limits["trafilatura.bare_extraction(with_metadata=True)"]
    ours = limits["newsarchive extract_article"]
    folder = OUT / f"run-{number}"
    shutil.rmtree(folder, ignore_errors=True)  # a fresh archive and WARC folder each run
    folder.mkdir(parents=True)
    db = folder / "archive.db"
    newsarchive = [sys.executable, "-m", "newsarchive"]
    # the limit's pool leaves multiprocessing's forkserver running: not part of the runs
    resident = set(descendants(os.getpid()))
    crawl = run_measured(
        [
            [
                *newsarchive,
                *("crawl", "--db", str(db), "--start-url", f"{site.url}/"),
                *("--site", "generic", "--delay", "0", "--workers", str(workers)),
                *(arg for setting in settings for arg in ("--set", setting)),
            ]
        ],
        keep=resident,
        cwd=REPO,
        log=folder / "crawl.log",
    )
    crawled = stored_articles(db)
    reextract = run_measured(
        [[*newsarchive, "reextract", "--db", str(db), "--workers", str(workers)]],
        keep=resident,
        cwd=REPO,
        log=folder / "reextract.log",
    )
    return Run(
        bare_rate=bare["rate"][0],
        ours_rate=ours["rate"][0],
        bare_cpu_per_1000=bare["cpu_per_1000"][0],
        ours_cpu_per_1000=ours["cpu_per_1000"][0],
        crawl_articles=crawled,
        crawl_wall=crawl.wall_seconds,
        crawl_cpu=crawl.cpu_seconds,
        reextract_articles=stored_articles(db),
        reextract_wall=reextract.wall_seconds,
        reextract_cpu=reextract.cpu_seconds,
    )


def report(runs: list[Run], pages: int) -> str:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    bare = median([run.bare_rate for run in runs])
    lines = [
        f"{pages} real-weight pages, {len(runs)} run(s), medians (ratios are per run, then median)",
        "| what | pages or articles/s | CPU s per 1 000 | ratio to bare extraction |",
        "| --- | ---: | ---: | ---: |",
        f"| bare_extraction(with_metadata=True), all cores | {bare:.1f} | "
        f"{median([r.bare_cpu_per_1000 for r in runs]):.1f} | 1.00 |",
        f"| our extract_article, all cores | {median([r.ours_rate for r in runs]):.1f} | "
        f"{median([r.ours_cpu_per_1000 for r in runs]):.1f} | "
        f"{median([r.ours_rate / r.bare_rate for r in runs]):.2f} |",
        f"| newsarchive crawl, end to end | {median([r.crawl_rate for r in runs]):.1f} | "
        f"{median([r.crawl_cpu / r.crawl_articles * 1000 for r in runs]):.1f} | "
        f"{median([r.crawl_rate / r.bare_rate for r in runs]):.2f} |",
        f"| newsarchive reextract | {median([r.reextract_rate for r in runs]):.1f} | "
        f"{median([r.reextract_cpu / r.reextract_articles * 1000 for r in runs]):.1f} | "
        f"{median([r.reextract_rate / r.bare_rate for r in runs]):.2f} |",
        f"articles stored by the crawl: {min(r.crawl_articles for r in runs)}–"
        f"{max(r.crawl_articles for r in runs)} of {pages} pages",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages on the site (2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs (3)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="write every run's figures to this file")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the crawl (repeatable), e.g. NEWSARCHIVE_LINKS_IN_WORKERS=False",
    )
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        parser.error(f"no real pages at {SHARED}: ../shared must sit beside the repository")
    become_subreaper()
    info = machine()
    runs = []
    with RealPagesSite(args.pages) as site:
        for number in range(1, args.runs + 1):
            run = one_run(site, number, args.workers, args.set)
            print(
                f"run {number}: bare {run.bare_rate:.1f}/s, ours {run.ours_rate:.1f}/s, "
                f"crawl {run.crawl_rate:.1f}/s ({run.crawl_articles} articles), "
                f"reextract {run.reextract_rate:.1f}/s",
                file=sys.stderr,
            )
            runs.append(run)
    print(report(runs, args.pages))
    print(f"machine: {info}")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": info, "runs": [asdict(run) for run in runs]}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
