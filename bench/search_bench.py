"""Search benchmark: build a large archive from the demo site and time searches over HTTP.

    python bench/search_bench.py --articles 100000

builds the archive once (straight from the demo site's ground truth through `save_articles`,
no crawl; an existing file with enough articles is reused), starts `newsarchive serve` on a free
loopback port and times each query of a fixed set through the JSON API, printing the median and
95th percentile per query and overall. Exit status 1 when a query fails.
"""

from __future__ import annotations

import argparse
import html
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.db import open_archive, save_articles  # noqa: E402
from demosite import DemoSite  # noqa: E402

BATCH = 2000
SITE_URL = "https://www.antwerpspersbureau.be"

# (label, path and query string): the kinds of request a researcher or a script sends.
TYPICAL_QUERIES: list[tuple[str, str, dict[str, str]]] = [
    ("word, relevance", "/search.json", {"q": "scholen"}),
    ("word, newest", "/search.json", {"q": "brandweer", "sort": "newest"}),
    ("name, accents folded", "/search.json", {"q": "Marien"}),
    ("phrase", "/search.json", {"q": '"betalend parkeren"'}),
    ("prefix", "/search.json", {"q": "verkeers*"}),
    ("compound part", "/search.json", {"q": "*veiligheid"}),
    ("boolean", "/search.json", {"q": "(school OR kerk) NOT sport"}),
    ("word + place", "/search.json", {"q": "gemeente", "place": "Mechelen"}),
    (
        "word + date range",
        "/search.json",
        {"q": "festival", "from": "2022-01-01", "to": "2022-12-31"},
    ),
    ("word + category", "/search.json", {"q": "erfgoed", "category": "Kempen"}),
    ("word, page 3", "/search.json", {"q": "school", "page": "3"}),
    ("canned query, word", "/archive/search.json", {"q": "scholen"}),
    ("canned query, word + place", "/archive/search.json", {"q": "school", "place": "Lier"}),
    ("articles per month, word", "/counts.json", {"q": "brandweer"}),
    ("table API, FTS + filter", "/archive/articles.json", {"_search": "school", "place": "Lier"}),
    ("table API, place filter", "/archive/articles.json", {"place": "Mechelen", "_size": "20"}),
]

# Pages for people (HTML), timed too.
PAGES: list[tuple[str, str, dict[str, str]]] = [
    ("page: home", "/", {}),
    ("page: search", "/search", {"q": "scholen", "place": "Lier"}),
    ("page: article", "/article/4242", {}),
    ("page: articles per month", "/counts", {}),
    ("page: Atom feed of a search", "/search.atom", {"q": "brandweer"}),
    ("page: table, default facets", "/archive/articles", {}),
]


def build_archive(path: Path, articles: int) -> float:
    """Fill `path` with `articles` demo articles (from ground truth); returns seconds taken."""
    site = DemoSite(articles=articles)
    started = time.perf_counter()
    db = open_archive(path)
    try:
        have = db["articles"].count
        for start in range(have, articles, BATCH):
            records = [_record(site, i) for i in range(start, min(start + BATCH, articles))]
            save_articles(db, records, site="antwerpspersbureau")
            print(f"  {start + len(records)} / {articles} articles", file=sys.stderr, end="\r")
        db.execute("PRAGMA optimize")
        db.execute("INSERT INTO articles_nl(articles_nl) VALUES ('optimize')")
        db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        db.conn.commit()
    finally:
        db.close()
    print(file=sys.stderr)
    return time.perf_counter() - started


def _record(site: DemoSite, index: int) -> dict[str, Any]:
    truth = site.ground_truth(index)
    paragraphs = str(truth["text"]).split("\n")
    return {
        **truth,
        "url": SITE_URL + str(truth.pop("url_path")),
        "authors": [truth["author"]],
        "language": "nl",
        "date_source": "json-ld",
        "word_count": len(str(truth["text"]).split()),
        "body_html": "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
    }


