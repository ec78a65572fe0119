"""The crawl ledger: one `crawls` row per run and one `crawl_errors` row per failed URL."""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured

from archive.db import (
    close_abandoned_crawls,
    finish_crawl,
    open_archive,
    record_crawl_error,
    start_crawl,
)
from crawler.archiving import archiving_columns
from crawler.costs import REQUEST_KINDS, TRAPS_CUT_STAT, request_counts
from crawler.signals import crawl_error

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlite_utils import Database

logger = logging.getLogger(__name__)

# The signal that stopped the crawl (SIGINT, SIGTERM), set by crawler.runner.GracefulShutdown.
SHUTDOWN_SIGNAL_STAT = "newsarchive/shutdown_signal"

# Reasons Scrapy gives for closing a spider that mean the run did its work.
COMPLETED_REASONS = frozenset(
    {"finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout"}
)


def crawl_status(reason: str, pages: int) -> str:
    """The ledger status of a run: finished, interrupted or failed."""
    if reason == "shutdown":
        return "interrupted"
    if reason in COMPLETED_REASONS and pages > 0:
        return "finished"
    return "failed"


class CrawlLedger:
    """Records each run and its failed URLs in the archive, so runs can be audited in Datasette."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_path: str = crawler.settings.get("NEWSARCHIVE_DB")
        if not self.db_path:
            raise NotConfigured("NEWSARCHIVE_DB is not set")
        self.trigger: str = crawler.settings.get("NEWSARCHIVE_TRIGGER", "manual")
        self.db: Database | None = None
        self.crawl_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlLedger:
        ledger = cls(crawler)
        crawler.signals.connect(ledger.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ledger.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ledger.record_error, signal=crawl_error)
        return ledger

    def spider_opened(self, spider: Spider) -> None:
        self.db = open_archive(self.db_path)
        if self.crawler.settings.getbool("NEWSARCHIVE_LOCK", True):
            close_abandoned_crawls(self.db)  # we hold the archive's lock (crawler/lock.py)
        self.crawl_id = start_crawl(
            self.db,
            site=getattr(spider, "site_name", None),
            start_urls=getattr(spider, "start_urls", []),
            trigger=self.trigger,
        )
        self.crawler.stats.set_value("newsarchive/crawl_id", self.crawl_id)
        logger.info("Crawl %s started, archive %s", self.crawl_id, self.db_path)

    def record_error(self, url: str, status: int | None, reason: str) -> None:
        self.crawler.stats.inc_value("newsarchive/errors")
        if self.db is None or self.crawl_id is None:
            return
        record_crawl_error(self.db, self.crawl_id, url=url, status=status, reason=reason)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.db is None or self.crawl_id is None:
            return
        stats = self.crawler.stats
        counts = ledger_counts(stats.get_stats())
        status = crawl_status(reason, counts["pages_fetched"])
        finish_reason = reason
        signame = stats.get_value(SHUTDOWN_SIGNAL_STAT)
        if reason == "shutdown" and signame:
            finish_reason = f"shutdown on {signame}"
        try:
            archiving = archiving_columns(self.db, self.crawl_id, stats.get_stats())
            finish_crawl(
                self.db,
                self.crawl_id,
                status=status,
                finish_reason=finish_reason,
                **counts,
                **archiving,
            )
        except sqlite3.Error as error:
            # A full disk can refuse even this row; the next crawl marks it crashed.
            logger.error(
                "Crawl %s %s (%s), but its ledger row could not be written to %s: %s",
                self.crawl_id,
                status,
                finish_reason,
                self.db_path,
                error,
            )
            self.db.close()
            return
        log = logger.info if status == "finished" else logger.error
        log("Crawl %s %s (%s): %s", self.crawl_id, status, finish_reason, counts)
        self.db.close()


def ledger_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The crawl ledger's counters, read from Scrapy's stats."""

    def stat(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    requests = request_counts(stats)
    return {
        "pages_fetched": stat("newsarchive/pages"),
        "bytes": stat("downloader/response_bytes"),
        "articles_new": stat("newsarchive/articles/new"),
        "articles_updated": stat("newsarchive/articles/updated"),
        "articles_unchanged": stat("newsarchive/articles/unchanged"),
        "articles_failed": stat("newsarchive/extraction/failed"),
        "not_articles": stat("newsarchive/not_article"),
        "robots_denied": stat("robotstxt/forbidden"),
        "errors": stat("newsarchive/errors"),
        # what the crawl cost (crawler/costs.py): requests to the server by kind
        "requests": requests["total"],
        **{f"requests_{kind}": requests[kind] for kind in REQUEST_KINDS},
        "traps_cut": stat(TRAPS_CUT_STAT),
        # what the yield rules decided (crawler/frontier.py)
        "articles_moved": stat("newsarchive/articles/moved"),
        "listings_stopped": stat("newsarchive/listings/sequences_stopped"),
        "listings_skipped": stat("newsarchive/listings/sequences_skipped"),
        "lastmod_untrusted": stat("newsarchive/discovery/lastmod_untrusted"),
    }
