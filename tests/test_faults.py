"""Faults survived, with real processes on loopback: a full disk, SIGTERM, a truncated WARC file,
slow clients against the public server (docs/reliability.md).

Every wait here waits for an event (rows committed, a line printed, a process gone, an answer);
the deadlines are a safety net for a stuck process, never a measure.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from archive.lock import check_unlocked
from archive.warcs import (
    default_warc_dir,
    reindex_crawl,
    repair_warc_file,
    verify_warc_file,
    warc_files,
)
from bench.crash_resume import committed_articles
from crawler.warc import Exchange, RotatingWarcWriter
from demosite import DemoSite, serve_demo_site
from tests.conftest import (
    DEMO_PROFILE,
    REPO,
    GatedDemoSite,
    free_port,
    last_crawl,
    run_newsarchive,
)

SAFETY = 300  # seconds: only a hung process ever gets near it


def wait_until(condition: Callable[[], object], what: str, deadline: float = SAFETY) -> object:
    """Poll `condition` until it is true; fail (naming `what`) after `deadline` seconds."""
    give_up = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < give_up, f"timed out waiting for {what}"
        time.sleep(0.05)


def crawl_command(db: Path, url: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newsarchive",
        "crawl",
        "--db",
        str(db),
        "--start-url",
        url,
        "--site",
        DEMO_PROFILE,
        "--delay",
        "0",
        "--workers",
        "2",
        # small batches: the archive shows progress early and often
        "--set",
        "NEWSARCHIVE_BATCH_SIZE=10",
        *extra,
    ]


def run_crawl(db: Path, url: str, *extra: str, **options: Any) -> subprocess.CompletedProcess:
    """A crawl run to its end, its output kept; `options` go to subprocess.run."""
    return subprocess.run(
        crawl_command(db, url, *extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SAFETY,
        check=False,
        **options,
    )


def start_crawl(db: Path, url: str, **popen: object) -> subprocess.Popen:
    return subprocess.Popen(
        crawl_command(db, url),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **popen,
    )


def group_gone(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


def stored_urls(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {url for (url,) in conn.execute("SELECT url FROM articles")}
    finally:
        conn.close()


def verify(db: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_newsarchive("verify", "--db", str(db), *extra, timeout=SAFETY)


@pytest.fixture(scope="module")
def site() -> Iterator:
    with serve_demo_site(DemoSite(articles=300), log_requests=True) as server:
        yield server


@pytest.fixture(scope="module")
def all_articles(site, tmp_path_factory) -> set[str]:
    """The URLs a whole, uninterrupted crawl of the site stores."""
    db = tmp_path_factory.mktemp("reference") / "archive.db"
    result = run_crawl(db, f"{site.url}/")
    assert result.returncode == 0, result.stderr[-3000:]
    urls = stored_urls(db)
    assert len(urls) == 300
    return urls


# ---------------------------------------------------------------------------- SIGTERM


@pytest.mark.parametrize(
    ("signum", "target"),
    [
        (signal.SIGTERM, "main-process"),
        (signal.SIGTERM, "process-group"),
        (signal.SIGINT, "process-group"),
    ],
    ids=["SIGTERM-main-process", "SIGTERM-process-group", "Ctrl-C"],
)
def test_sigterm_stops_a_crawl_gracefully_and_the_next_run_completes_it(
    tmp_path, site, all_articles, signum, target
):
    """systemd's stop: SIGTERM to `newsarchive crawl` (KillMode=mixed) or to every process of
    the service (KillMode=control-group, the default); Ctrl-C in a terminal (SIGINT to every
    process). The crawl sends no new request, saves what was in flight, closes and indexes its
    WARC file, and the ledger says interrupted."""
    db = tmp_path / "archive.db"
    # Articles past the first 60 wait until the signal is sent: however fast the crawl and
    # however slow this test's process, the signal reaches a crawl that is not done.
    gated = GatedDemoSite(site.site, open_articles=60)
    site.swap_site(gated)
    crawl = start_crawl(db, f"{site.url}/")
    try:
        wait_until(lambda: (committed_articles(db) or 0) >= 20, "20 committed articles")
        requests_before = len(site.request_log)
        if target == "main-process":
            crawl.send_signal(signum)
        else:
            os.killpg(crawl.pid, signum)
        gated.release()  # the requests on their way are answered; the crawl sends no new one
        stdout, stderr = crawl.communicate(timeout=SAFETY)
    finally:
        gated.release()
        site.swap_site(gated.site)
        if crawl.poll() is None:
            os.killpg(crawl.pid, signal.SIGKILL)
            crawl.wait()
    wait_until(lambda: group_gone(crawl.pid), "every process of the crawl to end")
    # no new request after the signal: only those already on their way (at most
    # CONCURRENT_REQUESTS, 32 at --delay 0) reach the site
    assert len(site.request_log) - requests_before <= 32
    assert crawl.returncode == 1, stderr[-3000:]  # not finished: cron and systemd see it
    assert "Traceback" not in stderr, stderr[-3000:]
    name = signal.Signals(signum).name
    assert f"interrupted (shutdown on {name})" in stdout, stdout
    row = last_crawl(db)
    assert (row["status"], row["finish_reason"]) == ("interrupted", f"shutdown on {name}")
    stored = stored_urls(db)
    # what was answered before the gate, and what was on its way when the signal came
    assert 20 <= len(stored) <= gated.open_articles + 32, len(stored)
    assert row["articles_new"] == len(stored)
    assert row["articles_failed"] == 0  # no worker was killed in the middle of a page
    assert row["cdxj_index"], row  # the WARC file was closed and indexed
    check_unlocked(db)
    checked = verify(db)
    assert checked.returncode == 0, checked.stdout[-3000:]
    resumed = run_crawl(db, f"{site.url}/")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert stored_urls(db) == all_articles
    assert last_crawl(db)["articles_new"] == len(all_articles) - len(stored)
    checked = verify(db)
    assert checked.returncode == 0, checked.stdout[-3000:]


# ---------------------------------------------------------------------------- full disk


class PaddedDemoSite:
    """The demo site with an incompressible script in every article's <head>: captures grow
    about 50 KB per article, the database a few KB (the script is not extracted), so a file
    size limit between the two is reached by the WARC file first, however fast the crawl is."""

    def __init__(self, site: DemoSite):
        self.site = site
        self.articles = site.articles
        self.hold_back = site.hold_back
        self.padding = b"<script>/*" + os.urandom(48_000).hex().encode() + b"*/</script>"

    def render(self, path: str, host: str, headers: object) -> tuple[int, dict, bytes]:
        status, response_headers, body = self.site.render(path, host, headers)
        if status == 200 and b"<head>" in body and b"single-post" in body:
            body = body.replace(b"<head>", b"<head>" + self.padding, 1)
        return status, response_headers, body

    def __getattr__(self, name: str) -> object:
        return getattr(self.site, name)


def limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_stops_the_crawl_cleanly_and_the_next_run_completes_it(tmp_path):
    """RLIMIT_FSIZE in the crawl's processes: a write past 2 MB fails as on a full disk
    (EFBIG; ENOSPC takes the same path). The crawl names the file, stops, leaves every file
    whole; the next run, without the limit, fetches the rest."""
    db = tmp_path / "archive.db"
    limit = 2_000_000
    site = PaddedDemoSite(DemoSite(articles=100))
    assert b"single-post" in site.render(site.site.article(0).path, "demo", {})[2]
    with serve_demo_site(site) as server:  # type: ignore[arg-type]
        url = f"{server.url}/"
        full = run_crawl(db, url, preexec_fn=limit_file_size(limit))
        assert full.returncode == 1, full.stderr[-3000:]
        (warc,) = warc_files(default_warc_dir(db))
        message = f"disk full: cannot write {warc} (File too large)"
        assert message in full.stderr, full.stderr[-3000:]
        assert "Traceback" not in full.stderr, full.stderr[-3000:]
        row = last_crawl(db)
        assert (row["status"], row["finish_reason"]) == ("failed", message)
        assert warc.stat().st_size <= limit
        assert db.stat().st_size < limit / 2  # the database was far from the limit
        stored = stored_urls(db)
        assert 0 < len(stored) < site.articles, len(stored)
        assert row["articles_new"] == len(stored)
        checked = verify(db)
        assert checked.returncode == 0, checked.stdout[-3000:]
        assert f"{len(stored)} article pointer(s): all good" in checked.stdout

        again = run_crawl(db, url)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(stored_urls(db)) == site.articles
    assert last_crawl(db)["articles_new"] == site.articles - len(stored)
    checked = verify(db)
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_a_full_disk_under_the_database_stops_the_crawl_and_the_next_run_completes_it(tmp_path):
    """Without WARC capture the database is what fills the disk: the storage pipeline names the
    file and stops the crawl; what it could not save is fetched again by the next run."""
    db = tmp_path / "archive.db"
    site = DemoSite(articles=100)
    with serve_demo_site(site) as server:
        url = f"{server.url}/"
        full = run_crawl(db, url, "--no-warc", preexec_fn=limit_file_size(1_500_000))
        assert full.returncode == 1, full.stderr[-3000:]
        message = f"disk full: cannot write {db} ("
        assert message in full.stderr, full.stderr[-3000:]
        assert "Traceback" not in full.stderr, full.stderr[-3000:]
        row = last_crawl(db)
        assert row["status"] == "failed"
        assert row["finish_reason"].startswith(message), row["finish_reason"]
        stored = stored_urls(db)
        assert 0 < len(stored) < site.articles, len(stored)
        checked = verify(db)
        assert checked.returncode == 0, checked.stdout[-3000:]

        again = run_crawl(db, url, "--no-warc")
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(stored_urls(db)) == site.articles
    assert last_crawl(db)["articles_new"] == site.articles - len(stored)


# ---------------------------------------------------------------------------- truncated WARC


def test_verify_repair_cuts_a_truncated_warc_back_and_the_next_crawl_refetches_what_it_lost(
    tmp_path, site, all_articles
):
    """A crash (power loss: the database had committed rows whose records never reached the
    disk) leaves a WARC file cut in the middle of a record. `verify --repair` cuts it back to
    its last whole record, re-indexes it, and names the articles whose record is gone; the
    next crawl fetches exactly those again."""
    db = tmp_path / "archive.db"
    first = run_crawl(db, f"{site.url}/")
    assert first.returncode == 0, first.stderr[-3000:]
    folder = default_warc_dir(db)
    (warc,) = warc_files(folder)
    conn = sqlite3.connect(db)
    pointers = conn.execute(
        "SELECT url, warc_offset FROM articles ORDER BY warc_offset DESC LIMIT 10"
    ).fetchall()
    conn.close()
    cut_record = pointers[-1][1]  # the 10th last article's response record
    with warc.open("r+b") as stream:
        stream.truncate(cut_record + 100)  # in the middle of its gzip member
    lost = {url for url, offset in pointers}

    damaged = verify(db)
    assert damaged.returncode == 1
    assert f"{warc.name}: truncated" in damaged.stdout, damaged.stdout[-3000:]
    assert "'newsarchive verify --repair' cuts" in damaged.stdout

    repaired = verify(db, "--repair")
    assert repaired.returncode == 0, repaired.stdout[-3000:]
    assert f"REPAIRED {warc.name}: truncated" in repaired.stdout, repaired.stdout
    assert f"cut from {cut_record + 100} to {cut_record} bytes" in repaired.stdout
    assert "RE-INDEXED " in repaired.stdout
    reported = {
        line.split()[2] for line in repaired.stdout.splitlines() if line.startswith("LOST POINTER")
    }
    assert reported == lost
    assert "10 article(s) lost their pointer" in repaired.stdout
    assert "all good" in repaired.stdout
    assert warc.stat().st_size == cut_record
    assert (folder / "damaged" / f"{warc.name}.tail-{cut_record}").stat().st_size == 100
    index = (folder / "indexes" / "crawl-00001.cdxj").read_text()
    offsets = [int(line.split('"offset": "')[1].split('"')[0]) for line in index.splitlines()]
    assert offsets
    assert max(offsets) < cut_record
    conn = sqlite3.connect(db)
    unlinked = {url for (url,) in conn.execute("SELECT url FROM articles WHERE warc_file IS NULL")}
    conn.close()
    assert unlinked == lost

    site.request_log.clear()
    again = run_crawl(db, f"{site.url}/")
    assert again.returncode == 0, again.stderr[-3000:]
    refetched = {f"{site.url}{path}" for path in site.request_log}
    assert lost <= refetched
    articles_fetched = refetched & all_articles
    assert articles_fetched == lost  # the others are not due yet: skipped, as usual
    assert stored_urls(db) == all_articles
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles WHERE warc_file IS NULL").fetchone() == (0,)
    conn.close()
    checked = verify(db)
    assert checked.returncode == 0, checked.stdout[-3000:]


# ---------------------------------------------------------------------------- slow clients

NGINX = Path("/usr/sbin/nginx")
NGINX_CONF = REPO / "docs" / "nginx.conf"
SERVED_ARTICLES = 5000  # the CSV export (about 9 MB) outgrows every socket buffer on the way


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=SAFETY) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError):
        return False


def open_sockets(pid: int) -> int:
    """Sockets a process holds open (its listening one included)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


