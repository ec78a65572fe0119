"""The spider turns each link into a request once per crawl, however many pages repeat it."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from tests.conftest import news_spider

SITE = "http://127.0.0.1:8999"


def _spider(tmp_path, **settings):
    return news_spider(tmp_path, f"{SITE}/", **settings)


def _page(url: str, hrefs: list[str]) -> HtmlResponse:
    links = "".join(f'<a href="{href}">link</a>' for href in hrefs)
    body = f"<html><head><title>t</title></head><body>{links}</body></html>"
    return HtmlResponse(url, body=body.encode(), headers={"Content-Type": "text/html"})


def _requested(output) -> list[str]:
    return [item.url for item in output if isinstance(item, Request)]


@pytest.mark.parametrize(
    "hrefs",
    [
        ["/a/", "/b/", f"{SITE}/a/", "/a/#comments", "/b/?utm_source=x"],
        ["//127.0.0.1:8999/a/", f"{SITE}/b/", "../../a/", "./../../b/"],
    ],
)
def test_repeated_links_become_one_request_each(tmp_path, hrefs):
    spider = _spider(tmp_path)
    first = _requested(spider.parse_page(_page(f"{SITE}/category/x/", hrefs)))
    assert sorted(first) == [f"{SITE}/a/", f"{SITE}/b/"]
    again = _requested(spider.parse_page(_page(f"{SITE}/category/y/", [*hrefs, "/c/"])))
    assert again == [f"{SITE}/c/"]


def test_a_link_from_a_sitemap_is_not_requested_again_from_a_page(tmp_path):
    spider = _spider(tmp_path)
    assert _requested(spider._follow(f"{SITE}/a/", evidence={"sitemap_lastmod": "2024-06-20"}))
    assert _requested(spider.parse_page(_page(f"{SITE}/category/x/", ["/a/"]))) == []


def test_off_site_links_are_refused_once_and_stay_refused(tmp_path):
    spider = _spider(tmp_path)
    page = _page(f"{SITE}/category/x/", ["https://elsewhere.example/a/", "/ok/"])
    assert _requested(spider.parse_page(page)) == [f"{SITE}/ok/"]
    assert "https://elsewhere.example/a/" in spider.links_done
    assert _requested(spider.parse_page(page)) == []


def test_trap_links_over_the_limit_stay_refused_and_are_counted_once(tmp_path):
    spider = _spider(tmp_path, NEWSARCHIVE_MAX_LINKS_PER_PATTERN=2)
    hrefs = [f"/calendar/2024/{month}/" for month in range(1, 6)]
    first = _requested(spider.parse_page(_page(f"{SITE}/category/x/", hrefs)))
    assert first == [f"{SITE}/calendar/2024/1/", f"{SITE}/calendar/2024/2/"]
    assert spider.crawler.stats.get_value("newsarchive/trap_links_dropped") == 3
    assert _requested(spider.parse_page(_page(f"{SITE}/category/y/", hrefs))) == []
    assert spider.crawler.stats.get_value("newsarchive/trap_links_dropped") == 3
