"""Item pipeline: save article records to the archive in batches."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import Spider
from twisted.internet.task import LoopingCall

from archive.db import SaveCounts, open_archive, save_articles, utc_now
from archive.revisions import move_articles
from archive.url_state import record_fetches
from crawler.items import FetchRecord
from crawler.signals import url_moved
from crawler.warc import DISK_FULL_ERRNOS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlite_utils import Database

logger = logging.getLogger(__name__)

# A batch is written at this size or after this many seconds, whichever comes first, so a
# crash loses little and a fast crawl still writes in large transactions.
FLUSH_INTERVAL = 2.0


class StoragePipeline:
    """Upserts articles by canonical URL; counts new, updated and unchanged ones."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_path: str = crawler.settings.get("NEWSARCHIVE_DB")
        self.batch_size = crawler.settings.getint("NEWSARCHIVE_BATCH_SIZE", 100)
        self.batch: list[dict[str, Any]] = []
        # How sitemaps and feeds were fetched: kept for the next crawl's conditional requests.
        self.fetch_records: list[dict[str, Any]] = []
        # URLs that answered a permanent redirect: an article stored under one has moved.
        self.moves: list[tuple[str, str]] = []
        self.last_flush = time.monotonic()
        self.db: Database | None = None
        self.site: str | None = None
        # set when the archive could not be written for lack of space: nothing more is saved
        self.disk_full: str | None = None
        self.closing: asyncio.Future[None] | None = None
        # Writes a waiting batch when no further article comes to push it out (a crawl's tail,
        # a slow site), so what was extracted is in the archive within seconds.
        self.flush_timer = LoopingCall(self._flush_if_due)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.url_moved, signal=url_moved)
        return pipeline

    def url_moved(self, old: str, new: str) -> None:
        self.moves.append((old, new))

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        self.db = open_archive(self.db_path)
        self.site = getattr(spider, "site_name", None)
        self.flush_timer.start(FLUSH_INTERVAL, now=False)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.flush_timer.running:
            self.flush_timer.stop()
        self.flush()
        if self.db is not None:
            self.db.close()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, FetchRecord):
            self.fetch_records.append({**item.fetch, "url": item.url})
            return item
        # A shallow copy: a record's values are plain (asdict's deep copy of the search
        # entry's word lists cost more than a millisecond per article).
        self.batch.append(dict(ItemAdapter(item).items()))
        if (
            len(self.batch) >= self.batch_size
            or time.monotonic() - self.last_flush > FLUSH_INTERVAL
        ):
            self.flush()
        return item

    def _flush_if_due(self) -> None:
        if time.monotonic() - self.last_flush < FLUSH_INTERVAL:
            return
        self.flush()

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if self.db is None or self.disk_full is not None:
            return
        batch, self.batch = self.batch, []
        try:
            self._write(batch)
        except (sqlite3.OperationalError, OSError) as error:
            if not is_disk_full(error):
                raise
            self._stop_crawl(error, len(batch))

    def _write(self, batch: list[dict[str, Any]]) -> None:
        assert self.db is not None
        if self.fetch_records:
            records, self.fetch_records = self.fetch_records, []
            with self.db.atomic():
                record_fetches(self.db, records, utc_now())
        if self.moves:
            # before the batch: a moved article's new capture then updates its one row
            moves, self.moves = self.moves, []
            moved = move_articles(self.db, moves, utc_now())
            self.crawler.stats.inc_value("newsarchive/articles/moved", moved)
        if not batch:
            return
        try:
            counts: SaveCounts = save_articles(self.db, batch, site=self.site)
        except Exception as error:
            if is_disk_full(error):
                raise
            # the batch was rolled back: save what can be saved, one article at a time
            logger.exception(
                "Saving a batch of %d articles failed; retrying one by one", len(batch)
            )
            counts = self._save_one_by_one(batch)
        stats = self.crawler.stats
        stats.inc_value("newsarchive/articles/new", counts.new)
        stats.inc_value("newsarchive/articles/updated", counts.updated)
        stats.inc_value("newsarchive/articles/unchanged", counts.unchanged)
        # Dutch search index: from the workers' analysis, or analyzed here (docs/performance.md)
        if counts.search_preanalyzed:
            stats.inc_value("newsarchive/search/preanalyzed", counts.search_preanalyzed)
        if counts.search_analyzed:
            stats.inc_value("newsarchive/search/analyzed_on_save", counts.search_analyzed)
        logger.debug("Saved %d articles (%s)", len(batch), counts)

    def _save_one_by_one(self, batch: list[dict[str, Any]]) -> SaveCounts:
        assert self.db is not None
        total = SaveCounts()
        for record in batch:
            try:
                counts = save_articles(self.db, [record], site=self.site)
            except Exception as error:
                self.crawler.stats.inc_value("newsarchive/articles/failed")
                logger.error("Could not save %s: %r", record.get("url"), error)
                continue
            total += counts
        return total

    def _stop_crawl(self, error: Exception, lost: int) -> None:
        """The archive's disk is full: stop the crawl, naming the file; the next run refetches."""
        self.disk_full = f"disk full: cannot write {self.db_path} ({error})"
        self.crawler.stats.inc_value("newsarchive/articles/failed", lost)
        logger.error(
            "%s. Stopping the crawl; %d extracted article(s) were not saved and will be fetched "
            "again by the next crawl, once there is space.",
            self.disk_full,
            lost,
        )
        engine = self.crawler.engine
        if engine is not None:
            self.closing = asyncio.ensure_future(engine.close_spider_async(reason=self.disk_full))


def is_disk_full(error: BaseException) -> bool:
    """Whether a write failed for lack of space (SQLite's SQLITE_FULL, or ENOSPC and the like)."""
    if isinstance(error, sqlite3.OperationalError):
        return "database or disk is full" in str(error) or "disk I/O error" in str(error)
    return isinstance(error, OSError) and error.errno in DISK_FULL_ERRNOS
