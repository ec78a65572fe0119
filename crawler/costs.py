"""What a crawl costs: every request to the server counted by kind, live progress, an estimate.

On a real site each request costs its delay (1 to 2 s), so where the requests go matters:

* `RequestCostMiddleware` counts every exchange with the server (redirects and retries
  included) in the stats `newsarchive/requests/<kind>` and `newsarchive/requests/total`; the
  crawl ledger keeps them (`crawls.requests`, `crawls.requests_<kind>`).
* `CrawlProgress` shows requests, new articles, queued requests, the rate and an ETA: a live
  line on an interactive terminal (rich), otherwise an INFO log line every
  NEWSARCHIVE_PROGRESS_INTERVAL seconds and once at the end.
* `announce_estimate` logs, once the sitemaps are read, how many requests and how long the
  crawl will take at the delay in force.
"""

from __future__ import annotations

import logging
import math
import sys
import time
import weakref
from collections import deque
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# The kinds of request a crawl makes; the first five come from the spider's `request_kind` meta.
REQUEST_KINDS = (
    "robots",
    "sitemap",
    "feed",
    "listing",
    "article",
    "revisit",
    "redirect",
    "error",
)
SPIDER_KINDS = frozenset(REQUEST_KINDS[:5])
DEFAULT_KIND = "article"

REQUESTS_STAT = "newsarchive/requests/"
TOTAL_STAT = "newsarchive/requests/total"
TRAPS_CUT_STAT = "newsarchive/traps_cut"
SITEMAP_URLS_STAT = "newsarchive/discovery/sitemap_urls"
ESTIMATE_STAT = "newsarchive/estimate/requests"
ESTIMATE_BASE_STAT = "newsarchive/estimate/requests_before"
ARTICLES_NEW_STAT = "newsarchive/articles/new"

CONDITIONAL_HEADERS = (b"If-None-Match", b"If-Modified-Since")

PROGRESS_MODES = ("auto", "bar", "log", "off")
BAR_REFRESH_SECONDS = 1.0
RATE_WINDOW_SECONDS = 60.0


def kind_stat(kind: str) -> str:
    """The stats key counting requests of `kind`."""
    return f"{REQUESTS_STAT}{kind}"


def request_kind(request: Request, response: Response | None = None) -> str:
    """The kind of one exchange with the server: one of REQUEST_KINDS.

    `response` None means the download failed (a timeout, a refused connection): an error.
    """
    if response is None:
        return "error"
    status = response.status
    if 300 <= status < 400 and status != 304:  # 304 answers a revisit, it sends nowhere
        return "redirect"
    if status >= 400:
        return "error"
    kind = request.meta.get("request_kind")
    # A conditional sitemap or feed request is still discovery; a conditional page request is
    # the revisit of a known article.
    if kind in ("sitemap", "feed", "robots"):
        return kind
    if any(request.headers.get(name) for name in CONDITIONAL_HEADERS):
        return "revisit"
    if kind in SPIDER_KINDS:
        return kind
    if kind is None and urlparse_cached(request).path == "/robots.txt":
        return "robots"  # Scrapy's own robots.txt requests carry no kind
    return DEFAULT_KIND


