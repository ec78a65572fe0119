"""What a crawl costs: requests counted by kind, the ledger's columns, the summary, progress."""

from __future__ import annotations

import io
import logging
import re
import sys
import time
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from sqlite_utils import Database

from archive.db import open_archive
from crawler import costs
from crawler.costs import (
    REQUEST_KINDS,
    SITEMAP_URLS_STAT,
    TOTAL_STAT,
    CrawlProgress,
    Figures,
    RateMeter,
    RequestCostMiddleware,
    announce_estimate,
    expected_requests,
    format_duration,
    request_kind,
)
from crawler.ledger import ledger_counts
from demosite import DemoSite, serve_demo_site
from tests.conftest import DEMO_ARTICLES, DEMO_PROFILE, Route, crawl, last_crawl

SITE = "http://127.0.0.1:8999"
KIND_COLUMNS = [f"requests_{kind}" for kind in REQUEST_KINDS]


def spaced(number: int) -> str:
    """1012 → '1 012', as the summary and the progress line write numbers."""
    return f"{number:,}".replace(",", " ")


# --- a real crawl of the demo site, its log in a file ---


@pytest.fixture(scope="module")
def counted_crawl(tmp_path_factory):
    """The demo site crawled once, with every request the server received and the crawl log."""
    folder = tmp_path_factory.mktemp("costs")
    db, log = folder / "archive.db", folder / "crawl.log"
    with serve_demo_site(DemoSite(articles=DEMO_ARTICLES), log_requests=True) as server:
        result = crawl(
            db,
            f"{server.url}/",
            site=DEMO_PROFILE,
            extra=("--log-file", str(log)),
            settings=("NEWSARCHIVE_PROGRESS_INTERVAL=0.2",),
        )
        served = list(server.request_log)
    assert result.returncode == 0, result.stderr[-3000:]
    return SimpleNamespace(
        db=db, result=result, served=served, row=last_crawl(db), log=log.read_text("utf-8")
    )


def test_ledger_counts_every_request_the_server_received(counted_crawl):
    row = counted_crawl.row
    assert row["requests"] == len(counted_crawl.served) > DEMO_ARTICLES
    assert sum(row[column] for column in KIND_COLUMNS) == row["requests"]
    assert row["requests_robots"] == counted_crawl.served.count("/robots.txt") >= 1
    assert row["traps_cut"] == 0
    # every broken link the crawl recorded was at least one error answer
    errors = [r for r in Database(counted_crawl.db)["crawl_errors"].rows if r["status"]]
    assert errors
    assert row["requests_error"] >= len(errors)


def test_summary_prints_the_requests_line(counted_crawl):
    row = counted_crawl.row
    first, second = counted_crawl.result.stdout.splitlines()[:2]
    assert first.startswith(f"Crawl {row['id']} finished (finished): ")
    kinds = ", ".join(f"{kind} {spaced(row[f'requests_{kind}'])}" for kind in REQUEST_KINDS)
    per_article = row["requests"] / row["articles_new"]
    assert second == (
        f"Requests: {spaced(row['requests'])} ({kinds}); {per_article:.2f} per new article"
    )


def test_progress_is_logged_to_the_log_file(counted_crawl):
    lines = [line for line in counted_crawl.log.splitlines() if "[crawler.costs]" in line]
    total = spaced(counted_crawl.row["requests"])
    final = [line for line in lines if "Progress at the end: " in line]
    assert len(final) == 1
    assert f"Progress at the end: {total} requests (" in final[0]
    assert f"{DEMO_ARTICLES} new articles, 0 queued" in final[0]
    periodic = re.compile(r"INFO: Progress: [\d ]+ requests \([\d.]+/s\), [\d ]+ new articles")
    assert all(periodic.search(line) for line in lines if "Progress: " in line)
    # the periodic line stopped with the crawl
    assert "Progress: " not in "\n".join(lines[lines.index(final[0]) :])


def test_redirects_retries_and_errors_are_each_a_request(make_server, tmp_path):
    home = b"<html><body><a href='/moved/'>moved</a> <a href='/broken/'>broken</a></body></html>"
    page = b"<html><body><article><h1>Titel</h1><p>Tekst.</p></article></body></html>"
    routes = {
        "/robots.txt": Route(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}),
        "/": Route(200, home),
        "/moved/": Route(301, b"", {"Location": "{origin}/landed/"}),
        "/landed/": Route(200, page),
        "/broken/": Route(500, b"oops"),
    }
    server = make_server(routes)
    db = tmp_path / "archive.db"
    crawl(db, f"{server.url}/")
    statuses = [(routes.get(path) or Route(404)).status for path in server.requests]
    row = last_crawl(db)
    assert server.requests.count("/broken/") > 1  # retried: each attempt is a request
    assert row["requests"] == len(server.requests)
    assert row["requests_redirect"] == sum(300 <= status < 400 for status in statuses) == 1
    assert row["requests_error"] == sum(status >= 400 for status in statuses)
    assert row["requests_robots"] == server.requests.count("/robots.txt") >= 1
    assert sum(row[column] for column in KIND_COLUMNS) == row["requests"]


