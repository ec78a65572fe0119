"""The single writer of a distributed crawl: article records from a Redis list into the archive.

Crawler workers (`newsarchive crawl --redis URL`, crawler/distributed.py) push one JSON record
per extracted article onto `<prefix>:items`. `newsarchive ingest` is the one process that writes
them into SQLite, with `archive.db.save_articles`, the upsert by canonical URL the local crawl
uses (full-text indexes, revisions and fetch state stay in step).

Delivery is at least once, and the upsert makes it exactly once in the archive:

* items are moved atomically (LMOVE/BLMOVE) from `<prefix>:items` into `<prefix>:items:processing`,
  written in one transaction, and only then removed from the processing list;
* on start, whatever a killed ingest left in the processing list is put back at the head of the
  queue and written again (a row written twice is the same row: counted unchanged);
* a malformed item is logged, counted and moved to `<prefix>:items:dead` with the reason; the
  batch goes on.

Besides articles, workers queue what a local crawl writes itself (FORMATS): the fetch state
of sitemaps and feeds, 304 answers, crawl errors (kept as `crawl_errors` rows of the ingest's
ledger row, robots.txt denials and trap cuts included) and each worker's figures when it ends
(added up in the ledger row). For the workers' incremental planning, the ingest publishes the
archive's fetch state in Redis (`<prefix>:state`, FetchStateKeys) before its loop, and updates
it after each batch.

One ingest per archive (the archive lock, archive/lock.py) and one per queue (a lease in Redis,
`<prefix>:items:writer`): two writers would split the items between two archives.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from redis import Redis
from redis.exceptions import RedisError

from archive.db import (
    ARTICLE_COLUMNS,
    JSON_LIST_COLUMNS,
    ArchiveError,
    SaveCounts,
    close_abandoned_crawls,
    finish_crawl,
    open_archive,
    record_crawl_error,
    save_articles,
    start_crawl,
    utc_now,
)
from archive.lock import ArchiveLock, ArchiveLocked
from archive.url_state import read_fetch_state, record_fetches, record_not_modified

logger = logging.getLogger(__name__)

ITEM_FORMAT = "newsarchive-article/1"
# What else workers queue: how a sitemap or feed was fetched, a 304 for a known article, a
# crawl error (HTTP error, robots.txt denial, trap cut), and a worker's figures when it ends.
FETCH_FORMAT = "newsarchive-fetch/1"
NOT_MODIFIED_FORMAT = "newsarchive-not-modified/1"
ERROR_FORMAT = "newsarchive-error/1"
WORKER_FORMAT = "newsarchive-worker/1"
FORMATS = (ITEM_FORMAT, FETCH_FORMAT, NOT_MODIFIED_FORMAT, ERROR_FORMAT, WORKER_FORMAT)
# Ledger columns the workers' figures add up to (crawler.ledger.ledger_counts names them).
WORKER_COUNTS = (
    "pages_fetched",
    "bytes",
    "not_articles",
    "articles_failed",
    "requests",
    "listings_stopped",
    "listings_skipped",
)
DEFAULT_PREFIX = "newsarchive"
DEFAULT_BATCH_SIZE = 500
# How long one wait for new items lasts: the longest a stop request (SIGTERM) waits to be seen.
POLL_SECONDS = 1.0
LEASE_SECONDS = 30
PROGRESS_EVERY = 10.0

# Errors from a record's content (a wrong type SQLite cannot bind, say): that record goes to
# the dead letters. Anything else from SQLite (a full disk, a lock) stops the ingest instead.
RECORD_ERRORS = (
    sqlite3.InterfaceError,
    sqlite3.ProgrammingError,
    sqlite3.IntegrityError,
    sqlite3.DataError,
    TypeError,
    ValueError,
    KeyError,
    AttributeError,
)

_NOT_FROM_RECORDS = ("first_seen", "last_seen", "content_hash", "site", *JSON_LIST_COLUMNS)
_TEXT_FIELDS = (
    *(
        name
        for name, kind in ARTICLE_COLUMNS.items()
        if kind is str and name not in _NOT_FROM_RECORDS
    ),
    "warc_file",
    "warc_record_id",
    "warc_digest",
)
_INT_FIELDS = ("word_count", "warc_offset")

# Move up to ARGV[1] items from the queue's tail to the processing list's head, atomically.
_MOVE_BATCH = """
local moved = {}
for i = 1, tonumber(ARGV[1]) do
  local item = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not item then break end
  moved[#moved + 1] = item
end
return moved
"""
# Put everything left in the processing list back at the tail of the queue (popped next),
# oldest last so that it is written first.
_REQUEUE = """
local count = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do count = count + 1 end
return count
"""
_RENEW_LEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE_LEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_TAKE_OVER_LEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
return false
"""


class IngestError(ArchiveError):
    """The ingest cannot start or go on (Redis unreachable, the archive unwritable)."""


class WriterBusy(ArchiveLocked):
    """Another `newsarchive ingest` is already writing this queue's items."""


class MalformedItem(ValueError):
    """An item in the queue that is not an article record this ingest can store."""


@dataclass(frozen=True)
class ItemQueueKeys:
    """The Redis keys of the article queue (documented in docs/distributed.md)."""

    items: str
    processing: str
    dead: str
    writer: str

    @classmethod
    def for_prefix(cls, prefix: str = DEFAULT_PREFIX) -> ItemQueueKeys:
        items = f"{prefix}:items"
        return cls(items, f"{items}:processing", f"{items}:dead", f"{items}:writer")


@dataclass
class QueuedArticle:
    """A valid item: the extracted record (or report), its site profile, when it was captured
    and its format (ITEM_FORMAT for an article)."""

    record: dict[str, Any]
    site: str | None
    captured_at: str
    raw: bytes
    format: str = ITEM_FORMAT
    worker: str | None = None


@dataclass(frozen=True)
class FetchStateKeys:
    """Where the ingest publishes the archive's fetch state for the workers' revisit planning:
    a hash URL → JSON row (as archive.url_state.read_fetch_state gives it), the URLs taken
    down, the aliases, and when and from which archive it was published."""

    rows: str
    removed: str
    aliases: str
    info: str

    @classmethod
    def for_prefix(cls, prefix: str = DEFAULT_PREFIX) -> FetchStateKeys:
        base = f"{prefix}:state"
        return cls(base, f"{base}:removed", f"{base}:aliases", f"{base}:info")


def redact_url(url: str) -> str:
    """A Redis URL fit for logs and the ledger: any password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def connect(url: str) -> Any:
    """A Redis client for `url`, checked with a PING; IngestError says why it cannot connect."""
    try:
        client = Redis.from_url(url, socket_connect_timeout=10, socket_timeout=30)
        client.ping()
    except (RedisError, ValueError) as error:
        raise IngestError(f"cannot reach Redis at {redact_url(url)}: {error}") from error
    return client


def encode_item(
    record: Mapping[str, Any],
    *,
    site: str | None,
    job: str,
    worker: str,
    kind: str | None = None,
) -> bytes:
    """The queue's item for one extracted article record (the workers' side of the format), or
    for another of the FORMATS (`kind`)."""
    envelope = {
        "format": kind or ITEM_FORMAT,
        "site": site,
        "job": job,
        "worker": worker,
        "captured_at": utc_now(),
        "record": dict(record),
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _iso_utc(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def decode_item(raw: bytes) -> QueuedArticle:
    """Parse and check one queued item; MalformedItem says what is wrong with it."""
    try:
        envelope = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedItem(f"not JSON ({error})") from None
    if not isinstance(envelope, dict):
        raise MalformedItem(f"not a JSON object but a {type(envelope).__name__}")
    kind = envelope.get("format")
    if kind not in FORMATS:
        raise MalformedItem(
            f"format {kind!r} is not {ITEM_FORMAT!r} (written by another version of newsarchive?)"
        )
    record = envelope.get("record")
    if not isinstance(record, dict):
        raise MalformedItem("no 'record' object")
    now = utc_now()
    captured_at = min(_iso_utc(envelope.get("captured_at")) or now, now)  # never in the future
    worker = envelope.get("worker") if isinstance(envelope.get("worker"), str) else None
    if kind != ITEM_FORMAT:
        _check_report(kind, record)
        site = envelope.get("site") if isinstance(envelope.get("site"), str) else None
        return QueuedArticle(record, site, captured_at, raw, format=kind, worker=worker)
    url = record.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise MalformedItem(f"record has no http(s) 'url' (got {url!r:.80})")
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise MalformedItem(f"{url}: {name!r} should be text, not {type(value).__name__}")
    for name in _INT_FIELDS:
        value = record.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise MalformedItem(f"{url}: {name!r} should be an integer, not {value!r:.40}")
    for name in JSON_LIST_COLUMNS:
        value = record.get(name)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            raise MalformedItem(f"{url}: {name!r} should be a list of strings")
    if record.get("fetch") is not None and not isinstance(record["fetch"], dict):
        raise MalformedItem(f"{url}: 'fetch' should be an object")
    site = envelope.get("site")
    if site is not None and not isinstance(site, str):
        raise MalformedItem(f"{url}: 'site' should be text")
    return QueuedArticle(record=record, site=site, captured_at=captured_at, raw=raw, worker=worker)


def _check_report(kind: str, record: dict[str, Any]) -> None:
    """Check an item that is not an article (FETCH_FORMAT, ERROR_FORMAT …)."""
    if kind == WORKER_FORMAT:
        counts = record.get("counts")
        if not isinstance(counts, dict) or not all(
            isinstance(value, int) and not isinstance(value, bool) for value in counts.values()
        ):
            raise MalformedItem("a worker's report needs 'counts', a map of integers")
        return
    url = record.get("url")
    # a trap cut names a URL pattern, every other report an http(s) URL
    web = isinstance(url, str) and urlsplit(url).scheme in ("http", "https")
    if not web and not (kind == ERROR_FORMAT and isinstance(url, str) and url):
        raise MalformedItem(f"{kind} item has no http(s) 'url' (got {url!r:.80})")
    if kind == ERROR_FORMAT:
        status = record.get("status")
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
            raise MalformedItem(f"{url}: 'status' should be an integer")
        if not isinstance(record.get("reason"), str):
            raise MalformedItem(f"{url}: 'reason' should be text")
        return
    fetch = record.get("fetch")
    if not isinstance(fetch, dict) or fetch.get("url") != url:
        raise MalformedItem(f"{url}: 'fetch' should be an object with the same 'url'")


def dead_letter(raw: bytes, reason: str) -> bytes:
    """What the dead-letter list keeps of a rejected item: the reason, when, and the item."""
    return json.dumps(
        {"reason": reason, "at": utc_now(), "item": raw.decode("utf-8", errors="replace")},
        ensure_ascii=False,
    ).encode("utf-8")


@dataclass
class IngestOptions:
    """Where to read items from, which archive to write, when to stop."""

    redis_url: str
    db: str = "archive.db"
    prefix: str = DEFAULT_PREFIX
    batch_size: int = DEFAULT_BATCH_SIZE
    # Stop after this many seconds without a new item; None: run until SIGTERM or SIGINT.
    idle_exit: float | None = None


@dataclass
class IngestReport:
    """What one run of the ingest did; also its row in the `crawls` ledger."""

    crawl_id: int | None = None
    status: str = "running"
    stop_reason: str = ""
    items: int = 0
    batches: int = 0
    counts: SaveCounts = field(default_factory=SaveCounts)
    dead: int = 0
    requeued: int = 0
    seconds: float = 0.0
    sites: set[str] = field(default_factory=set)
    warc_files: set[str] = field(default_factory=set)
    earliest_capture: str | None = None
    # What the workers reported besides articles.
    crawl_errors: int = 0
    robots_denied: int = 0
    traps_cut: int = 0
    not_modified: int = 0
    fetch_records: int = 0
    workers: set[str] = field(default_factory=set)
    worker_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    published_urls: int = 0

    @property
    def items_per_second(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0


class WriterLease:
    """`<prefix>:items:writer`: which ingest writes this queue; expires unless renewed."""

    def __init__(self, client: Any, key: str, db: str):
        self.client = client
        self.key = key
        self.token = json.dumps(
            {
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "db": str(Path(db).resolve()),
                "since": utc_now(),
            }
        )

    def acquire(self) -> None:
        if self.client.set(self.key, self.token, nx=True, ex=LEASE_SECONDS):
            return
        holder = self.client.get(self.key)
        if holder is not None and self._holder_is_dead(holder):
            taken = self.client.eval(
                _TAKE_OVER_LEASE, 1, self.key, holder, self.token, LEASE_SECONDS
            )
            if taken:
                logger.warning("Took over the writer lease of a dead ingest: %s", holder.decode())
                return
        raise WriterBusy(
            f"another ingest writes the items of {self.key.removesuffix(':writer')}: "
            f"{self._describe(holder)}; its claim lapses {LEASE_SECONDS} s after it stops"
        )

    @staticmethod
    def _describe(holder: bytes | None) -> str:
        try:
            info = json.loads(holder or b"{}")
            where = f"pid {info['pid']} on {info['host']}"
            return f"{where}, archive {info['db']}, since {info['since']}"
        except (ValueError, KeyError, TypeError):
            return repr(holder)

    @staticmethod
    def _holder_is_dead(holder: bytes) -> bool:
        """A holder on this machine whose process is gone (killed): its lease can be taken."""
        try:
            info = json.loads(holder)
            if info["host"] != socket.gethostname():
                return False
            os.kill(int(info["pid"]), 0)
        except ProcessLookupError:
            return True
        except (ValueError, KeyError, TypeError, PermissionError):
            return False
        return False

    def renew(self) -> None:
        if not self.client.eval(_RENEW_LEASE, 1, self.key, self.token, LEASE_SECONDS):
            raise IngestError(
                f"lost the writer lease {self.key} (this process stalled for over "
                f"{LEASE_SECONDS} s and another ingest took over?)"
            )

    def release(self) -> None:
        self.client.eval(_RELEASE_LEASE, 1, self.key, self.token)


class _StopSignals:
    """SIGTERM and SIGINT ask the loop to stop after the batch in hand."""

    def __init__(self) -> None:
        self.received: str | None = None
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None:
            logger.info("%s received: finishing the batch in hand", signal.Signals(signum).name)
        self.received = signal.Signals(signum).name

    @contextmanager
    def installed(self) -> Iterator[_StopSignals]:
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._previous[signum] = signal.signal(signum, self._handle)
        try:
            yield self
        finally:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)


class Ingest:
    """Reads batches from the queue and writes them into the archive; see the module doc."""

    def __init__(self, options: IngestOptions, client: Any):
        self.options = options
        self.client = client
        self.keys = ItemQueueKeys.for_prefix(options.prefix)
        self.report = IngestReport()
        self._move_batch = client.register_script(_MOVE_BATCH)
        self.db: Any = None

    # --- the queue ---

    def requeue_leftovers(self) -> int:
        """Put back what an ingest that died left in the processing list; returns how many."""
        count = int(self.client.eval(_REQUEUE, 2, self.keys.processing, self.keys.items))
        if count:
            logger.warning(
                "Re-queued %d item(s) that an earlier ingest took but did not confirm "
                "(it was killed or failed); they are written again now",
                count,
            )
        return count

    def next_batch(self, wait: float) -> list[bytes]:
        """Up to batch_size items, moved into the processing list; waits `wait` s for the first."""
        size = self.options.batch_size
        batch = list(self._move_batch(keys=[self.keys.items, self.keys.processing], args=[size]))
        if batch or wait <= 0:
            return batch
        first = self.client.blmove(self.keys.items, self.keys.processing, wait, "RIGHT", "LEFT")
        if first is None:
            return []
        more = self._move_batch(keys=[self.keys.items, self.keys.processing], args=[size - 1])
        return [first, *more]

    def confirm(self, count: int) -> None:
        """The batch is in the archive: drop it from the processing list (it is at the head)."""
        self.client.ltrim(self.keys.processing, count, -1)

    def reject(self, raw: bytes, reason: str) -> None:
        logger.error("Malformed item moved to %s: %s", self.keys.dead, reason)
        self.client.lpush(self.keys.dead, dead_letter(raw, reason))
        self.report.dead += 1

    # --- the archive ---

    def write(self, articles: list[QueuedArticle]) -> SaveCounts:
        """Save one batch in one transaction; the records of each site with that site's name."""
        groups: dict[str | None, list[QueuedArticle]] = defaultdict(list)
        for article in articles:
            groups[article.site].append(article)
        counts = SaveCounts()
        with self.db.atomic():
            for site, group in groups.items():
                # The batch's newest capture time: first_seen/last_seen say when it was fetched.
                seen_at = max(article.captured_at for article in group)
                counts += save_articles(
                    self.db, [article.record for article in group], site=site, seen_at=seen_at
                )
        return counts

    def write_one_by_one(self, articles: list[QueuedArticle], error: Exception) -> SaveCounts:
        """A batch SQLite refused: write its records singly, dead-lettering those that fail.

        Removes the failed ones from `articles`.
        """
        logger.warning("A batch could not be written (%s); writing its items one by one", error)
        counts = SaveCounts()
        for article in list(articles):
            try:
                counts += self.write([article])
            except RECORD_ERRORS as item_error:
                url = article.record.get("url")
                self.reject(article.raw, f"{url}: cannot be stored: {item_error}")
                articles.remove(article)
        return counts

    def handle(self, batch: list[bytes]) -> None:
        """Write one batch taken from the queue (malformed items go to the dead letters)."""
        articles = []
        reports = []
        for raw in batch:
            try:
                item = decode_item(raw)
            except MalformedItem as error:
                self.reject(raw, str(error))
                continue
            (articles if item.format == ITEM_FORMAT else reports).append(item)
        if reports:
            self.write_reports(reports)
        if articles:
            try:
                counts = self.write(articles)
            except RECORD_ERRORS as error:
                counts = self.write_one_by_one(articles, error)
            self.report.counts += counts
        report = self.report
        for article in articles:
            report.items += 1
            if article.site:
                report.sites.add(article.site)
            if article.record.get("warc_file"):
                report.warc_files.add(article.record["warc_file"])
            if report.earliest_capture is None or article.captured_at < report.earliest_capture:
                report.earliest_capture = article.captured_at
        report.batches += 1
        self.update_ledger()
        self.publish_batch_state([*articles, *reports])

    def write_reports(self, reports: list[QueuedArticle]) -> None:
        """Fetch state, 304s, crawl errors and worker figures, in one transaction."""
        report = self.report
        with self.db.atomic():
            for item in reports:
                record = item.record
                if item.worker:
                    report.workers.add(item.worker)
                if item.site:
                    report.sites.add(item.site)
                if item.format == FETCH_FORMAT:
                    record_fetches(self.db, [record["fetch"]], item.captured_at)
                    report.fetch_records += 1
                elif item.format == NOT_MODIFIED_FORMAT:
                    touched = record_not_modified(self.db, [record["fetch"]], item.captured_at)
                    report.counts.unchanged += touched
                    report.not_modified += 1
                elif item.format == ERROR_FORMAT:
                    self.record_error(record)
                elif item.format == WORKER_FORMAT:
                    for name, value in record["counts"].items():
                        if name in WORKER_COUNTS or name.startswith("requests_"):
                            report.worker_counts[name] += value

    def record_error(self, error: dict[str, Any]) -> None:
        report = self.report
        kind = error.get("kind")
        if kind == "robots":
            report.robots_denied += 1
        else:
            report.crawl_errors += 1
            report.traps_cut += kind == "trap"
        if report.crawl_id is not None:
            record_crawl_error(
                self.db,
                report.crawl_id,
                url=error["url"],
                status=error.get("status"),
                reason=error["reason"],
            )

    # --- the fetch state the workers plan revisits from ---

    def publish_fetch_state(self) -> int:
        """Publish the archive's whole fetch state in Redis (replacing what was there)."""
        keys = FetchStateKeys.for_prefix(self.options.prefix)
        rows, removed, aliases = read_fetch_state(self.options.db)
        staging = FetchStateKeys.for_prefix(f"{self.options.prefix}:staging")
        self.client.delete(staging.rows, staging.removed, staging.aliases)
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            self.client.hset(staging.rows, mapping={row[0]: json.dumps(row) for row in chunk})
        if removed:
            self.client.sadd(staging.removed, *removed)
        for start in range(0, len(aliases), 1000):
            chunk = dict(list(aliases.items())[start : start + 1000])
            self.client.hset(staging.aliases, mapping=chunk)
        info = json.dumps(
            {"archive": str(Path(self.options.db).resolve()), "at": utc_now(), "urls": len(rows)}
        )
        # One transaction: workers see the old state or the new one, never half of it.
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(keys.rows, keys.removed, keys.aliases)
        for staged, key in (
            (staging.rows, keys.rows),
            (staging.removed, keys.removed),
            (staging.aliases, keys.aliases),
        ):
            if self.client.exists(staged):  # RENAME fails on a missing key
                pipe.rename(staged, key)
        pipe.set(keys.info, info)
        pipe.execute()
        self.report.published_urls = len(rows)
        logger.info(
            "Published the fetch state of %d URL(s) in %s for the workers' incremental planning",
            len(rows),
            keys.rows,
        )
        return len(rows)

    def publish_batch_state(self, items: list[QueuedArticle]) -> None:
        """Update the published fetch state with the URLs this batch stored."""
        urls: set[str] = set()
        for item in items:
            fetch = item.record.get("fetch")
            if isinstance(fetch, dict) and isinstance(fetch.get("url"), str):
                urls.add(fetch["url"])
            if item.format == ITEM_FORMAT:
                urls.add(item.record["url"])
        if not urls:
            return
        keys = FetchStateKeys.for_prefix(self.options.prefix)
        rows, aliases = fetch_state_of(self.db, sorted(urls))
        pipe = self.client.pipeline(transaction=False)
        if rows:
            pipe.hset(keys.rows, mapping={row[0]: json.dumps(row) for row in rows})
        if aliases:
            pipe.hset(keys.aliases, mapping=aliases)
        pipe.execute()

    # --- the ledger ---

    def start_ledger(self, source: str) -> None:
        close_abandoned_crawls(self.db)  # we hold the archive lock: 'running' rows are dead
        self.report.crawl_id = start_crawl(
            self.db, site=None, start_urls=[source], trigger="ingest"
        )

    def update_ledger(self, **final: Any) -> None:
        report = self.report
        if report.crawl_id is None:
            return
        columns = {
            "site": ", ".join(sorted(report.sites)) or None,
            "pages_fetched": 0,  # the workers' figures, added up as each one ends (below)
            "articles_new": report.counts.new,
            "articles_updated": report.counts.updated,
            "articles_unchanged": report.counts.unchanged,
            "articles_failed": 0,
            "errors": report.dead + report.crawl_errors,
            "robots_denied": report.robots_denied,
            "traps_cut": report.traps_cut,
            "warc_files": json.dumps(sorted(report.warc_files)) if report.warc_files else None,
            **report.worker_counts,
        }
        if final:
            finish_crawl(self.db, report.crawl_id, **columns, **final)
        else:
            self.db["crawls"].update(report.crawl_id, columns)

    def finish_ledger(self) -> None:
        from archive.quality import field_drift_warnings

        report = self.report
        warnings: list[str] = []
        if report.status == "finished" and report.earliest_capture:
            warnings = field_drift_warnings(self.db, report.earliest_capture)
            for warning in warnings:
                logger.warning("FIELD DROP in ingest %s: %s", report.crawl_id, warning)
        self.update_ledger(
            status=report.status,
            finish_reason=report.stop_reason,
            warnings=json.dumps(warnings, ensure_ascii=False) if warnings else None,
        )

    # --- the loop ---

    def run(self, stop: _StopSignals, lease: WriterLease) -> None:
        idle_exit = self.options.idle_exit
        started = last_item = last_progress = time.monotonic()
        self.report.requeued = self.requeue_leftovers()
        while stop.received is None:
            idle_for = time.monotonic() - last_item
            wait = POLL_SECONDS
            if idle_exit is not None:
                wait = max(0.0, min(wait, idle_exit - idle_for))
            batch = self.next_batch(wait)
            if batch:
                self.handle(batch)
                self.confirm(len(batch))
                last_item = time.monotonic()
            elif idle_exit is not None and time.monotonic() - last_item >= idle_exit:
                self.report.stop_reason = f"idle for {idle_exit:g} s"
                break
            lease.renew()
            if time.monotonic() - last_progress >= PROGRESS_EVERY:
                last_progress = time.monotonic()
                report = self.report
                logger.info(
                    "Ingested %d items (%.0f/s), %d malformed; %d waiting in %s",
                    report.items,
                    report.items / (last_progress - started),
                    report.dead,
                    self.client.llen(self.keys.items),
                    self.keys.items,
                )
        if stop.received is not None:
            self.report.stop_reason = stop.received
        self.report.seconds = time.monotonic() - started


