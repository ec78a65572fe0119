"""Downloader middlewares that keep the crawl inside its site and honest about robots.txt."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from crawler.scope import SiteScope

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class OutOfScope(IgnoreRequest):
    """A request for a URL outside the crawled site (another host, port or scheme)."""


class ScopeMiddleware:
    """Drop every request outside the site's own hosts, whatever its origin.

    Scrapy's OffsiteMiddleware lets `dont_filter` requests through, and a redirect from a
    start URL inherits `dont_filter`; this check has no such exception, so an off-site
    redirect is never followed, from a start URL or from anywhere else.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        scope: SiteScope | None = getattr(self.crawler.spider, "scope", None)
        if scope is None or scope.allows(request.url):
            return
        self.stats.inc_value("newsarchive/out_of_scope")
        origin = request.meta.get("redirect_urls")
        if origin:
            message = f"redirect from {origin[0]} to out-of-scope URL {request.url} not followed"
        else:
            message = f"out-of-scope URL {request.url} not fetched"
        logger.warning("%s", message)
        raise OutOfScope(message)


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt as RFC 9309 reads it: a 5xx or unreachable robots.txt means "disallow all".

    Scrapy's own middleware treats both as "allow all". A 4xx (no robots.txt) still allows all.
    """

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            logger.warning(
                "robots.txt of %s answered HTTP %s: treating the site as disallowed (RFC 9309)",
                netloc,
                response.status,
            )
            self._stats.inc_value("newsarchive/robots_unavailable")
            response = response.replace(body=DISALLOW_ALL)
        elif response.status >= 400:
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        logger.warning(
            "robots.txt of %s could not be fetched (%s): treating the site as disallowed "
            "(RFC 9309)",
            netloc,
            exc,
        )
        self._stats.inc_value("newsarchive/robots_unavailable")
        # Unlike the parent, hand the waiting requests a disallow-all parser instead of None.
        disallow_all = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        waiting = self._parsers[netloc]
        self._parsers[netloc] = disallow_all
        if isinstance(waiting, Deferred):
            waiting.callback(disallow_all)
