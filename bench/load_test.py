"""Load test: concurrent readers against `newsarchive serve` while a crawl writes to the same db.

    python bench/load_test.py --clients 16 64 --seconds 60

Builds an archive (bench/search_bench.py's builder, `--articles`, reused when it exists), serves
the demo site (`python -m demosite serve --articles 2000`) and starts `newsarchive serve` on free
loopback ports, then keeps `newsarchive crawl` of the demo site writing into the served archive
(re-crawling with `--full` whenever a crawl ends) while each level of `--clients` concurrent
clients sends searches (`/search.json?q=`, `/archive/articles.json?_search=`) and article views
(`/article/<id>`) for `--seconds`. Per level it prints requests/s, p50/p95/p99 latency and
errors by status; for the whole run the number of "database is locked" seen in responses and in
the server's and crawls' logs, the largest WAL file seen, and the lost-writes check: after the
last crawl finishes, every article of the demo site is in the archive exactly once. Exit status
1 when a request failed (5xx or transport error), "database is locked" was seen, or a write was
lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from search_bench import build_archive, free_port, wait_for  # noqa: E402

from demosite import DemoSite  # noqa: E402

LOCKED = "database is locked"
DEMOSITE = [sys.executable, "-m", "demosite", "serve"]
SERVE = [sys.executable, "-m", "newsarchive", "serve"]
WORDS = [
    "scholen",
    "brandweer",
    "gemeente",
    "festival",
    "erfgoed",
    "verkeer",
    "school",
    "kerk",
    "Mechelen",
    "Lier",
    "fiets*",
    '"betalend parkeren"',
]


@dataclass
class Level:
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    locked: int = 0

    def percentile(self, fraction: float, kind: str | None = None) -> float:
        ordered = sorted(self.latencies if kind is None else self.by_kind.get(kind, []))
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class WalWatcher(threading.Thread):
    """Polls the size of `<db>-wal` every 50 ms and keeps the largest."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.wal = Path(f"{db}-wal")
        self.largest = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            with contextlib.suppress(FileNotFoundError):
                self.largest = max(self.largest, self.wal.stat().st_size)


class CrawlLoop(threading.Thread):
    """Crawls the demo site into the archive again and again until stopped."""

    def __init__(self, db: Path, site_url: str, logs: Path) -> None:
        super().__init__(daemon=True)
        self.db, self.site_url, self.logs = db, site_url, logs
        self.stop = threading.Event()
        self.runs: list[tuple[int, float]] = []  # (exit status, seconds)
        self.process: subprocess.Popen | None = None

    def command(self, run: int) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "newsarchive",
            "crawl",
            "--db",
            str(self.db),
            "--start-url",
            self.site_url,
            "--site",
            "antwerpspersbureau",
            "--delay",
            "0",
            "--log-file",
            str(self.logs / f"crawl-{run}.log"),
        ]
        return command + (["--full"] if run else [])

    def run(self) -> None:
        run = 0
        while not self.stop.is_set():
            started = time.monotonic()
            with (self.logs / f"crawl-{run}.out").open("w") as out:
                self.process = subprocess.Popen(  # noqa: S603 - our own command line
                    self.command(run), cwd=REPO, stdout=out, stderr=subprocess.STDOUT
                )
                status = self.process.wait()
            self.runs.append((status, time.monotonic() - started))
            run += 1


async def client(
    http: httpx.AsyncClient, level: Level, deadline: float, max_id: int, rng: random.Random
) -> None:
    while time.monotonic() < deadline:
        choice = rng.random()
        word = rng.choice(WORDS)
        if choice < 0.4:
            kind, path, params = "search.json", "/search.json", {"q": word}
        elif choice < 0.7:
            kind, path = "articles.json?_search", "/archive/articles.json"
            params = {"_search": word.strip('"*'), "_size": "20"}
        else:
            kind, path, params = "article/<id>", f"/article/{rng.randint(1, max_id)}", {}
        started = time.perf_counter()
        try:
            response = await http.get(path, params=params)
            level.statuses[response.status_code] += 1
            if LOCKED in response.text:
                level.locked += 1
        except httpx.HTTPError as error:
            level.statuses[type(error).__name__] += 1
        level.latencies.append(time.perf_counter() - started)
        level.by_kind.setdefault(kind, []).append(level.latencies[-1])


async def run_level(base: str, clients: int, seconds: float, max_id: int, seed: int) -> Level:
    level = Level(clients)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                client(http, level, deadline, max_id, random.Random(seed + n))  # noqa: S311
                for n in range(clients)
            )
        )
        level.seconds = time.monotonic() - started
    return level


