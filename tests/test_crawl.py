"""End-to-end crawls over real HTTP on loopback: discovery, no duplicates, scope, robots.txt."""

from __future__ import annotations

import re

import pytest
from sqlite_utils import Database

from demosite import DemoSite, serve_demo_site
from tests.conftest import DEMO_PROFILE, REPO, Route, crawl, crawl_demo, last_crawl, stored_urls

LISTING_PATH = re.compile(r"/(category|tag|author|page|feed)/|/\d{4}/(\d{2}/)?$|^/$")


def article_urls(site: DemoSite, base: str) -> set[str]:
    return {base + site.ground_truth(i)["url_path"] for i in range(site.articles)}


def test_demo_crawl_stores_every_article_and_nothing_else(demo_site, demo_archive):
    expected = article_urls(demo_site.site, demo_site.url)
    stored = stored_urls(demo_archive)
    assert len(stored) == len(set(stored))
    assert set(stored) == expected
    summary = last_crawl(demo_archive)
    assert summary["status"] == "finished"
    assert summary["articles_new"] == len(expected)
    assert summary["not_articles"] > 0  # listings were fetched and recognised


def test_listing_pages_never_become_articles(demo_archive, demo_site):
    for url in stored_urls(demo_archive):
        path = url.removeprefix(demo_site.url)
        assert not LISTING_PATH.search(path), url


def test_broken_links_are_recorded_as_errors(demo_archive):
    db = Database(demo_archive)
    statuses = [row["status"] for row in db["crawl_errors"].rows]
    assert 404 in statuses


def test_second_crawl_adds_no_rows(demo_site, tmp_path):
    db = tmp_path / "archive.db"
    for _ in range(2):
        result = crawl_demo(db, f"{demo_site.url}/")
        assert result.returncode == 0, result.stderr[-2000:]
    urls = stored_urls(db)
    assert len(urls) == len(set(urls)) == demo_site.site.articles
    second = last_crawl(db)
    assert second["articles_new"] == 0
    assert second["articles_updated"] == 0
    # An incremental re-crawl skips known, unchanged articles or re-checks them conditionally.
    seen_again = second["articles_unchanged"] + second["skipped_unchanged"]
    assert seen_again == demo_site.site.articles
    assert "0 new" in result.stdout


def test_full_recrawl_sees_every_article_unchanged(demo_site, tmp_path):
    db = tmp_path / "archive.db"
    for extra in ((), ("--full",)):
        result = crawl_demo(db, f"{demo_site.url}/", extra=extra)
        assert result.returncode == 0, result.stderr[-2000:]
    second = last_crawl(db)
    assert (second["articles_new"], second["articles_updated"]) == (0, 0)
    assert second["articles_unchanged"] == demo_site.site.articles


@pytest.mark.parametrize(
    "variant",
    [
        {"sitemap": False},
        {"sitemap": False, "feed": False},
        {"trailing_slash_links": False},
    ],
    ids=["feed-and-listings", "listings-only", "links-without-trailing-slash"],
)
def test_discovery_without_sitemap_or_feed(variant, tmp_path):
    site = DemoSite(articles=60, **variant)
    with serve_demo_site(site) as server:
        result = crawl_demo(tmp_path / "archive.db", f"{server.url}/")
        assert result.returncode == 0, result.stderr[-2000:]
        assert set(stored_urls(tmp_path / "archive.db")) == article_urls(site, server.url)


@pytest.mark.parametrize(
    ("route", "expected_count"),
    [("sitemap", 60), ("feed", 10), ("links", 60)],
)
def test_each_discovery_route_on_its_own(route, expected_count, tmp_path):
    site = DemoSite(articles=60)
    with serve_demo_site(site) as server:
        result = crawl_demo(tmp_path / "archive.db", f"{server.url}/", extra=("--route", route))
        assert result.returncode == 0, result.stderr[-2000:]
        stored = set(stored_urls(tmp_path / "archive.db"))
    assert len(stored) == expected_count
    assert stored <= article_urls(site, server.url)
    if route == "feed":  # the feed lists the newest articles
        newest = {server.url + site.ground_truth(i)["url_path"] for i in range(50, 60)}
        assert stored == newest


def test_scrapy_crawl_command_from_repo_root(tmp_path):
    import subprocess
    import sys

    site = DemoSite(articles=20)
    db = tmp_path / "scrapy.db"
    with serve_demo_site(site) as server:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "news",
                "-a",
                f"start_url={server.url}/",
                "-a",
                f"site={DEMO_PROFILE}",
                "-s",
                f"NEWSARCHIVE_DB={db}",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(stored_urls(db)) == 20


def test_offsite_redirect_from_start_url_is_not_followed(make_server, tmp_path):
    elsewhere = make_server(
        {"/": Route(200, b"<html><body><article><h1>x</h1></article></body></html>")}
    )
    start = make_server(
        {
            "/robots.txt": Route(404, b""),
            "/": Route(302, b"", {"Location": f"{elsewhere.url}/"}),
        }
    )
    db = tmp_path / "archive.db"
    result = crawl(db, f"{start.url}/")
    assert elsewhere.requests == []
    assert result.returncode == 1  # nothing could be crawled
    errors = list(Database(db)["crawl_errors"].rows)
    assert any("out-of-scope" in error["reason"] for error in errors)


@pytest.mark.parametrize("status", [500, 503])
def test_robots_txt_server_error_means_disallow_all(status, make_server, tmp_path):
    page = b"<html><body><a href='/a/'>a</a></body></html>"
    server = make_server({"/robots.txt": Route(status, b"oops"), "/": Route(200, page)})
    result = crawl(tmp_path / "archive.db", f"{server.url}/")
    assert set(server.requests) <= {"/robots.txt"}
    assert result.returncode == 1
    assert last_crawl(tmp_path / "archive.db")["status"] == "failed"


def test_ignore_robots_is_explicit_and_logged(make_server, tmp_path):
    page = b"<html><body><p>home</p></body></html>"
    server = make_server({"/robots.txt": Route(500, b"oops"), "/": Route(200, page)})
    result = crawl(tmp_path / "archive.db", f"{server.url}/", extra=("--ignore-robots",))
    assert "/" in server.requests
    assert "robots.txt is ignored" in result.stderr


def test_unreachable_site_fails_with_nonzero_exit(tmp_path):
    result = crawl(tmp_path / "archive.db", "http://127.0.0.1:9/")
    assert result.returncode == 1
    assert "failed" in result.stdout
