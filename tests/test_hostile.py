"""The crawler against a hostile site: every case is logged and recorded, bounded, and in scope."""

from __future__ import annotations

import itertools
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.core.downloader import Slot
from sqlite_utils import Database

from crawler.options import CrawlOptions, delay_at_least, delay_jitter
from crawler.runner import crawl_settings
from tests.conftest import REPO
from tests.hostile import (
    BOUNDED_CASES,
    ERROR_CASES,
    EXTRACTION_CASES,
    HostileSite,
    serve_hostile_site,
)

TRAP_CAP = 40
MAX_QUERY_PAGE = 30


def scrapy_crawl(
    db: Path, site: HostileSite, *settings: str, start: str = "/"
) -> subprocess.CompletedProcess:
    """Crawl with short limits through `scrapy crawl`, as an operator tuning settings would."""
    args = [
        sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_url={site.url}{start}",
        "-s", f"NEWSARCHIVE_DB={db}", "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1",
        "-s", f"NEWSARCHIVE_MAX_QUERY_PAGE={MAX_QUERY_PAGE}",
        "-s", f"NEWSARCHIVE_MAX_LINKS_PER_PATTERN={TRAP_CAP}",
        "-s", "NEWSARCHIVE_EXTRACT_TIMEOUT=10",
    ]  # fmt: skip
    for setting in settings:
        args += ["-s", setting]
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "archive.db"
    sitemaps = [
        "/sitemaps/truncated.xml",
        "/sitemaps/wrong-namespace.xml",
        "/sitemaps/html.xml",
        "/sitemaps/huge.xml",
        "/sitemaps/relative.xml",
        "/sitemaps/bomb.xml.gz",
    ]
    with serve_hostile_site(sitemaps=sitemaps) as site:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = scrapy_crawl(db, site)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    errors = list(Database(db)["crawl_errors"].rows)
    articles = {row["url"].removeprefix(site.url): row for row in Database(db)["articles"].rows}
    return {
        "site": site,
        "result": result,
        "errors": errors,
        "articles": articles,
        "peak_mib": max(before, peak_kib) / 1024,
    }


def errors_for(crawl: dict, path: str) -> list[dict]:
    return [
        error
        for error in crawl["errors"]
        if error["url"].startswith(crawl["site"].url + path) or path in error["reason"]
    ]


def test_the_crawl_survives_and_finishes(hostile_crawl):
    result = hostile_crawl["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "/ok/" in hostile_crawl["articles"]


@pytest.mark.parametrize(("path", "reason"), sorted(ERROR_CASES.items()))
def test_each_failure_is_recorded_with_a_reason(hostile_crawl, path, reason):
    errors = errors_for(hostile_crawl, path)
    assert errors, f"no crawl_errors row for {path}"
    assert any(re.search(reason, error["reason"], re.IGNORECASE) for error in errors), errors
    assert any(path in line for line in hostile_crawl["result"].stderr.splitlines())


@pytest.mark.parametrize(("path", "title"), sorted(EXTRACTION_CASES.items()))
def test_broken_encodings_still_give_the_article(hostile_crawl, path, title):
    article = hostile_crawl["articles"].get(path)
    assert article is not None, path
    assert article["title"] == title
    assert "\0" not in article["text"]


@pytest.mark.parametrize("path", BOUNDED_CASES)
def test_monster_pages_end_bounded(hostile_crawl, path):
    site: HostileSite = hostile_crawl["site"]
    assert path in site.requests
    # Stored or refused, never a crash or a hang: the crawl finished (checked above).


def test_nothing_out_of_scope_is_fetched(hostile_crawl):
    assert hostile_crawl["site"].other_host_requests == []


@pytest.mark.parametrize(
    ("prefix", "cap"),
    [
        ("/calendar/", TRAP_CAP),
        ("/list/", MAX_QUERY_PAGE + 1),  # page=0 too
        ("/session/", 2),
        ("/deep/", 12),
    ],
)
def test_spider_traps_are_bounded(hostile_crawl, prefix, cap):
    requests = [path for path in hostile_crawl["site"].requests if path.startswith(prefix)]
    assert 1 <= len(requests) <= cap


def test_retry_after_is_honoured_then_the_crawl_resumes(hostile_crawl):
    site: HostileSite = hostile_crawl["site"]
    first, second = site.request_times["/busy/"][:2]
    assert second - first >= 2.0
    assert hostile_crawl["articles"]["/busy/"]["title"] == "Na het wachten"


@pytest.mark.parametrize("jitter", [None, 0.0, 1 / 3, 0.5])
def test_a_wait_asked_for_is_never_drawn_shorter(jitter):
    """Scrapy draws each wait from the slot's delay ± jitter: a Retry-After or Crawl-delay of
    2 s must give a delay whose shortest draw is still 2 s."""
    slot = Slot(concurrency=1, delay=delay_at_least(2.0, jitter), jitter=jitter)
    assert min(slot.download_delay() for _ in range(2000)) >= 2.0
    assert slot.delay * (1 - (jitter or 0.0)) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("extra", "least_draw"),
    [
        ({}, 1.0),
        # the jitter of the run, set beside --delay, widens the draw: the delay follows
        ({"DOWNLOAD_DELAY_JITTER": "0.5"}, 1.0),
        ({"DOWNLOAD_DELAY_JITTER": "0"}, 1.0),
    ],
)
def test_delay_option_is_the_least_wait_whatever_the_jitter(extra, least_draw):
    settings = crawl_settings(CrawlOptions(delay=1.0, extra_settings=extra))
    jitter = settings.getfloat("DOWNLOAD_DELAY_JITTER")
    slot = Slot(concurrency=1, delay=settings.getfloat("DOWNLOAD_DELAY"), jitter=jitter)
    assert slot.delay * (1 - jitter) == pytest.approx(least_draw)


