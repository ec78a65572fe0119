"""What a crawl is asked to do: `newsarchive crawl`'s options and their checks (no Scrapy)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class CrawlOptions:
    """What to crawl, into which archive, and how politely."""

    db: str = "archive.db"
    site: str | None = None
    start_urls: list[str] = field(default_factory=list)
    delay: float | None = None
    max_pages: int | None = None
    ignore_robots: bool = False
    workers: int | None = None
    log_file: str | None = None
    log_level: str = "INFO"
    trigger: str = "manual"
    routes: list[str] = field(default_factory=list)
    extra_settings: dict[str, object] = field(default_factory=dict)
    # Archiving (docs/archiving.md): WARC capture and incremental re-crawls.
    warc: bool = True
    warc_dir: str | None = None
    incremental: bool = True


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
