"""Shared fixtures: the demo site on loopback, crawls run as a user would, small test servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from scrapy.utils.test import get_crawler
from sqlite_utils import Database

import crawler.settings as project_settings
from archive.db import migrate
from crawler.spiders.news import NewsSpider
from demosite import DemoSite, article_record, serve_demo_site

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PAGES = Path(__file__).resolve().parent / "pages"
DEMO_ARTICLES = 150
DEMO_PROFILE = "antwerpspersbureau"


@pytest.fixture
def db() -> Database:
    """A fresh archive in memory, migrated."""
    database = Database(memory=True)
    migrate(database)
    return database


def run_newsarchive(
    *args: str, cwd: Path = REPO, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run the `newsarchive` command line in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def crawl(
    db: Path,
    *start_urls: str,
    site: str | None = None,
    extra: tuple[str, ...] = (),
    settings: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """`newsarchive crawl` of local start URLs at full speed into `db`."""
    args = ["crawl", "--db", str(db), "--delay", "0", "--workers", "2"]
    if site:
        args += ["--site", site]
    for setting in settings:
        args += ["--set", setting]
    for url in start_urls:
        args += ["--start-url", url]
    return run_newsarchive(*args, *extra)


def crawl_demo(db: Path, url: str, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Crawl a demo site with the profile of the regional site it imitates."""
    return crawl(db, url, site=DEMO_PROFILE, extra=extra)


def stored_urls(db_path: Path) -> list[str]:
    db = Database(db_path)
    try:
        return [row["url"] for row in db["articles"].rows]
    finally:
        db.close()


def last_crawl(db_path: Path) -> dict:
    db = Database(db_path)
    try:
        row = db.execute("SELECT * FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
        columns = [c[0] for c in db.execute("SELECT * FROM crawls LIMIT 0").description]
        return dict(zip(columns, row, strict=True))
    finally:
        db.close()


@pytest.fixture(scope="session", autouse=True)
def _no_helper_processes_left() -> Iterator[None]:
    """Tests that run extraction pools in this process start multiprocessing's fork server and
    resource tracker; they and any pool worker still waiting are stopped when the run ends,
    so that no process of the test run outlives it."""
    yield
    import multiprocessing
    import multiprocessing.forkserver
    import multiprocessing.resource_tracker

    for child in multiprocessing.active_children():
        child.terminate()
        child.join(timeout=30)
    multiprocessing.forkserver._forkserver._stop()
    multiprocessing.resource_tracker._resource_tracker._stop()


@pytest.fixture(scope="session")
def demo_site() -> Iterator:
    site = DemoSite(articles=DEMO_ARTICLES)
    with serve_demo_site(site) as server:
        server.site = site
        yield server


@pytest.fixture(scope="session")
def demo_archive(demo_site, tmp_path_factory) -> Path:
    """The demo site crawled once into an archive, for tests that only read it."""
    db = tmp_path_factory.mktemp("demo") / "archive.db"
    result = crawl_demo(db, f"{demo_site.url}/")
    assert result.returncode == 0, result.stderr[-3000:]
    return db


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})


@dataclass
class TestServer:
    """A loopback HTTP server answering fixed routes; records every path it was asked for."""

    url: str
    requests: list[str]
    routes: dict[str, Route]


@pytest.fixture
def make_server() -> Iterator[Callable[[dict[str, Route]], TestServer]]:
    servers: list[ThreadingHTTPServer] = []

    def start(routes: dict[str, Route]) -> TestServer:
        requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                route = routes.get(self.path) or Route(404, b"not found")
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value.replace("{origin}", server_url))
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server_url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return TestServer(server_url, requests, routes)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# An article record as extraction would give it, from the demo site's ground truth.
demo_record = article_record


def news_spider(tmp_path: Path, start_url: str, **settings: object) -> NewsSpider:
    """A NewsSpider with the project's settings and a fresh archive, not crawling."""
    project = {name: getattr(project_settings, name) for name in dir(project_settings)}
    crawler = get_crawler(
        NewsSpider,
        {name: value for name, value in project.items() if name.isupper()}
        | {"NEWSARCHIVE_DB": str(tmp_path / "archive.db"), "NEWSARCHIVE_INCREMENTAL": False}
        | settings,
    )
    crawler.spider = crawler._create_spider(start_url=start_url)
    crawler.stats.open_spider()
    return crawler.spider


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if it tries to reach the network (loopback included)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PYWB_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsarchive-pywb"


@pytest.fixture(scope="session")
def wayback() -> Path:
    """pywb's `wayback`, installed from PyPI into its own virtualenv (its pins clash with ours)."""
    program = PYWB_VENV / "bin" / "wayback"
    if not program.exists():
        venv.create(PYWB_VENV, with_pip=True, clear=True)
        install = subprocess.run(
            [str(PYWB_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "pywb"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert install.returncode == 0, f"pywb could not be installed: {install.stderr[-500:]}"
    return program


def replay_with_pywb(wayback: Path, root: Path, url: str) -> httpx.Response:
    """Start pywb in `root` (its config.yaml and collections/), fetch `url` from the `news`
    collection as archived, and stop it; the wait for it to start is only a safety net."""
    port = free_port()
    server = subprocess.Popen(
        [str(wayback), "-p", str(port), "-b", "127.0.0.1"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        replay = f"http://127.0.0.1:{port}/news/2100id_/{url}"
        deadline = time.monotonic() + 120
        while True:
            try:
                return httpx.get(replay, timeout=30)
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)


# Seconds a held answer waits at most: only a test that never releases its gate gets near it.
GATE_SAFETY = 300


class GatedDemoSite:
    """The demo site answering its first `open_articles` article pages at once and holding
    every later one until `release()`."""

    def __init__(self, site: DemoSite, *, open_articles: int):
        self.site = site
        self.open_articles = open_articles
        self.answered = 0
        self.lock = threading.Lock()
        self.released = threading.Event()

    def render(self, path: str, host: str, headers: object) -> tuple[int, dict, bytes]:
        answer = self.site.render(path, host, headers)
        status, _, body = answer
        if status == 200 and b"single-post" in body:
            with self.lock:
                self.answered += 1
                hold = self.answered > self.open_articles
            if hold:
                self.released.wait(GATE_SAFETY)
        return answer

    def release(self) -> None:
        self.released.set()

    def __getattr__(self, name: str) -> object:
        return getattr(self.site, name)
