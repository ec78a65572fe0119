"""Item pipeline: turn fetched pages into article records, in a process pool."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from scrapy import Spider
from scrapy.exceptions import DropItem

from crawler.items import FetchedPage, FetchRecord
from crawler.signals import crawl_error, page_extracted
from crawler.workers import ExtractionPool, Outcome

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ExtractionPipeline:
    """Extracts each FetchedPage off the event loop; drops pages that are not articles."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.pool = ExtractionPool(
            workers=crawler.settings.getint("NEWSARCHIVE_EXTRACT_WORKERS", 0),
            time_limit=crawler.settings.getfloat("NEWSARCHIVE_EXTRACT_TIMEOUT", 30.0),
        )
        self.profile_name: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        self.profile_name = getattr(spider, "site_name", None)

    def close_spider(self, spider: Spider | None = None) -> None:
        self.pool.close()

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        outcome: Outcome | None = None
        decided: asyncio.Future[bool] | None = None
        try:
            outcome = await self.pool.extract(
                item.body,
                item.url,
                profile_name=self.profile_name,
                declared_encoding=item.declared_encoding,
                evidence=item.evidence,
                read_links=item.read_links,
            )
        finally:
            # The spider waits for these to follow the page's links; without them (the worker
            # died, or the crawl is stopping) it parses the page itself.
            if item.read_links:
                decided = self.crawler.spider.links_read(
                    item.url,
                    outcome.links if outcome is not None else None,
                    is_article=outcome.kind == "article" if outcome is not None else None,
                )
        # its links are followed in the order pages were handed over: earlier pages first
        still_page = decided is None or await decided
        if not still_page:
            # its own links show it has pages of its own: a listing, never extracted when the
            # spider reads the links itself
            self.stats.inc_value("newsarchive/links/listing_after_all")
            raise DropItem(f"a listing: {item.url}", log_level="DEBUG")
        self.crawler.signals.send_catch_log(
            page_extracted,
            url=item.url,
            is_article=outcome.kind == "article",
            links_followed=item.read_links,
        )
        if outcome.kind == "article":
            self.stats.inc_value("newsarchive/extraction/articles")
            # The archived response it came from, and how it was fetched (docs/archiving.md).
            return {**(outcome.record or {}), **(item.warc or {}), "fetch": item.fetch}
        if outcome.kind == "not_article":
            self.stats.inc_value("newsarchive/not_article")
            logger.debug("Not an article: %s: %s", outcome.reason, item.url)
            # Remembered, so that later crawls do not fetch it again until it is due.
            return FetchRecord(url=item.url, fetch={**(item.fetch or {}), "kind": "page"})
        self.stats.inc_value("newsarchive/extraction/failed")
        self.stats.inc_value(f"newsarchive/extraction/{outcome.kind}")
        self.crawler.signals.send_catch_log(
            crawl_error, url=item.url, status=None, reason=outcome.reason
        )
        raise DropItem(f"{outcome.reason}: {item.url}", log_level="WARNING")
