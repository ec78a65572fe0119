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
import errno
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
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.warcs import (
    INDEX_FOLDER,
    SPOOLED_INDEX_LINES,
    WARC_SUFFIX,
    IndexLineSpool,
    cdxj_line,
    default_warc_dir,
    index_path,
    write_index_lines,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SOFTWARE = "newsarchive/0.1 (Scrapy, warcio)"
DEFAULT_MAX_SIZE = 1_000_000_000
# The body reached us without its chunked framing; keeping the header would make readers
# try to de-chunk it. Renamed, as web archives do when they rewrite a header.
DECHUNKED_HEADER = "X-Archive-Orig-Transfer-Encoding"
# Each record is compressed in one call: warcio's own gzip wrapper compresses piece by piece
# at level 9. Level 3: on 300 KB news pages it takes 43 % of level 6's CPU (zlib's default)
# for files 13 % larger, and level 1 saves little more; NEWSARCHIVE_WARC_GZIP_LEVEL trades
# size for CPU either way (docs/archiving.md).
GZIP_LEVEL = 3
GZIP_MEMBER = 31  # zlib wbits for a gzip header and trailer


# What a full disk looks like to a write: no space, over quota, over the file size limit.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class WarcWriteError(OSError):
    """A WARC file could not be written (the disk is full, ...); the file is left whole."""

    def __init__(self, path: Path, error: OSError):
        super().__init__(error.errno, error.strerror or str(error), str(path))
        self.path = path
        self.disk_full = error.errno in DISK_FULL_ERRNOS

    def reason(self) -> str:
        """The crawl's finish reason: what happened, to which file."""
        what = "disk full" if self.disk_full else "WARC write failed"
        return f"{what}: cannot write {self.path} ({self.strerror})"


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
        gzip_level: int = GZIP_LEVEL,
        spooled_lines: int = SPOOLED_INDEX_LINES,
    ):
        self.directory = Path(directory)
        self.gzip_level = gzip_level
        self.prefix = prefix
        self.max_size = max_size
        self.info = dict(info or {})
        self.started = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.files: list[str] = []
        self.records = 0
        self.bytes_written = 0
        # The CDXJ index line of each response written, made as it is written (cdxj_line),
        # spooled to run files beside the index past a bound
        self.index_lines = IndexLineSpool(self.directory / INDEX_FOLDER, spooled_lines)
        self._serial = 0
        self._size = 0  # of the current file
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
                # Unbuffered: what a failed write left behind is cut off at once (_append).
                self._stream = (self.directory / name).open("xb", buffering=0)
                break
            except FileExistsError:
                continue
        self._size = 0
        self.files.append(name)
        self._writer = WARCWriter(self._record_buffer, gzip=False, warc_version="1.1")
        info = {"software": SOFTWARE, "format": "WARC File Format 1.1", **self.info}
        info.setdefault("hostname", socket.gethostname())
        try:
            self._append([self._member(self._writer.create_warcinfo_record(name, info))])
        except WarcWriteError:
            # not even the warcinfo record fits: leave no empty file behind
            self.close()
            (self.directory / name).unlink(missing_ok=True)
            self.files.pop()
            raise
        logger.info("Writing WARC file %s", self.directory / name)
        return self._writer

    def _current(self) -> WARCWriter:
        if self._writer is None or self._stream is None:
            return self._open()
        if self._size >= self.max_size:
            self.close()
            return self._open()
        return self._writer

    def _member(self, record: Any) -> bytes:
        """A record serialised and compressed as its own gzip member."""
        assert self._writer is not None
        buffer = self._record_buffer
        buffer.seek(0)
        buffer.truncate()
        self._writer.write_record(record)
        # every record its own gzip member, as WARC readers and CDXJ offsets expect
        with buffer.getbuffer() as record_bytes:  # released before the next truncate
            return zlib.compress(record_bytes, self.gzip_level, GZIP_MEMBER)

    def _append(self, members: list[bytes]) -> int:
        """Append whole records to the file; returns the offset of the first one.

        All or nothing: when a write fails (a full disk), whatever part of the records reached
        the file is cut off again, so the file still ends with a whole record, and
        WarcWriteError says which file it was.
        """
        assert self._stream is not None
        offset = self._size
        data = memoryview(b"".join(members))
        written = 0
        try:
            while written < len(data):
                written += self._stream.write(data[written:]) or 0
        except OSError as error:
            path = self.directory / self.files[-1]
            try:
                os.ftruncate(self._stream.fileno(), offset)
                self._stream.seek(offset)
            except OSError as cut_error:
                logger.error("Could not cut %s back to %d bytes: %s", path, offset, cut_error)
            raise WarcWriteError(path, error) from error
        self._size += written
        self.bytes_written += written
        self.records += len(members)
        return offset

    def write_exchange(self, exchange: Exchange) -> WarcPointer:
        """Write an exchange's response, request and evidence records; returns where it went.

        The records reach the operating system (one unbuffered write) before anything points
        at them: a killed crawl keeps them. Raises WarcWriteError when the file cannot take
        them (nothing of the exchange is then left in the file).
        """
        writer = self._current()
        response = self._response_record(writer, exchange)
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        date = response.rec_headers.get_header("WARC-Date")
        members = [self._member(response)]
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
        members.append(self._member(request))
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
            members.append(self._member(metadata))
        offset = self._append(members)
        line = cdxj_line(response, self.files[-1], offset, len(members[0]))
        if line:
            self.index_lines.append(line)
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