@pytest.fixture(scope="module")
def served_archive(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from search_bench import build_archive

    db = tmp_path_factory.mktemp("served") / "archive.db"
    build_archive(db, SERVED_ARTICLES)
    return db


@pytest.fixture
def archive_server(served_archive) -> Iterator[tuple[subprocess.Popen, str]]:
    """`newsarchive serve` in its own process, answering."""
    port = free_port()
    port_args = ("--port", str(port))
    server = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "serve", "--db", str(served_archive), *port_args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: server.poll() is not None or answers(f"{url}/-/versions.json"),
            "newsarchive serve to answer",
        )
        assert server.poll() is None, server.communicate()[1][-3000:]
        yield server, url
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()


class SlowClients:
    """`idle` connections that never send a byte and `trickling` ones that send a request's
    headers one byte at a time, forever."""

    def __init__(self, url: str, idle: int, trickling: int):
        address = (urlsplit(url).hostname, urlsplit(url).port)
        self.idle = [socket.create_connection(address, timeout=SAFETY) for _ in range(idle)]
        self.trickling = [
            socket.create_connection(address, timeout=SAFETY) for _ in range(trickling)
        ]
        for connection in self.trickling:
            connection.sendall(b"GET /search.json?q=school HTTP/1.1\r\nHost: archive\r\n")
        self.stop = threading.Event()
        self.bytes_sent = 0
        self.thread = threading.Thread(target=self.trickle, daemon=True)
        self.thread.start()

    def trickle(self) -> None:
        while not self.stop.wait(0.1):  # pacing only: nothing is measured
            for connection in self.trickling:
                with contextlib.suppress(OSError):
                    connection.send(b"X")
                    self.bytes_sent += 1

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for connection in self.idle + self.trickling:
            connection.close()


