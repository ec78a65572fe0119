"""Run the `news` spider from Python with the options of `newsarchive crawl`."""

from __future__ import annotations

import ipaddress
import logging
import multiprocessing.forkserver
import signal
from collections import ChainMap
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from archive.lock import ArchiveLock
from crawler.ledger import SHUTDOWN_SIGNAL_STAT
from crawler.options import delay_at_least, delay_jitter
from crawler.workers import preload_in_fork_server

if TYPE_CHECKING:
    from crawler.options import CrawlOptions

logger = logging.getLogger(__name__)


def is_local_url(url: str) -> bool:
    """True for a URL on a loopback address (a site served on this machine)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def crawl_settings(options: CrawlOptions) -> Settings:
    """Scrapy settings: the project's defaults with the run's options applied."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    overrides: dict[str, object] = {
        "NEWSARCHIVE_DB": options.db,
        "NEWSARCHIVE_TRIGGER": options.trigger,
        "LOG_LEVEL": options.log_level,
    }
    if options.delay is not None:
        # --delay is a minimum: the randomised delay is centred above it, by the jitter the run
        # will draw with (a --set DOWNLOAD_DELAY_JITTER included)
        jitter = delay_jitter(ChainMap(options.extra_settings, settings))
        overrides["DOWNLOAD_DELAY"] = delay_at_least(options.delay, jitter)
        if options.delay == 0:
            # No politeness wanted (a local copy): full speed, no throttling.
            overrides.update(
                AUTOTHROTTLE_ENABLED=False,
                CONCURRENT_REQUESTS=32,
                CONCURRENT_REQUESTS_PER_DOMAIN=32,
                DOWNLOAD_DELAY_JITTER=0,
            )
        else:
            overrides["AUTOTHROTTLE_START_DELAY"] = options.delay
    if options.max_pages:
        overrides["CLOSESPIDER_PAGECOUNT"] = options.max_pages
    if options.ignore_robots:
        overrides["ROBOTSTXT_OBEY"] = False
    if options.workers is not None:
        overrides["NEWSARCHIVE_EXTRACT_WORKERS"] = options.workers
    if options.log_file:
        overrides["LOG_FILE"] = options.log_file
    if not options.warc:
        overrides["NEWSARCHIVE_WARC"] = False
    if options.warc_dir:
        overrides["NEWSARCHIVE_WARC_DIR"] = options.warc_dir
    if not options.incremental:
        overrides["NEWSARCHIVE_INCREMENTAL"] = False
    overrides.update(options.extra_settings)
    settings.setdict(overrides, priority="cmdline")
    return settings


def spider_arguments(options: CrawlOptions) -> dict[str, object]:
    """The `news` spider's arguments (-a NAME=VALUE) for the run's options."""
    arguments: dict[str, object] = {}
    if options.site:
        arguments["site"] = options.site
    if options.start_urls:
        arguments["start_url"] = list(options.start_urls)
    if options.routes:
        arguments["routes"] = ",".join(options.routes)
    return arguments


SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class GracefulShutdown:
    """SIGINT and SIGTERM stop the crawl gracefully; a second SIGINT forces it.

    Graceful: no new request is sent, the requests in flight and their extraction finish, the
    last batch is saved, the WARC files are closed and indexed, and the ledger row says
    `interrupted`. systemd's stop sends SIGTERM to every process of the service, and
    `newsarchive crawl` forwards the one it gets, so a repeated SIGTERM only repeats the
    request (systemd's SIGKILL after `TimeoutStopSec` is the forced end); a second SIGINT is
    someone pressing Ctrl-C again, which stops at once as Scrapy does.
    """

    def __init__(self, process: CrawlerProcess, crawler: Crawler):
        self.process = process
        self.crawler = crawler
        self.received: int | None = None

    def install(self) -> None:
        for signum in SHUTDOWN_SIGNALS:
            signal.signal(signum, self.handle)

    def handle(self, signum: int, frame: FrameType | None) -> None:
        # Runs between two bytecodes of the reactor's thread: hand everything to the reactor.
        from twisted.internet import reactor

        if self.received is None:
            self.received = signum
            reactor.callFromThread(self.stop, signum)
        elif signum == signal.SIGINT and self.received == signal.SIGINT:
            for other in SHUTDOWN_SIGNALS:
                signal.signal(other, signal.SIG_IGN)
            reactor.callFromThread(self.force, signum)
        else:
            reactor.callFromThread(self.repeated, signum)

    def stop(self, signum: int) -> None:
        name = signal.Signals(signum).name
        logger.warning(
            "Received %s: stopping the crawl gracefully (the requests in flight finish and are "
            "saved); press Ctrl-C again to stop at once",
            name,
        )
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(SHUTDOWN_SIGNAL_STAT, name)
        self.process.stop()  # the crawl ends with reason "shutdown"; then the reactor stops

    def force(self, signum: int) -> None:
        from twisted.internet import reactor

        logger.warning("Received %s twice: stopping at once", signal.Signals(signum).name)
        if reactor.running:
            reactor.stop()

    def repeated(self, signum: int) -> None:
        logger.info("Received %s again: already stopping", signal.Signals(signum).name)


def start_extraction_server() -> None:
    """Start the extraction workers' fork server with SIGINT and SIGTERM ignored.

    The workers are forked from it and keep that, so a signal sent to every process of the
    crawl (Ctrl-C in a terminal, systemd's stop) does not kill a worker in the middle of a
    page: the crawl stops them itself once the pages in flight are extracted. The fork server
    imports the workers' modules as it starts, so that each worker need not.
    """
    preload_in_fork_server()
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in SHUTDOWN_SIGNALS}
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run_crawl(options: CrawlOptions) -> int | None:
    """Crawl in this process (blocks until done); returns the crawl's ledger id."""
    settings = crawl_settings(options)
    if settings.getbool("NEWSARCHIVE_LOCK", True):
        # One crawl per archive at a time; held until this process ends (archive/lock.py).
        ArchiveLock(options.db).acquire()
    start_extraction_server()
    process = CrawlerProcess(settings)
    if options.ignore_robots:
        logger.warning("robots.txt is ignored for this crawl (--ignore-robots)")
    if options.delay is not None and options.delay < 1:
        remote = [url for url in options.start_urls if not is_local_url(url)]
        if remote or not options.start_urls:
            logger.warning(
                "A delay of %s s is impolite on a real site; use it for local copies only",
                options.delay,
            )
    crawler = process.create_crawler("news")
    process.crawl(crawler, **spider_arguments(options))
    GracefulShutdown(process, crawler).install()
    process.start(install_signal_handlers=False)
    crawl_id = crawler.stats.get_value("newsarchive/crawl_id") if crawler.stats else None
    return int(crawl_id) if crawl_id is not None else None
