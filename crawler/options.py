"""What a crawl is asked to do: `newsarchive crawl`'s options and their checks (no Scrapy)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
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


# Scrapy draws each wait from the delay × (1 ± jitter). A minimum the crawl must keep (--delay,
# Crawl-delay, Retry-After) becomes a delay of minimum / (1 - jitter): above one half, that is
# more than twice the minimum, and the draws spread over more than a factor of three.
MAX_DELAY_JITTER = 0.5


def delay_jitter(settings: Any) -> float:
    """DOWNLOAD_DELAY_JITTER, checked: a share of the delay from 0 to MAX_DELAY_JITTER."""
    raw = settings.get("DOWNLOAD_DELAY_JITTER", 0.0)
    try:
        jitter = float(raw)
    except (TypeError, ValueError):
        jitter = -1.0
    if not 0 <= jitter <= MAX_DELAY_JITTER:
        raise ValueError(
            f"DOWNLOAD_DELAY_JITTER must be a share of the delay from 0 to {MAX_DELAY_JITTER} "
            f"(each wait is drawn from the delay × (1 ± jitter)), not {raw!r}"
        )
    return jitter


def delay_at_least(seconds: float, jitter: float | None) -> float:
    """A slot delay whose every draw is at least `seconds`: Scrapy draws each wait from the
    delay ± jitter, so a delay of `seconds` itself can come out a third shorter with the default
    jitter. jitter is one delay_jitter accepts."""
    return seconds / (1 - min(max(jitter or 0.0, 0.0), MAX_DELAY_JITTER))


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
