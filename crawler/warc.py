"""WARC capture: every HTTP exchange of a crawl, as the server sent it, in gzipped WARC files.

`WarcCaptureMiddleware` sits next to the downloader (above HttpCompressionMiddleware), so it sees
each response before Scrapy decodes it: robots.txt, sitemaps, feeds, listings, articles,
redirects and HTTP errors alike. Each exchange becomes a `response` record (a 304 Not Modified a
`revisit` record, profile server-not-modified) followed by its `request` record
(`WARC-Concurrent-To` the response) and, when discovery left evidence for the extractor (a
sitemap `lastmod`, a feed date), a `metadata` record with it. Every record is its own gzip
member; files rotate at `NEWSARCHIVE_WARC_MAX_SIZE` bytes, and a CDXJ index of the crawl's files
is written when the crawl closes. The record's location travels with the response
(`request.meta["warc"]`) to the article row that was extracted from it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.warcs import WARC_SUFFIX, default_warc_dir, index_path, write_cdxj_index

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SOFTWARE = "newsarchive/0.1 (Scrapy, warcio)"
DEFAULT_MAX_SIZE = 1_000_000_000
# The body reached us without its chunked framing; keeping the header would make readers
# try to de-chunk it. Renamed, as web archives do when they rewrite a header.
DECHUNKED_HEADER = "X-Archive-Orig-Transfer-Encoding"
# Each record is compressed in one call at zlib's default level: warcio's own gzip wrapper
# compresses piece by piece at level 9, which costs the crawl 60 % more CPU for files
# within 1 % of the size (crawl pages are small and repetitive).
GZIP_LEVEL = 6
GZIP_MEMBER = 31  # zlib wbits for a gzip header and trailer


@dataclass(frozen=True)
class WarcPointer:
    """Where a response record is stored: file (relative to the WARC folder), offset, id, digest."""

    file: str
    offset: int
    record_id: str
    digest: str | None

    def columns(self) -> dict[str, Any]:
        """The pointer as the columns of an articles row."""
        return {
            "warc_file": self.file,
            "warc_offset": self.offset,
            "warc_record_id": self.record_id,
            "warc_digest": self.digest,
        }


@dataclass
class Exchange:
    """One HTTP request and the response the server gave, as they went over the wire."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    evidence: dict[str, str] | None = None


class RotatingWarcWriter:
    """Appends exchanges to gzipped WARC files in a folder, starting a new file past a size."""

    def __init__(
        self,
        directory: str | Path,
        *,
        prefix: str = "newsarchive",
        max_size: int = DEFAULT_MAX_SIZE,
        info: dict[str, str] | None = None,
    ):
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = max_size
        self.info = dict(info or {})
        self.started = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.files: list[str] = []
        self.records = 0
        self.bytes_written = 0
        self._serial = 0
        self._stream: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        # one record at a time is serialised here, then compressed into the file
        self._record_buffer = BytesIO()

    def _open(self) -> WARCWriter:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            self._serial += 1
            name = f"{self.prefix}-{self.started}-{self._serial:05d}{WARC_SUFFIX}"
            try:
                self._stream = (self.directory / name).open("xb")
                break
            except FileExistsError:
                continue
        self.files.append(name)
        self._writer = WARCWriter(self._record_buffer, gzip=False, warc_version="1.1")
        info = {"software": SOFTWARE, "format": "WARC File Format 1.1", **self.info}
        info.setdefault("hostname", socket.gethostname())
        self._write(self._writer.create_warcinfo_record(name, info))
        logger.info("Writing WARC file %s", self.directory / name)
        return self._writer

    def _current(self) -> WARCWriter:
        if self._writer is None or self._stream is None:
            return self._open()
        if self._stream.tell() >= self.max_size:
            self.close()
            return self._open()
        return self._writer

    def _write(self, record: Any) -> int:
        assert self._writer is not None
        assert self._stream is not None
        offset = self._stream.tell()
        buffer = self._record_buffer
        buffer.seek(0)
        buffer.truncate()
        self._writer.write_record(record)
        # every record its own gzip member, as WARC readers and CDXJ offsets expect
        with buffer.getbuffer() as record_bytes:  # released before the next truncate
            member = zlib.compress(record_bytes, GZIP_LEVEL, GZIP_MEMBER)
        self._stream.write(member)
        self.bytes_written += len(member)
        self.records += 1
        return offset

    def write_exchange(self, exchange: Exchange) -> WarcPointer:
        """Write an exchange's response, request and evidence records; returns where it went."""
        writer = self._current()
        response = self._response_record(writer, exchange)
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        date = response.rec_headers.get_header("WARC-Date")
        offset = self._write(response)
        concurrent = {
            "WARC-Concurrent-To": response_id,
            "WARC-Date": date,
        }
        parts = urlsplit(exchange.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc), *exchange.request_headers]
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            warc_headers_dict=concurrent,
            http_headers=StatusAndHeaders(
                f"{exchange.method} {target} {exchange.protocol}",
                request_headers,
                is_http_request=True,
            ),
        )
        self._write(request)
        if exchange.evidence:
            payload = json.dumps({"evidence": exchange.evidence}, ensure_ascii=False).encode()
            metadata = writer.create_warc_record(
                exchange.url,
                "metadata",
                payload=BytesIO(payload),
                length=len(payload),
                warc_content_type="application/json",
                warc_headers_dict=concurrent,
            )
            self._write(metadata)
        assert self._stream is not None
        # Out of our buffers before anything points at the record: a killed crawl keeps it.
        self._stream.flush()
        return WarcPointer(
            file=self.files[-1],
            offset=offset,
            record_id=response_id,
            digest=response.rec_headers.get_header("WARC-Payload-Digest"),
        )

    @staticmethod
    def _response_record(writer: WARCWriter, exchange: Exchange) -> Any:
        try:
            reason = HTTPStatus(exchange.status).phrase
        except ValueError:
            reason = "Unknown"
        headers = [
            (DECHUNKED_HEADER if name.lower() == "transfer-encoding" else name, value)
            for name, value in exchange.response_headers
        ]
        http_headers = StatusAndHeaders(
            f"{exchange.status} {reason}", headers, protocol=exchange.protocol
        )
        warc_headers: dict[str, str] = {}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        if exchange.status == 304:
            # RFC/WARC 1.1 "server-not-modified" revisit: the server confirmed an earlier capture.
            warc_headers["WARC-Profile"] = (
                "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
            )
            return writer.create_warc_record(
                exchange.url,
                "revisit",
                payload=BytesIO(b""),
                length=0,
                warc_headers_dict=warc_headers,
                http_headers=http_headers,
            )
        return writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.body),
            length=len(exchange.body),
            warc_headers_dict=warc_headers,
            http_headers=http_headers,
        )

    def close(self) -> None:
        """Close the current file (a later write starts a new one)."""
        if self._stream is not None:
            self._stream.close()
        self._stream = None
        self._writer = None