# --- the kind of each exchange ---


def _request(path: str = "/a/", kind: str | None = None, **headers: str) -> Request:
    meta = {"request_kind": kind} if kind else {}
    return Request(f"{SITE}{path}", meta=meta, headers=headers or None)


def _response(request: Request, status: int = 200) -> Response:
    return HtmlResponse(request.url, status=status, body=b"<html></html>", request=request)


@pytest.mark.parametrize(
    ("request_", "status", "kind"),
    [
        (_request("/wp-sitemap.xml", "sitemap"), 200, "sitemap"),
        (_request("/feed/", "feed"), 200, "feed"),
        (_request("/category/kempen/", "listing"), 200, "listing"),
        (_request("/a/", "article"), 200, "article"),
        (_request("/a/"), 200, "article"),  # no kind: an article
        (_request("/a/", "nonsense"), 200, "article"),
        (_request("/robots.txt"), 200, "robots"),  # Scrapy's own robots.txt request
        (_request("/robots.txt", "robots"), 200, "robots"),
        (_request("/a/", "article"), 301, "redirect"),
        (_request("/feed/", "feed"), 302, "redirect"),
        (_request("/a/", "listing"), 308, "redirect"),
        (_request("/a/", "article"), 404, "error"),
        (_request("/robots.txt"), 404, "error"),
        (_request("/a/", "article"), 503, "error"),
        (_request("/a/", "article", **{"If-None-Match": '"abc"'}), 200, "revisit"),
        (_request("/a/", "article", **{"If-None-Match": '"abc"'}), 304, "revisit"),
        (_request("/a/", **{"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}), 304, "revisit"),
        (_request("/a/", "article", **{"If-None-Match": '"abc"'}), 410, "error"),
        (_request("/a/", "article", **{"If-None-Match": '"abc"'}), 301, "redirect"),
    ],
)
def test_request_kind(request_, status, kind):
    assert request_kind(request_, _response(request_, status)) == kind


def test_a_failed_download_is_an_error():
    assert request_kind(_request("/a/", "sitemap"), None) == "error"


def _middleware() -> tuple[RequestCostMiddleware, dict]:
    crawler = get_crawler()
    return RequestCostMiddleware.from_crawler(crawler), crawler.stats.get_stats()


def test_middleware_counts_each_exchange_of_a_redirect_and_a_retry():
    middleware, stats = _middleware()
    first = _request("/old/", "sitemap")
    middleware.process_request(first)
    middleware.process_response(first, _response(first, 301))
    followed = first.replace(url=f"{SITE}/new/")  # what RedirectMiddleware schedules
    middleware.process_request(followed)
    middleware.process_exception(followed, TimeoutError("took too long"))
    retried = followed.copy()  # what RetryMiddleware schedules
    middleware.process_request(retried)
    middleware.process_response(retried, _response(retried))
    assert stats == {
        "newsarchive/requests/redirect": 1,
        "newsarchive/requests/error": 1,
        "newsarchive/requests/sitemap": 1,
        TOTAL_STAT: 3,
    }


def test_middleware_ignores_what_never_reached_the_server():
    middleware, stats = _middleware()
    refused = _request("/private/", "article")  # refused by robots.txt or the scope check
    middleware.process_exception(refused, IgnoreRequest("forbidden by robots.txt"))
    made_up = _request("/cached/", "article")  # answered by an earlier middleware
    middleware.process_response(made_up, _response(made_up))
    answered = _request("/a/", "article")
    middleware.process_request(answered)
    middleware.process_response(answered, _response(answered))
    middleware.process_response(answered, _response(answered))  # counted once
    assert stats == {"newsarchive/requests/article": 1, TOTAL_STAT: 1}


def test_ledger_columns_come_from_the_stats(tmp_path):
    stats = {TOTAL_STAT: 12, "newsarchive/requests/article": 9, "newsarchive/traps_cut": 2}
    stats |= {"newsarchive/requests/robots": 1, "newsarchive/requests/error": 2}
    counts = ledger_counts(stats)
    assert counts["requests"] == 12
    assert counts["traps_cut"] == 2
    assert {column: counts[column] for column in KIND_COLUMNS} == {
        "requests_robots": 1,
        "requests_sitemap": 0,
        "requests_feed": 0,
        "requests_listing": 0,
        "requests_article": 9,
        "requests_revisit": 0,
        "requests_redirect": 0,
        "requests_error": 2,
    }
    db = open_archive(tmp_path / "archive.db")
    columns = db["crawls"].columns_dict
    assert all(columns[name] is int for name in counts)  # m012 added every one


# --- the estimate and the progress figures ---


def _crawler(**settings) -> object:
    crawler = get_crawler(settings_dict=settings)
    crawler.spider = None
    return crawler


@pytest.mark.parametrize(
    ("delay", "spider_delay", "expected"),
    [
        (1.5, None, "about 305 requests, ≈ 8 min at the configured delay (1.5 s a request)"),
        (1.5, 20.0, "about 305 requests, ≈ 1 h 42 min at the configured delay (20 s a request)"),
        (0, None, "about 305 requests, at full speed"),
    ],
)
def test_announce_estimate(delay, spider_delay, expected, caplog):
    crawler = _crawler(DOWNLOAD_DELAY=delay)
    if spider_delay is not None:  # raised by a robots.txt Crawl-delay
        crawler.spider = SimpleNamespace(download_delay=spider_delay)
    crawler.stats.set_value(TOTAL_STAT, 5)
    with caplog.at_level(logging.INFO, logger="crawler.costs"):
        announce_estimate(crawler, 300)
    (message,) = caplog.messages
    assert message.startswith("Sitemaps list 300 new articles: ")
    assert expected in message
    assert expected_requests(crawler.stats.get_stats()) == 305


def test_announce_estimate_never_raises(caplog):
    announce_estimate(SimpleNamespace(stats=None), 10)
    assert "Could not estimate" in caplog.text


def test_format_duration():
    assert format_duration(30) == "1 min"
    assert format_duration(61) == "2 min"
    assert format_duration(720) == "12 min"
    assert format_duration(3900) == "1 h 5 min"


def test_rate_over_the_last_minute():
    meter = RateMeter(window=60)
    assert meter.add(0, 0) == 0
    assert meter.add(60, 60) == 1.0
    assert meter.add(120, 240) == 3.0  # the first minute no longer counts


def test_figures_line_with_and_without_a_total():
    figures = Figures(requests=1105, articles_new=1000, queued=7, rate=2.0, expected=1305)
    assert figures.eta == 100
    assert figures.line() == (
        "1 105 requests (2.0/s), 1 000 new articles, 7 queued, ETA ≈ 2 min (about 1 305 requests)"
    )
    assert figures.line(final=True) == "1 105 requests (2.0/s), 1 000 new articles, 7 queued"
    unknown = Figures(requests=10, articles_new=0, queued=None, rate=0.0, expected=None)
    assert unknown.eta is None
    assert unknown.line() == "10 requests (0.0/s), 0 new articles"


def test_periodic_line_shows_the_figures(caplog):
    crawler = _crawler()
    progress = CrawlProgress(crawler, bar=False, log_interval=60)
    progress.log_rate.add(time.monotonic() - 20, 0)  # the crawl started 20 s ago
    crawler.stats.set_value(TOTAL_STAT, 40)
    crawler.stats.set_value("newsarchive/articles/new", 30)
    crawler.stats.set_value(SITEMAP_URLS_STAT, 100)
    with caplog.at_level(logging.INFO, logger="crawler.costs"):
        progress.log_line()
    (message,) = caplog.messages
    assert re.fullmatch(r"Progress: 40 requests \([\d.]+/s\), 30 new articles, ETA ≈ .+", message)
    assert message.endswith("(about 100 requests)")


@pytest.mark.parametrize(
    ("setting", "terminal", "log_file", "bar", "log"),
    [
        ("auto", True, None, True, False),
        ("auto", True, "crawl.log", True, True),
        ("auto", False, None, False, True),
        ("log", True, None, False, True),
        ("bar", False, None, True, False),
        ("off", True, None, None, None),
        ("off", False, "crawl.log", None, None),
    ],
)
def test_progress_mode(setting, terminal, log_file, bar, log, monkeypatch):
    monkeypatch.setattr(costs, "_is_terminal", lambda: terminal)
    crawler = _crawler(NEWSARCHIVE_PROGRESS=setting, LOG_FILE=log_file)
    if bar is None:
        with pytest.raises(NotConfigured):
            CrawlProgress.from_crawler(crawler)
        return
    progress = CrawlProgress.from_crawler(crawler)
    assert progress.show_bar is bar
    assert (progress.log_interval > 0) is log


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_live_line_leaves_log_records_intact(monkeypatch):
    for name in ("TTY_COMPATIBLE", "TTY_INTERACTIVE"):  # rich reads them
        monkeypatch.delenv(name, raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    handler = logging.StreamHandler(terminal)  # Scrapy's log handler on stderr
    root = logging.getLogger()
    root.addHandler(handler)
    crawler = _crawler()
    crawler.stats.set_value(TOTAL_STAT, 3)
    progress = CrawlProgress(crawler, bar=True, log_interval=0)
    try:
        progress.start_bar()
        progress.refresh_bar()
        logging.getLogger("scrapy.core.engine").warning("[bold]as written[/bold] %s", "x" * 300)
        progress.refresh_bar()
        progress.stop_bar()
    finally:
        root.removeHandler(handler)
    assert handler.stream is terminal
    assert sys.stderr is terminal
    output = terminal.getvalue()
    assert f"[bold]as written[/bold] {'x' * 300}\n" in output  # no markup, no wrapping
    assert "3 requests" in output  # the live line was drawn
