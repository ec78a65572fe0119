"""Item pipeline: record 304 Not Modified answers of an incremental crawl, in batches."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy import Spider
from scrapy.exceptions import DropItem

from archive.db import open_archive, utc_now
from archive.url_state import record_not_modified
from crawler.items import NotModified

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlite_utils import Database

logger = logging.getLogger(__name__)

FLUSH_INTERVAL = 2.0


class NotModifiedPipeline:
    """A 304 means the archived article is current: touch its `last_seen`, count it unchanged."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_path: str = crawler.settings.get("NEWSARCHIVE_DB")
        self.batch_size = crawler.settings.getint("NEWSARCHIVE_BATCH_SIZE", 100)
        self.batch: list[dict[str, Any]] = []
        self.last_flush = time.monotonic()
        self.db: Database | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NotModifiedPipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        self.db = open_archive(self.db_path)

    def close_spider(self, spider: Spider | None = None) -> None:
        self.flush()
        if self.db is not None:
            self.db.close()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, NotModified):
            return item
        self.batch.append({**item.fetch, "url": item.url})
        self.crawler.stats.inc_value("newsarchive/not_modified")
        if (
            len(self.batch) >= self.batch_size
            or time.monotonic() - self.last_flush > FLUSH_INTERVAL
        ):
            self.flush()
        raise DropItem(f"not modified since the last crawl: {item.url}", log_level="DEBUG")

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.batch or self.db is None:
            return
        batch, self.batch = self.batch, []
        touched = record_not_modified(self.db, batch, utc_now())
        self.crawler.stats.inc_value("newsarchive/articles/unchanged", touched)