def request_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Requests by kind from Scrapy's stats, with `total`: {"total": …, "robots": …, …}."""

    def stat(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    counts = {"total": stat(TOTAL_STAT)}
    counts.update({kind: stat(kind_stat(kind)) for kind in REQUEST_KINDS})
    return counts


class RequestCostMiddleware:
    """Downloader middleware counting every exchange with the server by kind.

    It sits next to the downloader (960), so it sees each response as the server sent it,
    before redirects are followed and retries are scheduled, and each failed download. Only
    requests that reached the downloader count: a request refused by robots.txt or the scope
    check, or answered by an earlier middleware, is not a request to the server.
    """

    def __init__(self, stats: StatsCollector):
        self.stats = stats
        self._sent: weakref.WeakSet[Request] = weakref.WeakSet()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestCostMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        self._sent.add(request)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if request in self._sent:
            self._sent.discard(request)
            self._count(request_kind(request, response))
        return response

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        if request in self._sent:
            self._sent.discard(request)
            if not isinstance(exception, IgnoreRequest):
                self._count("error")

    def _count(self, kind: str) -> None:
        self.stats.inc_value(kind_stat(kind))
        self.stats.inc_value(TOTAL_STAT)


# --- the estimate at the start ---


def _crawler_part(crawler: Crawler, name: str) -> Any:
    """crawler.spider, crawler.engine…, or None before the crawl has it."""
    try:
        return getattr(crawler, name, None)
    except RuntimeError:  # Scrapy ≥ 2.19 raises for a part not set yet
        return None


def delay_in_force(crawler: Crawler) -> float:
    """Seconds between requests: the spider's download_delay (raised by a robots.txt
    Crawl-delay) or else DOWNLOAD_DELAY."""
    spider = _crawler_part(crawler, "spider")
    delay = getattr(spider, "download_delay", None)
    if delay is None:
        delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
    return max(float(delay), 0.0)


def format_number(value: float) -> str:
    """1012 → '1 012' (a space between thousands)."""
    return f"{round(value):,}".replace(",", " ")


def format_duration(seconds: float) -> str:
    """3900 → '1 h 5 min'; 720 → '12 min' (whole minutes, rounded up)."""
    minutes = max(math.ceil(seconds / 60), 1)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def estimate_line(new_urls: int, requests: int, delay: float) -> str:
    """The start estimate: requests to come and how long they take at `delay` s a request."""
    line = (
        f"Sitemaps list {format_number(new_urls)} new articles: "
        f"about {format_number(requests)} requests"
    )
    if delay <= 0:
        return f"{line}, at full speed (no delay between requests)"
    return (
        f"{line}, ≈ {format_duration(requests * delay)} at the configured delay "
        f"({delay:.3g} s a request)"
    )


def announce_estimate(crawler: Crawler, new_urls: int) -> None:
    """Log what the crawl will cost, once the sitemaps are read (called by the spider).

    `new_urls`: article URLs the sitemaps list that the archive does not know yet. Also sets
    the stats the progress display takes its total from.
    """
    try:
        stats = crawler.stats
        assert stats is not None
        so_far = int(stats.get_value(TOTAL_STAT, 0) or 0)
        expected = int(new_urls) + so_far
        stats.set_value(SITEMAP_URLS_STAT, int(new_urls))
        stats.set_value(ESTIMATE_BASE_STAT, so_far)
        stats.set_value(ESTIMATE_STAT, expected)
        logger.info("%s", estimate_line(int(new_urls), expected, delay_in_force(crawler)))
    except Exception:
        logger.warning("Could not estimate the crawl's cost", exc_info=True)


# --- live progress ---


class RateMeter:
    """Requests per second over the last `window` seconds (since the start, until then)."""

    def __init__(self, window: float = RATE_WINDOW_SECONDS):
        self.window = window
        self.samples: deque[tuple[float, int]] = deque()

    def add(self, now: float, count: int) -> float:
        """Record `count` requests done at time `now`; return the current rate."""
        self.samples.append((now, count))
        while len(self.samples) > 2 and now - self.samples[1][0] >= self.window:
            self.samples.popleft()
        first_time, first_count = self.samples[0]
        elapsed = now - first_time
        return (count - first_count) / elapsed if elapsed > 0 else 0.0


class Figures:
    """One reading of a crawl's progress."""

    def __init__(
        self,
        requests: int,
        articles_new: int,
        queued: int | None,
        rate: float,
        expected: int | None,
    ):
        self.requests = requests
        self.articles_new = articles_new
        self.queued = queued
        self.rate = rate
        self.expected = expected

    @property
    def eta(self) -> float | None:
        """Seconds left: requests still expected / current rate; None when unknown."""
        if not self.expected or self.rate <= 0:
            return None
        remaining = self.expected - self.requests
        return remaining / self.rate if remaining > 0 else None

    def line(self, *, final: bool = False) -> str:
        parts = [
            f"{format_number(self.requests)} requests ({self.rate:.1f}/s)",
            f"{format_number(self.articles_new)} new articles",
        ]
        if self.queued is not None:
            parts.append(f"{format_number(self.queued)} queued")
        eta = None if final else self.eta
        if eta is not None and self.expected:
            parts.append(
                f"ETA ≈ {format_duration(eta)} (about {format_number(self.expected)} requests)"
            )
        return ", ".join(parts)


def queued_requests(crawler: Crawler) -> int | None:
    """Requests waiting in the scheduler, or None when there is no scheduler (yet)."""
    engine = _crawler_part(crawler, "engine")
    if engine is None:
        return None
    scheduler = getattr(engine, "scheduler", None)  # Scrapy ≥ 2.19
    if scheduler is None:
        slot = getattr(engine, "slot", None) or getattr(engine, "_slot", None)
        scheduler = getattr(slot, "scheduler", None)
    if scheduler is None:
        return None
    return len(scheduler)


def expected_requests(stats: dict[str, Any]) -> int | None:
    """Requests the whole crawl will make, when sitemaps announced a total; else None."""
    announced = stats.get(SITEMAP_URLS_STAT)
    if not announced:
        return None
    return int(announced) + int(stats.get(ESTIMATE_BASE_STAT, 0) or 0)


def _is_terminal() -> bool:
    stream = sys.stderr
    try:
        return bool(stream and stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class CrawlProgress:
    """Shows a crawl's progress: a live line on a terminal, else periodic INFO log lines.

    NEWSARCHIVE_PROGRESS: "auto" (the live line when stderr is a terminal; log lines when it
    is not, or when the log goes to a file), "bar", "log" or "off".
    """

    def __init__(self, crawler: Crawler, *, bar: bool, log_interval: float):
        self.crawler = crawler
        self.show_bar = bar
        self.log_interval = log_interval
        self.bar_rate = RateMeter()
        self.log_rate = RateMeter()
        self._bar: Any = None
        self._task: Any = None
        self._redirected: list[tuple[logging.StreamHandler, Any]] = []
        self._loops: list[Any] = []
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        settings = crawler.settings
        mode = str(settings.get("NEWSARCHIVE_PROGRESS", "auto") or "off").strip().lower()
        if mode not in PROGRESS_MODES:
            logger.warning(
                "NEWSARCHIVE_PROGRESS=%r is not one of %s: using auto", mode, PROGRESS_MODES
            )
            mode = "auto"
        interval = settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 60.0)
        terminal = _is_terminal()
        bar = mode == "bar" or (mode == "auto" and terminal)
        log = mode == "log" or (mode == "auto" and (not terminal or bool(settings.get("LOG_FILE"))))
        if mode == "off" or (not bar and not (log and interval > 0)):
            raise NotConfigured("crawl progress is switched off")
        progress = cls(crawler, bar=bar, log_interval=interval if log else 0.0)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(progress.engine_stopped, signal=signals.engine_stopped)
        return progress

    # --- figures ---

    def figures(self, meter: RateMeter) -> Figures:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        requests = int(stats.get(TOTAL_STAT, 0) or 0)
        try:
            queued = queued_requests(self.crawler)
        except Exception:
            queued = None
        return Figures(
            requests=requests,
            articles_new=int(stats.get(ARTICLES_NEW_STAT, 0) or 0),
            queued=queued,
            rate=meter.add(time.monotonic(), requests),
            expected=expected_requests(stats),
        )

    # --- signals ---

    def spider_opened(self, spider: Spider) -> None:
        now = time.monotonic()
        self.bar_rate.add(now, 0)
        self.log_rate.add(now, 0)
        if self.log_interval > 0:
            self._guard(lambda: self._start_loop(self.log_line, self.log_interval))
        if self.show_bar:
            self._guard(self.start_bar)
            if self._bar is not None:
                self._guard(lambda: self._start_loop(self.refresh_bar, BAR_REFRESH_SECONDS))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._stop_loops()
        self._guard(self.stop_bar)
        if self.log_interval > 0:
            self._guard(
                lambda: logger.info(
                    "Progress at the end: %s", self.figures(self.log_rate).line(final=True)
                )
            )

    def engine_stopped(self) -> None:
        self._stop_loops()
        self._guard(self.stop_bar)

    # --- the log line ---

    def log_line(self) -> None:
        self._guard(lambda: logger.info("Progress: %s", self.figures(self.log_rate).line()))

    # --- the live line (rich) ---

    def start_bar(self) -> None:
        """Start the live line on stderr; log records to the terminal go above it."""
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        stderr = sys.stderr
        console = Console(file=stderr)
        self._bar = Progress(
            TextColumn("Crawling"),
            BarColumn(bar_width=24),
            TextColumn("{task.fields[status]}", markup=False),
            console=console,
            transient=True,
            auto_refresh=False,
            redirect_stderr=True,
            redirect_stdout=True,
        )
        self._task = self._bar.add_task("crawl", total=None, status="starting")
        self._bar.start()
        if not console.is_terminal:
            return
        # Scrapy's log handler holds stderr itself: its records are printed through rich
        # instead, above the live line rather than over it.
        proxy = _ConsoleLogStream(console)
        for handler in logging.getLogger().handlers:
            if type(handler) is logging.StreamHandler and handler.stream is stderr:
                handler.setStream(proxy)
                self._redirected.append((handler, stderr))

    def refresh_bar(self) -> None:
        def refresh() -> None:
            if self._bar is None:
                return
            figures = self.figures(self.bar_rate)
            self._bar.update(
                self._task,
                total=figures.expected,
                completed=figures.requests,
                status=figures.line(),
            )
            self._bar.refresh()

        self._guard(refresh)

    def stop_bar(self) -> None:
        """Remove the live line and give the log its stream back."""
        bar, self._bar = self._bar, None
        for handler, stream in self._redirected:
            handler.setStream(stream)
        self._redirected.clear()
        if bar is not None:
            bar.stop()

    # --- plumbing ---

    def _start_loop(self, function: Any, interval: float) -> None:
        try:
            from scrapy.utils.asyncio import create_looping_call

            loop = create_looping_call(function)
        except ImportError:  # Scrapy < 2.14
            from twisted.internet.task import LoopingCall

            loop = LoopingCall(function)
        loop.start(interval, now=False)
        self._loops.append(loop)

    def _stop_loops(self) -> None:
        loops, self._loops = self._loops, []
        for loop in loops:
            try:
                if loop.running:
                    loop.stop()
            except Exception:
                logger.debug("Could not stop a progress timer", exc_info=True)

    def _guard(self, function: Any) -> None:
        """Run `function`; log a failure (once as a warning) instead of breaking the crawl."""
        try:
            function()
        except Exception:
            logger.log(
                logging.DEBUG if self._failed else logging.WARNING,
                "Crawl progress display failed",
                exc_info=True,
            )
            self._failed = True


class _ConsoleLogStream:
    """A log handler's stream printing whole lines through a rich console.

    The console draws them above its live display. Lines are printed as they are: no markup,
    no highlighting, no wrapping (the terminal wraps long lines).
    """

    def __init__(self, console: Any):
        self.console = console
        self.pending = ""

    def write(self, text: str) -> int:
        from rich.text import Text

        self.pending += text
        if "\n" in self.pending:
            complete, _, self.pending = self.pending.rpartition("\n")
            self.console.print(Text(complete), soft_wrap=True)
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.write("\n")
