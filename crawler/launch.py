"""Start a crawl in a fresh process, without importing Scrapy in this one.

The crawl process imports Scrapy, the spider and extraction itself (crawler/runner.py).
Importing them in the command's own process as well cost about 0.4 s of CPU on every crawl,
much of a small cron crawl's start.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from types import FrameType

from archive.lock import ArchiveLocked
from crawler.options import CrawlOptions


class CrawlProcessError(RuntimeError):
    """The crawling process ended abnormally (an uncaught error; see the log)."""


def _crawl_child(options: CrawlOptions, results: Connection) -> None:
    from crawler.runner import run_crawl

    try:
        results.send(run_crawl(options))
    except ArchiveLocked as error:
        results.send(error)


def run_crawl_in_subprocess(options: CrawlOptions) -> int | None:
    """Crawl in a fresh process, so callers can crawl repeatedly (Twisted's reactor runs once)."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_crawl_child, args=(options, sender), name="newsarchive-crawl")
    child.start()

    def forward(signum: int, frame: FrameType | None) -> None:
        # SIGTERM (`kill`, systemd's stop) to this process stops the crawl gracefully too.
        if child.pid is not None:
            with contextlib.suppress(ProcessLookupError):  # it has just ended
                os.kill(child.pid, signal.SIGTERM)

    # Ctrl-C reaches the child too (same process group); it stops gracefully and we wait.
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, signal.SIG_IGN),
        signal.SIGTERM: signal.signal(signal.SIGTERM, forward),
    }
    try:
        child.join()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if child.exitcode != 0:
        raise CrawlProcessError(f"the crawl process exited with status {child.exitcode}")
    result = receiver.recv() if receiver.poll() else None
    if isinstance(result, ArchiveLocked):
        raise result
    return result
