"""Pure parsers for the ways a site lists its articles: robots.txt, sitemaps and feeds."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import lxml.etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

logger = logging.getLogger(__name__)

# Tried one after the other when robots.txt names no sitemap. /sitemap.xml first: most engines
# write it, and WordPress (core and Yoast SEO) redirect it to their own index.
WELL_KNOWN_SITEMAPS = ("/sitemap.xml", "/wp-sitemap.xml")
WELL_KNOWN_FEEDS = ("/feed/",)
MAX_SITEMAP_BYTES = 64 * 1024 * 1024
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")

# Child sitemaps that list no articles: taxonomy terms, authors and static pages of WordPress
# core, Yoast SEO and Rank Math. Their URLs are listings, which the crawl samples by yield.
_NOT_ARTICLE_SITEMAP = re.compile(
    r"wp-sitemap-(?:taxonomies|users)-|wp-sitemap-posts-page-|"
    r"/(?:category|post_tag|tag|author|page|product_cat|product_tag)-sitemap\d*\.xml",
    re.IGNORECASE,
)

_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class DiscoveryError(Exception):
    """A sitemap or feed that cannot be read."""


@dataclass(frozen=True)
class DiscoveredLink:
    """A URL found in a sitemap or feed, with the date the listing gave for it (if any)."""

    url: str
    date: str | None = None


@dataclass(frozen=True)
class SitemapContent:
    """A parsed sitemap: an index of other sitemaps, or a set of page URLs."""

    is_index: bool
    links: list[DiscoveredLink]


def is_article_sitemap(url: str) -> bool:
    """False for a child sitemap that by its name lists taxonomies, authors or static pages."""
    return not _NOT_ARTICLE_SITEMAP.search(url)


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """The `Sitemap:` URLs a robots.txt names, made absolute."""
    return [urljoin(base_url, match) for match in _SITEMAP_LINE.findall(robots_txt)]


def parse_sitemap(body: bytes, base_url: str) -> SitemapContent:
    """Parse a sitemap or sitemap index, gzipped or not; relative URLs are resolved."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
        except (OSError, EOFError, ValueError) as error:
            raise DiscoveryError(f"sitemap is not valid gzip: {error}") from error
    head = body.lstrip()[:512].lower()
    if not head.startswith(b"<") or b"<html" in head:
        raise DiscoveryError("not an XML sitemap")
    try:
        sitemap = Sitemap(body)
        entries = list(sitemap)
    except (lxml.etree.XMLSyntaxError, StopIteration) as error:
        raise DiscoveryError(f"sitemap is not well-formed XML: {error}") from error
    if sitemap.type not in ("urlset", "sitemapindex"):
        raise DiscoveryError(f"not a sitemap (root element <{sitemap.type}>)")
    links = [
        DiscoveredLink(urljoin(base_url, entry["loc"].strip()), entry.get("lastmod"))
        for entry in entries
        if entry.get("loc")
    ]
    return SitemapContent(is_index=sitemap.type == "sitemapindex", links=links)


def _local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _feed_date(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        # Atom dates are already ISO 8601.
        return text if re.match(r"\d{4}-\d{2}-\d{2}", text) else None


def parse_feed(body: bytes, base_url: str) -> list[DiscoveredLink]:
    """Entry links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, with their publication dates."""
    parser = lxml.etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as error:
        raise DiscoveryError(f"feed is not well-formed XML: {error}") from error
    if root is None or _local_name(root.tag) not in ("rss", "feed", "rdf"):
        raise DiscoveryError("not an RSS or Atom feed")
    links: list[DiscoveredLink] = []
    for element in root.iter():
        name = _local_name(element.tag)
        if name not in ("item", "entry"):
            continue
        url = date = None
        for child in element:
            child_name = _local_name(child.tag)
            if child_name == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    url = href
                elif child.text and child.text.strip():
                    url = child.text.strip()
            elif (child_name in ("pubdate", "published", "date") and date is None) or (
                child_name == "updated" and date is None
            ):
                date = _feed_date(child.text)
        if url:
            links.append(DiscoveredLink(urljoin(base_url, url.strip()), date))
    return links