def run_ingest(options: IngestOptions) -> IngestReport:
    """Write the queue's items into the archive until idle or stopped; returns the report.

    Raises ArchiveLocked (another process writes this archive), WriterBusy (another ingest reads
    this queue) or IngestError (Redis unreachable, the archive unwritable).
    """
    client = connect(options.redis_url)
    keys = ItemQueueKeys.for_prefix(options.prefix)
    with ArchiveLock(options.db, purpose="ingest"):
        lease = WriterLease(client, keys.writer, options.db)
        lease.acquire()
        ingest = Ingest(options, client)
        try:
            ingest.db = open_archive(options.db)
            ingest.start_ledger(f"{redact_url(options.redis_url)} {keys.items}")
            logger.info(
                "Ingest %s: writing items from %s at %s into %s",
                ingest.report.crawl_id,
                keys.items,
                redact_url(options.redis_url),
                options.db,
            )
            with _StopSignals().installed() as stop:
                try:
                    # Before the loop (and the workers, started after it): incremental planning.
                    ingest.publish_fetch_state()
                    ingest.run(stop, lease)
                    ingest.report.status = "finished"
                except sqlite3.Error as error:
                    ingest.report.status = "failed"
                    ingest.report.stop_reason = f"archive error: {error}"
                    raise IngestError(
                        f"cannot write to the archive {options.db}: {error}; the batch in hand "
                        f"stays in {keys.processing} and is written when ingest starts again"
                    ) from error
                except RedisError as error:
                    ingest.report.status = "failed"
                    ingest.report.stop_reason = f"Redis error: {error}"
                    raise IngestError(
                        f"lost Redis at {redact_url(options.redis_url)}: {error}; what was "
                        f"taken but not written stays in {keys.processing} and is written "
                        "when ingest starts again"
                    ) from error
                except Exception as error:
                    ingest.report.status = "failed"
                    ingest.report.stop_reason = f"{type(error).__name__}: {error}"
                    raise
                finally:
                    _close_ledger(ingest)
        finally:
            try:
                lease.release()
            except RedisError as error:  # gone with Redis; it lapses by itself
                logger.warning("Could not release the writer lease %s: %s", keys.writer, error)
            if ingest.db is not None:
                ingest.db.close()
    return ingest.report


