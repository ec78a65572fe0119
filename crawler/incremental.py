"""Incremental crawls: fetch only what is new, changed, or due for a revisit.

The archive keeps per-URL fetch state (`url_state`: ETag, Last-Modified, the sitemap `lastmod`
seen at the last fetch, when it was last fetched and last changed). A later crawl uses it for
every article candidate it discovers:

* an unknown URL is fetched;
* a known URL is fetched when discovery announces a change (a sitemap `lastmod` or feed date
  newer than what was stored) or when it is due for a revisit, and then conditionally
  (If-None-Match / If-Modified-Since): a 304 costs no body and counts as unchanged;
* otherwise it is skipped.

When a known article is due depends on how old it is (measured from its publication or its
last change, whichever is newer), NewsDiffs-style: fresh news changes often, old news rarely.
Listings, sitemaps and feeds are always fetched: they are how new articles are found.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.http import Response

from archive.url_state import read_fetch_state
from crawler.redirects import url_twins

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# (age below which, revisit interval): an article's age is measured from its publication or
# its last change, whichever is newer.
REVISIT_SCHEDULE: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(hours=3), timedelta(minutes=15)),
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
    (timedelta(days=30), timedelta(days=3)),
    (timedelta(days=365), timedelta(days=30)),
)
OLD_ARTICLE_INTERVAL = timedelta(days=180)
# A page that was not an article (a static page, a list that no URL shape gave away) is
# looked at again after this long.
NOT_ARTICLE_INTERVAL = timedelta(days=30)
# Revisits of articles of the same age are spread over this share of their interval, so that
# a year's worth of old articles does not fall due in one crawl.
REVISIT_SPREAD = 0.2


def revisit_interval(age: timedelta) -> timedelta:
    """How long to wait before re-checking an article of this age."""
    for younger_than, interval in REVISIT_SCHEDULE:
        if age < younger_than:
            return interval
    return OLD_ARTICLE_INTERVAL


def parse_moment(value: str | None) -> datetime | None:
    """An aware datetime from an ISO 8601 date(-time) or an HTTP date; None when unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


@dataclass
class UrlState:
    """What the archive knows about fetching one URL."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    lastmod: str | None = None
    last_fetched: str | None = None
    last_changed: str | None = None
    published: str | None = None
    # what the URL was: "sitemap", "sitemap-index", "feed", or None for a page
    kind: str | None = None
    content_hash: str | None = None
    lastmod_trusted: int | None = None

    def reference_moment(self) -> datetime | None:
        """The newer of publication and last change: what an article's age is measured from."""
        moments = [parse_moment(self.published), parse_moment(self.last_changed)]
        known = [moment for moment in moments if moment is not None]
        return max(known) if known else None

    def is_due(self, now: datetime) -> bool:
        """Whether the revisit schedule asks for a re-check now."""
        fetched = parse_moment(self.last_fetched)
        if fetched is None:
            return True
        if self.kind == "page":
            return now - fetched >= NOT_ARTICLE_INTERVAL
        reference = self.reference_moment() or fetched
        interval = revisit_interval(max(now - reference, timedelta(0)))
        # Spread by a stable per-URL share, so equal ages do not all fall due together.
        spread = (zlib.crc32(self.url.encode()) % 1000) / 1000 * REVISIT_SPREAD
        return now - fetched >= interval * (1 - REVISIT_SPREAD / 2 + spread)

    def announced_change(self, evidence: Mapping[str, str]) -> bool:
        """Whether a sitemap lastmod or feed date is newer than the version we hold."""
        announced = parse_moment(evidence.get("sitemap_lastmod") or evidence.get("feed_published"))
        if announced is None:
            return False
        stored = [parse_moment(self.lastmod), parse_moment(self.last_modified)]
        known = [moment for moment in stored if moment is not None]
        if not known:
            fetched = parse_moment(self.last_fetched)
            return fetched is None or announced > fetched
        return announced > max(known)

    def conditional_headers(self) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the validators of the last fetch."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def load_url_states(
    db_path: str | Path,
) -> tuple[dict[str, UrlState], set[str], dict[str, str]]:
    """Fetch state of every known URL, the URLs taken down, and the aliases (alias → URL)."""
    rows, removed, aliases = read_fetch_state(db_path)
    return {row[0]: UrlState(*row) for row in rows}, removed, aliases


def load_published_url_states(
    redis_url: str, prefix: str
) -> tuple[dict[str, UrlState], set[str], dict[str, str]]:
    """load_url_states for a distributed worker: the state the ingest published in Redis."""
    from archive.ingest import FetchStateKeys, connect, read_published_fetch_state, redact_url

    client = connect(redis_url)
    try:
        published = read_published_fetch_state(client, prefix)
    finally:
        client.close()
    if published is None:
        logger.warning(
            "No fetch state published at %s (%s): start `newsarchive ingest` before the workers "
            "for an incremental crawl; this worker fetches every article it finds",
            redact_url(redis_url),
            FetchStateKeys.for_prefix(prefix).info,
        )
        return {}, set(), {}
    rows, removed, aliases = published
    return {row[0]: UrlState(*row) for row in rows}, removed, aliases


