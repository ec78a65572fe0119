"""Distributed crawls as polite and complete as one crawler.

Real redis-server, real `newsarchive crawl --redis` workers and `newsarchive ingest` as child
processes, sites on 127.0.0.1. Gaps between requests are measured where they matter, at the
site; the checks are lower bounds, which a loaded machine cannot break (load only makes gaps
longer). Kills and waits are driven by what the test observes, with generous deadlines only as
a safety net.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis

from archive.ingest import FetchStateKeys
from crawler.distributed import JobKeys
from crawler.politeness import HostBudget, host_key
from demosite import DemoSite, serve_demo_site
from tests import test_distributed
from tests.conftest import DEMO_PROFILE, REPO, GatedDemoSite, run_newsarchive
from tests.test_distributed import KEYS, article_urls, crawl_errors, ledger

# The real redis-server of tests/test_distributed.py, one per module, emptied for each test.
redis_server = test_distributed.redis_server
redis_url = test_distributed.redis_url

DEADLINE = 300  # seconds: a safety net only; nothing waits on time


@dataclass
class TimedSite:
    """The demo site over HTTP, noting when each request arrived (and its validators).

    Requests wait at the door until `open_door` is set: the test opens it once every worker
    has joined the job, so that all of them share the crawl. Requests for the pages of
    `held_paths` also wait for `release` (set by default).
    """

    site: DemoSite
    arrivals: list[tuple[float, str, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    open_door: threading.Event = field(default_factory=threading.Event)
    held_paths: set[str] = field(default_factory=set)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    robots: str | None = None  # robots.txt to serve instead of the demo site's
    # paths answered once with 429 and this Retry-After (seconds)
    throttle_once: dict[str, int] = field(default_factory=dict)

    def gaps(self) -> list[float]:
        times = sorted(moment for moment, _, _ in self.arrivals)
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.arrivals]


@contextmanager
def timed_site(site: DemoSite) -> Iterator[TimedSite]:
    timed = TimedSite(site)
    timed.release.set()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            timed.open_door.wait(DEADLINE)
            if self.path in timed.held_paths:
                timed.release.wait(DEADLINE)
            conditional = bool(
                self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")
            )
            with timed.lock:
                timed.arrivals.append((time.monotonic(), self.path, conditional))
            host = self.headers.get("Host") or timed.url.removeprefix("http://")
            status, headers, body = timed.site.render(self.path, host, self.headers)
            if self.path == "/robots.txt" and timed.robots is not None:
                headers, body = {"Content-Type": "text/plain"}, timed.robots.encode()
            with timed.lock:
                retry_after = timed.throttle_once.pop(self.path, None)
            if retry_after is not None:
                status, body = 429, b"slow down"
                headers = {"Content-Type": "text/plain", "Retry-After": str(retry_after)}
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
    timed.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield timed
    finally:
        timed.open_door.set()
        timed.release.set()
        httpd.shutdown()
        httpd.server_close()


def newsarchive(*args: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        env=env,
        # its own process group: a kill takes its extraction workers and fork server with it
        start_new_session=True,
    )


def wait_for(condition, what: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        for process, log in zip(processes, logs, strict=True):
            assert process.poll() is None, f"{what}: {log.name} ended\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"{what}: not within {DEADLINE} s"
        time.sleep(0.02)


def start_ingest(url: str, db: Path, log: Path) -> subprocess.Popen:
    """The writer, started first: it publishes the archive's fetch state before the loop."""
    ingest = newsarchive("ingest", "--redis", url, "--db", str(db), log=log)
    client = redis.Redis.from_url(url)
    wait_for(lambda: "Published the fetch state" in log.read_text(), "ingest", [ingest], [log])
    assert client.exists(FetchStateKeys.for_prefix("newsarchive").info)
    return ingest


def stop_ingest(ingest: subprocess.Popen, client: redis.Redis, log: Path) -> str:
    wait_for(
        lambda: not (client.llen(KEYS.items) or client.llen(KEYS.processing)),
        "ingest draining the queue",
        [ingest],
        [log],
    )
    ingest.send_signal(signal.SIGTERM)
    output = ingest.communicate(timeout=60)[0]
    assert ingest.returncode == 0, log.read_text()[-3000:]
    return output


def start_workers(
    server_url: str,
    db: Path,
    logs: list[Path],
    *options: str,
    redis_url: str | None = None,
    env: dict[str, str] | None = None,
) -> list[subprocess.Popen]:
    """One `newsarchive crawl` worker of the demo job per log, one extraction worker each, no
    WARC, ending 2 s after the frontier empties; Redis by --redis or by the environment."""
    redis_option = ("--redis", redis_url) if redis_url else ()
    return [
        newsarchive(
            *("crawl", "--site", DEMO_PROFILE, "--start-url", f"{server_url}/"),
            *("--workers", "1", "--no-warc", "--db", str(db), *redis_option),
            *("--set", "NEWSARCHIVE_REDIS_IDLE_TIMEOUT=2", *options),
            log=log,
            env=env,
        )
        for log in logs
    ]


