"""With NEWSARCHIVE_LINKS_IN_WORKERS, pages that go to extraction are parsed once: the worker
reads their links, the spider follows them with the same decisions, and a crawl costs the site
as many requests."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

import crawler.spiders.news as news
from crawler.items import FetchedPage
from crawler.workers import extract_page
from demosite import DemoSite, serve_demo_site
from tests.conftest import DEMO_PROFILE, crawl, news_spider, stored_urls

SITE = "http://127.0.0.1:8999"
ARTICLE = f"{SITE}/2024/06/20/een-artikel/"
HREFS = ["/a/", "/b/", f"{SITE}/a/", "/category/x/", "/over-ons/", "other/", "/2024/06/21/c/"]


def _spider(tmp_path, **settings):
    return news_spider(tmp_path, f"{SITE}/", **settings)


def _article(base: str = "", url: str = ARTICLE) -> HtmlResponse:
    links = "".join(f'<a href=" {href} ">link</a>' for href in HREFS)
    head = f'<base href="{base}">' if base else ""
    body = (
        f"<html><head>{head}<title>t</title></head><body>"
        f'<header class="site"><nav><a href="/over-ons/">over</a></nav></header>'
        f"<article><h1>Een artikel</h1><p>{links}</p></article></body></html>"
    )
    return HtmlResponse(
        url, body=body.encode(), headers={"Content-Type": "text/html"}, request=Request(url)
    )


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The URLs the spider parsed for links."""
    parsed: list[str] = []
    read = news.links_of_response

    def counted(response):
        parsed.append(response.url)
        return read(response)

    monkeypatch.setattr(news, "links_of_response", counted)
    return parsed


def _hand_over(spider: news.NewsSpider, response: HtmlResponse, *, worker_links: bool) -> list:
    """parse_page's output when the page's extraction outcome comes back from a worker."""

    async def run() -> list:
        output = []
        async for item in spider.parse_page(response):
            output.append(item)
            if isinstance(item, FetchedPage):
                assert item.read_links
                outcome = extract_page(
                    item.body, item.url, None, item.declared_encoding, {}, 30.0, read_links=True
                )
                links = outcome.links if worker_links else None
                spider.links_read(item.url, links, is_article=outcome.kind == "article")
        return output

    return asyncio.run(run())


def test_a_page_whose_own_links_show_its_pages_is_a_listing_after_all(tmp_path, parses):
    section = f"{SITE}/sport/"
    pages = "".join(f'<a href="/sport/page/{n}/">{n}</a>' for n in (2, 3))
    body = f'<html><body>{pages}<a href="/x/">x</a></body></html>'.encode()

    def page() -> HtmlResponse:
        return HtmlResponse(
            section, body=body, headers={"Content-Type": "text/html"}, request=Request(section)
        )

    here = _spider(tmp_path / "here", NEWSARCHIVE_LINKS_IN_WORKERS=False)
    in_spider = list(here.parse_page(page()))
    assert not any(isinstance(item, FetchedPage) for item in in_spider)  # a listing
    there = _spider(tmp_path / "there", NEWSARCHIVE_LINKS_IN_WORKERS=True)

    async def run() -> tuple[list, bool]:
        output, still_page = [], True
        async for item in there.parse_page(page()):
            output.append(item)
            if isinstance(item, FetchedPage):
                outcome = extract_page(body, section, None, None, {}, 30.0, read_links=True)
                still_page = await there.links_read(section, outcome.links, is_article=False)
        return output, still_page

    in_worker, still_page = asyncio.run(run())
    assert not still_page  # the extraction pipeline drops it
    assert _requests(in_worker) == _requests(in_spider)
    assert there.listings.summary() == here.listings.summary()
    assert there.traps.patterns == here.traps.patterns
    assert there.traps.awaiting == here.traps.awaiting


def _requests(output) -> list[tuple[str, int, str]]:
    return [(r.url, r.priority, r.callback.__name__) for r in output if isinstance(r, Request)]


@pytest.mark.parametrize("base", ["", f"{SITE}/elders/"])
def test_an_article_page_is_not_parsed_by_the_spider_and_its_links_are_followed_alike(
    tmp_path, parses, base
):
    here = _spider(tmp_path / "here", NEWSARCHIVE_LINKS_IN_WORKERS=False)
    in_spider = list(here.parse_page(_article(base)))
    assert parses == [ARTICLE]
    parses.clear()
    verdict = extract_page(_article(base).body, ARTICLE, None, None, {}, 30.0).kind
    here.page_extracted(ARTICLE, is_article=verdict == "article")

    there = _spider(tmp_path / "there", NEWSARCHIVE_LINKS_IN_WORKERS=True)
    in_worker = _hand_over(there, _article(base), worker_links=True)
    assert parses == []  # parsed once, by the worker
    assert _requests(in_worker) == _requests(in_spider)
    assert isinstance(in_worker[0], FetchedPage)
    assert there.links_done == here.links_done
    assert there.listings.summary() == here.listings.summary()
    # an article's links wait in the frontier until the crawl is idle
    released = there.listings.release()
    assert released == here.listings.release()
    assert released
    assert there.traps.patterns == here.traps.patterns
    assert there.traps.awaiting == here.traps.awaiting == {}
    assert there.links_awaited == {}


