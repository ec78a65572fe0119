"""The `news` spider: finds a news site's articles through every route the site offers.

On a real site every request costs a second or more, so the spider spends requests where they
are expected to yield something new (README, "How a crawl spends its requests"):

1. robots.txt (read once, by the robots middleware), then sitemaps and feeds: cheap and rich.
   Child sitemaps whose `lastmod` in the index has not moved since the last crawl are not
   fetched; sitemaps and feeds that are fetched carry the last crawl's validators (304).
2. Article candidates, before any listing.
3. Listings — the start page and its pagination first, then samples of each listing family
   (categories, tags, authors, date archives) — only once nothing else is queued, each walked
   page by page while it yields articles the crawl does not know yet (crawler/frontier.py).

Every HTML page whose URL does not look like a listing goes to extraction, which decides whether
it is an article; the spider itself never stores anything.

    scrapy crawl news -a site=antwerpspersbureau
    scrapy crawl news -a start_url=http://127.0.0.1:8000/ -s NEWSARCHIVE_DB=archive.db
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.costs import announce_estimate
from crawler.discovery import (
    FEED_TYPES,
    WELL_KNOWN_FEEDS,
    WELL_KNOWN_SITEMAPS,
    DiscoveryError,
    is_article_sitemap,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
)
from crawler.extraction.listing import looks_like_listing_url
from crawler.frontier import DEFAULT_TRAP_PATIENCE, ListingFrontier, TrapCutter
from crawler.incremental import RevisitPlanner, fetch_state
from crawler.items import FetchedPage, FetchRecord, NotModified
from crawler.links import PageLinks, links_of_response
from crawler.middlewares import OutOfScope
from crawler.options import StartUrlError, split_start_urls
from crawler.profiles import SiteProfile, load_profile, profile_for_url
from crawler.redirects import RedirectMemory, slash_twin
from crawler.scope import SiteScope, TrapGuard, normalize_link, url_pattern
from crawler.signals import crawl_error, page_extracted, robots_fetched, url_moved

logger = logging.getLogger(__name__)

# Scheduling priorities: sitemaps and feeds first, then article candidates, listings last.
PRIORITY_DISCOVERY = 30
PRIORITY_ARTICLE = 20
PRIORITY_LISTING = 10

# Discovery routes a crawl can be limited to (-a routes=sitemap,feed); default: all of them.
ROUTES = ("sitemap", "feed", "links")

HTML_TYPES = re.compile(r"\s*(text/html|application/xhtml\+xml)\b", re.IGNORECASE)
COMMENT_FEED = re.compile(r"comment|reactie|kommentar|commentaire", re.IGNORECASE)
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.IGNORECASE)
# What `_follow` made of a link.
NEW_CANDIDATE = "new"
HELD_LISTING = "listing"
NOTHING_NEW = "known"


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class AwaitedLinks:
    """A page handed to extraction whose links the spider waits for: its links read by the
    extraction worker (NEWSARCHIVE_LINKS_IN_WORKERS)."""

    def __init__(self, response: HtmlResponse, loop: asyncio.AbstractEventLoop) -> None:
        self.response = response
        # what extraction read: (links or None, whether an article or None), once it is done
        self.read: tuple[PageLinks | None, bool | None] | None = None
        # the requests of its links, for parse_page to yield
        self.requests: asyncio.Future[list[Request]] = loop.create_future()
        # whether it is still a page for extraction, for the extraction pipeline
        self.still_page: asyncio.Future[bool] = loop.create_future()


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
        # Article candidates a sitemap or a listing named: a listing yields only what is not here.
        self.listed: set[str] = set()
        self.listings = ListingFrontier()
        self.traps = TrapCutter()
        self.redirects = RedirectMemory()
        self.roots_with_robots: set[str] = set()
        self.sitemap_articles = 0  # article URLs the sitemaps listed (known or not)
        self.sitemap_new = 0  # … of which new to the archive: the crawl's expected work
        self.sitemaps_pending = 0  # sitemap requests not yet answered
        self.estimate_announced = False
        self.start_pages = {self._key(url) for url in self.start_urls}
        # Pages handed to extraction whose links the spider waits for (parse_page).
        self.links_in_extraction = False
        # In the order they were handed over: their links are followed in that order.
        self.links_awaited: dict[str, AwaitedLinks] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.trap_guard = TrapGuard(settings.getint("NEWSARCHIVE_MAX_LINKS_PER_PATTERN"))
        spider.listings = ListingFrontier(
            patience=settings.getint("NEWSARCHIVE_LISTING_PATIENCE", 2),
            sample=settings.getint("NEWSARCHIVE_LISTING_SAMPLE", 2),
        )
        spider.traps = TrapCutter(
            settings.getint("NEWSARCHIVE_TRAP_PATIENCE", DEFAULT_TRAP_PATIENCE)
        )
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.robots_fetched, signal=robots_fetched)
        crawler.signals.connect(spider.page_extracted, signal=page_extracted)
        spider.links_in_extraction = settings.getbool("NEWSARCHIVE_LINKS_IN_WORKERS", True)
        for left in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_left, signal=left)
        # Known, unchanged articles are skipped or fetched conditionally (crawler/incremental.py).
        spider.revisits = RevisitPlanner.from_crawler(crawler)
        if spider.revisits is not None:
            spider.redirects = RedirectMemory(spider.revisits.aliases)
        return spider

    # --- the order of the work ---

    async def start(self) -> AsyncIterator[Request]:
        roots = list(dict.fromkeys(site_root(url) for url in self.start_urls))
        obey_robots = self.settings.getbool("ROBOTSTXT_OBEY")
        for root in roots:
            if "sitemap" in self.routes and not obey_robots:
                # No robots middleware to read it: fetch it here for its Sitemap: lines.
                yield Request(
                    f"{root}/robots.txt",
                    callback=self.parse_robots,
                    errback=self.robots_missing,
                    meta={"dont_obey_robotstxt": True, "probe": True, "request_kind": "robots"},
                    priority=PRIORITY_DISCOVERY,
                    dont_filter=True,
                )
            if "feed" in self.routes:
                # The first request to a host makes the robots middleware read robots.txt,
                # which hands its Sitemap: lines to robots_fetched().
                for path in WELL_KNOWN_FEEDS:
                    for request in self._discovery(f"{root}{path}", "feed", probe=True):
                        yield request
            elif "sitemap" in self.routes and obey_robots:
                for request in self._sitemap_requests(root, []):
                    yield request
        for url in self.start_urls:
            self.listings.add(url, primary=True)
        if not self.routes & {"sitemap", "feed"}:
            for url in self.listings.release():
                yield self._listing_request(url)

    def spider_idle(self, spider: Spider) -> None:
        """Nothing queued: release the listings that are worth a request now, if any."""
        urls = self.listings.release()
        if not urls:
            self._record_listing_stats()
            return
        for url in urls:
            self.crawler.engine.crawl(self._listing_request(url))
        raise DontCloseSpider

    def _record_listing_stats(self) -> None:
        stats = self.crawler.stats
        for key, value in self.listings.summary().items():
            stats.set_value(f"newsarchive/listings/{key}", value)

    # --- discovery routes ---

    def robots_fetched(self, url: str, status: int, body: bytes) -> None:
        """The robots middleware read a site's robots.txt: request the sitemaps it names."""
        root = site_root(url)
        if root in self.roots_with_robots or "sitemap" not in self.routes:
            return
        self.roots_with_robots.add(root)
        text = body.decode("utf-8", "replace") if status < 400 else ""
        named = sitemaps_from_robots(text, url)
        if named:
            logger.info("robots.txt names %d sitemap(s)", len(named))
        for request in self._sitemap_requests(root, named):
            self.crawler.engine.crawl(request)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        text = response.text if isinstance(response, TextResponse) else ""
        self.roots_with_robots.add(site_root(response.url))
        named = sitemaps_from_robots(text, response.url)
        yield from self._sitemap_requests(site_root(response.url), named)

    def robots_missing(self, failure: Failure) -> Iterator[Request]:
        yield from self._sitemap_requests(site_root(failure.request.url), [])

    def _sitemap_requests(self, root: str, named: list[str]) -> Iterator[Request]:
        if named:
            for url in named:
                yield from self._discovery(url, "sitemap")
        else:
            # The well-known places, one after the other: the first that exists is enough.
            yield from self._discovery(
                f"{root}{WELL_KNOWN_SITEMAPS[0]}", "sitemap", probe=True, next_probe=1
            )

    def parse_sitemap(self, response: Response) -> Iterator[Request | FetchRecord]:
        try:
            yield from self._parse_sitemap(response)
        finally:
            self._sitemap_done()

    def _sitemap_done(self) -> None:
        """Once every sitemap is read, say what the crawl will cost (crawler/costs.py)."""
        self.sitemaps_pending -= 1
        if self.sitemaps_pending > 0 or self.estimate_announced or not self.sitemap_new:
            return
        self.estimate_announced = True
        announce_estimate(self.crawler, self.sitemap_new)

    def _parse_sitemap(self, response: Response) -> Iterator[Request | FetchRecord]:
        self._count_page()
        if response.status == 304:
            self.crawler.stats.inc_value("newsarchive/discovery/not_modified")
            yield FetchRecord(url=response.url, fetch={**fetch_state(response), "kind": "sitemap"})
            yield from self._sitemap_unchanged(response)
            return
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except DiscoveryError as error:
            if not response.meta.get("probe"):
                self._report(response.url, response.status, f"unreadable sitemap: {error}")
            else:
                yield from self._next_probe(response)
            return
        self.crawler.stats.inc_value("newsarchive/discovery/sitemaps")
        digest = hashlib.sha256(response.body).hexdigest()
        if self.revisits is not None and self.revisits.same_content(response.url, digest):
            yield from self._sitemap_unchanged(response)
        kind = "sitemap-index" if sitemap.is_index else "sitemap"
        yield FetchRecord(
            url=response.url, fetch={**fetch_state(response), "kind": kind, "content_hash": digest}
        )
        untrusted = self.revisits is not None and self.revisits.lastmod_untrusted(response.url)
        for link in sitemap.links:
            if sitemap.is_index:
                if not is_article_sitemap(link.url):
                    self.crawler.stats.inc_value("newsarchive/discovery/sitemaps_not_articles")
                    continue
                if (
                    not untrusted
                    and self.revisits is not None
                    and self.revisits.sitemap_unchanged(link.url, link.date)
                ):
                    self.crawler.stats.inc_value("newsarchive/discovery/sitemaps_unchanged")
                    continue
                yield from self._discovery(
                    link.url, "sitemap", lastmod=link.date, trusted_index=response.url
                )
            else:
                evidence = {"sitemap_lastmod": link.date} if link.date else {}
                if untrusted:
                    evidence = {"sitemap_date": link.date} if link.date else {}
                self.listed.add(link.url)
                yield from self._follow(link.url, evidence=evidence, source="sitemap")
                if not looks_like_listing_url(link.url):
                    self.sitemap_articles += 1
                    known = self.revisits is not None and self.revisits.known_as(link.url)
                    self.sitemap_new += not known
        # With sitemaps listing the articles, listings only check for what they missed.
        if self.sitemap_articles:
            self.listings.sample = 1
        stats = self.crawler.stats
        stats.set_value("newsarchive/discovery/sitemap_urls", self.sitemap_new)

    def _sitemap_unchanged(self, response: Response) -> Iterator[FetchRecord]:
        """A child sitemap whose lastmod moved while its content did not: lastmod lies."""
        index = response.meta.get("trusted_index")
        if not index or not response.meta.get("lastmod_moved"):
            return
        if self.revisits is not None and not self.revisits.lastmod_untrusted(index):
            self.revisits.distrust_lastmod(index)
            self.crawler.stats.inc_value("newsarchive/discovery/lastmod_untrusted")
            self._report(
                index,
                None,
                f"sitemap lastmod moved for {response.url} but its content did not change: "
                "lastmod of this sitemap index no longer trusted",
            )
            yield FetchRecord(url=index, fetch={"url": index, "lastmod_trusted": 0})

    def parse_feed(self, response: Response) -> Iterator[Request | FetchRecord]:
        self._count_page()
        if response.status == 304:
            self.crawler.stats.inc_value("newsarchive/discovery/not_modified")
            return
        try:
            entries = parse_feed(response.body, response.url)
        except DiscoveryError as error:
            if not response.meta.get("probe"):
                self._report(response.url, response.status, f"unreadable feed: {error}")
            return
        self.crawler.stats.inc_value("newsarchive/discovery/feeds")
        yield FetchRecord(url=response.url, fetch={**fetch_state(response), "kind": "feed"})
        for entry in entries:
            evidence = {"feed_published": entry.date} if entry.date else {}
            yield from self._follow(entry.url, evidence=evidence, source="feed")

    def parse_page(
        self, response: Response
    ) -> Iterator[Request | FetchedPage | NotModified] | AsyncIterator[Request | FetchedPage]:
        """Follow a page's links and hand the page to extraction.

        With NEWSARCHIVE_LINKS_IN_WORKERS, a page that goes to extraction (not a start page, not
        a listing or a paginated page, whose links the listing walk needs at once) is not parsed
        here: its links are read by the extraction worker from the tree it parses anyway, and
        followed once its outcome is in (`links_read`), with the same decisions as if they had
        been read here (but in the order the outcomes come back).
        """
        self._count_page()
        self._learn_redirects(response)
        meta = response.meta if response.request is not None else {}
        if refuted := meta.get("rewrite_refuted"):
            self.redirects.unlearn(response.request.url, refuted)
        if response.status == 304:  # a conditional revisit: the archived version is current
            return iter([NotModified(url=response.url, fetch=fetch_state(response))])
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        # Scrapy sniffs HTML inside any body; a browser would not render these, neither do we.
        is_html = HTML_TYPES.match(content_type or "text/html")
        if not isinstance(response, HtmlResponse) or not is_html:
            self.crawler.stats.inc_value("newsarchive/skipped/not_html")
            self._report(response.url, response.status, f"not HTML ({content_type or 'no type'})")
            return iter(())
        url = response.url
        asked = response.request.url if response.request is not None else url
        is_start_page = self._key(url) in self.start_pages or self._key(asked) in self.start_pages
        # Links of a listing (or of a page released like one) are what it yields. Links in an
        # article's text or sidebar that no listing names are mostly static pages: they wait,
        # and are sampled by yield once the listings are done.
        from_listing = (
            is_start_page or looks_like_listing_url(url) or self.listings.has_sequence(url)
        )
        if (
            self.links_in_extraction
            and "links" in self.routes
            and not from_listing
            and not self.listings.is_paginated(url)
            and url not in self.links_awaited
        ):
            return self._page_then_links(response)
        return self._links_then_page(response, is_start_page, from_listing)

    def _links_then_page(
        self, response: HtmlResponse, is_start_page: bool, from_listing: bool
    ) -> Iterator[Request | FetchedPage]:
        """A page whose links are read here: followed, then the page handed to extraction."""
        url = response.url
        if "feed" in self.routes and is_start_page:
            # The start page's feeds; other pages advertise feeds of one category or tag,
            # which repeat what the site feed and the listings give.
            yield from self._advertised_feeds(response)
        new_candidates = new_outside = 0
        if "links" in self.routes:
            new_candidates, new_outside = yield from self._follow_page_links(
                url, links_of_response(response), from_listing=from_listing
            )
        walked = is_start_page or self.listings.has_sequence(url)
        # a page with pages of its own is a listing; a held menu page may still be an article
        listing = is_start_page or looks_like_listing_url(url) or self.listings.is_paginated(url)
        if walked:
            self.listings.add(url, primary=is_start_page)
            for next_url in self.listings.parsed(url, new_candidates):
                yield self._listing_request(next_url)
            self._record_listing_stats()
        if cut := self.traps.fetched(
            url, yielded_outside=new_outside > 0, awaiting_extraction=not listing
        ):
            self._trap_cut(cut)
        if not listing:
            yield self._fetched_page(response)

    async def _page_then_links(
        self, response: HtmlResponse
    ) -> AsyncIterator[Request | FetchedPage]:
        """A page whose links extraction reads: handed over first, its links followed after.

        The response stays in the scraper until its links are followed, so the crawl is not
        idle (no listing is released, the spider does not close) while they are pending; the
        requests are yielded here, so they pass the spider middlewares as any other.
        """
        url = response.url
        awaited = AwaitedLinks(response, asyncio.get_running_loop())
        self.links_awaited[url] = awaited
        try:
            yield self._fetched_page(response, read_links=True)
            requests = await awaited.requests
        finally:
            del self.links_awaited[url]
            if not awaited.still_page.done():  # closed before its turn: later pages go on
                awaited.still_page.set_result(True)
                self._follow_in_order()
        for request in requests:
            yield request

    def links_read(
        self, url: str, links: PageLinks | None, *, is_article: bool | None
    ) -> asyncio.Future[bool]:
        """Extraction is done with a page parse_page handed over: these are the links it read
        (None: it could not read them, the page is parsed here) and what it made of the page
        (None: nothing).

        The links are followed in the order the pages were handed over, as they would be had
        they been read here: which page of a listing family is sampled, which link counts as
        new, must not depend on which worker finished first. The future says, once the page's
        links are followed, whether it is still one for extraction: a page whose own links show
        it has pages of its own is a listing, as in `_links_then_page`.
        """
        awaited = self.links_awaited.get(url)
        if awaited is None or awaited.requests.done():
            decided: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            decided.set_result(True)
            return decided
        awaited.read = (links, is_article)
        self._follow_in_order()
        return awaited.still_page

    def _follow_in_order(self) -> None:
        """Follow the read links of the pages handed over, oldest first, up to the first page
        whose extraction is not done yet."""
        for url, awaited in list(self.links_awaited.items()):
            if awaited.requests.done():
                continue  # followed; its parse_page has yet to resume
            if awaited.read is None:
                return
            links, is_article = awaited.read
            awaited.still_page.set_result(self._follow_read_links(url, awaited, links, is_article))

    def _follow_read_links(
        self, url: str, awaited: AwaitedLinks, links: PageLinks | None, is_article: bool | None
    ) -> bool:
        response, waiting = awaited.response, awaited.requests
        if links is None:  # extraction could not read them: read here, as for any page
            self.crawler.stats.inc_value("newsarchive/links/read_by_spider")
            links = links_of_response(response)
        else:
            self.crawler.stats.inc_value("newsarchive/links/read_in_extraction")
        requests: list[Request] = []
        following = self._follow_page_links(url, links, from_listing=False)
        while True:
            try:
                requests.append(next(following))
            except StopIteration as followed:
                new_candidates, new_outside = followed.value
                break
        # the rest as for a page read here, in the same order (_links_then_page)
        listing = looks_like_listing_url(url) or self.listings.is_paginated(url)
        if self.listings.has_sequence(url):
            self.listings.add(url, primary=False)
            for next_url in self.listings.parsed(url, new_candidates):
                requests.append(self._listing_request(next_url))
            self._record_listing_stats()
        if cut := self.traps.fetched(
            url, yielded_outside=new_outside > 0, awaiting_extraction=not listing
        ):
            self._trap_cut(cut)
        if not listing and is_article is not None:
            cut = self.traps.extracted(url, is_article=is_article)
            if cut:
                self._trap_cut(cut)
        waiting.set_result(requests)
        return not listing

    def _item_left(self, item: Any, **kwargs: Any) -> None:
        """A page handed over for its links left the item pipelines without them (dropped before
        extraction, or with no extraction configured): parse_page reads them itself."""
        if isinstance(item, FetchedPage) and item.read_links:
            self.links_read(item.url, None, is_article=None)

    def _follow_page_links(
        self, url: str, links: PageLinks, *, from_listing: bool
    ) -> Iterator[Request]:
        """Follow a page's links; returns how many were new candidates, and new outside the
        page's URL pattern."""
        new_candidates = new_outside = 0
        pattern = url_pattern(url)
        # Links only in the site's menus (header, footer, menu blocks) lead to the same
        # pages from every page: about, contact, static pages. They are held and sampled
        # like a listing family, instead of each costing a request as an article candidate.
        in_menus = Counter(links.menu_hrefs)
        in_body = Counter(links.hrefs) - in_menus
        # resolved where the page was read (crawler/links.py)
        for link in links.hrefs:
            if link in self.links_done:
                continue
            outcome = yield from self._follow(
                link, from_page=True, hold=link not in in_body or not from_listing
            )
            if from_listing:
                new_candidates += self._listed_first_here(link)
            if outcome == NEW_CANDIDATE:
                if not from_listing:
                    new_candidates += 1
                new_outside += url_pattern(link) != pattern
        return new_candidates, new_outside

    def _fetched_page(self, response: Response, *, read_links: bool = False) -> FetchedPage:
        return FetchedPage(
            url=response.url,
            body=response.body,
            declared_encoding=self._declared_encoding(response),
            evidence=dict(response.meta.get("evidence") or {}),
            warc=response.meta.get("warc"),
            fetch=fetch_state(response),
            read_links=read_links,
        )

    def _advertised_feeds(self, response: Response) -> Iterator[Request]:
        for link in response.css("link[rel~=alternate]"):
            if (link.attrib.get("type") or "").lower() not in FEED_TYPES:
                continue
            described = f"{link.attrib.get('title', '')} {link.attrib.get('href', '')}"
            if COMMENT_FEED.search(described):
                continue  # a post's comment feed lists comments, not articles
            url = response.urljoin(link.attrib.get("href", ""))
            # An advertised feed that is gone is no crawl error: the site works without it.
            yield from self._discovery(url, "feed", probe=True)

    def page_extracted(self, url: str, is_article: bool, links_followed: bool = False) -> None:
        """Extraction decided about a page: a trap pattern yields no articles."""
        if links_followed or url in self.links_awaited:
            return  # decided with its links, once they are followed (links_read)
        if cut := self.traps.extracted(url, is_article=is_article):
            self._trap_cut(cut)

    def _trap_cut(self, pattern: str) -> None:
        self.crawler.stats.inc_value("newsarchive/traps_cut")
        self._report(
            pattern,
            None,
            f"spider trap cut: {self.traps.patience} pages in a row like {pattern} yielded "
            "no article and no new link; no more of them are fetched",
        )

    # --- helpers ---

    def _follow(
        self,
        url: str,
        evidence: dict[str, str] | None = None,
        *,
        from_page: bool = False,
        hold: bool = False,
        source: str = "page",
    ) -> Iterator[Request]:
        """Request a link if it may yield something new; returns what it was (NEW_CANDIDATE …)."""
        if url in self.links_done:
            return NOTHING_NEW
        link = self._target(url)
        if link is None:
            self.links_done.add(url)
            return NOTHING_NEW
        if link in self.links_done or slash_twin(link) in self.links_done:
            # the same page with or without its trailing slash was requested already
            self.links_done.add(url)
            return NOTHING_NEW
        if self.traps.is_cut(link):
            self.links_done.update((url, link))
            self.crawler.stats.inc_value("newsarchive/trap_links_dropped")
            return NOTHING_NEW
        # Links found in pages (not the site's own sitemaps and feeds) can be spider traps:
        # an endless calendar, numbered pages that never end. Cap them per URL pattern.
        if from_page and not self.trap_guard.admit(link):
            self.crawler.stats.inc_value("newsarchive/trap_links_dropped")
            if self.trap_guard.first_refusal(link):
                limit = self.trap_guard.limit
                self._report(link, None, f"possible spider trap: over {limit} links like this one")
            self.links_done.update((url, link))  # a pattern's count never goes down
            return NOTHING_NEW
        known = self.revisits.known_as(link) if self.revisits is not None else None
        if not hold:
            self.listings.claim(link)  # held before as a page link; now a real candidate
        listing = looks_like_listing_url(link) or self.listings.knows(link)
        if listing or (hold and known is None):
            # Held until the crawl is idle, and walked by what it yields (crawler/frontier.py).
            self.listings.add(link, page_link=not listing)
            if listing:
                # not a held page link: a sitemap, feed or listing may still claim one of those
                self.links_done.update((url, link))
            return HELD_LISTING
        revisit: dict[str, Any] = {}
        if self.revisits is not None:
            if known is not None and known != link:
                self.links_done.add(link)
                link = known  # the archive knows this page under another URL
                if link in self.links_done:
                    self.links_done.add(url)
                    return NOTHING_NEW
            plan = self.revisits.plan(link, evidence)
            if plan is None:
                # known, unchanged and not due; not marked done: a later sitemap or feed entry
                # may announce a change
                return NOTHING_NEW
            revisit = plan
        # the duplicate filter would drop any later request for these
        self.links_done.update((url, link))
        meta = {
            **({"evidence": evidence} if evidence else {}),
            **revisit.get("meta", {}),
            "request_kind": "article",
            "link_source": source,
        }
        if link != url and self.redirects.rewrote(url, link):
            meta["rewritten_from"] = url
        yield Request(
            link,
            callback=self.parse_page,
            errback=self.on_error,
            priority=PRIORITY_ARTICLE,
            headers=revisit.get("headers"),
            meta=meta,
        )
        return NOTHING_NEW if revisit else NEW_CANDIDATE

    def _target(self, url: str) -> str | None:
        """The URL to request for a link (normalised, and where the site is known to redirect
        it), or None when the link is not worth following or leaves the site."""
        link = normalize_link(
            url,
            max_query_page=self.settings.getint("NEWSARCHIVE_MAX_QUERY_PAGE", 500),
            max_path_depth=self.settings.getint("NEWSARCHIVE_MAX_PATH_DEPTH", 12),
        )
        if link is None or not self.scope.allows(link):
            return None
        return self.redirects.resolve(link)

    def _listed_first_here(self, url: str) -> bool:
        """Whether a listing's link names an article candidate that neither the archive nor a
        sitemap or another listing named before: what a listing yields.

        Feeds do not count: they name the newest articles, which are also on a listing's first
        pages, and a first crawl must still page through to the oldest.
        """
        link = self._target(url)
        if link is None or looks_like_listing_url(link) or self.listings.knows(link):
            return False
        twin = slash_twin(link)
        if link in self.listed or (twin and twin in self.listed):
            return False
        self.listed.add(link)
        return not (self.revisits is not None and self.revisits.known_as(link))

    def _listing_request(self, url: str) -> Request:
        self.links_done.add(url)
        return Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            priority=PRIORITY_LISTING,
            meta={"request_kind": "listing"},
        )

    def _discovery(
        self,
        url: str,
        kind: str,
        *,
        probe: bool = False,
        next_probe: int | None = None,
        lastmod: str | None = None,
        trusted_index: str | None = None,
    ) -> Iterator[Request]:
        """A sitemap or feed request, conditional when the archive has its validators."""
        if url in self.links_done or not self.scope.allows(url):
            return
        self.links_done.add(url)
        meta: dict[str, Any] = {"probe": probe, "request_kind": kind}
        if next_probe is not None:
            meta["next_probe"] = next_probe
        headers = {}
        if self.revisits is not None:
            headers = self.revisits.validators(url)
            if lastmod:
                meta["evidence"] = {"sitemap_lastmod": lastmod}
                meta["trusted_index"] = trusted_index
                meta["lastmod_moved"] = self.revisits.lastmod_moved(url, lastmod)
        if headers:
            meta["handle_httpstatus_list"] = [304]
        callback = self.parse_sitemap if kind == "sitemap" else self.parse_feed
        if kind == "sitemap":
            self.sitemaps_pending += 1
        yield Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=PRIORITY_DISCOVERY,
            headers=headers or None,
            meta=meta,
        )

    def _next_probe(self, response_or_request: Response | Request) -> Iterator[Request]:
        """The next well-known sitemap location, after one that was missing."""
        meta = response_or_request.meta
        index = meta.get("next_probe")
        if index is None or index >= len(WELL_KNOWN_SITEMAPS):
            return
        root = site_root(response_or_request.url)
        next_index = index + 1 if index + 1 < len(WELL_KNOWN_SITEMAPS) else None
        yield from self._discovery(
            f"{root}{WELL_KNOWN_SITEMAPS[index]}", "sitemap", probe=True, next_probe=next_index
        )

    def _learn_redirects(self, response: Response) -> None:
        meta = response.meta if response.request is not None else {}
        chain = meta.get("redirect_urls")
        if not chain:
            return
        reasons = meta.get("redirect_reasons") or []
        for source, reason in zip(chain, reasons, strict=False):
            self.links_done.add(source)
            if reason in (301, 308):
                self.crawler.signals.send_catch_log(url_moved, old=source, new=response.url)
            if self.redirects.learn(source, response.url, permanent=reason in (301, 308)):
                logger.info(
                    "%s redirects the same way every time (%s): later links go straight there",
                    site_root(response.url),
                    self.redirects.rules_text(),
                )

    @staticmethod
    def _key(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.netloc}{parts.path.rstrip('/')}?{parts.query}"

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
        """A redirect to a URL already crawled in this chain is a loop: record it. A redirect
        to a URL requested already (a changed slug whose new URL the sitemap also lists) still
        tells where the old URL went."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self._report(chain[0], None, f"redirect loop: {' -> '.join([*chain, request.url])}")
            return
        reasons = request.meta.get("redirect_reasons") or []
        for source, reason in zip(chain, reasons, strict=False):
            self.links_done.add(source)
            if reason in (301, 308):
                self.redirects.learn(source, request.url, permanent=True)
                self.crawler.signals.send_catch_log(url_moved, old=source, new=request.url)

    def on_error(self, failure: Failure) -> Iterator[Request]:
        """Log and record a failed request; a probe for an optional route that 404s is no error."""
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            if request.meta.get("rewritten_from") and response.status in (404, 410):
                # Rewritten by a learned redirect rule and not found: ask as linked. Only if the
                # link as linked leads to a page is the rule wrong for this site (parse_page).
                meta = {k: v for k, v in request.meta.items() if k != "rewritten_from"}
                meta["rewrite_refuted"] = request.url
                yield request.replace(
                    url=request.meta["rewritten_from"], meta=meta, dont_filter=True
                )
                return
            if request.meta.get("request_kind") == "sitemap":
                self._sitemap_done()
            if request.meta.get("probe") and response.status in (404, 410):
                logger.debug("No %s on this site (HTTP %s)", request.url, response.status)
                yield from self._next_probe(request)
                return
            reason = f"HTTP {response.status}"
            if 300 <= response.status < 400:  # a redirect the crawler would not follow
                location = response.headers.get(b"Location", b"").decode("latin-1")
                reason += f": redirect to {location or 'nowhere'} not followed"
            self._report(request.url, response.status, reason)
            return
        if request.meta.get("request_kind") == "sitemap":
            self._sitemap_done()
        if failure.check(OutOfScope):
            self._report(request.url, None, str(failure.value))
        elif failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            logger.debug("Ignored %s: %s", request.url, failure.value)  # counted as robots_denied
        elif failure.check(IgnoreRequest):  # e.g. a body over DOWNLOAD_MAXSIZE (a gzip bomb)
            self._report(request.url, None, f"ignored: {failure.value}")
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
            self._report(request.url, None, reason)
