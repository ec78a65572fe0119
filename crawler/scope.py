"""Which URLs belong to the crawled site, and which links are worth following."""

from __future__ import annotations

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
    r"\.(jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|avi|mov|docx?|xlsx?|pptx?|css|js|woff2?)$",
    re.IGNORECASE,
)


def _host_variants(host: str) -> set[str]:
    host = host.lower().rstrip(".")
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
    def hosts(self) -> list[str]:
        return sorted({netloc.split(":")[0] for netloc in self.netlocs})


def normalize_link(url: str, *, max_query_page: int = 500) -> str | None:
    """The URL to request for a link, or None when the link is not worth following.

    Drops fragments and tracking parameters; keeps only small pagination queries.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ALLOWED_SCHEMES or NEVER_FOLLOW.search(parts.path):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMETERS.match(k)]
    for key, value in query:
        if key.lower() not in PAGINATION_PARAMETERS:
            return None
        if not value.isdigit() or int(value) > max_query_page:
            return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))