def test_links_are_followed_in_the_order_the_pages_were_handed_over(tmp_path):
    """The second page's extraction finishing first does not make its links go first: two
    pages naming the same links follow them from the page fetched first, as the spider would."""
    spider = _spider(tmp_path, NEWSARCHIVE_LINKS_IN_WORKERS=True)
    urls = [ARTICLE, f"{SITE}/2024/06/22/een-tweede/"]

    async def run() -> tuple[list[list[str]], bool]:
        pages = [spider.parse_page(_article(url=url)) for url in urls]
        handed = [await page.__anext__() for page in pages]
        outcomes = [
            extract_page(item.body, item.url, None, None, {}, 30.0, read_links=True)
            for item in handed
        ]
        second = spider.links_read(urls[1], outcomes[1].links, is_article=True)
        await asyncio.sleep(0)
        waited = not second.done()
        first = spider.links_read(urls[0], outcomes[0].links, is_article=True)
        assert await first
        assert await second
        followed = [[request.url async for request in page] for page in pages]
        return followed, waited

    (from_first, from_second), waited = asyncio.run(run())
    assert waited  # the second page's links waited for the first page's
    assert from_first == _requests_urls(
        _spider(tmp_path / "alone", NEWSARCHIVE_LINKS_IN_WORKERS=False)
    )
    assert from_second == []  # every link it names was followed from the first
    assert spider.links_awaited == {}


def _requests_urls(spider: news.NewsSpider) -> list[str]:
    return [url for url, _, _ in _requests(spider.parse_page(_article()))]


def test_a_page_closed_before_its_turn_lets_the_later_pages_go_on(tmp_path):
    spider = _spider(tmp_path, NEWSARCHIVE_LINKS_IN_WORKERS=True)
    urls = [ARTICLE, f"{SITE}/2024/06/22/een-tweede/"]

    async def run() -> tuple[bool, list[str]]:
        pages = [spider.parse_page(_article(url=url)) for url in urls]
        handed = [await page.__anext__() for page in pages]
        outcome = extract_page(handed[1].body, urls[1], None, None, {}, 30.0, read_links=True)
        second = spider.links_read(urls[1], outcome.links, is_article=True)
        await pages[0].aclose()  # the crawl stops before the first page's outcome is back
        still_page = await asyncio.wait_for(second, timeout=600)
        return still_page, [request.url async for request in pages[1]]

    still_page, followed = asyncio.run(run())
    assert still_page
    assert followed == _requests_urls(
        _spider(tmp_path / "alone", NEWSARCHIVE_LINKS_IN_WORKERS=False)
    )
    assert spider.links_awaited == {}


def test_without_the_workers_links_the_spider_parses_the_page_itself(tmp_path, parses):
    here = _spider(tmp_path / "here", NEWSARCHIVE_LINKS_IN_WORKERS=False)
    in_spider = list(here.parse_page(_article()))
    parses.clear()
    there = _spider(tmp_path / "there", NEWSARCHIVE_LINKS_IN_WORKERS=True)
    in_worker = _hand_over(there, _article(), worker_links=False)
    assert parses == [ARTICLE]
    assert _requests(in_worker) == _requests(in_spider)


def test_listings_and_start_pages_are_still_parsed_by_the_spider(tmp_path, parses):
    spider = _spider(tmp_path, NEWSARCHIVE_LINKS_IN_WORKERS=True)
    page = HtmlResponse(
        f"{SITE}/category/x/",
        body=b'<html><body><a href="/a/">a</a></body></html>',
        headers={"Content-Type": "text/html"},
    )
    assert _requests(spider.parse_page(page)) == [(f"{SITE}/a/", 20, "parse_page")]
    assert parses == [f"{SITE}/category/x/"]


def _crawl(tmp_path, site: DemoSite, *settings: str) -> tuple[list[str], list[str], str]:
    """The paths the site was asked for, the articles stored, and the crawl's log."""
    db = tmp_path / "archive.db"
    with serve_demo_site(site, log_requests=True) as server:
        result = crawl(
            db,
            f"{server.url}/",
            site=DEMO_PROFILE,
            settings=settings,
            extra=("--log-level", "INFO"),
        )
        log = list(server.request_log)
    assert result.returncode == 0, result.stderr[-3000:]
    return log, sorted(urlsplit(url).path for url in stored_urls(db)), result.stderr


def test_a_crawl_costs_the_same_requests_as_when_the_spider_parses_every_page(tmp_path):
    site = DemoSite(articles=60)
    spider_side, spider_articles, _ = _crawl(
        tmp_path / "spider", site, "NEWSARCHIVE_LINKS_IN_WORKERS=False"
    )
    worker_side, worker_articles, log = _crawl(tmp_path / "workers", site)
    # As many requests, and the same articles. Not always the same set of URLs: links are
    # followed in the order the pages were handed over, but later than the spider would follow
    # them, and on a busy machine other requests may be scheduled in between, which can change
    # which listing of a family is sampled first.
    assert len(worker_side) == len(spider_side)
    assert len(set(worker_side)) == len(set(spider_side))
    assert worker_articles == spider_articles
    read_by_workers = re.search(r"'newsarchive/links/read_in_extraction': (\d+)", log)
    assert read_by_workers
    assert int(read_by_workers.group(1)) >= 60
    assert "newsarchive/links/read_by_spider" not in log