def warc_gzip_level(settings: Any) -> int:
    """NEWSARCHIVE_WARC_GZIP_LEVEL, checked: zlib's levels 1 (fastest) to 9 (smallest)."""
    raw = settings.get("NEWSARCHIVE_WARC_GZIP_LEVEL", GZIP_LEVEL)
    try:
        level = int(raw)
    except (TypeError, ValueError):
        level = 0
    if not 1 <= level <= 9:
        raise ValueError(
            f"NEWSARCHIVE_WARC_GZIP_LEVEL must be a whole number from 1 (fastest) to 9 "
            f"(smallest files), not {raw!r}"
        )
    return level


class WarcCaptureMiddleware:
    """Downloader middleware writing every exchange of the crawl to WARC files."""

    def __init__(
        self, crawler: Crawler, directory: Path, max_size: int, gzip_level: int = GZIP_LEVEL
    ):
        self.crawler = crawler
        self.gzip_level = gzip_level
        self.stats = crawler.stats
        self.directory = directory
        self.max_size = max_size
        self.writer: RotatingWarcWriter | None = None
        # Set when a WARC file could not be written (a full disk): the crawl is stopping, and
        # no response goes on without its record.
        self.failure: WarcWriteError | None = None
        self._closing: asyncio.Task[None] | None = None
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
        middleware = cls(crawler, Path(folder), max_size, warc_gzip_level(settings))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _writer(self) -> RotatingWarcWriter:
        if self.writer is None:
            crawl_id = self.stats.get_value("newsarchive/crawl_id")
            spider = self.crawler.spider
            info = {
                "operator-contact": self.crawler.settings.get("NEWSARCHIVE_CONTACT", ""),
                "http-header-user-agent": self.crawler.settings.get("USER_AGENT", ""),
                "robots": "obey" if self.crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "newsarchive-site": getattr(spider, "site_name", "") or "",
                "newsarchive-crawl": str(crawl_id or ""),
            }
            serial = f"{int(crawl_id):05d}" if crawl_id else str(os.getpid())
            prefix = f"newsarchive-{serial}"
            self.writer = RotatingWarcWriter(
                self.directory,
                prefix=prefix,
                max_size=self.max_size,
                info=info,
                gzip_level=self.gzip_level,
            )
            self.stats.set_value("newsarchive/warc/dir", str(self.directory))
            self.stats.set_value(
                "newsarchive/warc/index", str(index_path(self.directory, crawl_id))
            )
        return self.writer

    async def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if self.failure is not None:
            raise IgnoreRequest(f"not archived, the crawl is stopping: {self.failure.reason()}")
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
        try:
            pointer = await asyncio.wrap_future(
                self._thread.submit(writer.write_exchange, exchange)
            )
        except WarcWriteError as error:
            self._stop_crawl(error)
            raise IgnoreRequest(f"not archived: {error.reason()}") from error
        request.meta["warc"] = pointer.columns()
        self.stats.set_value("newsarchive/warc/records", writer.records)
        self.stats.set_value("newsarchive/warc/bytes", writer.bytes_written)
        self.stats.set_value("newsarchive/warc/files", list(writer.files))
        return response

    def _stop_crawl(self, error: WarcWriteError) -> None:
        """A response that cannot be archived must not be stored: stop the crawl, loudly."""
        if self.failure is not None:
            return
        self.failure = error
        logger.error(
            "%s. Stopping the crawl: every exchange before this one is in the file, whole; "
            "free some space and crawl again to fetch the rest.",
            error.reason(),
        )
        engine = self.crawler.engine
        if engine is not None:
            self._closing = asyncio.ensure_future(engine.close_spider_async(reason=error.reason()))

    def _index_file(self) -> Path:
        return index_path(self.directory, self.stats.get_value("newsarchive/crawl_id"))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._thread.shutdown(wait=True)
        if self.writer is None:
            return
        self.writer.close()
        files = [self.directory / name for name in self.writer.files]
        try:
            # from the lines made as the records were written: the files are not read again
            index = write_index_lines(self.writer.index_lines, self._index_file())
        except OSError as error:
            # A full disk again: the WARC files are whole; `newsarchive verify --repair`
            # writes the index later.
            self.stats.set_value("newsarchive/warc/index", None)
            logger.error("Cannot write the CDXJ index %s: %s", self._index_file(), error)
            return
        finally:
            self.writer.index_lines.discard()
        self.stats.set_value("newsarchive/warc/index", str(index))
        logger.info(
            "WARC: %d records, %d bytes in %d file(s) in %s; index %s",
            self.writer.records,
            self.writer.bytes_written,
            len(files),
            self.directory,
            index,
        )
