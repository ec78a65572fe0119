"""Ingest benchmark: how many article records per second the single writer of a distributed
crawl (`newsarchive ingest`, archive/ingest.py) stores.

    python bench/ingest_bench.py --items 20000 --runs 3
    python bench/ingest_bench.py --items 20000 --runs 3 --text-repeat 4   # ~380-word articles

starts a redis-server of its own (Debian's /usr/bin/redis-server on a free loopback port, in a
temporary folder, no persistence), builds N article records from the demo site's ground truth
(the records a worker queues: full text, body HTML, lists, fetch state), and for each run:

* **new**: pushes all N onto `newsarchive:items` and times `newsarchive ingest --idle-exit 0`
  into a fresh archive (every article new: rows, full-text indexes, Dutch index, versions);
* **again**: pushes the same N again and ingests them into that archive (every article
  unchanged: the re-crawl case, only `last_seen` and the fetch state change).

It prints the median over the runs of the rate the ingest reports itself (items / seconds of
its loop, queue already full) and of the wall-clock rate of the whole command (process start,
migrations and ledger included). The queue is filled before the ingest starts, so the figure
is what the writer absorbs at most; workers pushing at the same time only compete for CPU.
"""

from __future__ import annotations

import argparse
import html
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import redis

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.ingest import ItemQueueKeys, encode_item  # noqa: E402
from demosite import DemoSite  # noqa: E402

SITE_URL = "https://www.antwerpspersbureau.be"
REDIS_SERVER = "/usr/bin/redis-server"
RATE = re.compile(r"\((\d+) items/s\)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def record(site: DemoSite, index: int, text_repeat: int = 1) -> dict[str, Any]:
    """The record a worker queues for one demo article (as extraction returns it).

    `text_repeat` repeats the body (demo articles have ~95 words; real ones several hundred).
    """
    truth = site.ground_truth(index)
    text = "\n".join([str(truth["text"])] * text_repeat)
    truth["text"] = text
    url = SITE_URL + str(truth.pop("url_path"))
    return {
        **truth,
        "url": url,
        "authors": [truth["author"]],
        "language": "nl",
        "date_source": "json-ld",
        "word_count": len(text.split()),
        "body_html": "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n")),
        "warc_file": "newsarchive-bench-1-20260101000000-00001.warc.gz",
        "warc_offset": index * 20_000,
        "warc_record_id": f"<urn:uuid:00000000-0000-0000-0000-{index:012d}>",
        "warc_digest": "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "fetch": {"url": url, "status": 200, "etag": f'"{index:x}"', "last_modified": None},
    }


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            *(REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(200):
        try:
            client.ping()
            return process, url
        except redis.ConnectionError:
            time.sleep(0.05)
    process.terminate()
    raise SystemExit("redis-server did not start")


def ingest(url: str, db: Path, batch_size: int) -> tuple[float, float, str]:
    """Run `newsarchive ingest` until the queue is empty; (reported items/s, wall s, summary)."""
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own command line
        [
            *(sys.executable, "-m", "newsarchive", "ingest", "--redis", url, "--db", str(db)),
            *("--idle-exit", "0", "--batch-size", str(batch_size), "--log-level", "WARNING"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"ingest failed:\n{result.stderr[-3000:]}")
    match = RATE.search(result.stdout)
    if not match:
        raise SystemExit(f"no rate in the ingest's summary: {result.stdout}")
    return float(match.group(1)), wall, result.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--text-repeat", type=int, default=1, help="repeat each body N times (longer articles)"
    )
    args = parser.parse_args(argv)

    print(f"Building {args.items} records from the demo site's ground truth...", file=sys.stderr)
    site = DemoSite(articles=args.items)
    records = [record(site, index, args.text_repeat) for index in range(args.items)]
    words = statistics.median(item["word_count"] for item in records)
    payloads = [
        encode_item(item, site="antwerpspersbureau", job="bench", worker="bench-1")
        for item in records
    ]
    megabytes = sum(len(payload) for payload in payloads) / 1e6
    keys = ItemQueueKeys.for_prefix("newsarchive")
    results: dict[str, list[tuple[float, float]]] = {"new": [], "again": []}
    with tempfile.TemporaryDirectory(prefix="newsarchive-ingest-bench-") as tmp:
        folder = Path(tmp)
        server, url = start_redis(folder)
        client = redis.Redis.from_url(url)
        try:
            for run in range(1, args.runs + 1):
                db = folder / f"run{run}.db"
                for scenario in ("new", "again"):
                    client.delete(keys.items)
                    for start in range(0, len(payloads), 5000):
                        client.lpush(keys.items, *payloads[start : start + 5000])
                    rate, wall, summary = ingest(url, db, args.batch_size)
                    assert client.llen(keys.items) == client.llen(keys.processing) == 0
                    results[scenario].append((rate, args.items / wall))
                    print(f"run {run} {scenario}: {summary} [wall {wall:.1f} s]", file=sys.stderr)
                for suffix in ("", "-wal", "-shm", ".lock"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(
        f"\n{args.items} items of {words:.0f} words ({megabytes:.0f} MB of JSON), "
        f"batches of {args.batch_size}, "
        f"median of {args.runs} runs; {os.cpu_count()} CPU(s), {platform.python_version()}"
    )
    print("| archive | items/s (ingest loop) | items/s (whole command) |")
    print("| --- | ---: | ---: |")
    labels = {"new": "empty: every article new", "again": "holding them: every article unchanged"}
    for scenario, figures in results.items():
        loop = statistics.median(rate for rate, _ in figures)
        whole = statistics.median(rate for _, rate in figures)
        print(f"| {labels[scenario]} | {loop:.0f} | {whole:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