class RevisitPlanner:
    """Decides, for each article candidate discovered, whether and how to fetch it."""

    def __init__(
        self,
        states: dict[str, UrlState],
        removed: set[str] | None = None,
        aliases: dict[str, str] | None = None,
        *,
        now: datetime | None = None,
        crawler: Crawler | None = None,
    ):
        self.states = states
        self.removed = removed or set()
        self.aliases = aliases or {}
        self.now = now or datetime.now(UTC)
        self.crawler = crawler
        self.skipped: dict[str, str] = {}  # URL → the stats key it was counted under
        self.revisited: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisitPlanner | None:
        """A planner over the crawl's archive; None for a full crawl (NEWSARCHIVE_INCREMENTAL).

        A distributed worker (NEWSARCHIVE_REDIS_URL) has no archive: it plans from the fetch
        state `newsarchive ingest` published in Redis when it started.
        """
        settings = crawler.settings
        if not settings.getbool("NEWSARCHIVE_INCREMENTAL", True):
            return None
        if settings.get("NEWSARCHIVE_REDIS_URL"):
            states, removed, aliases = load_published_url_states(
                settings.get("NEWSARCHIVE_REDIS_URL"),
                settings.get("NEWSARCHIVE_REDIS_PREFIX") or "newsarchive",
            )
        else:
            states, removed, aliases = load_url_states(
                settings.get("NEWSARCHIVE_DB") or "archive.db"
            )
        if states:
            logger.info("Incremental crawl: %d known URLs in the archive", len(states))
        return cls(states, removed, aliases, crawler=crawler)

    # --- pages known under other URLs ---

    def known_as(self, url: str) -> str | None:
        """The URL under which the archive knows this page: itself, an alias's target, a twin."""
        if url in self.states:
            return url
        target = self.aliases.get(url)
        if target is not None and target in self.states:
            return target
        for twin in url_twins(url):
            if twin in self.states and self.states[twin].kind is None:
                return twin
        return None

    # --- sitemaps and feeds ---

    def validators(self, url: str) -> dict[str, str]:
        """Conditional headers for a sitemap or feed; none for a sitemap index, whose 304
        would hide children that changed without the index saying so."""
        state = self.states.get(url)
        if state is None or state.kind == "sitemap-index":
            return {}
        return state.conditional_headers()

    def sitemap_unchanged(self, url: str, lastmod: str | None) -> bool:
        """Whether a child sitemap's lastmod in its index is the one seen at its last fetch."""
        state = self.states.get(url)
        return bool(lastmod and state is not None and state.lastmod == lastmod)

    def lastmod_moved(self, url: str, lastmod: str | None) -> bool:
        state = self.states.get(url)
        return bool(lastmod and state is not None and state.lastmod and state.lastmod != lastmod)

    def same_content(self, url: str, digest: str) -> bool:
        state = self.states.get(url)
        return state is not None and state.content_hash == digest

    def lastmod_untrusted(self, url: str) -> bool:
        state = self.states.get(url)
        return state is not None and state.lastmod_trusted == 0

    def distrust_lastmod(self, url: str) -> None:
        state = self.states.setdefault(url, UrlState(url))
        state.lastmod_trusted = 0

    def plan(self, url: str, evidence: Mapping[str, str] | None = None) -> dict[str, Any] | None:
        """Extra Request arguments (conditional headers) to fetch `url`, or None to skip it."""
        if url in self.removed:
            self._skip(url, "newsarchive/incremental/taken_down")
            return None
        state = self.states.get(url)
        if state is None:
            return {}
        if url in self.revisited:
            return None  # already requested in this crawl (found again in another listing)
        if not state.announced_change(evidence or {}) and not state.is_due(self.now):
            # pages that were not articles are counted apart from unchanged articles
            page = state.kind == "page"
            self._skip(url, f"newsarchive/incremental/skipped{'_pages' if page else ''}")
            return None
        self.revisited.add(url)
        if url in self.skipped:
            # Skipped when found without news of a change; now a sitemap or feed announces one.
            self._count(self.skipped.pop(url), -1)
        self._count("newsarchive/incremental/revisited")
        return {"headers": state.conditional_headers(), "meta": {"handle_httpstatus_list": [304]}}

    def _skip(self, url: str, key: str) -> None:
        if url not in self.skipped:
            self.skipped[url] = key
            self._count(key)

    def _count(self, key: str, count: int = 1) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(key, count)


def fetch_state(response: Response) -> dict[str, Any]:
    """What to remember about a fetch for the next crawl: status and validators."""
    headers = response.headers
    evidence = response.meta.get("evidence") or {}

    def header(name: str) -> str | None:
        value = headers.get(name)
        return value.decode("latin-1") if value else None

    # URLs that redirected here for good (301, 308): the archive remembers them as aliases.
    chain = response.meta.get("redirect_urls") or []
    reasons = response.meta.get("redirect_reasons") or []
    aliases = [url for url, reason in zip(chain, reasons, strict=False) if reason in (301, 308)]
    return {
        "url": response.url,
        "aliases": aliases,
        "status": response.status,
        "etag": header("ETag"),
        "last_modified": header("Last-Modified"),
        "lastmod": evidence.get("sitemap_lastmod"),
    }
