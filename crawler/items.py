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