def job_of(url: str) -> JobKeys:
    return JobKeys.for_job("newsarchive", f"{DEMO_PROFILE}@{url.removeprefix('http://')}")


@pytest.mark.parametrize("workers", [2, 4])
def test_workers_share_one_politeness_budget_per_site(redis_url, tmp_path, workers):
    delay = 0.25
    client = redis.Redis.from_url(redis_url)
    site = DemoSite(articles=30)
    article_paths = {str(site.ground_truth(i)["url_path"]) for i in range(30)}
    db = tmp_path / "archive.db"
    # The URL, as an operator would give it with a password: in the environment, not argv.
    env = {**os.environ, "NEWSARCHIVE_REDIS_URL": redis_url}
    with timed_site(site) as server:
        # Article pages wait at the site until every worker holds a request (below).
        server.held_paths = article_paths
        server.release.clear()
        ingest = start_ingest(redis_url, db, tmp_path / "ingest.log")
        logs = [tmp_path / f"worker-{n}.log" for n in range(workers)]
        # Requests wait at the site's door until all workers are up: no timeout then.
        crawls = start_workers(
            server.url, db, logs, "--delay", str(delay), "--set", "DOWNLOAD_TIMEOUT=300", env=env
        )
        job = job_of(server.url)
        # The site opens once every worker has joined: all of them take part in the crawl.
        wait_for(lambda: client.hlen(job.workers) == workers, "workers joining", crawls, logs)
        server.open_door.set()
        # While an article request waits at the site, holding the site's one request at a
        # time, the worker that sent it takes no more than it can start (one per host), so
        # every other worker takes requests from the frontier: each holds some at once.
        wait_for(
            lambda: (
                {json.loads(lease)["worker"] for lease in client.hvals(job.leased)}
                == {f"{socket.gethostname()}-{crawl.pid}" for crawl in crawls}
            ),
            "every worker holding requests",
            crawls,
            logs,
        )
        server.release.set()
        outputs = [crawl.communicate(timeout=DEADLINE)[0] for crawl in crawls]
        for crawl, output, log in zip(crawls, outputs, logs, strict=True):
            assert crawl.returncode == 0, log.read_text()[-3000:]
            assert " finished (finished)" in output
            assert "visible to every user" not in log.read_text()  # no password warning
        stop_ingest(ingest, client, tmp_path / "ingest.log")

    # At the site: never two requests closer than 0.9 x the delay, whichever worker sent them.
    gaps = server.gaps()
    assert len(gaps) > 30
    assert min(gaps) >= 0.9 * delay, sorted(gaps)[:5]
    # Every article fetched once and stored once.
    fetched = Counter(path for path in server.paths() if path in article_paths)
    assert set(fetched) == article_paths
    assert max(fetched.values()) == 1, fetched.most_common(3)
    stored = article_urls(db)
    assert len(stored) == len(set(stored)) == 30
    # The work was shared: every worker fetched pages.
    pages = [int(output.split(" pages fetched")[0].rsplit(" ", 1)[1]) for output in outputs]
    assert all(count > 0 for count in pages), pages
    assert sum(pages) >= 30
    # The host's budget in Redis: no lease left behind.
    host = host_key("newsarchive", "127.0.0.1")
    assert client.hget(host, "holder") is None
    assert float(client.hget(host, "delay")) >= delay