def lost_writes(db: Path, site: DemoSite, site_url: str) -> tuple[int, int, int]:
    """(articles of the demo site missing, stored more than once, stored) after the crawls."""
    expected = [site_url.rstrip("/") + site.url_path(index) for index in range(site.articles)]
    conn = sqlite3.connect(db)
    try:
        counts = dict(
            conn.execute(
                "SELECT url, count(*) FROM articles WHERE url LIKE ? GROUP BY url",
                [site_url.rstrip("/") + "/%"],
            ).fetchall()
        )
    finally:
        conn.close()
    missing = sum(1 for url in expected if url not in counts)
    duplicated = sum(1 for count in counts.values() if count > 1)
    return missing, duplicated, len(counts)


def count_in_files(paths: list[Path], needle: str) -> int:
    return sum(path.read_text(errors="replace").count(needle) for path in paths if path.exists())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="articles before the crawl")
    parser.add_argument("--site-articles", type=int, default=2000, help="demo site size")
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=60, help="per level of clients")
    parser.add_argument("--db", type=Path, help="archive (default: a fresh temporary one)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-crawl", action="store_true", help="readers only: the baseline of a snapshot"
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="newsarchive-load-"))
    db = args.db or workdir / "archive.db"
    print(f"Archive {db}: building/checking {args.articles} articles", flush=True)
    build_archive(db, args.articles)
    conn = sqlite3.connect(db)
    max_id = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    conn.close()

    site = DemoSite(args.site_articles)
    site_port, serve_port = free_port(), free_port()
    site_url = f"http://127.0.0.1:{site_port}/"
    base = f"http://127.0.0.1:{serve_port}"
    server_log = workdir / "serve.log"
    processes: list[subprocess.Popen] = []
    crawls = CrawlLoop(db, site_url, workdir)
    wal = WalWatcher(db)
    failed = False
    try:
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own command line
                [*DEMOSITE, "--articles", str(args.site_articles), "--port", str(site_port)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        with server_log.open("w") as log:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own command line
                    [*SERVE, "--db", str(db), "--port", str(serve_port)],
                    cwd=REPO,
                    env={**os.environ, "PYTHONPATH": str(REPO)},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        wait_for(f"{base}/-/versions.json", processes[1])
        wait_for(f"{site_url}robots.txt", processes[0])
        wal.start()
        if not args.no_crawl:
            crawls.start()
            time.sleep(2)  # let the crawl get going
        levels = []
        print(
            f"\n{'clients':>7} {'seconds':>7} {'requests':>8} {'req/s':>7} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  statuses"
        )
        for number, clients in enumerate(args.clients):
            level = asyncio.run(run_level(base, clients, args.seconds, max_id, args.seed + number))
            levels.append(level)
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(level.statuses.items(), key=str))
            print(
                f"{clients:7d} {level.seconds:7.1f} {len(level.latencies):8d} "
                f"{len(level.latencies) / level.seconds:7.1f} "
                f"{level.percentile(0.5) * 1000:7.1f} {level.percentile(0.95) * 1000:7.1f} "
                f"{level.percentile(0.99) * 1000:7.1f}  {statuses}",
                flush=True,
            )
            for kind in sorted(level.by_kind):
                print(
                    f"{'':7} {kind:>24} {len(level.by_kind[kind]):8d} {'':7} "
                    f"{level.percentile(0.5, kind) * 1000:7.1f} "
                    f"{level.percentile(0.95, kind) * 1000:7.1f} "
                    f"{level.percentile(0.99, kind) * 1000:7.1f}",
                    flush=True,
                )
        crawls.stop.set()
        if not args.no_crawl:
            print("\nWaiting for the running crawl to finish ...", flush=True)
            crawls.join(timeout=600)
    finally:
        crawls.stop.set()
        if crawls.process and crawls.process.poll() is None:
            crawls.process.terminate()
            crawls.process.wait(timeout=60)
        wal.stop.set()
        for process in processes:
            process.terminate()
            process.wait(timeout=30)

    logs = [server_log, *workdir.glob("crawl-*.log"), *workdir.glob("crawl-*.out")]
    locked_logs = count_in_files(logs, LOCKED)
    locked_responses = sum(level.locked for level in levels)
    missing, duplicated, stored = (0, 0, 0) if args.no_crawl else lost_writes(db, site, site_url)
    bad = sum(
        count
        for level in levels
        for status, count in level.statuses.items()
        if not isinstance(status, int) or status >= 500
    )
    print(f"crawls: {[f'exit {s} in {t:.0f} s' for s, t in crawls.runs]}")
    print(f"'{LOCKED}': {locked_responses} in responses, {locked_logs} in logs")
    print(f"largest WAL file seen: {wal.largest / 1e6:.1f} MB")
    if args.no_crawl:
        print("no crawl (--no-crawl)")
    else:
        print(
            f"demo site articles: {site.articles}, stored {stored}, missing {missing}, "
            f"stored more than once {duplicated}"
        )
    print(f"logs in {workdir}")
    failed = bool(bad or locked_responses or locked_logs or missing or duplicated)
    failed = failed or any(status != 0 for status, _ in crawls.runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
