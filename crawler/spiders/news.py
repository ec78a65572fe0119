"""The `news` spider: finds a news site's articles through every route the site offers.

Routes, each a fallback for the others: robots.txt `Sitemap:` lines, the well-known sitemap
locations (indexes, nested and gzipped maps), RSS/Atom feeds (`/feed/` and `<link
rel="alternate">`), and listing pages with their pagination plus ordinary links on the site.
Every HTML page whose URL does not look like a listing goes to extraction, which decides whether
it is an article; the spider itself never stores anything.

    scrapy crawl news -a site=antwerpspersbureau
    scrapy crawl news -a start_url=http://127.0.0.1:8000/ -s NEWSARCHIVE_DB=archive.db
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.discovery import (
    FEED_TYPES,
    WELL_KNOWN_FEEDS,
    WELL_KNOWN_SITEMAPS,
    DiscoveryError,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
)
from crawler.extract import looks_like_listing_url
from crawler.incremental import RevisitPlanner, fetch_state
from crawler.items import FetchedPage, NotModified
from crawler.middlewares import OutOfScope
from crawler.profiles import SiteProfile, load_profile, profile_for_url
from crawler.scope import SiteScope, TrapGuard, normalize_link
from crawler.signals import crawl_error

logger = logging.getLogger(__name__)

# Scheduling priorities: article candidates from sitemaps and feeds first, listings after.
PRIORITY_DISCOVERY = 30
PRIORITY_ARTICLE = 20
PRIORITY_LISTING = 10

# Discovery routes a crawl can be limited to (-a routes=sitemap,feed); default: all of them.
ROUTES = ("sitemap", "feed", "links")

HTML_TYPES = re.compile(r"\s*(text/html|application/xhtml\+xml)\b", re.IGNORECASE)
COMMENT_FEED = re.compile(r"comment|reactie|kommentar|commentaire", re.IGNORECASE)
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.IGNORECASE)
ABSOLUTE_HTTP = ("http://", "https://")


class StartUrlError(ValueError):
    """A start URL that cannot be crawled."""


def split_start_urls(value: str | list[str] | None) -> list[str]:
    """Start URLs from a spider argument: a list, or one string separated by commas or spaces."""
    if not value:
        return []
    items = value if isinstance(value, list) else re.split(r"[,\s]+", value)
    urls = [item.strip() for item in items if item.strip()]
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StartUrlError(f"not an http(s) URL: {url!r}")
    return urls


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class NewsSpider(Spider):
    name = "news"

    def __init__(
        self,
        site: str | None = None,
        start_url: str | list[str] | None = None,
        routes: str | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        urls = split_start_urls(start_url)
        if site:
            self.profile: SiteProfile = load_profile(site)
        elif urls:
            self.profile = profile_for_url(urls[0])
        else:
            raise StartUrlError("give a site (-a site=NAME) or start URLs (-a start_url=URL)")
        self.start_urls = urls or list(self.profile.start_urls)
        if not self.start_urls:
            raise StartUrlError(f"site profile {self.profile.name!r} has no start URLs")
        self.site_name = self.profile.name
        self.routes = set(re.split(r"[,\s]+", routes.strip())) if routes else set(ROUTES)
        if unknown := self.routes - set(ROUTES):
            raise StartUrlError(f"unknown discovery route(s) {sorted(unknown)}; use {ROUTES}")
        self.scope = SiteScope.from_urls(self.start_urls, extra_hosts=self.profile.hosts)
        self.allowed_domains = self.scope.hosts
        self.revisits: RevisitPlanner | None = None
        # Links already requested, or refused for good, in this crawl. Every page repeats the
        # same menu, tag and related-post links; turning each repeat into a Request only for the
        # scheduler's duplicate filter to drop it was most of a link-heavy crawl's work.
        self.links_done: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.trap_guard = TrapGuard(crawler.settings.getint("NEWSARCHIVE_MAX_LINKS_PER_PATTERN"))
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        # Known, unchanged articles are skipped or fetched conditionally (crawler/incremental.py).
        spider.revisits = RevisitPlanner.from_crawler(crawler)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        roots = dict.fromkeys(site_root(url) for url in self.start_urls)
        for root in roots:
            if "sitemap" not in self.routes:
                break
            yield Request(
                f"{root}/robots.txt",
                callback=self.parse_robots,
                errback=self.robots_missing,
                meta={"dont_obey_robotstxt": True, "probe": True},
                priority=PRIORITY_DISCOVERY,
                dont_filter=True,
            )
        for root in roots:
            if "feed" not in self.routes:
                break
            for path in WELL_KNOWN_FEEDS:
                yield self._request(
                    f"{root}{path}", self.parse_feed, PRIORITY_DISCOVERY, probe=True
                )
        if "links" in self.routes:
            for url in self.start_urls:
                yield Request(
                    url, callback=self.parse_page, errback=self.on_error, priority=PRIORITY_LISTING
                )

    # --- discovery routes ---

    def parse_robots(self, response: Response) -> Iterator[Request]:
        text = response.text if isinstance(response, TextResponse) else ""
        sitemaps = sitemaps_from_robots(text, response.url)
        if sitemaps:
            logger.info("robots.txt names %d sitemap(s)", len(sitemaps))
        yield from self._sitemap_requests(site_root(response.url), sitemaps)

    def robots_missing(self, failure: Failure) -> Iterator[Request]:
        yield from self._sitemap_requests(site_root(failure.request.url), [])

    def _sitemap_requests(self, root: str, named: list[str]) -> Iterator[Request]:
        probe = not named
        for url in named or [f"{root}{path}" for path in WELL_KNOWN_SITEMAPS]:
            yield self._request(url, self.parse_sitemap, PRIORITY_DISCOVERY, probe=probe)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        self._count_page()
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except DiscoveryError as error:
            if not response.meta.get("probe"):
                self._report(response.url, response.status, f"unreadable sitemap: {error}")
            return
        self.crawler.stats.inc_value("newsarchive/discovery/sitemaps")
        for link in sitemap.links:
            if sitemap.is_index:
                yield self._request(link.url, self.parse_sitemap, PRIORITY_DISCOVERY)
            else:
                evidence = {"sitemap_lastmod": link.date} if link.date else {}
                yield from self._follow(link.url, evidence=evidence)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        self._count_page()
        try:
            entries = parse_feed(response.body, response.url)
        except DiscoveryError as error:
            if not response.meta.get("probe"):
                self._report(response.url, response.status, f"unreadable feed: {error}")
            return
        self.crawler.stats.inc_value("newsarchive/discovery/feeds")
        for entry in entries:
            evidence = {"feed_published": entry.date} if entry.date else {}
            yield from self._follow(entry.url, evidence=evidence)

    def parse_page(self, response: Response) -> Iterator[Request | FetchedPage | NotModified]:
        self._count_page()
        if response.status == 304:  # a conditional revisit: the archived version is current
            yield NotModified(url=response.url, fetch=fetch_state(response))
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        # Scrapy sniffs HTML inside any body; a browser would not render these, neither do we.
        is_html = HTML_TYPES.match(content_type or "text/html")
        if not isinstance(response, HtmlResponse) or not is_html:
            self.crawler.stats.inc_value("newsarchive/skipped/not_html")
            self._report(response.url, response.status, f"not HTML ({content_type or 'no type'})")
            return
        if "feed" in self.routes:
            for link in response.css("link[rel~=alternate]"):
                if (link.attrib.get("type") or "").lower() not in FEED_TYPES:
                    continue
                described = f"{link.attrib.get('title', '')} {link.attrib.get('href', '')}"
                if COMMENT_FEED.search(described):
                    continue  # a post's comment feed lists comments, not articles
                url = response.urljoin(link.attrib.get("href", ""))
                # An advertised feed that is gone is no crawl error: the site works without it.
                yield self._request(url, self.parse_feed, PRIORITY_DISCOVERY, probe=True)
        if "links" in self.routes:
            for href in response.css("a::attr(href)").getall():
                href = href.strip()
                url = href if href.startswith(ABSOLUTE_HTTP) else response.urljoin(href)
                if url not in self.links_done:
                    yield from self._follow(url, from_page=True)
        if not looks_like_listing_url(response.url):
            yield FetchedPage(
                url=response.url,
                body=response.body,
                declared_encoding=self._declared_encoding(response),
                evidence=dict(response.meta.get("evidence") or {}),
                warc=response.meta.get("warc"),
                fetch=fetch_state(response),
            )

    # --- helpers ---

    def _follow(
        self, url: str, evidence: dict[str, str] | None = None, *, from_page: bool = False
    ) -> Iterator[Request]:
        if url in self.links_done:
            return
        link = normalize_link(
            url,
            max_query_page=self.settings.getint("NEWSARCHIVE_MAX_QUERY_PAGE", 500),
            max_path_depth=self.settings.getint("NEWSARCHIVE_MAX_PATH_DEPTH", 12),
        )
        if link is None or not self.scope.allows(link):
            self.links_done.add(url)
            return
        if link in self.links_done:
            self.links_done.add(url)
            return
        # Links found in pages (not the site's own sitemaps and feeds) can be spider traps:
        # an endless calendar, numbered pages that never end. Cap them per URL pattern.
        if from_page and not self.trap_guard.admit(link):
            self.crawler.stats.inc_value("newsarchive/trap_links_dropped")
            if self.trap_guard.first_refusal(link):
                limit = self.trap_guard.limit
                self._report(link, None, f"possible spider trap: over {limit} links like this one")
            self.links_done.update((url, link))  # a pattern's count never goes down
            return
        listing = looks_like_listing_url(link)
        revisit: dict[str, Any] = {}
        if not listing and self.revisits is not None:
            plan = self.revisits.plan(link, evidence)
            if plan is None:
                # known, unchanged and not due; not marked done: a later sitemap or feed entry
                # may announce a change
                return
            revisit = plan
        # the duplicate filter would drop any later request for these
        self.links_done.update((url, link))
        yield Request(
            link,
            callback=self.parse_page,
            errback=self.on_error,
            priority=PRIORITY_LISTING if listing else PRIORITY_ARTICLE,
            headers=revisit.get("headers"),
            meta={**({"evidence": evidence} if evidence else {}), **revisit.get("meta", {})},
        )

    def _request(self, url: str, callback: Any, priority: int, *, probe: bool = False) -> Request:
        return Request(
            url, callback=callback, errback=self.on_error, priority=priority, meta={"probe": probe}
        )

    @staticmethod
    def _declared_encoding(response: Response) -> str | None:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        match = _CHARSET.search(content_type)
        return match.group(1) if match else None

    def _count_page(self) -> None:
        self.crawler.stats.inc_value("newsarchive/pages")

    def _report(self, url: str, status: int | None, reason: str) -> None:
        logger.warning("%s: %s", url, reason)
        self.crawler.signals.send_catch_log(crawl_error, url=url, status=status, reason=reason)

    def request_dropped(self, request: Request, spider: Spider) -> None:
        """A redirect to a URL already crawled in this chain is a loop: record it."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self._report(chain[0], None, f"redirect loop: {' -> '.join([*chain, request.url])}")

    def on_error(self, failure: Failure) -> None:
        """Log and record a failed request; a probe for an optional route that 404s is no error."""
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            if request.meta.get("probe") and response.status in (404, 410):
                logger.debug("No %s on this site (HTTP %s)", request.url, response.status)
                return
            reason = f"HTTP {response.status}"
            if 300 <= response.status < 400:  # a redirect the crawler would not follow
                location = response.headers.get(b"Location", b"").decode("latin-1")
                reason += f": redirect to {location or 'nowhere'} not followed"
            self._report(request.url, response.status, reason)
        elif failure.check(OutOfScope):
            self._report(request.url, None, str(failure.value))
        elif failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            logger.debug("Ignored %s: %s", request.url, failure.value)  # counted as robots_denied
        elif failure.check(IgnoreRequest):  # e.g. a body over DOWNLOAD_MAXSIZE (a gzip bomb)
            self._report(request.url, None, f"ignored: {failure.value}")
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
            self._report(request.url, None, reason)