def test_crawl_delay_and_retry_after_hold_for_every_worker(redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    articles = 15
    site = DemoSite(articles=articles)
    throttled = str(site.ground_truth(3)["url_path"])
    db = tmp_path / "archive.db"
    with timed_site(site) as server:
        # The site asks for 0.5 s between requests, 5 times the workers' --delay, and answers
        # one article with 429 Retry-After: 2.
        server.robots = "User-agent: *\nCrawl-delay: 0.5\nDisallow: /wp-admin/\n"
        server.throttle_once[throttled] = 2
        ingest = start_ingest(redis_url, db, tmp_path / "ingest.log")
        logs = [tmp_path / f"worker-{n}.log" for n in range(2)]
        workers_options = ("--delay", "0.1", "--set", "DOWNLOAD_TIMEOUT=300")
        crawls = start_workers(server.url, db, logs, *workers_options, redis_url=redis_url)
        wait_for(lambda: client.hlen(job_of(server.url).workers) == 2, "joining", crawls, logs)
        server.open_door.set()
        for crawl, log in zip(crawls, logs, strict=True):
            crawl.communicate(timeout=DEADLINE)
            assert crawl.returncode == 0, log.read_text()[-3000:]
        stop_ingest(ingest, client, tmp_path / "ingest.log")

    arrivals = sorted(server.arrivals)
    pairs = list(itertools.pairwise(arrivals))
    # Each worker reads robots.txt itself, before it knows the Crawl-delay: gaps next to those
    # fetches follow --delay. Every other request waited the Crawl-delay, whoever sent it.
    crawl_delayed = [
        later[0] - earlier[0]
        for earlier, later in pairs
        if "/robots.txt" not in (earlier[1], later[1])
    ]
    assert len(crawl_delayed) > 15
    assert min(crawl_delayed) >= 0.9 * 0.5, sorted(crawl_delayed)[:5]
    # After the 429, no worker sent anything for the 2 s it asked.
    first_429 = next(n for n, (_, path, _) in enumerate(arrivals) if path == throttled)
    assert arrivals[first_429 + 1][0] - arrivals[first_429][0] >= 2.0
    assert [path for _, path, _ in arrivals].count(throttled) == 2  # retried once, then stored
    assert set(article_urls(db)) == {
        server.url + str(site.ground_truth(i)["url_path"]) for i in range(articles)
    }
    assert "asked every worker to back off 2.0 s" in "".join(log.read_text() for log in logs)


def test_a_lease_of_a_dead_worker_lapses(redis_url):
    """A worker killed in the middle of a request does not leave the host locked for good."""
    client = redis.Redis.from_url(redis_url)
    dead = HostBudget(client, "newsarchive", lease_seconds=0.5)
    status, _, _, claim = dead.try_claim("news.example", floor=0.2)
    assert status == "go"
    assert claim.token is not None  # ... and never released
    alive = HostBudget(client, "newsarchive", lease_seconds=0.5)
    status, wait, _, _ = alive.try_claim("news.example", floor=0.2)
    assert status == "busy"
    assert 0 < wait <= 0.5
    other_host = alive.try_claim("other.example", floor=0.2)
    assert other_host[0] == "go"  # different hosts run in parallel
    deadline = time.monotonic() + 30
    while (status := alive.try_claim("news.example", floor=0.2))[0] != "go":
        assert time.monotonic() < deadline, status
        time.sleep(max(0.01, min(status[1], 0.1)))
    # Released with a Retry-After, the host waits that long for every worker.
    left = alive.release(status[3], drawn=0.2, smallest=0.15, backoff=30.0, delay=0.2)
    assert left > 29
    assert alive.try_claim("news.example", floor=0.2)[0] == "wait"


def test_requests_of_a_killed_worker_go_to_another(redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    articles = 80
    site = DemoSite(articles=articles)
    db = tmp_path / "archive.db"
    # Articles past the first 30 wait until the victim is killed: however fast the crawl, the
    # victim is killed in the middle of it, holding requests.
    gated = GatedDemoSite(site, open_articles=30)
    with serve_demo_site(gated, log_requests=True) as server:  # type: ignore[arg-type]
        try:
            ingest = start_ingest(redis_url, db, tmp_path / "ingest.log")
            logs = [tmp_path / f"worker-{n}.log" for n in range(2)]
            crawls = start_workers(
                server.url,
                db,
                logs,
                *("--delay", "0", "--set", "DOWNLOAD_DELAY=0.05", "--set", "DOWNLOAD_TIMEOUT=60"),
                *("--set", "NEWSARCHIVE_REDIS_WORKER_TIMEOUT=6"),
                redis_url=redis_url,
            )
            victim, survivor = crawls
            job = job_of(server.url)
            victim_name = f"{socket.gethostname()}-{victim.pid}"

            def victim_holds_requests() -> bool:
                held = [json.loads(lease)["worker"] for lease in client.hvals(job.leased)]
                return len(article_urls(db)) >= 15 and victim_name in held

            # Killed in the middle of the crawl, holding requests it took from the frontier.
            wait_for(victim_holds_requests, "the victim at work", crawls, logs)
            # as a machine going down: every process of the worker at once
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait(timeout=30)
            held = [json.loads(lease)["worker"] for lease in client.hvals(job.leased)]
            assert victim_name in held
            gated.release()
            output = survivor.communicate(timeout=DEADLINE)[0]
            assert survivor.returncode == 0, logs[1].read_text()[-3000:]
            stop_ingest(ingest, client, tmp_path / "ingest.log")
        finally:
            gated.release()  # no answer left waiting when the server closes

    log = logs[1].read_text()
    assert "held by a worker that stopped answering (killed?) go back" in log
    assert " finished (finished)" in output
    # Every article stored, once; nothing left leased, the job cleaned up.
    expected = {server.url + site.ground_truth(i)["url_path"] for i in range(articles)}
    stored = article_urls(db)
    assert len(stored) == len(set(stored))
    assert set(stored) == expected
    assert not client.exists(job.leased, job.requests, job.workers)


def crawl_job(url: str, server_url: str, db: Path, folder: Path, name: str) -> list[str]:
    """One distributed job: an ingest, two workers, until done; returns the workers' outputs."""
    client = redis.Redis.from_url(url)
    ingest = start_ingest(url, db, folder / f"{name}-ingest.log")
    logs = [folder / f"{name}-worker-{n}.log" for n in range(2)]
    crawls = [
        newsarchive(
            *("crawl", "--site", DEMO_PROFILE, "--start-url", f"{server_url}/"),
            *("--start-url", f"{server_url}/wp-admin/", "--start-url", f"{server_url}/nergens/"),
            *("--delay", "0", "--workers", "1", "--redis", url, "--db", str(db), "--no-warc"),
            *("--set", "NEWSARCHIVE_REDIS_IDLE_TIMEOUT=2"),
            log=log,
        )
        for log in logs
    ]
    outputs = [crawl.communicate(timeout=DEADLINE)[0] for crawl in crawls]
    for crawl, log in zip(crawls, logs, strict=True):
        assert crawl.returncode == 0, log.read_text()[-3000:]
    stop_ingest(ingest, client, folder / f"{name}-ingest.log")
    return outputs


def test_distributed_recrawl_is_incremental_and_errors_reach_the_archive(redis_url, tmp_path):
    articles = 60
    site = DemoSite(articles=articles)
    db = tmp_path / "archive.db"
    with serve_demo_site(site, log_requests=True) as server:
        article_paths = {str(site.ground_truth(i)["url_path"]) for i in range(articles)}
        crawl_job(redis_url, server.url, db, tmp_path, "first")
        first = [path for path in server.request_log if path in article_paths]
        before = len(server.request_details)
        crawl_job(redis_url, server.url, db, tmp_path, "second")
        second = [e for e in server.request_details[before:] if e.path in article_paths]

    assert Counter(first) == Counter(article_paths)  # the first job fetched each one once
    # The second job over the unchanged site planned from the archive's fetch state, published
    # by the ingest: known articles are skipped or asked conditionally, as in a local crawl.
    assert len(second) <= articles // 10, len(second)
    assert all(entry.conditional for entry in second)
    stored = article_urls(db)
    assert len(stored) == len(set(stored)) == articles
    first_run, second_run = ledger(db)
    assert first_run["articles_new"] == articles
    assert second_run["articles_new"] == 0
    # Crawl errors of the workers reach crawl_errors through the ingest: the missing page, the
    # page robots.txt forbids (start URLs of the job, so both jobs meet them).
    for run in (first_run, second_run):
        errors = [error for error in crawl_errors(db) if error["crawl_id"] == run["id"]]
        reasons = {error["url"].removeprefix(server.url): error["reason"] for error in errors}
        assert reasons.get("/nergens/") == "HTTP 404", reasons
        assert reasons.get("/wp-admin/") == "denied by robots.txt", reasons
        assert run["robots_denied"] >= 1
        assert run["errors"] == len(errors) - run["robots_denied"]
        assert run["pages_fetched"] > 0


def test_a_redis_password_on_the_command_line_gets_a_warning(tmp_path):
    port = unused_port()
    secret = f"redis://:s3cret@127.0.0.1:{port}/0"
    argv = run_newsarchive("ingest", "--redis", secret, "--db", str(tmp_path / "a.db"))
    assert "Warning: the Redis password on the command line is visible" in argv.stderr
    assert "s3cret" not in argv.stderr  # and the error names the URL without it
    quiet = subprocess.run(
        [sys.executable, "-m", "newsarchive", "ingest", "--db", str(tmp_path / "a.db")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NEWSARCHIVE_REDIS_URL": secret},
        timeout=120,
        check=False,
    )
    assert quiet.returncode == 1
    assert "cannot reach Redis at redis://:***@127.0.0.1" in quiet.stderr
    assert "Warning" not in quiet.stderr
    crawl = subprocess.run(
        [
            *(sys.executable, "-m", "newsarchive", "crawl", "--start-url", "http://127.0.0.1:9/"),
            *("--redis", secret, "--db", str(tmp_path / "a.db")),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert crawl.returncode == 1
    assert "Warning: the Redis password on the command line is visible" in crawl.stderr


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