@pytest.mark.parametrize("jitter", ["0.6", "1", "-0.1", "wide"])
def test_a_jitter_that_could_undercut_a_delay_is_refused(jitter):
    with pytest.raises(ValueError, match="DOWNLOAD_DELAY_JITTER must be"):
        delay_jitter({"DOWNLOAD_DELAY_JITTER": jitter})
    with pytest.raises(ValueError, match="DOWNLOAD_DELAY_JITTER must be"):
        crawl_settings(CrawlOptions(delay=1.0, extra_settings={"DOWNLOAD_DELAY_JITTER": jitter}))


def test_memory_stays_bounded(hostile_crawl):
    assert hostile_crawl["peak_mib"] < 1024


@pytest.mark.parametrize(
    ("status", "body", "fetches_pages"),
    [
        (200, b"User-agent: *\nDisallow: /\n", False),
        (404, b"not found", True),
        (500, b"error", False),
        (503, b"busy", False),
        (200, b"\x00\xff garbage \x89PNG", True),
        (0, b"", False),  # never answers: a timeout, so disallow all
    ],
    ids=["disallow", "404", "500", "503", "garbage", "timeout"],
)
def test_robots_txt_answers(tmp_path, status, body, fetches_pages):
    with serve_hostile_site(robots=body, robots_status=status) as site:
        scrapy_crawl(tmp_path / "archive.db", site, "CLOSESPIDER_PAGECOUNT=5")
    fetched = [path for path in site.requests if path != "/robots.txt"]
    assert bool(fetched) is fetches_pages


def test_a_site_name_resolving_to_a_private_address_is_refused(tmp_path, make_server):
    from tests.conftest import Route, crawl

    page = b"<html><body class='home blog'><p>home</p></body></html>"
    server = make_server({"/robots.txt": Route(404, b""), "/": Route(200, page)})
    by_name = server.url.replace("127.0.0.1", "localhost")
    refused = crawl(tmp_path / "refused.db", f"{by_name}/")
    refused_requests = list(server.requests)
    allowed = crawl(
        tmp_path / "allowed.db",
        f"{by_name}/",
        extra=("--ignore-robots",),
        settings=("NEWSARCHIVE_ALLOWED_NETWORKS=127.0.0.0/8",),
    )
    assert refused_requests == []
    assert refused.returncode == 1
    assert "resolves to 127.0.0.1, outside the public internet" in refused.stderr
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    assert "/" in server.requests


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fd00::1", False),
        ("0.0.0.0", False),
    ],
)
def test_public_addresses(address, public):
    import ipaddress

    from crawler.middlewares import is_public_address

    assert is_public_address(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    "autothrottle",
    [
        ["AUTOTHROTTLE_ENABLED=False"],
        ["AUTOTHROTTLE_ENABLED=True"],
        # a Crawl-delay over AutoThrottle's maximum delay
        ["AUTOTHROTTLE_ENABLED=True", "AUTOTHROTTLE_MAX_DELAY=0.5"],
    ],
)
def test_crawl_delay_is_honoured(tmp_path, autothrottle):
    """AutoThrottle lowers a slot's delay towards a fast server's latency, never under the
    Crawl-delay, and caps it at its maximum, never under the Crawl-delay either."""
    robots = b"User-agent: *\nCrawl-delay: 1\nAllow: /\n"
    with serve_hostile_site(robots=robots) as site:
        scrapy_crawl(
            tmp_path / "archive.db",
            site,
            "CLOSESPIDER_PAGECOUNT=10",
            *autothrottle,
            "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            # a chain of pages that answer at once: AutoThrottle's delay would fall fastest
            start="/chain/1/",
        )
    times = [when for when, path in site.timeline if path.startswith("/chain/")]
    assert len(times) >= 5, site.timeline
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.9, gaps


def test_traps_are_cut_by_yield_with_the_default_caps(tmp_path):
    """With the count caps at their defaults (10 000 links a pattern, ?page= up to 500), each
    trap family still costs at most 50 requests: it is cut because it yields nothing."""
    db = tmp_path / "archive.db"
    with serve_hostile_site() as site:
        result = scrapy_crawl(
            db,
            site,
            "NEWSARCHIVE_MAX_LINKS_PER_PATTERN=10000",
            "NEWSARCHIVE_MAX_QUERY_PAGE=500",
        )
    assert result.returncode == 0, result.stderr[-3000:]
    for prefix in ("/calendar/", "/list/", "/session/", "/deep/"):
        requests = [path for path in site.requests if path.startswith(prefix)]
        assert 1 <= len(requests) <= 50, (prefix, len(requests))
    archive = Database(db)
    stored = {row["url"].removeprefix(site.url) for row in archive["articles"].rows}
    assert "/ok/" in stored
    cuts = [e for e in archive["crawl_errors"].rows if "spider trap cut" in e["reason"]]
    assert any("/calendar/N/N/" in cut["reason"] for cut in cuts), cuts
    ledger = archive.execute("SELECT traps_cut FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
    assert ledger[0] == len(cuts)
