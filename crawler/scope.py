"""Which URLs belong to the crawled site, and which links are worth following."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Query parameters that only track or personalise; dropping them merges duplicate URLs.
TRACKING_PARAMETERS = re.compile(
    r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|share|replytocom|amp|output|sessionid|"
    r"phpsessid|sid|jsessionid)$",
    re.IGNORECASE,
)
# Query parameters that paginate; any other query is not followed (it is rarely content
# and often a trap: calendars, filters, sort orders, search results).
PAGINATION_PARAMETERS = frozenset({"page", "paged", "p", "pg"})

# Paths never worth fetching on a WordPress or similar news site.
NEVER_FOLLOW = re.compile(
    r"/(wp-admin|wp-login\.php|wp-json|xmlrpc\.php|wp-content|wp-includes|cdn-cgi|cart|checkout|"
    r"login|logout|register|account|print)(/|$)|/(comment-page-\d+|trackback|embed)/?$|"
    r"\.(jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|avi|mov|docx?|xlsx?|pptx?|css|js|woff2?|"
    r"xml|rss|atom|json)$",
    re.IGNORECASE,
)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _host_variants(host: str) -> set[str]:
    host = host.lower().rstrip(".")
    if _is_ip_literal(host):
        return {host}
    bare = host.removeprefix("www.")
    return {bare, f"www.{bare}"}


@dataclass(frozen=True)
class SiteScope:
    """The hosts (with their ports) a crawl may fetch from: the start URLs' hosts and www-twins."""

    netlocs: frozenset[str]

    @classmethod
    def from_urls(cls, urls: Iterable[str], extra_hosts: Iterable[str] = ()) -> SiteScope:
        netlocs: set[str] = set()
        for url in urls:
            parts = urlsplit(url)
            if not parts.hostname:
                continue
            port = f":{parts.port}" if parts.port else ""
            netlocs.update(f"{host}{port}" for host in _host_variants(parts.hostname))
        for host in extra_hosts:
            netlocs.update(_host_variants(host))
        return cls(frozenset(netlocs))

    def allows(self, url: str) -> bool:
        """True for an http(s) URL on one of the site's hosts (and ports)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
            return False
        default_port = {"http": 80, "https": 443}[parts.scheme]
        host = parts.hostname.lower().rstrip(".")
        netloc = host if port in (None, default_port) else f"{host}:{port}"
        return netloc in self.netlocs

    @property
    def literal_hosts(self) -> frozenset[str]:
        """Hosts given as IP addresses: the operator chose these addresses explicitly."""
        hosts = set()
        for netloc in self.netlocs:
            host = netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc
            if _is_ip_literal(host):
                hosts.add(host)
        return frozenset(hosts)

    @property
    def hosts(self) -> list[str]:
        return sorted({netloc.split(":")[0] for netloc in self.netlocs})


def normalize_link(url: str, *, max_query_page: int = 500, max_path_depth: int = 12) -> str | None:
    """The URL to request for a link, or None when the link is not worth following.

    Drops fragments and tracking parameters; keeps only small pagination queries and paths
    of at most `max_path_depth` segments (ever-deeper paths are a classic spider trap).
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ALLOWED_SCHEMES or NEVER_FOLLOW.search(parts.path):
        return None
    if len([segment for segment in parts.path.split("/") if segment]) > max_path_depth:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMETERS.match(k)]
    for key, value in query:
        if key.lower() not in PAGINATION_PARAMETERS:
            return None
        if not value.isdigit() or int(value) > max_query_page:
            return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


_DIGITS = re.compile(r"\d+")


def url_pattern(url: str) -> str:
    """A URL's shape: numbers replaced by N, query values dropped (/calendar/N/N/?page)."""
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query)})
    return _DIGITS.sub("N", parts.path) + ("?" + "&".join(keys) if keys else "")


class TrapGuard:
    """Admits at most `limit` distinct links per URL pattern; the rest are likely a trap."""

    def __init__(self, limit: int):
        self.limit = limit
        self.counts: dict[str, int] = {}
        self.seen: set[str] = set()

    def admit(self, url: str) -> bool:
        if url in self.seen:
            return True  # Scrapy's duplicate filter handles repeats
        pattern = url_pattern(url)
        count = self.counts.get(pattern, 0)
        if count >= self.limit:
            return False
        self.counts[pattern] = count + 1
        self.seen.add(url)
        return True

    def first_refusal(self, url: str) -> bool:
        """True exactly once per pattern: when its first link over the limit is refused."""
        pattern = url_pattern(url)
        if self.counts.get(pattern, 0) == self.limit:
            self.counts[pattern] = self.limit + 1
            return True
        return False
