"""Incremental crawls: revisit schedule, conditional requests, only new or changed pages fetched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlite_utils import Database

from crawler.incremental import (
    OLD_ARTICLE_INTERVAL,
    RevisitPlanner,
    UrlState,
    parse_moment,
    revisit_interval,
)
from demosite import DemoSite, serve_demo_site
from tests.conftest import crawl_demo, last_crawl

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def ago(**delta: float) -> str:
    return (NOW - timedelta(**delta)).isoformat()


@pytest.mark.parametrize(
    ("age", "interval"),
    [
        (timedelta(hours=1), timedelta(minutes=15)),
        (timedelta(hours=10), timedelta(hours=1)),
        (timedelta(days=3), timedelta(hours=6)),
        (timedelta(days=20), timedelta(days=3)),
        (timedelta(days=200), timedelta(days=30)),
        (timedelta(days=3000), OLD_ARTICLE_INTERVAL),
    ],
)
def test_revisit_interval_grows_with_age(age, interval):
    assert revisit_interval(age) == interval


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-11-29T11:00:00+00:00", datetime(2025, 11, 29, 11, tzinfo=UTC)),
        ("2025-11-29T11:00:00Z", datetime(2025, 11, 29, 11, tzinfo=UTC)),
        ("2025-11-29", datetime(2025, 11, 29, tzinfo=UTC)),
        ("Sat, 29 Nov 2025 11:00:00 GMT", datetime(2025, 11, 29, 11, tzinfo=UTC)),
        ("not a date", None),
        (None, None),
    ],
)
def test_parse_moment(value, expected):
    assert parse_moment(value) == expected


@pytest.mark.parametrize(
    ("state", "due"),
    [
        (UrlState("u", published=ago(hours=2), last_fetched=ago(minutes=30)), True),
        (UrlState("u", published=ago(hours=2), last_fetched=ago(minutes=5)), False),
        (UrlState("u", published=ago(days=400), last_fetched=ago(days=10)), False),
        (UrlState("u", published=ago(days=400), last_fetched=ago(days=200)), True),
        # A recent change makes an old article "young" again.
        (
            UrlState(
                "u", published=ago(days=400), last_changed=ago(hours=1), last_fetched=ago(hours=1)
            ),
            True,
        ),
        (UrlState("u", last_fetched=None), True),
    ],
)
def test_is_due(state, due):
    assert state.is_due(NOW) is due


def test_sitemap_lastmod_announces_a_change():
    state = UrlState(
        "u",
        last_modified="Sat, 29 Nov 2025 11:00:00 GMT",
        lastmod="2025-11-29T11:00:00+00:00",
        last_fetched=ago(hours=1),
    )
    assert not state.announced_change({"sitemap_lastmod": "2025-11-29T11:00:00+00:00"})
    assert state.announced_change({"sitemap_lastmod": "2025-11-30T08:00:00+00:00"})
    assert not state.announced_change({"feed_published": "2025-11-01T08:00:00+00:00"})
    assert not state.announced_change({})


def test_planner_skips_known_pages_and_asks_conditionally():
    known = UrlState(
        "http://x/a/",
        etag='"abc"',
        last_modified="Sat, 29 Nov 2025 11:00:00 GMT",
        lastmod="2025-11-29T11:00:00+00:00",
        published="2020-01-01T10:00:00+01:00",
        last_fetched=ago(days=1),
    )
    planner = RevisitPlanner({known.url: known}, {"http://x/removed/"}, now=NOW)
    assert planner.plan("http://x/new/") == {}
    assert planner.plan("http://x/a/") is None
    assert planner.plan("http://x/removed/") is None
    changed = planner.plan("http://x/a/", {"sitemap_lastmod": "2026-05-31T10:00:00Z"})
    assert changed is not None
    assert changed["headers"] == {
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Sat, 29 Nov 2025 11:00:00 GMT",
    }
    assert changed["meta"] == {"handle_httpstatus_list": [304]}
    assert planner.plan("http://x/a/") is None  # requested once per crawl
    assert set(planner.skipped) == {"http://x/removed/"}


def article_requests(site: DemoSite, log: list[str]) -> list[str]:
    paths = {site.url_path(i) for i in range(site.articles)}
    return [path for path in log if path in paths]


def test_recrawl_fetches_only_new_or_changed_articles(tmp_path):
    """1 000 articles: an unchanged re-crawl fetches ≤ 5 % of them; a revision its edits."""
    articles = 1000
    db = tmp_path / "archive.db"
    first = DemoSite(articles=articles)
    with serve_demo_site(first, log_requests=True) as server:
        port, url = server.port, f"{server.url}/"
        result = crawl_demo(db, url)
        assert result.returncode == 0, result.stderr[-3000:]
        assert len(set(article_requests(first, server.request_log))) == articles
        server.request_log.clear()
        result = crawl_demo(db, url)
        assert result.returncode == 0, result.stderr[-3000:]
        refetched = article_requests(first, server.request_log)
    assert len(refetched) <= articles * 0.05, len(refetched)
    again = last_crawl(db)
    assert again["articles_new"] == 0
    assert again["skipped_unchanged"] >= articles * 0.95

    revised = DemoSite(articles=articles, revision=1)
    changed = [i for i in range(articles) if revised.is_revised(i)]
    assert changed
    with serve_demo_site(revised, port=port, log_requests=True) as server:
        result = crawl_demo(db, url)
        assert result.returncode == 0, result.stderr[-3000:]
        fetched = set(article_requests(revised, server.request_log))
    assert {revised.url_path(i) for i in changed} <= fetched
    assert len(fetched) <= len(changed) + articles * 0.05
    summary = last_crawl(db)
    assert summary["articles_updated"] == len(changed)
    assert summary["skipped_unchanged"] == articles - len(changed)
    archive = Database(db)
    for i in changed:
        versions = archive.execute(
            "SELECT v.content_hash, v.text, articles.content_hash FROM article_versions v "
            "JOIN articles ON articles.id = v.article_id WHERE articles.url = ? "
            "ORDER BY v.captured_at, v.id",
            [url.rstrip("/") + revised.url_path(i)],
        ).fetchall()
        assert len(versions) == 2  # the first version is kept
        assert versions[0][0] != versions[1][0]
        assert versions[1][0] == versions[1][2]  # the row is the newest version
        assert first.article(i).paragraphs[0][:40] in versions[0][1]


def test_due_articles_are_revisited_conditionally_and_304_counts_as_unchanged(tmp_path):
    from archive.warcs import default_warc_dir, iter_captures

    db = tmp_path / "archive.db"
    site = DemoSite(articles=30)
    with serve_demo_site(site, log_requests=True) as server:
        url = f"{server.url}/"
        assert crawl_demo(db, url).returncode == 0
        archive = Database(db)
        archive.execute("UPDATE url_state SET last_fetched = '2001-01-01T00:00:00+00:00'")
        archive.conn.commit()
        before = dict(archive.execute("SELECT url, last_seen FROM articles").fetchall())
        server.request_log.clear()
        result = crawl_demo(db, url)
        assert result.returncode == 0, result.stderr[-2000:]
        assert len(article_requests(site, server.request_log)) == 30
    summary = last_crawl(db)
    assert summary["not_modified"] == 30
    assert summary["articles_unchanged"] == 30
    assert summary["articles_updated"] == 0
    after = dict(Database(db).execute("SELECT url, last_seen FROM articles").fetchall())
    assert all(after[url] >= before[url] for url in before)
    revisits = [c for c in iter_captures(default_warc_dir(db)) if c.record_type == "revisit"]
    # the 30 articles, and the feed, which is fetched conditionally too
    assert sorted(c.url for c in revisits if c.url.endswith("/feed/")) == [f"{url}feed/"]
    assert len([c for c in revisits if not c.url.endswith("/feed/")]) == 30
    assert all(c.status == 304 for c in revisits)