def _close_ledger(ingest: Ingest) -> None:
    try:
        ingest.finish_ledger()
    except sqlite3.Error as error:  # the archive that failed may refuse this too
        logger.error("Could not close ingest %s's ledger row: %s", ingest.report.crawl_id, error)


def fetch_state_of(db: Any, urls: list[str]) -> tuple[list[list[Any]], dict[str, str]]:
    """The fetch-state rows (as read_fetch_state gives them) of these URLs, and the aliases
    that lead to them."""
    rows: list[list[Any]] = []
    aliases: dict[str, str] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows += [
            list(row)
            for row in db.execute(
                "SELECT s.url, s.etag, s.last_modified, s.lastmod, s.last_fetched, "
                "s.last_changed, a.published, s.kind, s.content_hash, s.lastmod_trusted "
                "FROM url_state s LEFT JOIN articles a ON a.url = s.url "
                f"WHERE s.last_fetched IS NOT NULL AND s.url IN ({marks})",
                chunk,
            ).fetchall()
        ]
        aliases.update(
            db.execute(f"SELECT alias, url FROM url_aliases WHERE url IN ({marks})", chunk)
        )
    return rows, aliases


def read_published_fetch_state(
    client: Any, prefix: str = DEFAULT_PREFIX
) -> tuple[list[tuple[Any, ...]], set[str], dict[str, str]] | None:
    """The fetch state an ingest published (rows, taken down, aliases, as read_fetch_state
    returns them), or None when no ingest has published any under this prefix."""
    keys = FetchStateKeys.for_prefix(prefix)
    if not client.exists(keys.info):
        return None
    rows = [tuple(json.loads(row)) for row in client.hvals(keys.rows)]
    removed = {url.decode() for url in client.smembers(keys.removed)}
    aliases = {alias.decode(): url.decode() for alias, url in client.hgetall(keys.aliases).items()}
    return rows, removed, aliases


def summary_line(report: IngestReport, keys: ItemQueueKeys) -> str:
    counts = report.counts
    return (
        f"Ingest {report.crawl_id} {report.status} ({report.stop_reason}): "
        f"{report.items} items in {report.batches} batches "
        f"({report.items_per_second:.0f} items/s), "
        f"articles {counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged; "
        f"{report.dead} malformed (dead letters in {keys.dead}), "
        f"{report.requeued} re-queued from an earlier run; "
        f"{report.crawl_errors} crawl errors and {report.robots_denied} robots.txt denials "
        f"from {len(report.workers)} worker(s), {report.not_modified} not modified (304)"
    )
