"""Sites that mislead a request-saving crawler: lying sitemaps, moved articles, endless copies.

Each case gets a log line and a ledger count, and the archive keeps one row per article.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from sqlite_utils import Database

from tests.conftest import crawl, last_crawl
from tests.hostile import PROSE

PAGE = (
    "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>"
    "<link rel='canonical' href='{canonical}'>"
    "<meta property='og:type' content='article'>"
    "<meta property='article:published_time' content='2024-06-20T09:00:00+02:00'></head>"
    "<body class='single single-post'><article><h1>{title}</h1>{body}</article>{links}"
    "</body></html>"
)
HOME = (
    "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>Nieuws</title></head>"
    "<body class='home blog'>{links}</body></html>"
)
URLSET = "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{}</urlset>"
INDEX = "<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{}</sitemapindex>"


def prose(title: str) -> str:
    return PROSE.replace("Lier", title.split()[-1])


@dataclass
class SmallSite:
    """A site whose answers the test changes between crawls: path → (status, headers, body)."""

    url: str = ""
    routes: dict[str, Callable[[], tuple[int, dict[str, str], bytes]]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def article(self, path: str, title: str, *, canonical: str | None = None) -> None:
        body = PAGE.format(
            title=title, canonical=canonical or self.url + path, body=prose(title), links=""
        ).encode()
        self.static(path, body)

    def static(self, path: str, body: bytes, content_type: str = "text/html") -> None:
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
        self.routes[path] = lambda: (200, {"Content-Type": content_type, "ETag": etag}, body)

    def redirect(self, path: str, location: str, status: int = 301) -> None:
        self.routes[path] = lambda: (status, {"Location": self.url + location}, b"")


class _Handler(BaseHTTPRequestHandler):
    site: SmallSite
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.site.requests.append(self.path)
        route = self.site.routes.get(urlsplit(self.path).path)
        status, headers, body = route() if route else (404, {}, b"not found")
        etag = headers.get("ETag")
        if status == 200 and etag and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def small_site() -> Iterator[SmallSite]:
    site = SmallSite()
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def home(site: SmallSite, *paths: str) -> None:
    links = "".join(f"<a href='{path}'>{path}</a>" for path in paths)
    site.static("/", HOME.format(links=links).encode())


def rows(db: Path) -> dict[str, dict]:
    return {row["url"]: row for row in Database(db)["articles"].rows}


def errors(db: Path, crawl_id: int) -> list[str]:
    archive = Database(db)
    return [e["reason"] for e in archive["crawl_errors"].rows_where("crawl_id = ?", [crawl_id])]


def test_a_sitemap_whose_lastmod_moves_without_change_is_no_longer_trusted(tmp_path):
    db = tmp_path / "archive.db"
    with small_site() as site:
        site.static("/robots.txt", f"Sitemap: {site.url}/sitemap.xml\n".encode(), "text/plain")
        lastmod = {"value": "2024-06-20T10:00:00+00:00"}
        site.routes["/sitemap.xml"] = lambda: (
            200,
            {"Content-Type": "application/xml"},
            INDEX.format(
                f"<sitemap><loc>{site.url}/posts.xml</loc><lastmod>{lastmod['value']}</lastmod>"
                "</sitemap>"
            ).encode(),
        )
        locs = "".join(
            f"<url><loc>{site.url}/{n}/</loc><lastmod>2024-06-20</lastmod></url>"
            for n in ("een", "twee")
        )
        site.static("/posts.xml", URLSET.format(locs).encode(), "application/xml")
        home(site, "/een/", "/twee/")
        site.article("/een/", "Nieuws uit Lier")
        site.article("/twee/", "Nieuws uit Mol")
        assert crawl(db, f"{site.url}/").returncode == 0
        assert set(rows(db)) == {f"{site.url}/een/", f"{site.url}/twee/"}

        # the same crawl again: the index's lastmod has not moved, the child is not asked for
        site.requests.clear()
        assert crawl(db, f"{site.url}/").returncode == 0
        assert "/posts.xml" not in site.requests
        assert last_crawl(db)["lastmod_untrusted"] == 0

        # the lastmod moves, the content does not: the child answers 304, the lastmod lies
        lastmod["value"] = "2024-07-01T10:00:00+00:00"
        site.requests.clear()
        assert crawl(db, f"{site.url}/").returncode == 0
        ledger = last_crawl(db)
    assert site.requests.count("/posts.xml") == 1
    assert ledger["lastmod_untrusted"] == 1
    assert any("no longer trusted" in reason for reason in errors(db, ledger["id"]))
    assert len(rows(db)) == 2
    state = (
        Database(db)
        .execute("SELECT lastmod_trusted FROM url_state WHERE url = ?", [f"{site.url}/sitemap.xml"])
        .fetchone()
    )
    assert state == (0,)


def test_a_changed_slug_keeps_one_row_under_the_new_url(tmp_path):
    db = tmp_path / "archive.db"
    with small_site() as site:
        home(site, "/oude-titel/")
        site.article("/oude-titel/", "Brand in Lier")
        assert crawl(db, f"{site.url}/").returncode == 0
        assert set(rows(db)) == {f"{site.url}/oude-titel/"}
        first_id = rows(db)[f"{site.url}/oude-titel/"]["id"]

        # the slug changes; the old URL answers 301, the home page links the new one
        site.redirect("/oude-titel/", "/nieuwe-titel/")
        site.article("/nieuwe-titel/", "Brand in Lier")
        home(site, "/oude-titel/", "/nieuwe-titel/")
        archive = Database(db)
        archive.execute("UPDATE url_state SET last_fetched = '2001-01-01T00:00:00+00:00'")
        archive.conn.commit()
        result = crawl(db, f"{site.url}/")
        assert result.returncode == 0, result.stderr[-2000:]
        ledger = last_crawl(db)
        # a later crawl requests neither URL: both lead to a known article that is not due
        site.requests.clear()
        assert crawl(db, f"{site.url}/").returncode == 0
        later = list(site.requests)
    stored = rows(db)
    assert set(stored) == {f"{site.url}/nieuwe-titel/"}
    assert stored[f"{site.url}/nieuwe-titel/"]["id"] == first_id  # the same row, moved
    assert ledger["articles_moved"] == 1
    assert ledger["articles_new"] == 0
    alias = (
        Database(db)
        .execute("SELECT url FROM url_aliases WHERE alias = ?", [f"{site.url}/oude-titel/"])
        .fetchone()
    )
    assert alias == (f"{site.url}/nieuwe-titel/",)
    assert "/oude-titel/" not in later
    assert "/nieuwe-titel/" not in later


def test_a_moved_article_known_under_its_old_url_is_not_requested_under_it_again(tmp_path):
    db = tmp_path / "archive.db"
    with small_site() as site:
        home(site, "/a", "/b", "/c", "/d")
        for name in "abcd":
            site.redirect(f"/{name}", f"/{name}/")
            site.article(f"/{name}/", f"Artikel {name.upper()} uit Boom")
        assert crawl(db, f"{site.url}/").returncode == 0
        assert len(rows(db)) == 4
        site.requests.clear()
        assert crawl(db, f"{site.url}/").returncode == 0
    # the re-crawl recognises every link as a known article: no redirect, no article page
    asked = [path for path in site.requests if path.strip("/") in {"a", "b", "c", "d"}]
    assert asked == []


def test_a_listing_that_repeats_itself_under_new_urls_is_stopped(tmp_path):
    db = tmp_path / "archive.db"
    with small_site() as site:
        links = "".join(f"<a href='/page/{n}/'>{n}</a>" for n in range(2, 400))
        body = HOME.format(links=f"<a href='/een/'>een</a>{links}").encode()
        site.static("/", body)
        for n in range(2, 400):
            site.static(f"/page/{n}/", body)  # every page the same: nothing new on any
        site.article("/een/", "Nieuws uit Lier")
        result = crawl(db, f"{site.url}/")
        assert result.returncode == 0
    paged = [path for path in site.requests if path.startswith("/page/")]
    assert len(paged) <= 2, paged
    assert set(rows(db)) == {f"{site.url}/een/"}
    assert last_crawl(db)["listings_stopped"] == 1
