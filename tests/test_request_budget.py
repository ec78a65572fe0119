"""What crawls of the demo site cost, counted at the server: requests per article, re-crawls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlite_utils import Database

from demosite import DemoSite, serve_demo_site
from tests.conftest import crawl_demo, last_crawl

ARTICLES = 200
NEW = 10


def crawl_twice(tmp_path: Path, **variant) -> dict:
    """First crawl of a site whose newest NEW articles are unpublished, then a re-crawl after
    they appear; both on the same address, as a real site stays at its address."""
    db = tmp_path / "archive.db"
    before = DemoSite(ARTICLES + NEW, hold_back=NEW, **variant)
    with serve_demo_site(before, log_requests=True) as server:
        port = server.port
        first = crawl_demo(db, f"{server.url}/")
        first_log = list(server.request_log)
    assert first.returncode == 0, first.stderr[-3000:]
    first_ledger = last_crawl(db)
    after = DemoSite(ARTICLES + NEW, **variant)
    with serve_demo_site(after, port=port, log_requests=True) as server:
        again = crawl_demo(db, f"{server.url}/")
        again_log = list(server.request_log)
    assert again.returncode == 0, again.stderr[-3000:]
    return {
        "db": db,
        "site": after,
        "first": first_log,
        "first_ledger": first_ledger,
        "again": again_log,
        "again_ledger": last_crawl(db),
    }


def article_paths(site: DemoSite, log: list[str]) -> list[str]:
    paths = {site.url_path(index).rstrip("/") for index in range(site.articles)}
    return [path for path in log if path.split("?")[0].rstrip("/") in paths]


@pytest.mark.parametrize(
    ("variant", "first_limit"),
    [({}, 1.10), ({"sitemap": False}, 1.20), ({"feed": False}, 1.10)],
    ids=["sitemaps", "no-sitemap", "no-feed"],
)
def test_first_crawl_and_recrawl_cost_little_more_than_the_articles(tmp_path, variant, first_limit):
    runs = crawl_twice(tmp_path, **variant)
    first = runs["first_ledger"]
    assert first["articles_new"] == ARTICLES
    assert len(runs["first"]) <= first_limit * ARTICLES, len(runs["first"])
    # the ledger counts what the server saw
    assert first["requests"] == len(runs["first"])
    again = runs["again_ledger"]
    assert again["articles_new"] == NEW
    # the new articles and a bounded overhead; nothing is due for a revisit an instant later
    assert again["requests_revisit"] == 0
    assert len(runs["again"]) <= NEW + 30, sorted(runs["again"])
    # every article is stored once
    urls = [row["url"] for row in Database(runs["db"])["articles"].rows]
    assert len(urls) == len(set(urls)) == ARTICLES + NEW


def test_links_that_redirect_are_not_fetched_again_on_a_recrawl(tmp_path):
    runs = crawl_twice(tmp_path, trailing_slash_links=False)
    site = runs["site"]
    # first crawl: one request per article, not one per spelling of its URL
    assert len(article_paths(site, runs["first"])) <= 1.05 * ARTICLES
    old = [p for p in article_paths(site, runs["again"])]
    assert len(old) <= NEW + 0.05 * ARTICLES, old


def test_listings_repeating_known_articles_are_sampled_not_walked(tmp_path):
    runs = crawl_twice(tmp_path)
    listing = re.compile(r"^/(category|tag|author)/|/page/\d+/|^/\d{4}/")
    walked = [path for path in runs["again"] if listing.search(path)]
    # a handful of pages checks the listings; none is paged to its end
    assert len(walked) <= 12, walked