def test_slow_clients_do_not_stop_the_search_api_and_serve_stops_promptly(archive_server):
    """200 connections, half idle and half trickling request headers, held open against
    `newsarchive serve` (uvicorn: one event loop, no thread per connection): /search.json
    answers meanwhile, and SIGTERM ends the server with them still open."""
    server, url = archive_server
    clients = SlowClients(url, idle=100, trickling=100)
    try:
        wait_until(lambda: open_sockets(server.pid) >= 201, "the server to hold 200 connections")
        wait_until(lambda: clients.bytes_sent >= 200, "two rounds of trickled header bytes")
        with urllib.request.urlopen(f"{url}/search.json?q=school", timeout=SAFETY) as response:
            assert response.status == 200
            found = json.load(response)
        assert found["total"] > 0
        assert open_sockets(server.pid) >= 201  # the slow clients are still connected
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=SAFETY)
    finally:
        clients.close()
    # uvicorn ends a graceful shutdown by raising the signal again, so that the exit status
    # says what stopped it
    assert server.returncode in (0, -signal.SIGTERM), stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]


def nginx_config(folder: Path, site_conf: Path) -> Path:
    """A main nginx.conf around the site configuration, everything kept in `folder`."""
    config = folder / "nginx.conf"
    config.write_text(
        f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site_conf};
}}
""",
        encoding="utf-8",
    )
    return config


def nginx_paths(folder: Path, config: Path) -> tuple[str, ...]:
    return ("-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config))


def nginx(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NGINX), *args], capture_output=True, text=True, timeout=SAFETY, check=False
    )


needs_nginx = pytest.mark.skipif(
    not NGINX.exists(), reason="no nginx: run 'bash scripts/install.sh test'"
)


@needs_nginx
def test_the_documented_nginx_configuration_is_valid(tmp_path):
    config = nginx_config(tmp_path, NGINX_CONF)
    checked = nginx("-t", *nginx_paths(tmp_path, config))
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


@needs_nginx
def test_nginx_in_front_serves_the_archive_and_allows_one_export_stream_at_a_time(
    tmp_path, archive_server
):
    _, upstream = archive_server
    port = free_port()
    site_conf = tmp_path / "newsarchive.conf"
    text = NGINX_CONF.read_text(encoding="utf-8")
    assert "server 127.0.0.1:8001;" in text
    assert "listen 80;" in text
    site_conf.write_text(
        text.replace("server 127.0.0.1:8001;", f"server {urlsplit(upstream).netloc};").replace(
            "listen 80;", f"listen 127.0.0.1:{port};"
        ),
        encoding="utf-8",
    )
    config = nginx_config(tmp_path, site_conf)
    proxy = subprocess.Popen(
        [str(NGINX), *nginx_paths(tmp_path, config), "-g", "daemon off; master_process off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    stalled = None
    try:
        wait_until(
            lambda: proxy.poll() is not None or answers(f"{url}/-/versions.json"),
            "nginx to answer",
        )
        assert proxy.poll() is None, proxy.communicate()[1][-3000:]
        with urllib.request.urlopen(f"{url}/search.json?q=school", timeout=SAFETY) as response:
            assert response.status == 200
            assert json.load(response)["total"] > 0
        # A whole-table CSV stream, read no further than its headers: nginx is still sending.
        stalled = socket.socket()
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stalled.settimeout(SAFETY)
        stalled.connect(("127.0.0.1", port))
        stalled.sendall(b"GET /archive/articles.csv?_stream=on HTTP/1.1\r\nHost: a\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = stalled.recv(1)
            assert chunk, head
            head += chunk
        assert head.startswith(b"HTTP/1.1 200"), head
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{url}/archive/articles.csv?_stream=on", timeout=SAFETY)
        assert refused.value.code == 429
        # other requests of the same client go on
        with urllib.request.urlopen(f"{url}/search.json?q=school", timeout=SAFETY) as response:
            assert response.status == 200
    finally:
        if stalled is not None:
            stalled.close()
        proxy.send_signal(signal.SIGQUIT)
        try:
            proxy.communicate(timeout=SAFETY)
        finally:
            if proxy.poll() is None:
                proxy.kill()
                proxy.communicate()


def small_warc(folder: Path, exchanges: int = 4) -> tuple[Path, list[int]]:
    """A WARC file of a few exchanges, as a crawl writes it; the offsets of its responses."""
    writer = RotatingWarcWriter(folder, prefix="newsarchive-00007", info={"newsarchive-crawl": "7"})
    offsets = []
    for number in range(exchanges):
        exchange = Exchange(
            url=f"http://127.0.0.1/artikel-{number}/",
            method="GET",
            request_headers=[("User-Agent", "test")],
            request_body=b"",
            status=200,
            response_headers=[("Content-Type", "text/html")],
            body=f"<html><body>Artikel {number}</body></html>".encode() * 50,
        )
        offsets.append(writer.write_exchange(exchange).offset)
    writer.close()
    (path,) = warc_files(folder)
    return path, offsets


def test_repair_cuts_trailing_garbage_as_a_power_loss_leaves_it(tmp_path):
    path, offsets = small_warc(tmp_path)
    size = path.stat().st_size
    with path.open("ab") as stream:
        stream.write(b"\0" * 4096)  # blocks the file system allocated, never written
    repair = repair_warc_file(path)
    assert repair is not None
    assert repair.damage.startswith("bad gzip data")
    assert (repair.kept, path.stat().st_size) == (size, size)
    assert repair.crawl == "7"
    assert verify_warc_file(path) == []
    assert repair_warc_file(path) is None  # whole now: nothing more to do
    index = reindex_crawl(tmp_path, repair.crawl, repair.file)
    assert index == tmp_path / "indexes" / "crawl-00007.cdxj"
    assert len(index.read_text().splitlines()) == len(offsets)


def test_repair_leaves_a_file_damaged_in_its_middle_alone(tmp_path):
    path, offsets = small_warc(tmp_path)
    data = bytearray(path.read_bytes())
    data[offsets[1] + 20] ^= 0xFF  # inside the second response's compressed data
    path.write_bytes(bytes(data))
    repair = repair_warc_file(path)
    assert repair is not None
    assert repair.refused is not None
    assert "whole records after it" in repair.refused
    assert path.read_bytes() == bytes(data)  # untouched


def test_repair_moves_a_file_without_a_whole_record_aside(tmp_path):
    path, offsets = small_warc(tmp_path, exchanges=1)
    with path.open("r+b") as stream:
        stream.truncate(offsets[0] - 10)  # inside the warcinfo record
    repair = repair_warc_file(path)
    assert repair is not None
    assert repair.removed
    assert not path.exists()
    assert repair.tail == tmp_path / "damaged" / path.name
    assert warc_files(tmp_path) == []
