"""Parsing robots.txt, sitemaps and feeds, and deciding which links to follow."""

import gzip

import pytest

from crawler.discovery import DiscoveryError, parse_feed, parse_sitemap, sitemaps_from_robots
from crawler.scope import SiteScope, normalize_link

BASE = "http://news.test/"


def test_sitemaps_from_robots():
    robots = "User-agent: *\nDisallow: /wp-admin/\nSitemap: http://news.test/wp-sitemap.xml\n"
    robots += "sitemap:/other.xml\n"
    assert sitemaps_from_robots(robots, BASE) == [
        "http://news.test/wp-sitemap.xml",
        "http://news.test/other.xml",
    ]


URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://news.test/a/</loc><lastmod>2024-06-20T10:00:00+02:00</lastmod></url>
<url><loc>/b/</loc></url>
</urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://news.test/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>"""


@pytest.mark.parametrize("body", [URLSET, gzip.compress(URLSET)], ids=["plain", "gzip"])
def test_parse_urlset(body):
    sitemap = parse_sitemap(body, BASE)
    assert not sitemap.is_index
    assert [(link.url, link.date) for link in sitemap.links] == [
        ("http://news.test/a/", "2024-06-20T10:00:00+02:00"),
        ("http://news.test/b/", None),
    ]


def test_parse_sitemap_index():
    sitemap = parse_sitemap(INDEX, BASE)
    assert sitemap.is_index
    assert sitemap.links[0].url == "http://news.test/wp-sitemap-posts-post-1.xml"


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>Not found</body></html>", b"\x1f\x8bnot gzip", b"<rss></rss>"],
    ids=["empty", "html", "bad-gzip", "wrong-root"],
)
def test_unreadable_sitemaps_raise(body):
    with pytest.raises(DiscoveryError):
        parse_sitemap(body, BASE)


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>A</title><link>/a/</link><pubDate>Thu, 20 Jun 2024 09:14:00 +0200</pubDate></item>
<item><title>B</title><link>http://news.test/b/</link></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><link rel="alternate" href="http://news.test/c/"/><published>2024-06-21T08:00:00Z</published></entry>
</feed>"""


def test_parse_rss_with_relative_links():
    links = parse_feed(RSS, BASE)
    assert [link.url for link in links] == ["http://news.test/a/", "http://news.test/b/"]
    assert links[0].date == "2024-06-20T09:14:00+02:00"


def test_parse_atom():
    (link,) = parse_feed(ATOM, BASE)
    assert (link.url, link.date) == ("http://news.test/c/", "2024-06-21T08:00:00Z")


@pytest.mark.parametrize("body", [b"", b"<html/>", b"not xml at all"])
def test_unreadable_feeds_raise(body):
    with pytest.raises(DiscoveryError):
        parse_feed(body, BASE)


def test_truncated_feed_keeps_the_complete_entries():
    truncated = RSS[: RSS.index(b"<item><title>B")] + b"<item><title>B</title><link>/b"
    links = parse_feed(truncated, BASE)
    assert links[0].url == "http://news.test/a/"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://news.test/a/", True),
        ("http://www.news.test/a/", True),
        ("https://news.test/a/", True),
        ("http://news.test:8080/a/", False),
        ("http://evil.test/a/", False),
        ("http://news.test.evil.test/", False),
        ("file:///etc/passwd", False),
        ("ftp://news.test/a", False),
        ("http://169.254.169.254/latest/", False),
    ],
)
def test_scope(url, allowed):
    assert SiteScope.from_urls(["http://news.test/"]).allows(url) is allowed


def test_scope_keeps_ports_apart():
    scope = SiteScope.from_urls(["http://127.0.0.1:8811/"])
    assert scope.allows("http://127.0.0.1:8811/x/")
    assert not scope.allows("http://127.0.0.1:8812/x/")


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("http://news.test/a/#comments", "http://news.test/a/"),
        ("http://news.test/a/?utm_source=x", "http://news.test/a/"),
        ("http://news.test/?page=3", "http://news.test/?page=3"),
        ("http://news.test/?page=99999", None),
        ("http://news.test/agenda/?month=2031-01", None),
        ("http://news.test/wp-admin/", None),
        ("http://news.test/wp-content/uploads/foto.jpg", None),
        ("javascript:alert(1)", None),
        ("mailto:redactie@news.test", None),
    ],
)
def test_normalize_link(link, expected):
    assert normalize_link(link) == expected
