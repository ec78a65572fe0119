"""Downloader middlewares that keep the crawl inside its site and honest about robots.txt."""

from __future__ import annotations

import ipaddress
import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from crawler.options import delay_at_least, delay_jitter
from crawler.scope import SiteScope
from crawler.signals import robots_fetched

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class OutOfScope(IgnoreRequest):
    """A request for a URL outside the crawled site (another host, port or scheme)."""


class ScopeMiddleware:
    """Drop every request outside the site's own hosts, whatever its origin.

    Scrapy's OffsiteMiddleware lets `dont_filter` requests through, and a redirect from a
    start URL inherits `dont_filter`; this check has no such exception, so an off-site
    redirect is never followed, from a start URL or from anywhere else.

    A host name in scope must also resolve to a public address: a site name that points
    into a private network, loopback or cloud metadata range is refused, unless the range is
    allowed with NEWSARCHIVE_ALLOWED_NETWORKS. Start URLs given as IP addresses (a local copy
    of a site on 127.0.0.1) are allowed as they are.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.allowed_networks = [
            ipaddress.ip_network(network)
            for network in crawler.settings.getlist("NEWSARCHIVE_ALLOWED_NETWORKS")
        ]
        self.checked_hosts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        scope: SiteScope | None = getattr(self.crawler.spider, "scope", None)
        if scope is None:
            return
        if not scope.allows(request.url):
            origin = request.meta.get("redirect_urls")
            if origin:
                message = (
                    f"redirect from {origin[0]} to out-of-scope URL {request.url} not followed"
                )
            else:
                message = f"out-of-scope URL {request.url} not fetched"
            self._refuse(message)
        host = urlparse_cached(request).hostname or ""
        if host not in self.checked_hosts:
            self.checked_hosts[host] = await self._address_problem(host, scope)
        if problem := self.checked_hosts[host]:
            self._refuse(f"{request.url} not fetched: {problem}")

    def _refuse(self, message: str) -> None:
        self.stats.inc_value("newsarchive/out_of_scope")
        logger.warning("%s", message)
        raise OutOfScope(message)

    async def _address_problem(self, host: str, scope: SiteScope) -> str | None:
        """Why `host` may not be fetched (it resolves into a non-public network), or None."""
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            if host in scope.literal_hosts or is_public_address(literal):
                return None
            return f"{host} is not a public address"
        from twisted.internet import reactor

        try:
            # The reactor's resolver is Scrapy's caching resolver: the address checked here
            # is the address the download then connects to.
            resolved = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]
        except DNSLookupError as error:
            return f"cannot resolve {host}: {error}"
        address = ipaddress.ip_address(resolved)
        if is_public_address(address) or any(address in net for net in self.allowed_networks):
            return None
        return f"{host} resolves to {address}, outside the public internet"


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable address (not private, loopback, link-local, reserved...)."""
    return address.is_global and not address.is_multicast


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt as RFC 9309 reads it: a 5xx or unreachable robots.txt means "disallow all".

    Scrapy's own middleware treats both as "allow all". A 4xx (no robots.txt) still allows all.
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        # Requests that wait together for robots.txt share one Deferred, and every waiter
        # after the first receives None from it — which Scrapy reads as "allow all". The
        # parser is stored before the Deferred fires, so read it from there.
        stored = self._parsers.get(urlparse_cached(request).netloc)
        return parser if stored is None or isinstance(stored, Deferred) else stored

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
        self._apply_crawl_delay(netloc, request)
        # The spider reads the Sitemap: lines from this fetch instead of requesting it again.
        self.crawler.signals.send_catch_log(
            robots_fetched, url=response.url, status=response.status, body=response.body
        )

    def _apply_crawl_delay(self, netloc: str, request: Request) -> None:
        """Honour a robots.txt Crawl-delay (up to NEWSARCHIVE_MAX_CRAWL_DELAY seconds).

        The crawl covers one site, so the delay is the crawl's least delay from now on: the
        spider's download_delay (what the distributed budget and the cost report read), the
        host's slot, the delay of slots made later, and AutoThrottle's minimum.
        """
        parser = self._parsers.get(netloc)
        spider = self.crawler.spider
        if parser is None or isinstance(parser, Deferred) or spider is None:
            return
        agent = self._robotstxt_useragent or self._default_useragent
        asked = parser.crawl_delay(agent)
        if not asked:
            return
        limit = self.crawler.settings.getfloat("NEWSARCHIVE_MAX_CRAWL_DELAY", 60.0)
        delay = min(float(asked), limit)
        default = self.crawler.settings.getfloat("DOWNLOAD_DELAY")
        current = getattr(spider, "download_delay", default)
        # the current delay's shortest draw must keep the Crawl-delay, not the delay itself
        delay = delay_at_least(delay, delay_jitter(self.crawler.settings))
        if delay <= current:
            return
        logger.info(
            "robots.txt of %s asks a Crawl-delay of %s s: using %.1f s",
            netloc,
            asked,
            delay,
        )
        spider.download_delay = delay  # type: ignore[attr-defined]
        engine = self.crawler.engine
        if engine is not None:
            downloader = engine.downloader
            slot = downloader.slots.get(downloader.get_slot_key(request))
            if slot is not None:
                slot.delay = max(slot.delay, delay)
            # a slot made later (another host, an idle slot closed and made again) starts here
            downloader._delay = max(downloader._delay, delay)
        # AutoThrottle lowers a slot's delay towards the server's latency, down to its minimum
        # (DOWNLOAD_DELAY): the Crawl-delay becomes that minimum, and its maximum when larger
        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, AutoThrottle):
                extension.mindelay = max(getattr(extension, "mindelay", 0.0), delay)
                extension.maxdelay = max(getattr(extension, "maxdelay", 0.0), delay)

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


def retry_after_seconds(value: bytes | None, now: float | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """Back off when a server answers 429 or 503 with Retry-After, then resume.

    The whole host slows down for the time asked (not only the one request), and Scrapy's
    RetryMiddleware, which sits below, sends the retry once the slot's delay has passed.
    A wait longer than NEWSARCHIVE_MAX_RETRY_AFTER gives up on the request instead.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("NEWSARCHIVE_MAX_RETRY_AFTER", 300.0)
        self.normal_delay = crawler.settings.getfloat("DOWNLOAD_DELAY", 0.0)
        # a jitter that would draw waits below what a site asks stops the crawl before it starts
        delay_jitter(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        slot = self._slot(request)
        if response.status not in (429, 503):
            if slot is not None and request.meta.get("backed_off"):
                # back to the least delay, a robots.txt Crawl-delay included
                spider_delay = getattr(self.crawler.spider, "download_delay", 0.0) or 0.0
                slot.delay = max(self.normal_delay, float(spider_delay), 0.0)
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        if wait > self.max_wait:
            logger.warning(
                "%s asks to retry after %.0f s, over the %.0f s limit: not retried",
                request.url,
                wait,
                self.max_wait,
            )
            request.meta["dont_retry"] = True
            return response
        self.crawler.stats.inc_value("newsarchive/backoff")
        logger.warning(
            "HTTP %s from %s: backing off %.1f s as Retry-After asks",
            response.status,
            request.url,
            wait,
        )
        if slot is not None:
            slot.delay = max(slot.delay, delay_at_least(wait, slot.jitter))
        request.meta["backed_off"] = True
        return response

    def _slot(self, request: Request) -> Any:
        engine = self.crawler.engine
        if engine is None:
            return None
        downloader = engine.downloader
        return downloader.slots.get(downloader.get_slot_key(request))
