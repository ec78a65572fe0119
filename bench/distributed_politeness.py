"""Politeness of a distributed crawl, measured at the site: the gaps between its requests.

    python bench/distributed_politeness.py --articles 60 --delay 0.3 --workers 2 4

starts a redis-server of its own (Debian's /usr/bin/redis-server on a free loopback port, in a
temporary folder, no persistence) and serves the demo site on 127.0.0.1 from a small HTTP server
that notes the arrival time of every request. For each worker count it runs one `newsarchive
ingest` and N `newsarchive crawl --redis … --delay D` workers until the job is done, and prints
the gaps between consecutive requests as the site saw them (min, 5th percentile, median), how
many were below D and below 0.9 × D, the requests per second, and whether every article was
stored once. The workers share one politeness budget per host in Redis (crawler/politeness.py),
so the site should see no gap under D, whatever N is.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from demosite import DemoSite  # noqa: E402

REDIS_SERVER = "/usr/bin/redis-server"
PROFILE = "antwerpspersbureau"


@dataclass
class TimedSite:
    """The demo site over HTTP, with the arrival time (monotonic) and path of each request."""

    site: DemoSite
    arrivals: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def gaps(self) -> list[float]:
        times = sorted(moment for moment, _ in self.arrivals)
        return [later - earlier for earlier, later in itertools.pairwise(times)]


def serve_timed(site: TimedSite) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            with site.lock:
                site.arrivals.append((time.monotonic(), self.path))
            host = self.headers.get("Host") or site.url.removeprefix("http://")
            status, headers, body = site.site.render(self.path, host, self.headers)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    site.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def newsarchive(*args: str, log: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "newsarchive", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        env=env,
    )


def run(workers: int, articles: int, delay: float, folder: Path, redis_url: str) -> dict:
    site = TimedSite(DemoSite(articles=articles))
    httpd = serve_timed(site)
    db = folder / f"w{workers}.db"
    env = {**os.environ, "NEWSARCHIVE_REDIS_URL": redis_url}  # no password in argv
    started = time.monotonic()
    try:
        ingest = newsarchive("ingest", "--db", str(db), log=folder / "ingest.log", env=env)
        client = redis.Redis.from_url(redis_url)
        while not client.exists("newsarchive:items:writer"):
            time.sleep(0.05)
        crawls = [
            newsarchive(
                *("crawl", "--site", PROFILE, "--start-url", f"{site.url}/"),
                *("--delay", str(delay), "--workers", "1", "--no-warc", "--db", str(db)),
                *("--set", "NEWSARCHIVE_REDIS_IDLE_TIMEOUT=2"),
                log=folder / f"worker-{n}.log",
                env=env,
            )
            for n in range(workers)
        ]
        for crawl in crawls:
            crawl.communicate(timeout=3600)
        elapsed = time.monotonic() - started
        while client.llen("newsarchive:items") or client.llen("newsarchive:items:processing"):
            time.sleep(0.1)
        ingest.terminate()
        ingest.communicate(timeout=60)
    finally:
        httpd.shutdown()
    conn = sqlite3.connect(db)
    stored = [url for (url,) in conn.execute("SELECT url FROM articles")]
    conn.close()
    paths = {str(site.site.ground_truth(i)["url_path"]) for i in range(articles)}
    fetched = Counter(path for _, path in site.arrivals if path in paths)
    gaps = site.gaps()
    return {
        "workers": workers,
        "requests": len(site.arrivals),
        "seconds": elapsed,
        "min": min(gaps),
        "p5": statistics.quantiles(gaps, n=20)[0],
        "median": statistics.median(gaps),
        "below_d": sum(gap < delay for gap in gaps),
        "below_09d": sum(gap < 0.9 * delay for gap in gaps),
        "stored_once": len(stored) == len(set(stored)) == articles,
        "fetched_once": set(fetched) == paths and max(fetched.values()) == 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--delay", type=float, default=0.3)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    options = parser.parse_args()
    print(
        f"# {platform.python_version()} on {os.cpu_count()} cores; {options.articles} demo "
        f"articles, --delay {options.delay}; load average {os.getloadavg()[0]:.1f}"
    )
    print("workers  requests  seconds  req/s  gap min  gap p5  gap median  <D  <0.9D  once")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 (Debian's redis-server, our arguments)
            [
                *(REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", tmp),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            client = redis.Redis.from_url(url)
            for _ in range(100):
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            for workers in options.workers:
                client.flushall()
                r = run(workers, options.articles, options.delay, folder, url)
                print(
                    f"{r['workers']:>7}  {r['requests']:>8}  {r['seconds']:>7.1f}  "
                    f"{r['requests'] / r['seconds']:>5.2f}  {r['min']:>7.3f}  {r['p5']:>6.3f}  "
                    f"{r['median']:>10.3f}  {r['below_d']:>2}  {r['below_09d']:>5}  "
                    f"{'yes' if r['stored_once'] and r['fetched_once'] else 'NO'}",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
