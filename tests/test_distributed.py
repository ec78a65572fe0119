"""Distributed crawls: two crawler workers share a real redis-server, one ingest writes SQLite.

Everything is real and local: Debian's redis-server on a free loopback port (no persistence,
its own temp dir), the demo site over HTTP on 127.0.0.1, `newsarchive crawl --redis` and
`newsarchive ingest` as child processes, as an operator would run them.
"""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from scrapy import Request, Spider
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import Settings
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from sqlite_utils import Database

from archive.ingest import ItemQueueKeys, encode_item, redact_url
from archive.warcs import iter_captures
from crawler.distributed import (
    WORKER_SETTINGS,
    DistributedScheduler,
    JobKeys,
    JsonRequestSerializer,
    leases_per_host,
    request_host,
)
from demosite import DemoSite, article_record, serve_demo_site
from tests.conftest import DEMO_PROFILE, REPO, free_port, run_newsarchive

REDIS_SERVER = Path("/usr/bin/redis-server")
KEYS = ItemQueueKeys.for_prefix("newsarchive")
DEMO_ARTICLES = 200


@dataclass
class RedisServer:
    url: str
    client: redis.Redis
    process: subprocess.Popen


@contextmanager
def running_redis(folder: Path) -> Iterator[RedisServer]:
    """A real redis-server on a free loopback port, in `folder`, without persistence."""
    assert REDIS_SERVER.exists(), "redis-server is missing: run 'bash scripts/install.sh test'"
    port = free_port()
    process = subprocess.Popen(
        [
            *(str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        ],
        stdout=(folder / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + 60  # a safety net: a busy machine starts it slowly
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None, (folder / "redis.log").read_text()
                assert time.monotonic() < deadline, "redis-server did not answer in 60 s"
                time.sleep(0.05)
        yield RedisServer(url, client, process)
    finally:
        client.close()
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    redis_server.client.flushall()
    return redis_server.url


def newsarchive_process(*args: str, stderr_path: Path) -> subprocess.Popen:
    """`newsarchive ARGS` in the background; its stderr goes to a file (no pipe to fill up)."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=stderr_path.open("w"),
        text=True,
    )


def demo_record(site: DemoSite, index: int, base: str) -> dict:
    """An extracted article record as a worker would queue it, from the demo's ground truth."""
    record = article_record(site, index, base)
    fetch = {"url": record["url"], "status": 200, "etag": None, "last_modified": None}
    return {**record, "date_source": "json-ld", "fetch": fetch}


def queue_demo_articles(client: redis.Redis, count: int) -> set[str]:
    site = DemoSite(articles=count)
    urls = set()
    pipe = client.pipeline()
    for index in range(count):
        record = demo_record(site, index, "https://www.antwerpspersbureau.be")
        urls.add(record["url"])
        pipe.lpush(KEYS.items, encode_item(record, site=DEMO_PROFILE, job="test", worker="t-1"))
    pipe.execute()
    return urls


def article_urls(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [url for (url,) in conn.execute("SELECT url FROM articles")]
    except sqlite3.DatabaseError:  # the ingest is still creating the file or the schema
        return []
    finally:
        conn.close()


def crawl_errors(db: Path) -> list[dict]:
    database = Database(db)
    try:
        return list(database["crawl_errors"].rows)
    finally:
        database.close()


def ledger(db: Path) -> list[dict]:
    database = Database(db)
    try:
        return list(database["crawls"].rows)
    finally:
        database.close()


def test_two_workers_and_one_ingest_store_every_article_exactly_once(redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    site = DemoSite(articles=DEMO_ARTICLES)
    db = tmp_path / "archive.db"
    warc_dir = tmp_path / "archive-warc"  # the archive's default WARC folder, shared here
    worker_db = tmp_path / "worker" / "never.db"  # workers must not create or lock an archive
    with serve_demo_site(site, log_requests=True) as server:
        ingest = newsarchive_process(
            "ingest", "--redis", redis_url, "--db", str(db), stderr_path=tmp_path / "ingest.log"
        )
        workers = [
            newsarchive_process(
                *("crawl", "--site", DEMO_PROFILE, "--start-url", f"{server.url}/"),
                *("--delay", "0", "--workers", "1", "--redis", redis_url, "--db", str(worker_db)),
                *("--warc-dir", str(warc_dir), "--set", "NEWSARCHIVE_REDIS_IDLE_TIMEOUT=2"),
                # At most 25 requests/s each: a worker that starts a few seconds after the
                # other (a busy machine) still finds articles left to fetch.
                *("--set", "DOWNLOAD_DELAY=0.04"),
                stderr_path=tmp_path / f"worker-{n}.log",
            )
            for n in (1, 2)
        ]
        outputs = [worker.communicate(timeout=240)[0] for worker in workers]
        for n, (worker, output) in enumerate(zip(workers, outputs, strict=True), start=1):
            log = (tmp_path / f"worker-{n}.log").read_text()[-3000:]
            assert worker.returncode == 0, log
            assert "Worker " in output, output
            assert " finished (finished)" in output, output
        # The single writer drains the queue, then stops cleanly on SIGTERM.
        deadline = time.monotonic() + 60
        while client.llen(KEYS.items) or client.llen(KEYS.processing):
            assert time.monotonic() < deadline, "ingest did not drain the queue"
            time.sleep(0.1)
        ingest.send_signal(signal.SIGTERM)
        ingest_output = ingest.communicate(timeout=60)[0]
        request_log = list(server.request_log)

    assert ingest.returncode == 0, (tmp_path / "ingest.log").read_text()[-3000:]
    assert "finished (SIGTERM)" in ingest_output

    # Every demo article stored exactly once.
    expected = {server.url + site.ground_truth(i)["url_path"] for i in range(DEMO_ARTICLES)}
    stored = article_urls(db)
    assert len(stored) == len(set(stored))
    assert set(stored) == expected

    # No article page was fetched twice, by the same worker or by both.
    article_paths = {site.ground_truth(i)["url_path"] for i in range(DEMO_ARTICLES)}
    fetches = Counter(path for path in request_log if path in article_paths)
    assert set(fetches) == article_paths
    assert max(fetches.values()) == 1, fetches.most_common(3)

    # Both workers did part of the work: their WARC files (one set per worker) split the articles.
    per_worker: dict[str, set[str]] = {}
    for capture in iter_captures(warc_dir):
        worker = capture.file.rsplit("-", 2)[0]  # newsarchive-<host>-<pid>-<time>-NNNNN.warc.gz
        per_worker.setdefault(worker, set()).add(capture.url)
    assert len(per_worker) == 2, sorted(per_worker)
    fetched = [urls & expected for urls in per_worker.values()]
    assert all(fetched), [len(urls) for urls in fetched]
    assert not fetched[0] & fetched[1]
    assert fetched[0] | fetched[1] == expected

    # Nothing left in Redis: the queue and processing list are empty, the last worker out
    # removed the job's frontier, dupefilter and worker registry.
    assert client.llen(KEYS.processing) == 0
    assert client.llen(KEYS.items) == 0
    assert client.llen(KEYS.dead) == 0
    job = JobKeys.for_job("newsarchive", f"{DEMO_PROFILE}@{server.url.removeprefix('http://')}")
    assert not client.exists(job.requests, job.dupefilter, job.workers)

    # Workers never touched an archive; the ingest kept one ledger row.
    assert not worker_db.parent.exists()
    (row,) = ledger(db)
    assert (row["trigger"], row["status"], row["finish_reason"]) == (
        "ingest",
        "finished",
        "SIGTERM",
    )
    # The workers' crawl errors are in the archive, as a local crawl's are: the demo site's
    # few broken links, not a failure of the distributed crawl.
    errors = crawl_errors(db)
    assert row["articles_new"] == DEMO_ARTICLES
    assert row["errors"] == len(errors) < 5, errors
    assert all(error["crawl_id"] == row["id"] for error in errors)
    # The workers' figures, added up by the ingest: every request the site saw is counted.
    assert row["requests"] == len(request_log)
    assert 0.9 * len(request_log) < row["pages_fetched"] <= len(request_log)
    assert row["site"] == DEMO_PROFILE
    assert len(json.loads(row["warc_files"])) == 2

    # The WARC pointers written by the workers lead to their records.
    verify = run_newsarchive("verify", "--db", str(db), "--warc-dir", str(warc_dir))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"{DEMO_ARTICLES} article pointer(s): all good" in verify.stdout


def test_scrapy_crawl_runs_as_a_worker_with_the_redis_setting(redis_url, tmp_path):
    """`scrapy crawl` (and so scrapyd) becomes a worker through the Redis URL setting alone."""
    site = DemoSite(articles=20)
    with serve_demo_site(site) as server:
        crawl = subprocess.run(
            [
                *(sys.executable, "-m", "scrapy", "crawl", "news"),
                *("-a", f"start_url={server.url}/", "-a", f"site={DEMO_PROFILE}"),
                *("-s", f"NEWSARCHIVE_REDIS_URL={redis_url}", "-s", "DOWNLOAD_DELAY=0"),
                *("-s", "NEWSARCHIVE_REDIS_IDLE_TIMEOUT=1", "-s", "NEWSARCHIVE_WARC=False"),
                *("-s", f"NEWSARCHIVE_DB={tmp_path / 'never.db'}"),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "Last worker of job" in crawl.stderr
    assert not (tmp_path / "never.db").exists()
    db = tmp_path / "archive.db"
    ingest = run_newsarchive("ingest", "--redis", redis_url, "--db", str(db), "--idle-exit", "0")
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    expected = {server.url + site.ground_truth(i)["url_path"] for i in range(20)}
    assert set(article_urls(db)) == expected


def test_a_job_left_behind_by_killed_workers_starts_afresh(redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    site = DemoSite(articles=20)
    with serve_demo_site(site) as server:
        job = JobKeys.for_job("newsarchive", f"{DEMO_PROFILE}@{server.url.removeprefix('http://')}")
        # What killed workers leave: a registry entry that stopped beating and a full dupefilter.
        fingerprint = RFPDupeFilter(client, key=job.dupefilter).request_fingerprint
        urls = [f"{server.url}/"] + [
            server.url + site.ground_truth(i)["url_path"] for i in range(20)
        ]
        client.sadd(job.dupefilter, *(fingerprint(Request(url)) for url in urls))
        client.hset(job.workers, "gone-1", json.dumps({"seen": 1.0, "active": 1.0}))
        crawl = run_newsarchive(
            *("crawl", "--site", DEMO_PROFILE, "--start-url", f"{server.url}/", "--delay", "0"),
            *("--redis", redis_url, "--db", str(tmp_path / "a.db"), "--no-warc"),
            *("--set", "NEWSARCHIVE_REDIS_IDLE_TIMEOUT=1"),
        )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "an earlier run ended without cleaning up" in crawl.stderr
    assert " 20 articles queued" in crawl.stdout
    assert not client.exists(job.dupefilter, job.workers)


def test_a_worker_that_loses_redis_stops_with_an_error(tmp_path):
    site = DemoSite(articles=300)
    with running_redis(tmp_path) as server, serve_demo_site(site) as demo:
        worker = newsarchive_process(
            *("crawl", "--site", DEMO_PROFILE, "--start-url", f"{demo.url}/", "--delay", "0"),
            *("--workers", "1", "--redis", server.url, "--db", str(tmp_path / "a.db")),
            stderr_path=tmp_path / "worker.log",
        )
        deadline = time.monotonic() + 120
        while server.client.llen(KEYS.items) < 20:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the worker queued no articles"
            time.sleep(0.05)
        server.process.terminate()  # Redis goes away in the middle of the crawl
        server.process.wait(timeout=10)
        output = worker.communicate(timeout=60)[0]
    log = (tmp_path / "worker.log").read_text()
    assert worker.returncode == 1, log[-3000:]
    assert "failed (redis_lost)" in output
    assert f"Lost Redis at {server.url}" in log
    warc_files = {path.name for path in (tmp_path / "a-warc").glob("*.warc.gz")}
    for line in log.splitlines():  # every article it could not queue is in its WARC file
        if "Could not queue the article" in line:
            assert line.rsplit("its response is in WARC file ", 1)[1] in warc_files


def test_an_ingest_that_loses_redis_stops_with_an_error(tmp_path):
    db = tmp_path / "a.db"
    with running_redis(tmp_path) as server:
        ingest = newsarchive_process(
            "ingest", "--redis", server.url, "--db", str(db), stderr_path=tmp_path / "ingest.log"
        )
        deadline = time.monotonic() + 60
        while not server.client.exists(KEYS.writer):
            assert ingest.poll() is None, (tmp_path / "ingest.log").read_text()
            assert time.monotonic() < deadline, "the ingest did not start"
            time.sleep(0.05)
        server.process.terminate()
        server.process.wait(timeout=10)
        ingest.communicate(timeout=60)
    log = (tmp_path / "ingest.log").read_text()
    assert ingest.returncode == 1, log[-3000:]
    assert f"Error: lost Redis at {server.url}" in log
    assert "is written when ingest starts again" in log
    (row,) = ledger(db)
    assert row["status"] == "failed"
    assert row["finish_reason"].startswith("Redis error")


def test_malformed_items_go_to_the_dead_letters_and_ingest_goes_on(redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    site = DemoSite(articles=6)
    base = "https://www.antwerpspersbureau.be"
    good = [demo_record(site, i, base) for i in range(6)]

    def item(record: dict) -> bytes:
        return encode_item(record, site=DEMO_PROFILE, job="test", worker="t-1")

    unbindable = {**good[5], "fetch": {"url": good[5]["url"], "status": {"not": "a number"}}}
    queued = [
        item(good[0]),
        b"<html>not json</html>",
        item(good[1]),
        b'["a", "list"]',
        json.dumps({"format": "something-else/9", "record": good[2]}).encode(),
        item({**good[2], "url": None}),
        item({**good[3], "tags": "Lier"}),
        item(unbindable),  # passes the checks, SQLite cannot bind it: dead letter too
        item(good[4]),
    ]
    client.lpush(KEYS.items, *queued)  # LPUSH one by one: the first is popped first

    result = run_newsarchive(
        *("ingest", "--redis", redis_url, "--db", str(tmp_path / "a.db")),
        *("--idle-exit", "1", "--batch-size", "4"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(article_urls(tmp_path / "a.db")) == {good[i]["url"] for i in (0, 1, 4)}
    assert "6 malformed (dead letters in newsarchive:items:dead)" in result.stdout
    assert "Malformed item moved to newsarchive:items:dead: not JSON" in result.stderr
    dead = [json.loads(entry) for entry in reversed(client.lrange(KEYS.dead, 0, -1))]
    reasons = [entry["reason"] for entry in dead]
    assert reasons[0].startswith("not JSON")
    assert reasons[1] == "not a JSON object but a list"
    assert "'something-else/9' is not 'newsarchive-article/1'" in reasons[2]
    assert reasons[3].startswith("record has no http(s) 'url'")
    assert reasons[4].endswith("'tags' should be a list of strings")
    assert reasons[5].startswith(f"{good[5]['url']}: cannot be stored:")
    assert dead[0]["item"] == "<html>not json</html>"  # kept for a person to inspect
    assert client.llen(KEYS.processing) == 0
    (row,) = ledger(tmp_path / "a.db")
    assert (row["status"], row["articles_new"], row["errors"]) == ("finished", 3, 6)


def test_items_left_by_a_killed_ingest_are_written_on_restart(redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    db = tmp_path / "a.db"
    expected = queue_demo_articles(client, 1500)
    # Kill it (as the OOM killer or a power cut would) in the middle of a batch. A kill can land
    # between two batches, with nothing held: then try again, the queue still has items.
    for attempt in range(5):
        first = newsarchive_process(
            *("ingest", "--redis", redis_url, "--db", str(db), "--batch-size", "50"),
            stderr_path=tmp_path / f"first-{attempt}.log",
        )
        deadline = time.monotonic() + 60
        while not (db.exists() and article_urls(db) and client.llen(KEYS.processing)):
            assert first.poll() is None, (tmp_path / f"first-{attempt}.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the first ingest wrote nothing"
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        left_over = client.llen(KEYS.processing)
        if left_over:
            break
    assert left_over > 0, "five kills, none in the middle of a batch"
    written_before = len(article_urls(db))
    assert written_before < len(expected)

    second = run_newsarchive("ingest", "--redis", redis_url, "--db", str(db), "--idle-exit", "1")
    assert second.returncode == 0, second.stderr[-3000:]
    assert f"Re-queued {left_over} item(s)" in second.stderr
    assert "Took over the writer lease of a dead ingest" in second.stderr
    assert f"{left_over} re-queued from an earlier run" in second.stdout
    stored = article_urls(db)
    assert len(stored) == len(set(stored)) == len(expected)
    assert set(stored) == expected
    assert client.llen(KEYS.processing) == client.llen(KEYS.items) == 0
    *crashed, finished = ledger(db)
    # the killed runs' rows, closed by the next writer
    assert crashed
    assert all(row["status"] == "crashed" for row in crashed)
    assert finished["status"] == "finished"
    assert finished["articles_new"] == len(expected) - written_before


def test_one_writer_per_queue_and_per_archive(redis_url, tmp_path):
    db = tmp_path / "a.db"
    running = newsarchive_process(
        "ingest", "--redis", redis_url, "--db", str(db), stderr_path=tmp_path / "running.log"
    )
    try:
        deadline = time.monotonic() + 60
        while "writing items from" not in (tmp_path / "running.log").read_text():
            assert running.poll() is None, (tmp_path / "running.log").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        other_archive = run_newsarchive(
            "ingest", "--redis", redis_url, "--db", str(tmp_path / "b.db"), "--idle-exit", "0"
        )
        assert other_archive.returncode == 75
        assert "another ingest writes the items of newsarchive:items" in other_archive.stderr
        assert f"pid {running.pid} on {socket.gethostname()}" in other_archive.stderr
        same_archive = run_newsarchive(
            "ingest", "--redis", redis_url, "--db", str(db), "--idle-exit", "0"
        )
        assert same_archive.returncode == 75
        assert "the archive is busy: ingest (pid" in same_archive.stderr
    finally:
        running.send_signal(signal.SIGINT)
        running.communicate(timeout=30)
    assert running.returncode == 0
    assert not redis.Redis.from_url(redis_url).exists(KEYS.writer)  # released on the way out


def test_unreachable_redis_is_a_clear_error(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"
    crawl = run_newsarchive(
        "crawl",
        "--start-url",
        "http://127.0.0.1:9/",
        "--redis",
        url,
        "--db",
        str(tmp_path / "a.db"),
    )
    assert crawl.returncode == 1
    assert f"cannot reach Redis at {url}" in crawl.stderr
    ingest = run_newsarchive("ingest", "--redis", url, "--db", str(tmp_path / "a.db"))
    assert ingest.returncode == 1
    assert f"cannot reach Redis at {url}" in ingest.stderr
    assert not (tmp_path / "a.db").exists()


def test_requests_travel_as_json_not_pickle():
    class Spider:
        def parse_page(self, response):
            pass

    spider = Spider()
    request = Request(
        "http://127.0.0.1:8000/a/?page=2",
        callback=spider.parse_page,
        headers={"If-None-Match": '"abc"'},
        meta={"evidence": {"sitemap_lastmod": "2024-01-01"}, "redirect_urls": ["http://x/"]},
        priority=20,
    )
    data = JsonRequestSerializer.dumps(request.to_dict(spider=spider))
    assert data.startswith(b"{")  # JSON: whoever can write to Redis cannot make workers run code
    back = request_from_dict(JsonRequestSerializer.loads(data), spider=spider)
    assert back.url == request.url
    assert back.headers == request.headers
    assert back.meta == request.meta
    assert back.priority == 20
    assert back.callback == spider.parse_page


def test_redis_passwords_stay_out_of_logs():
    assert redact_url("redis://:s3cret@hub:6379/0") == "redis://:***@hub:6379/0"
    assert redact_url("redis://crawler:s3cret@hub/1") == "redis://crawler:***@hub/1"
    assert redact_url("redis://hub:6379/0") == "redis://hub:6379/0"


def test_job_keys_are_namespaced_per_site_and_host():
    keys = JobKeys.for_job("newsarchive", "antwerpspersbureau@www.antwerpspersbureau.be")
    assert (
        keys.requests == "newsarchive:crawl:antwerpspersbureau@www.antwerpspersbureau.be:requests"
    )
    assert keys.dupefilter.endswith(":dupefilter")
    assert "%" not in JobKeys.for_job("p", "a%(spider)s b").requests  # scrapy-redis formats keys
    assert KEYS.processing == "newsarchive:items:processing"


class CappedJobSpider(Spider):
    name = "news"
    site_name = "capped"
    start_urls = ("http://a.example/",)


def open_worker(url: str, name: str, monkeypatch, **settings: object) -> DistributedScheduler:
    """A worker's scheduler, opened on the job of CappedJobSpider; its downloader is a set of the
    requests the test says are in it (waiting for the politeness budget, or downloading)."""
    monkeypatch.setattr("crawler.distributed.worker_name", lambda: name)
    crawler = get_crawler(
        CappedJobSpider,
        {**WORKER_SETTINGS, "NEWSARCHIVE_REDIS_URL": url, "REDIS_URL": url, **settings},
    )
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(active=set()))
    scheduler = DistributedScheduler.from_crawler(crawler)
    scheduler.open(CappedJobSpider.from_crawler(crawler))
    return scheduler


def start_next(scheduler: DistributedScheduler) -> Request | None:
    """What Scrapy's engine does: take the next request and hand it to the downloader."""
    request = scheduler.next_request()
    if request is not None:
        scheduler.crawler.engine.downloader.active.add(request)
    return request


def test_a_worker_leaves_requests_of_a_host_it_is_full_of_to_the_others(redis_url, monkeypatch):
    client = redis.Redis.from_url(redis_url)
    one = open_worker(redis_url, "worker-one", monkeypatch, CONCURRENT_REQUESTS_PER_DOMAIN=2)
    a = [f"http://a.example/{n}" for n in range(4)]
    b = [f"http://user@B.example:8080/{n}" for n in range(2)]  # host b.example, as Scrapy's slot
    for n, url in enumerate(a + b):
        assert one.enqueue_request(Request(url, priority=100 - n))  # a.example's first
    assert one.per_host == 2  # as many as it downloads from one host at once

    # Two of a.example, then it skips a.example's others for b.example's; then it is full.
    taken = [start_next(one) for _ in range(4)]
    assert [request_host(request.url) for request in taken] == ["a.example"] * 2 + ["b.example"] * 2
    assert [request.url for request in taken[:2]] == a[:2]
    assert start_next(one) is None
    assert one.has_pending_requests()  # not idle: a.example's others wait for a free place
    assert client.zcard(one.queue_key) == 2

    # Another worker takes them (at most one at a time, by the setting).
    other = open_worker(redis_url, "worker-other", monkeypatch, NEWSARCHIVE_REDIS_LEASES_PER_HOST=1)
    assert other.per_host == 1
    assert start_next(other).url == a[2]
    assert start_next(other) is None
    assert client.zcard(other.queue_key) == 1

    # A download of the first worker ends: it takes the last one; nothing is left.
    one.crawler.engine.downloader.active.discard(taken[0])
    assert start_next(one).url == a[3]
    assert start_next(one) is None
    assert not one.has_pending_requests()
    # Every request is leased once, under the worker that took it (for lease recovery).
    leases = [
        json.loads(lease)
        for lease in client.hvals(JobKeys.for_job("newsarchive", "capped@a.example").leased)
    ]
    assert Counter(lease["worker"] for lease in leases) == {"worker-one": 5, "worker-other": 1}
    assert len({lease["data"] for lease in leases}) == 6


def test_the_lease_limit_per_host_follows_the_concurrency_or_its_setting():
    assert leases_per_host(Settings({"CONCURRENT_REQUESTS_PER_DOMAIN": 1})) == 1
    assert leases_per_host(Settings({"CONCURRENT_REQUESTS_PER_DOMAIN": 32})) == 32
    per_ip = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "CONCURRENT_REQUESTS_PER_IP": 4}
    with pytest.warns(ScrapyDeprecationWarning):  # Scrapy deprecates the per-IP setting
        assert leases_per_host(Settings(per_ip)) == 4
    assert leases_per_host(Settings({"NEWSARCHIVE_REDIS_LEASES_PER_HOST": "3"})) == 3
    for wrong in ("0", "-1", "two", "1.5", True):
        with pytest.raises(ValueError, match="NEWSARCHIVE_REDIS_LEASES_PER_HOST must be a whole"):
            leases_per_host(Settings({"NEWSARCHIVE_REDIS_LEASES_PER_HOST": wrong}))
    assert request_host("https://u:p@News.Example:8443/a?b#c") == "news.example"
    assert request_host("http://[::1]:8080/") == "::1"
