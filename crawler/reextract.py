"""Re-extraction without network: rebuild article rows and versions from the archived WARCs.

Every archived HTML response that the crawler would have sent to extraction is extracted
again, with the current extractor, in capture order. For each article found, its WARC-derived
versions are dropped and rebuilt, and its row rewritten (the row keeps its `id`, so links
stay valid). Run it after improving the extractor; `extractor_version` on each row says which
extractor produced it. Taken-down URLs stay out.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from archive.db import save_articles
from archive.revisions import forget_warc_versions, rebuilt_state
from archive.warcs import Capture, iter_captures, warc_files
from crawler.extract import looks_like_listing_url
from crawler.profiles import profile_for_url
from crawler.workers import extract_page, warm_up

logger = logging.getLogger(__name__)

_CHARSET = re.compile(r"charset=([\w.:-]+)", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
EXTRACTION_TIME_LIMIT = 30.0


@dataclass
class ReextractReport:
    """What a re-extraction found and changed."""

    files: int = 0
    captures: int = 0
    candidates: int = 0
    articles: int = 0
    not_articles: int = 0
    failed: int = 0
    rows_new: int = 0  # articles not in the archive before
    rows_changed: int = 0  # rows whose content the current extractor reads differently
    rows_same: int = 0
    versions: int = 0  # versions rebuilt from the WARC captures


@dataclass
class _Position:
    """How far through the WARC files re-extraction has got (for the progress bar)."""

    file: str = ""
    offset: int = 0


def is_article_candidate(capture: Capture) -> bool:
    """Whether the crawler would have sent this response to extraction."""
    if capture.record_type != "response" or capture.status != 200:
        return False
    content_type = (capture.header("Content-Type") or "").lower()
    if not content_type.startswith(_HTML_TYPES):
        return False
    return not looks_like_listing_url(capture.url)


def _declared_encoding(capture: Capture) -> str | None:
    match = _CHARSET.search(capture.header("Content-Type") or "")
    return match.group(1) if match else None


def _iso(warc_date: str) -> str:
    """A WARC-Date (2024-05-01T10:00:00.123456Z) in the archive's format (…+00:00, seconds)."""
    text = warc_date.replace("Z", "")
    return text.split(".")[0] + "+00:00"


def _profile_name(capture: Capture) -> str:
    return capture.site or profile_for_url(capture.url).name


def _extract_in_order(
    captures: Iterator[Capture], workers: int, report: ReextractReport
) -> Iterator[tuple[Capture, object]]:
    """Extract candidates in a process pool, yielding (capture, outcome) in capture order."""
    context = multiprocessing.get_context("forkserver")
    window: deque[tuple[Capture, Future]] = deque()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=warm_up) as pool:
        for capture in captures:
            report.captures += 1
            if not is_article_candidate(capture):
                continue
            report.candidates += 1
            future = pool.submit(
                extract_page,
                capture.body,
                capture.url,
                _profile_name(capture),
                _declared_encoding(capture),
                dict(capture.evidence),
                EXTRACTION_TIME_LIMIT,
            )
            capture.body = b""  # the worker has its copy; keep the window small
            window.append((capture, future))
            if len(window) >= workers * 8:
                done, pending = window.popleft()
                yield done, pending.result()
        while window:
            done, pending = window.popleft()
            yield done, pending.result()


def reextract_archive(
    db: Database,
    warc_dir: str | Path,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ReextractReport:
    """Rebuild the articles found in the WARC files of `warc_dir`; returns what happened.

    `progress` is called with the number of WARC bytes read since its last call.
    """
    files = warc_files(warc_dir)
    report = ReextractReport(files=len(files))
    workers = workers or os.cpu_count() or 1
    before: dict[str, str | None] = {}  # content hash of each rebuilt article before
    sizes = {path.name: path.stat().st_size for path in files}
    position = _Position()

    def advance(capture: Capture) -> None:
        if progress is None:
            return
        if capture.file != position.file:
            if position.file:
                progress(sizes.get(position.file, 0) - position.offset)
            position.file, position.offset = capture.file, 0
        progress(capture.offset - position.offset)
        position.offset = capture.offset

    outcomes = _extract_in_order(iter_captures(warc_dir, files), workers, report)
    for capture, outcome in outcomes:
        advance(capture)
        kind = getattr(outcome, "kind", "error")
        if kind == "not_article":
            report.not_articles += 1
            continue
        if kind != "article":
            report.failed += 1
            logger.warning("Re-extraction of %s failed: %s", capture.url, outcome)
            continue
        report.articles += 1
        record = {**outcome.record, **capture.pointer()}  # type: ignore[attr-defined]
        url = record["url"]
        if url not in before:
            before[url] = forget_warc_versions(db, url)
        save_articles(db, [record], site=capture.site, seen_at=_iso(capture.date))
    if progress is not None and position.file:
        progress(sizes.get(position.file, 0) - position.offset)
    _compare(db, before, report)
    return report


def _compare(db: Database, before: dict[str, str | None], report: ReextractReport) -> None:
    for url, old_hash in before.items():
        state = rebuilt_state(db, url)
        if state is None:  # taken down
            continue
        content_hash, warc_versions = state
        report.versions += warc_versions
        if old_hash is None:
            report.rows_new += 1
        elif old_hash == content_hash:
            report.rows_same += 1
        else:
            report.rows_changed += 1