def _header_list(headers: Any) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            pairs.append((key, text))
    return pairs


class WarcCaptureMiddleware:
    """Downloader middleware writing every exchange of the crawl to WARC files."""

    def __init__(self, crawler: Crawler, directory: Path, max_size: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.directory = directory
        self.max_size = max_size
        self.writer: RotatingWarcWriter | None = None
        # Records are written by one thread, in order: compression and digests release the
        # GIL, so they run beside the event loop, which is the busiest part of a fast crawl.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warc")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSARCHIVE_WARC", True):
            raise NotConfigured("WARC capture is switched off (NEWSARCHIVE_WARC)")
        folder = settings.get("NEWSARCHIVE_WARC_DIR") or default_warc_dir(
            settings.get("NEWSARCHIVE_DB") or "archive.db"
        )
        max_size = settings.getint("NEWSARCHIVE_WARC_MAX_SIZE", DEFAULT_MAX_SIZE)
        middleware = cls(crawler, Path(folder), max_size)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _writer(self) -> RotatingWarcWriter:
        if self.writer is None:
            crawl_id = self.stats.get_value("newsarchive/crawl_id")
            spider = self.crawler.spider
            info = {
                "operator-contact": self.crawler.settings.get("NEWSARCHIVE_CONTACT", ""),
                "robots": "obey" if self.crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "newsarchive-site": getattr(spider, "site_name", "") or "",
                "newsarchive-crawl": str(crawl_id or ""),
            }
            serial = f"{int(crawl_id):05d}" if crawl_id else str(os.getpid())
            prefix = f"newsarchive-{serial}"
            self.writer = RotatingWarcWriter(
                self.directory, prefix=prefix, max_size=self.max_size, info=info
            )
            self.stats.set_value("newsarchive/warc/dir", str(self.directory))
            self.stats.set_value(
                "newsarchive/warc/index", str(index_path(self.directory, crawl_id))
            )
        return self.writer

    async def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        writer = self._writer()
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=_header_list(request.headers),
            request_body=request.body or b"",
            status=response.status,
            response_headers=_header_list(response.headers),
            body=response.body,
            protocol=response.protocol or "HTTP/1.1",
            ip_address=str(response.ip_address) if response.ip_address else None,
            evidence=request.meta.get("evidence") or None,
        )
        # written before the response goes on: nothing can point at a record not on disk
        pointer = await asyncio.wrap_future(self._thread.submit(writer.write_exchange, exchange))
        request.meta["warc"] = pointer.columns()
        self.stats.set_value("newsarchive/warc/records", writer.records)
        self.stats.set_value("newsarchive/warc/bytes", writer.bytes_written)
        self.stats.set_value("newsarchive/warc/files", list(writer.files))
        return response

    def _index_file(self) -> Path:
        return index_path(self.directory, self.stats.get_value("newsarchive/crawl_id"))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._thread.shutdown(wait=True)
        if self.writer is None:
            return
        self.writer.close()
        files = [self.directory / name for name in self.writer.files]
        index = write_cdxj_index(self.directory, files, self._index_file())
        self.stats.set_value("newsarchive/warc/index", str(index))
        logger.info(
            "WARC: %d records, %d bytes in %d file(s) in %s; index %s",
            self.writer.records,
            self.writer.bytes_written,
            len(files),
            self.directory,
            index,
        )
