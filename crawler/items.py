"""What the spider hands to the item pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FetchedPage:
    """An HTML page that may be an article, waiting for extraction."""

    url: str
    body: bytes
    declared_encoding: str | None = None
    # Dates seen during discovery (sitemap lastmod, feed pubDate): evidence for the extractor.
    evidence: dict[str, str] = field(default_factory=dict)
    # Where the response is archived (warc_file, warc_offset, warc_record_id, warc_digest).
    warc: dict[str, object] | None = None
    # How it was fetched (status, ETag, Last-Modified, lastmod), for incremental crawls.
    fetch: dict[str, object] | None = None
    # The spider follows the page's links once extraction has read them (crawler/links.py).
    read_links: bool = False


@dataclass
class NotModified:
    """A conditional request answered 304: the archived version of the page is current."""

    url: str
    fetch: dict[str, object] = field(default_factory=dict)


@dataclass
class FetchRecord:
    """How a sitemap or feed was fetched, kept for the next crawl's conditional requests."""

    url: str
    fetch: dict[str, object] = field(default_factory=dict)
