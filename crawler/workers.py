"""Extraction off the event loop: a process pool whose workers enforce a time limit per page.

Pages are sent to the workers in batches: every page waiting when a worker's slot frees up goes
in one task (at most BATCH_SIZE), so a busy crawl pays one round trip to a worker per batch
rather than per page, while an idle one sends each page at once.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import signal
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from types import FrameType
from typing import Any

from crawler.links import PageLinks, links_of_tree

logger = logging.getLogger(__name__)

# Seconds the parent waits beyond a worker's own limit before it kills the pool: the worker's
# alarm cannot interrupt a single long call into C code (lxml), the parent's deadline can.
HARD_LIMIT_GRACE = 5.0
# Most pages sent to a worker in one task. Each task is one round trip between the crawl and a
# worker (pickling, two pipe writes and a thread hand-over on each side); batching cuts that
# work in the crawl process, which is the busiest process of a fast crawl.
BATCH_SIZE = 8
# Tasks in flight per worker: one running, one queued, so a worker never waits for the next.
TASKS_PER_WORKER = 2


class ExtractionTimeout(Exception):
    """A page took longer than the per-page extraction time limit."""


@dataclass(frozen=True)
class Outcome:
    """What extraction made of one page: an article record, or why not."""

    kind: str  # "article", "not_article", "timeout" or "error"
    record: dict[str, Any] | None = None
    reason: str = ""
    # The page's links, when asked for and the page could be parsed (crawler/links.py).
    links: PageLinks | None = None


@lru_cache(maxsize=16)
def cached_profile(name: str | None) -> Any:
    """The site profile of that name, read once per process; None for none."""
    from crawler.profiles import load_profile

    return load_profile(name) if name else None


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise ExtractionTimeout


def extract_page(
    body: bytes,
    url: str,
    profile_name: str | None,
    declared_encoding: str | None,
    evidence: Mapping[str, str],
    time_limit: float,
    read_links: bool = False,
) -> Outcome:
    """Extract one page within `time_limit` seconds; runs in a worker process.

    An article's record also carries its Dutch search-index entry (`archive.db.search_entry`),
    analyzed here, beside extraction, rather than by the single process that writes the archive.
    With `read_links`, the outcome carries the page's links too, read from the tree extraction
    parsed, so that the crawl process need not parse the page again to follow them.
    """
    from archive.db import SEARCH_ENTRY_KEY, search_entry
    from crawler.extract import NotAnArticle, extract_from_page, read_page
    from crawler.profiles import profile_for_url

    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    links = None
    try:
        profile = cached_profile(profile_name) or profile_for_url(url)
        page = read_page(body, url, profile, declared_encoding)
        if read_links:  # before extraction's passes change the tree
            links = links_of_tree(page.tree, body, url, declared_encoding)
        record = extract_from_page(page, evidence)
        record[SEARCH_ENTRY_KEY] = search_entry(record)
        return Outcome("article", record=record, links=links)
    except NotAnArticle as error:
        return Outcome("not_article", reason=error.reason, links=links)
    except ExtractionTimeout:
        reason = f"extraction took longer than {time_limit:g} s"
        return Outcome("timeout", reason=reason, links=links)
    except (RecursionError, MemoryError, ValueError, TypeError, LookupError) as error:
        # Extraction bugs on odd pages: recorded as a failed page, the crawl goes on.
        logger.exception("Extraction failed for %s", url)
        reason = f"extraction failed: {type(error).__name__}: {error}"
        return Outcome("error", reason=reason, links=links)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_pages(pages: Sequence[tuple[Any, ...]]) -> list[Outcome | Exception]:
    """`extract_page` on each page of a batch, in order; runs in a worker process.

    An exception `extract_page` lets through is returned in its page's place, to be raised for
    that page alone, as if the page had been sent by itself.
    """
    outcomes: list[Outcome | Exception] = []
    for page in pages:
        try:
            outcomes.append(extract_page(*page))
        except Exception as error:  # handed back to the page's caller, not lost
            outcomes.append(error)
    return outcomes


# The libraries the workers import (`warm_up`), imported once by multiprocessing's fork server,
# which forks every worker with them loaded, instead of by each worker (0.35 of a worker's 0.45 s
# of imports). Libraries only, from the environment every checkout shares: this project's own
# modules are left to the workers, because Python 3.11's fork server imports with the sys.path of
# a fresh interpreter, not the crawl's (a checkout put on sys.path by hand, an egg), whereas a
# worker imports with the crawl's. "__main__" first: the fork server's default, kept.
FORK_SERVER_PRELOAD = (
    "__main__",
    "scrapy.http",
    "lxml.html",
    "cssselect",
    "nh3",
    "sqlite_utils",
    "Stemmer",
    "trafilatura",
)


def preload_in_fork_server() -> None:
    """Have the fork server, when it starts, import the libraries every extraction worker needs.

    Call before the fork server starts (the crawl starts it first thing, runner.py); once it
    runs, this changes nothing. A library it cannot import is imported by each worker instead.
    """
    multiprocessing.forkserver.set_forkserver_preload(list(FORK_SERVER_PRELOAD))


def warm_up() -> None:
    # Import the heavy libraries once per worker, not on the first page (already done when
    # the worker was forked from a fork server that preloaded them).
    import scrapy.http  # noqa: F401 - the base URL of a page's links (crawler/links.py)

    import archive.db  # noqa: F401
    import crawler.extract  # noqa: F401


_Waiting = tuple[tuple[Any, ...], "asyncio.Future[Outcome]"]


class ExtractionPool:
    """A pool of extraction workers that survives a worker that hangs or dies."""

    def __init__(self, workers: int = 0, time_limit: float = 30.0, batch_size: int = BATCH_SIZE):
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.time_limit = time_limit
        self.batch_size = max(1, batch_size)
        self._executor: ProcessPoolExecutor | None = None
        self._waiting: list[_Waiting] = []
        self._in_flight: set[asyncio.Task[None]] = set()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            preload_in_fork_server()  # when the pool's processes start the fork server
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=warm_up
            )
        return self._executor

    def _restart(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    async def extract(
        self,
        body: bytes,
        url: str,
        *,
        profile_name: str | None,
        declared_encoding: str | None,
        evidence: Mapping[str, str],
        read_links: bool = False,
    ) -> Outcome:
        """Extract a page in a worker; a hung or crashed worker gives an Outcome, not an error."""
        args = (
            body,
            url,
            profile_name,
            declared_encoding,
            dict(evidence),
            self.time_limit,
            read_links,
        )
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((args, future))
        self._dispatch()
        return await future

    def _dispatch(self) -> None:
        """Send waiting pages to the workers, in batches, while a slot is free."""
        while self._waiting and len(self._in_flight) < self.workers * TASKS_PER_WORKER:
            batch = self._waiting[: self.batch_size]
            del self._waiting[: self.batch_size]
            task = asyncio.ensure_future(self._run_batch(batch))
            self._in_flight.add(task)
            task.add_done_callback(self._batch_done)

    def _batch_done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        if not task.cancelled():
            task.exception()  # already handed to the batch's pages: not "never retrieved"
        self._dispatch()

    async def _run_batch(self, batch: list[_Waiting]) -> None:
        try:
            outcomes = await self._extract_batch([args for args, _ in batch])
        except BaseException as error:  # cancelled, or a bug here: no page may wait forever
            for _, future in batch:
                if future.done():
                    continue
                if isinstance(error, asyncio.CancelledError):
                    future.cancel()
                else:
                    future.set_exception(error)
            raise
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if future.done():
                continue  # its caller gave up waiting
            if isinstance(outcome, Exception):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)

    async def _extract_batch(self, pages: list[tuple[Any, ...]]) -> list[Outcome | Exception]:
        """Outcomes of a batch; when a worker hangs or dies on it, its pages go one by one."""
        deadline = len(pages) * self.time_limit + HARD_LIMIT_GRACE
        for attempt in (1, 2):
            pool = self._pool()
            try:
                # submit raises too when the pool broke since the last page was sent
                future = asyncio.wrap_future(pool.submit(extract_pages, pages))
                return await asyncio.wait_for(future, deadline)
            except TimeoutError:
                if pool is self._executor:
                    self._restart()
                if len(pages) > 1:
                    return await self._one_by_one(pages)
                logger.error("Extraction of %s hung; restarted the worker pool", pages[0][1])
                return [Outcome("timeout", reason=f"extraction hung past {self.time_limit:g} s")]
            except BrokenProcessPool:
                # A page took the pool down (killed for hanging, or crashed): retry once, then
                # page by page, so that only the page that kills its worker is lost.
                if pool is self._executor:
                    self._restart()
                if attempt == 2:
                    if len(pages) > 1:
                        return await self._one_by_one(pages)
                    return [Outcome("error", reason="extraction worker died")]
        raise AssertionError("unreachable")

    async def _one_by_one(self, pages: list[tuple[Any, ...]]) -> list[Outcome | Exception]:
        outcomes: list[Outcome | Exception] = []
        for page in pages:
            outcomes.extend(await self._extract_batch([page]))
        return outcomes

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
