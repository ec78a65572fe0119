"""A hostile web site for the crawler: bombs, endless bodies, hangs, traps, bad redirects, junk.

Served on loopback by the tests. Every path is a case; `HOSTILE_CASES` says what each should do.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import brotli

BOMB_SIZE = 256 * 1024 * 1024  # far over the crawler's DOWNLOAD_MAXSIZE
ARTICLE = (
    "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>"
    "<meta property='og:type' content='article'>"
    "<meta property='article:published_time' content='2024-06-20T09:00:00+02:00'></head>"
    "<body class='single single-post'><article><h1>{title}</h1>{body}</article></body></html>"
)
PROSE = (
    "<p>De gemeenteraad van Lier keurde gisteren het nieuwe mobiliteitsplan goed. Het plan "
    "voorziet in extra fietspaden langs de Antwerpsesteenweg en een nieuwe schoolstraat.</p>"
    "<p>Schepen van Mobiliteit An Peeters is tevreden: 'Dit is een belangrijke stap voor de "
    "verkeersveiligheid van onze kinderen en voor iedereen die zich met de fiets verplaatst.'</p>"
)


def article(title: str, body: str = PROSE) -> bytes:
    return ARTICLE.format(title=title, body=body).encode()


@cache
def bomb(encoding: str) -> bytes:
    """BOMB_SIZE zero bytes, compressed with `encoding` (a few hundred kB on the wire)."""
    zeros = b"\0" * (1024 * 1024)
    if encoding == "gzip":
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    elif encoding == "deflate":
        compressor = zlib.compressobj(9, zlib.DEFLATED, 15)
    else:
        return brotli.compress(b"\0" * BOMB_SIZE, quality=5)
    chunks = [compressor.compress(zeros) for _ in range(BOMB_SIZE // len(zeros))]
    return b"".join(chunks) + compressor.flush()


def links_page(*paths: str) -> bytes:
    items = "".join(f"<li><a href='{path}'>{path}</a></li>" for path in paths)
    return f"<html><body class='home blog'><ul>{items}</ul></body></html>".encode()


# Paths linked from the home page, and a pattern the recorded reason must match.
ERROR_CASES = {
    "/bomb/gzip/": "DOWNLOAD_MAXSIZE|larger than",  # the size limit on the decompressed body
    "/bomb/deflate/": "DOWNLOAD_MAXSIZE|larger than",
    "/bomb/br/": "DOWNLOAD_MAXSIZE|larger than",
    "/huge/": "DOWNLOAD_MAXSIZE|larger than",
    "/endless/": "",
    "/hang/": "",
    "/loop/a/": "redirect",
    "/redirect/offsite/": "out-of-scope",
    "/redirect/metadata/": "out-of-scope",
    "/redirect/private/": "out-of-scope",
    "/redirect/file/": "",
    "/octet/": "not HTML",
    "/image/": "not HTML",
    "/pdf/": "not HTML",
    "/busy-for-days/": "HTTP 503",
}
EXTRACTION_CASES = {
    "/enc/cp1252-as-utf8/": "Café in België",
    "/enc/nul/": "Nul bytes",
    "/enc/invalid-utf8/": "Ongeldige bytes",
}
BOUNDED_CASES = ("/big-text-node/", "/big-table/", "/deep-nesting/")
TRAPS = ("/calendar/2024/01/", "/list/?page=1", "/session/?sid=1", "/deep/a/")


@dataclass
class HostileSite:
    url: str
    other_host_url: str
    requests: list[str] = field(default_factory=list)
    request_times: dict[str, list[float]] = field(default_factory=dict)
    timeline: list[tuple[float, str]] = field(default_factory=list)
    other_host_requests: list[str] = field(default_factory=list)
    robots: bytes = b"User-agent: *\nAllow: /\n"
    robots_status: int = 200
    sitemaps: list[str] = field(default_factory=list)


class HostileHandler(BaseHTTPRequestHandler):
    site: HostileSite
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_body(
        self, body: bytes, status: int = 200, content_type: str = "text/html", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_body(b"", 302, Location=location)

    def do_GET(self) -> None:
        site = self.site
        site.requests.append(self.path)
        site.request_times.setdefault(self.path, []).append(time.monotonic())
        site.timeline.append((time.monotonic(), self.path))
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/robots.txt" and site.robots_status == 0:
            time.sleep(30)  # a robots.txt that never answers
        elif path == "/robots.txt":
            lines = b"".join(f"Sitemap: {site.url}{s}\n".encode() for s in site.sitemaps)
            self.send_body(site.robots + lines, site.robots_status, "text/plain")
        elif path == "/":
            cases = [*ERROR_CASES, *EXTRACTION_CASES, *BOUNDED_CASES, *TRAPS, "/ok/", "/busy/"]
            self.send_body(links_page(*cases))
        elif path == "/ok/":
            self.send_body(article("Een gewoon artikel"))
        elif path == "/busy/":
            if len(site.request_times[path]) == 1:
                self.send_body(b"busy", 429, "text/plain", Retry_After="2")
            else:
                self.send_body(article("Na het wachten"))
        elif path == "/busy-for-days/":
            self.send_body(b"maintenance", 503, "text/plain", Retry_After="999999")
        elif path.startswith("/bomb/"):
            encoding = path.split("/")[2]
            self.send_body(bomb(encoding), Content_Encoding=encoding)
        elif path == "/huge/":
            self.stream(1024**3, content_length=True)
        elif path == "/endless/":
            self.stream(None, content_length=False)
        elif path == "/hang/":
            time.sleep(30)
        elif path == "/loop/a/":
            self.redirect("/loop/b/")
        elif path == "/loop/b/":
            self.redirect("/loop/a/")
        elif path == "/redirect/offsite/":
            self.redirect(f"{site.other_host_url}/")
        elif path == "/redirect/metadata/":
            self.redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/redirect/private/":
            self.redirect("http://10.0.0.1/admin/")
        elif path == "/redirect/file/":
            self.redirect("file:///etc/passwd")
        elif path == "/octet/":
            self.send_body(article("Verkeerd type"), content_type="application/octet-stream")
        elif path == "/image/":
            self.send_body(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000, content_type="image/png")
        elif path == "/pdf/":
            self.send_body(b"%PDF-1.4\n" + b"\0" * 2000, content_type="application/pdf")
        elif path == "/enc/cp1252-as-utf8/":
            body = article("Café in België", PROSE + "<p>Een café in België.</p>")
            self.send_body(body.decode().encode("cp1252"), content_type="text/html; charset=utf-8")
        elif path == "/enc/nul/":
            self.send_body(article("Nul bytes", PROSE.replace("Lier", "Li\0er")))
        elif path == "/enc/invalid-utf8/":
            self.send_body(article("Ongeldige bytes").replace(b"Lier", b"Li\xff\xfeer"))
        elif path == "/big-text-node/":
            self.send_body(article("Grote tekst", "<p>" + "woord " * 900_000 + "</p>"))
        elif path == "/big-table/":
            cells = "<tr>" + "<td>x</td>" * 1000 + "</tr>"
            self.send_body(article("Grote tabel", "<table>" + cells * 1000 + "</table>"))
        elif path == "/deep-nesting/":
            self.send_body(article("Diep", "<div>" * 10_000 + PROSE + "</div>" * 10_000))
        elif path.startswith("/chain/"):
            # articles that answer at once, each linking to the next (not linked from "/")
            number = int(path.split("/")[2])
            link = f"<p>Lees ook <a href='/chain/{number + 1}/'>het volgende artikel</a>.</p>"
            self.send_body(article(f"Artikel {number}", PROSE + link))
        elif path.startswith("/calendar/"):
            year, month = int(path.split("/")[2]), int(path.split("/")[3])
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            self.send_body(links_page(f"/calendar/{year}/{month:02d}/"))
        elif path == "/list/":
            page = int(query.get("page", ["1"])[0])
            self.send_body(links_page(f"/list/?page={page + 1}"))
        elif path == "/session/":
            sid = int(query.get("sid", ["1"])[0])
            self.send_body(links_page(f"/session/?sid={sid + 1}"))
        elif path.startswith("/deep/"):
            self.send_body(links_page(path + "a/"))
        elif path.startswith("/sitemaps/"):
            self.sitemap(path.removeprefix("/sitemaps/"))
        else:
            self.send_body(b"not found", 404)

    def stream(self, size: int | None, *, content_length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if content_length and size is not None:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        sent = 0
        try:
            while size is None or sent < size:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            return

    def sitemap(self, name: str) -> None:
        site = self.site
        urlset = "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{}</urlset>"
        if name == "truncated.xml":
            body = urlset.format(f"<url><loc>{site.url}/ok/</loc></url>")[:-20].encode()
        elif name == "wrong-namespace.xml":
            body = b"<urlset xmlns='http://example.com/not-sitemaps'><url><loc>/ok/</loc></url></urlset>"
        elif name == "html.xml":
            body = b"<html><body>Dit is geen sitemap</body></html>"
        elif name == "huge.xml":
            locs = "".join(f"<url><loc>/list/?page={i}</loc></url>" for i in range(50_000))
            body = urlset.format(locs).encode()
        elif name == "relative.xml":
            body = urlset.format("<url><loc>/ok/</loc></url>").encode()
        elif name == "bomb.xml.gz":
            body = gzip.compress(b" " * (64 * 1024 * 1024))
        else:
            self.send_body(b"not found", 404)
            return
        self.send_body(body, content_type="application/xml")


@contextmanager
def serve_hostile_site(**options: object) -> Iterator[HostileSite]:
    """Serve the hostile site on 127.0.0.1, and a second host (127.0.0.2) it redirects to."""
    for encoding in ("gzip", "deflate", "br"):
        bomb(encoding)  # made before serving: compressing 256 MiB takes a moment
    other_requests: list[str] = []

    class OtherHost(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            other_requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    other = ThreadingHTTPServer(("127.0.0.2", 0), OtherHost)
    handler = type("Handler", (HostileHandler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site = HostileSite(
        url=f"http://127.0.0.1:{server.server_address[1]}",
        other_host_url=f"http://127.0.0.2:{other.server_address[1]}",
        other_host_requests=other_requests,
        **options,  # type: ignore[arg-type]
    )
    handler.site = site
    for running in (server, other):
        threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        yield site
    finally:
        for running in (server, other):
            running.shutdown()
            running.server_close()
