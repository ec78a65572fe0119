"""Extension: a crawl holds its archive's lock (archive/lock.py) from start to end.

However the crawl is started (`newsarchive crawl`, `scrapy crawl`, scrapyd), a second crawl of
the same archive cannot run alongside it: it stops before fetching anything.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.lock import ArchiveLock

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ArchiveLockExtension:
    """Takes `<NEWSARCHIVE_DB>.lock` when the crawler starts, releases it when it stops."""

    def __init__(self, lock: ArchiveLock):
        self.lock = lock

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveLockExtension:
        settings = crawler.settings
        if not settings.getbool("NEWSARCHIVE_LOCK", True):
            raise NotConfigured("the archive lock is switched off (NEWSARCHIVE_LOCK)")
        # Raises ArchiveLocked when another process crawls this archive: the crawl never starts.
        lock = ArchiveLock(settings.get("NEWSARCHIVE_DB") or "archive.db").acquire()
        extension = cls(lock)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        self.lock.release()
