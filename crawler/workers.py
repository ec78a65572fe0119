"""Extraction off the event loop: a process pool whose workers enforce a time limit per page."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from types import FrameType
from typing import Any

logger = logging.getLogger(__name__)

# Seconds the parent waits beyond a worker's own limit before it kills the pool: the worker's
# alarm cannot interrupt a single long call into C code (lxml), the parent's deadline can.
HARD_LIMIT_GRACE = 5.0


class ExtractionTimeout(Exception):
    """A page took longer than the per-page extraction time limit."""


@dataclass(frozen=True)
class Outcome:
    """What extraction made of one page: an article record, or why not."""

    kind: str  # "article", "not_article", "timeout" or "error"
    record: dict[str, Any] | None = None
    reason: str = ""


@lru_cache(maxsize=16)
def _profile(name: str | None) -> Any:
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
) -> Outcome:
    """Extract one page within `time_limit` seconds; runs in a worker process."""
    from crawler.extract import NotAnArticle, extract_article

    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        record = extract_article(
            body,
            url,
            profile=_profile(profile_name),
            declared_encoding=declared_encoding,
            evidence=evidence,
        )
        return Outcome("article", record=record)
    except NotAnArticle as error:
        return Outcome("not_article", reason=error.reason)
    except ExtractionTimeout:
        return Outcome("timeout", reason=f"extraction took longer than {time_limit:g} s")
    except (RecursionError, MemoryError, ValueError, TypeError, LookupError) as error:
        # Extraction bugs on odd pages: recorded as a failed page, the crawl goes on.
        logger.exception("Extraction failed for %s", url)
        return Outcome("error", reason=f"extraction failed: {type(error).__name__}: {error}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _warm_up() -> None:
    # Import the heavy libraries once per worker, not on the first page.
    import crawler.extract  # noqa: F401


class ExtractionPool:
    """A pool of extraction workers that survives a worker that hangs or dies."""

    def __init__(self, workers: int = 0, time_limit: float = 30.0):
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.time_limit = time_limit
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_warm_up
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
    ) -> Outcome:
        """Extract a page in a worker; a hung or crashed worker gives an Outcome, not an error."""
        args = (body, url, profile_name, declared_encoding, dict(evidence), self.time_limit)
        for attempt in (1, 2):
            pool = self._pool()
            future = asyncio.wrap_future(pool.submit(extract_page, *args))
            try:
                return await asyncio.wait_for(future, self.time_limit + HARD_LIMIT_GRACE)
            except TimeoutError:
                logger.error("Extraction of %s hung; restarting the worker pool", url)
                if pool is self._executor:
                    self._restart()
                return Outcome("timeout", reason=f"extraction hung past {self.time_limit:g} s")
            except BrokenProcessPool:
                # Another page took the pool down (killed for hanging, or crashed): retry once.
                if pool is self._executor:
                    self._restart()
                if attempt == 2:
                    return Outcome("error", reason="extraction worker died")
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