def most_common_words(path: Path, limit: int = 3) -> list[tuple[str, int]]:
    """The indexed terms in the most articles (from the FTS5 vocabulary of the Dutch index)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nl_vocab "
            "USING fts5vocab(main, articles_nl, row)"
        )
        return conn.execute(
            "SELECT term, doc FROM temp.nl_vocab ORDER BY doc DESC LIMIT ?", [limit]
        ).fetchall()
    finally:
        conn.close()


def sizes(path: Path) -> dict[str, int]:
    """Bytes per table and index (SQLite's dbstat), grouped by what they serve."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    finally:
        conn.close()
    groups: dict[str, int] = {}
    for name, size in rows:
        if name.startswith("articles_nl_words"):
            group = "vocabulary for part search (articles_nl_words*)"
        elif name.startswith("articles_nl"):
            group = "Dutch index (articles_nl*)"
        elif name.startswith("articles_fts"):
            group = "plain index (articles_fts*)"
        elif name.startswith("idx_articles") or name.startswith("sqlite_autoindex_articles"):
            group = "articles indexes"
        else:
            group = name
        groups[group] = groups.get(group, 0) + size
    return dict(sorted(groups.items(), key=lambda item: -item[1]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"newsarchive serve exited with {process.returncode}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def time_query(client: httpx.Client, path: str, params: dict[str, str], runs: int) -> list[float]:
    """Seconds per request, after one warm-up request; raises on an error answer."""
    is_json = path.endswith(".json")
    url = f"{path}?{urlencode({**params, '_shape': 'objects'} if is_json else params)}"
    timings = []
    for attempt in range(runs + 1):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        data = response.json() if response.status_code == 200 and is_json else {}
        if response.status_code != 200 or data.get("ok") is False or data.get("error"):
            raise RuntimeError(f"{url}: HTTP {response.status_code}: {response.text[:300]}")
        if attempt:
            timings.append(elapsed)
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--db",
        type=Path,
        help="archive file, named archive.db for the canned queries "
        "(default: newsarchive-bench-N/archive.db in the temporary directory)",
    )
    parser.add_argument("--runs", type=int, default=20, help="timed requests per query")
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = Path(tempfile.gettempdir()) / f"newsarchive-bench-{args.articles}" / "archive.db"

    print(f"Archive: {args.db} ({args.articles} articles)")
    seconds = build_archive(args.db, args.articles)
    print(f"  built/checked in {seconds:.1f} s, file {args.db.stat().st_size / 1e6:.1f} MB")
    for group, size in sizes(args.db).items():
        print(f"  {size / 1e6:8.1f} MB  {group}")
    common = most_common_words(args.db)
    print("  most common indexed terms: " + ", ".join(f"{t} ({n})" for t, n in common))

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "archive", "serve", "--db", str(args.db), "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    failures = 0
    try:
        wait_for(f"{base}/-/versions.json", process)
        with httpx.Client(base_url=base, timeout=30) as client:
            print(f"\n{'query':34} {'median ms':>10} {'p95 ms':>8}  ({args.runs} runs each)")
            typical: list[float] = []
            for label, path, params in TYPICAL_QUERIES:
                timings = time_query(client, path, params, args.runs)
                typical.extend(timings)
                print(
                    f"{label:34} {statistics.median(timings) * 1000:10.1f} "
                    f"{p95(timings) * 1000:8.1f}"
                )
            print(
                f"{'all typical queries':34} {statistics.median(typical) * 1000:10.1f} "
                f"{p95(typical) * 1000:8.1f}"
            )
            print()
            term = common[0][0]
            broad = [
                (f"most common term '{term}'", "/search.json", {"q": term}),
                ("  the same, newest first", "/search.json", {"q": term, "sort": "newest"}),
                ("  the same, in one place", "/search.json", {"q": term, "place": "Lier"}),
                ("  the same, canned query", "/archive/search.json", {"q": term}),
                ("  the same, per month", "/counts.json", {"q": term}),
                ("stop word only 'de'", "/search.json", {"q": "de"}),
                ("'de' in the plain index", "/archive/articles.json", {"_search": "de"}),
            ]
            for label, path, params in broad:
                try:
                    timings = time_query(client, path, params, 5)
                except RuntimeError as error:
                    failures += 1
                    print(f"{label:34} FAILED: {error}")
                    continue
                print(
                    f"{label:34} {statistics.median(timings) * 1000:10.1f} "
                    f"{p95(timings) * 1000:8.1f}"
                )
            print()
            for label, path, params in PAGES:
                timings = time_query(client, path, params, 5)
                print(
                    f"{label:34} {statistics.median(timings) * 1000:10.1f} "
                    f"{p95(timings) * 1000:8.1f}"
                )
    finally:
        process.terminate()
        process.wait(timeout=30)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
