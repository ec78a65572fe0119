"""Tests of the bundled demo site: content, WordPress behaviour, HTTP serving and CLI."""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import html
import itertools
import json
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from demosite import DemoSite, serve_demo_site
from demosite.__main__ import main as demosite_main
from demosite.slugs import slugify
from demosite.stories import (
    CONTEXT_NAMES,
    STORIES,
    TITLE_NAMES,
    StoryError,
    TemplateValues,
    load_stories,
    placeholders,
)
from demosite.timeline import brussels_offset_for_local_date, to_brussels
from demosite.vocabulary import AUTHORS, MUNICIPALITIES, REGIONS, STREETS, TOPICS

HOST = "demo.test:8080"
ROOT = f"http://{HOST}"
SEED_TITLE = "Vier organisaties uit onze provincie zitten in Wij-Zij-netwerk tegen polarisatie"
# sha256 of the seed article's six body paragraphs joined with "\n", as published.
SEED_TEXT_SHA256 = "af95c3d4d3eae12eb08e39e5817b1de4c6ec33427631b241b06471ede276b22e"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
RSS_NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
VOID_ELEMENTS = {"meta", "link", "img", "input", "br", "hr", "source"}


@pytest.fixture(scope="module")
def site() -> DemoSite:
    return DemoSite(300)


def get(site: DemoSite, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return site.render(path, HOST, headers or None)


def get_text(site: DemoSite, path: str) -> str:
    status, _, body = get(site, path)
    assert status == 200, path
    return body.decode("utf-8")


def local(url: str) -> str:
    assert url.startswith(ROOT), url
    return url[len(ROOT) :]


def entry_content_paragraphs(page: str) -> list[tuple[str, str]]:
    """(class, text) of each paragraph in the entry content, before the sharing block."""
    block = page.split('<div class="entry-content">', 1)[1].split('<div class="sharedaddy', 1)[0]
    return [
        (css or "", html.unescape(text))
        for css, text in re.findall(r'<p(?: class="([^"]+)")?>(.*?)</p>', block, re.S)
    ]


class TagBalance(HTMLParser):
    """Checks that every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()


# ---------------------------------------------------------------------------- determinism


@pytest.mark.parametrize(
    "path_of",
    [
        lambda s: "/",
        lambda s: "/category/kempen/page/2/",
        lambda s: s.url_path(0),
        lambda s: s.url_path(s.seed_index),
        lambda s: "/wp-sitemap-posts-post-1.xml",
        lambda s: "/feed/",
    ],
)
def test_same_seed_gives_identical_bytes(path_of):
    first, second = DemoSite(300, seed=1), DemoSite(300, seed=1)
    path = path_of(first)
    assert get(first, path) == get(second, path)


# Every page reachable from these entry points, for four configurations of the site: the count of
# pages and a sha256 over each page's path, status, headers and body digest. Recorded from the
# code before the story templates moved from Python to demosite/stories.toml; the generated site
# must not change by a byte for the same seed. A deliberate change of the content (a new story, a
# reworded template) or of the pages changes these: print crawl_digest(...) and update them.
CRAWL_HOST = "127.0.0.1:8123"
CRAWL_START = ("/", "/robots.txt", "/feed/", "/sitemap.xml", "/wp-sitemap.xml")
CRAWL_LINK = re.compile(rb'(?:href|src)="([^"#]+)"|<loc>([^<]+)</loc>|<link>([^<]+)</link>')
SITE_DIGESTS = [
    (
        {"articles": 300, "seed": 1},
        1338,
        "95ddf6d7313633c73d5f5139575122d05ad2bf428a05283270f101cc72b1caba",
    ),
    (
        {"articles": 300, "seed": 7, "theme": "full"},
        1338,
        "3f966033cd7535c24e2edd93e1ba69f5a09a270e7b30eb349dd2231aec31a8e0",
    ),
    (
        {
            "articles": 120,
            "seed": 3,
            "revision": 1,
            "trailing_slash_links": False,
            "sitemap": False,
        },
        775,
        "077720c45c0462fd0ae8feb0c201a3a7b18e77472cdbbd3a15fbdb952b7990a8",
    ),
    (
        {"articles": 200, "seed": 1, "hold_back": 20, "feed": False},
        759,
        "fcfce9681fac5bbd5a6da4e341b8f85c3fb79471b68d8314214a0cd141e64259",
    ),
]


def crawl_digest(site: DemoSite) -> tuple[int, str]:
    """Render every page reachable from CRAWL_START (links, sitemap entries, redirects) in
    breadth-first order: the number of pages and a sha256 over all of them."""
    seen = dict.fromkeys(CRAWL_START)
    queue = deque(seen)
    total = hashlib.sha256()
    pages = 0
    while queue and pages < 6000:
        path = queue.popleft()
        status, headers, body = site.render(path, CRAWL_HOST)
        pages += 1
        digest = hashlib.sha256(body).hexdigest()
        total.update(f"{path} {status} {sorted(headers.items())} {digest}\n".encode())
        if status in (301, 302) and "Location" in headers:
            links = [headers["Location"].encode()]
        else:
            links = [next(g for g in m.groups() if g) for m in CRAWL_LINK.finditer(body)]
        for raw in links:
            link = raw.decode("utf-8", "replace").replace("&amp;", "&")
            parts = urlsplit(urljoin(f"http://{CRAWL_HOST}{path}", link))
            if parts.netloc != CRAWL_HOST:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen[target] = None
                queue.append(target)
    return pages, total.hexdigest()


@pytest.mark.parametrize(
    ("config", "pages", "digest"), SITE_DIGESTS, ids=["plain", "full", "revision", "hold-back"]
)
def test_generated_site_is_byte_identical_for_fixed_seeds(config, pages, digest):
    assert crawl_digest(DemoSite(**config)) == (pages, digest)


def test_other_seed_gives_other_articles():
    one, two = DemoSite(300, seed=1), DemoSite(300, seed=2)
    titles_one = {one.title(i) for i in range(300) if i != one.seed_index}
    titles_two = {two.title(i) for i in range(300) if i != two.seed_index}
    assert len(titles_one & titles_two) < 30


# ---------------------------------------------------------------------------- the seed article


@pytest.mark.parametrize("articles", [1, 2, 9, 300, 5000, 100_000])
def test_seed_article_is_present_exactly(articles):
    site = DemoSite(articles)
    article = site.article(site.seed_index)
    assert article.title == SEED_TITLE
    assert hashlib.sha256(article.text.encode("utf-8")).hexdigest() == SEED_TEXT_SHA256
    assert len(article.paragraphs) == 6
    assert article.paragraphs[0].startswith("Vandaag stelde Bart Somers")
    assert article.paragraphs[-1].endswith("escalerende probleemsituaties.’")
    assert (article.dateline, article.dateline_dash) == ("MECHELEN", "–")
    assert article.signature == "Edwin MARIËN"
    assert article.author == "Edwin Mariën"
    assert article.place == "Mechelen"
    assert article.categories == ["Mechelen"]
    assert article.published.date() == date(2024, 6, 20)
    assert article.published.utcoffset() == timedelta(hours=2)
    assert 6 <= article.published.hour < 12
    assert not article.byline


@pytest.mark.parametrize("articles", [50, 300, 5000])
def test_seed_index_is_the_article_nearest_its_date(articles):
    site = DemoSite(articles)
    target = datetime(2024, 6, 20, 9, 14, tzinfo=timezone(timedelta(hours=2)))
    distances = {
        i: abs(site.published(i) - target)
        for i in range(max(0, site.seed_index - 3), min(articles, site.seed_index + 4))
    }
    assert min(distances, key=distances.get) == site.seed_index


def test_seed_article_page_shows_dateline_signature_and_furniture(site):
    page = get_text(site, site.url_path(site.seed_index))
    paragraphs = entry_content_paragraphs(page)
    assert paragraphs[0][1].startswith("MECHELEN – Vandaag stelde Bart Somers")
    assert paragraphs[-1] == ("", "Edwin MARIËN")
    assert "netwerk &nbsp;brengt &nbsp;verschillende" in page
    assert "🤞 Abonneer u op onze nieuwsbrief" in page
    assert "Aanverwante berichten" in page
    assert '<meta name="author" content="redactie">' in page
    assert '<meta property="article:published_time" content="2024-06-20T09:14:00+02:00">' in page


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize("articles", [1, 2, 10, 300, 20_000])
def test_dates_are_ordered_and_within_range(articles):
    site = DemoSite(articles)
    published = [site.published(i) for i in range(articles)]
    assert all(a < b for a, b in itertools.pairwise(published))
    assert published[0].date() >= date(2019, 1, 7)
    assert published[-1].date() <= date(2025, 11, 28)
    for moment in published:
        assert 7 <= moment.hour < 21
    for i in range(0, articles, max(1, articles // 200)):
        assert site.modified(i) >= site.published(i)


def test_dates_span_the_whole_range():
    site = DemoSite(1000)
    assert site.published(0).date() <= date(2019, 1, 12)
    assert site.published(999).date() >= date(2025, 11, 22)


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (date(2024, 1, 15), 1),
        (date(2024, 3, 30), 1),
        (date(2024, 3, 31), 2),
        (date(2024, 6, 20), 2),
        (date(2024, 10, 26), 2),
        (date(2024, 10, 27), 1),
        (date(2019, 3, 31), 2),
        (date(2025, 10, 25), 2),
        (date(2025, 10, 26), 1),
    ],
)
def test_brussels_offset_for_daytime(day, hours):
    assert brussels_offset_for_local_date(day).utcoffset(None) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2024, 3, 31, 0, 59, tzinfo=UTC), "2024-03-31T01:59:00+01:00"),
        (datetime(2024, 3, 31, 1, 0, tzinfo=UTC), "2024-03-31T03:00:00+02:00"),
        (datetime(2024, 10, 27, 0, 59, tzinfo=UTC), "2024-10-27T02:59:00+02:00"),
        (datetime(2024, 10, 27, 1, 0, tzinfo=UTC), "2024-10-27T02:00:00+01:00"),
    ],
)
def test_to_brussels_switches_at_one_utc(utc, expected):
    assert to_brussels(utc).isoformat() == expected


def test_offsets_agree_with_the_time_zone_database():
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database")
    site = DemoSite(3000, revision=1)
    for i in range(3000):
        for moment in (site.published(i), site.modified(i)):
            assert moment.utcoffset() == moment.astimezone(brussels).utcoffset(), moment


# ---------------------------------------------------------------------------- content


def test_articles_look_like_regional_news(site):
    municipalities = {name for name, _, _ in MUNICIPALITIES}
    authors = set()
    for i in range(site.articles):
        article = site.article(i)
        authors.add(article.author)
        assert 3 <= len(article.paragraphs) <= 7
        assert 1 <= len(article.tags) <= 4
        assert 1 <= len(article.categories) <= 2
        assert article.categories[0] in REGIONS
        assert all(c in TOPICS for c in article.categories[1:])
        assert article.place in municipalities
        assert article.dateline == article.place.upper()
        assert article.path == f"/{article.slug}/"
        assert article.description
        assert len(article.description) <= 160
        assert "{" not in article.text
        assert "}" not in article.text
        assert "lorem" not in article.text.lower()
        assert article.text.count("  ") == 0 or i == site.seed_index
    assert 6 <= len(authors) <= len(AUTHORS)


def test_signature_is_author_with_surname_in_capitals(site):
    for i in range(site.articles):
        article = site.article(i)
        first, _, last = article.author.partition(" ")
        assert article.signature == f"{first} {last.upper()}"
        restored = " ".join(word.capitalize() for word in article.signature.split())
        assert restored == article.author


# ---------------------------------------------------------------------------- story data

# sha256 of the stories as JSON: the templates as they were when written in Python. The data
# file must give exactly these (same order, same strings); a new story changes it on purpose.
STORIES_SHA256 = "606eb571021731304f75c535a3b4428f8b97e328f469ccf9dd726a9ec347cff2"
MINIMAL_STORIES = r'''
[lists]
months = ["maart", "mei"]

[[story]]
key = "markt"
topic = "Economie"
tags = ["markt"]
titles = [
    "Markt in {muni} verhuist in {month}",
    """{muni}: markt verhuist \
    in {month}""",
]
title_vars.month = "months"
intros = ["De markt van {muni} verhuist, zegt {p1}."]
bodies = ["Op de markt staan {n} kramen in de {street}."]
quotes = ["‘Goed nieuws,’ zegt {p2}."]
closings = ["Meer info bij de gemeente."]
captions = ["{month_cap} in {muni}."]
'''


def test_story_data_gives_the_stories_the_site_was_built_from():
    assert len(STORIES) == 38
    assert load_stories() == STORIES
    as_json = json.dumps([dataclasses.astuple(story) for story in STORIES], ensure_ascii=False)
    assert hashlib.sha256(as_json.encode()).hexdigest() == STORIES_SHA256
    assert len({story.key for story in STORIES}) == len(STORIES)
    assert {story.topic for story in STORIES} <= set(TOPICS)


def test_story_data_is_packaged():
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["demosite"]
    assert any(fnmatch.fnmatch("stories.toml", pattern) for pattern in patterns)


def test_every_template_fills_in_for_an_article_of_its_story():
    """The data and the site model agree on the placeholders: each story's templates, filled in
    with the values of a real article of that story, leave no placeholder and miss no value."""
    site = DemoSite(2000)
    first_of = {}
    for index in range(site.articles):
        first_of.setdefault(site.story_of(index), index)
    for story in STORIES:
        index = first_of[story.key]
        title, title_values = site._title_parts(index)
        assert set(title_values) == TITLE_NAMES | {name for name, _ in story.title_vars}
        assert title in {" ".join(t.format_map(title_values).split()) for t in story.titles}
        context = site._context(index, random.Random(index), site.published(index), title_values)
        assert set(context) == CONTEXT_NAMES | set(title_values), story.key
        for field in ("intros", "bodies", "quotes", "closings", "captions"):
            for template in getattr(story, field):
                filled = template.format_map(context)
                assert "{" not in filled, (story.key, template)
                assert "}" not in filled, (story.key, template)


def test_story_data_shares_lists_and_checks_placeholders():
    (story,) = load_stories(MINIMAL_STORIES)
    assert story.titles[1] == "{muni}: markt verhuist in {month}"
    assert story.title_vars == (("month", ("maart", "mei")),)
    assert story.capacity == 4
    assert placeholders(story.captions[0]) == ["month_cap", "muni"]
    streets = load_stories(MINIMAL_STORIES.replace('"months"', '"streets[:3]"'))
    assert streets[0].title_vars == (("month", STREETS[:3]),)
    assert TITLE_NAMES <= CONTEXT_NAMES


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{n} kramen",
            "{n_kramen} kramen",
            r"bodies\[0\] names unknown placeholders \['n_kramen'\]",
        ),
        ("{n} kramen", "{n:>3} kramen", r"bodies\[0\]: \{n\} is not a plain placeholder"),
        ("{n} kramen", "{0} kramen", r"is not a plain placeholder"),
        ('verhuist in {month}"', 'verhuist in {month} ({p1})"', r"unknown placeholders \['p1'\]"),
        ("Markt in {muni} verhuist in {month}", "Markt in {muni}", r"leaves out title var"),
        ("Markt in {muni} verhuist", "Markt verhuist", r"titles\[0\] leaves out .*\['muni'\]"),
        ('"Markt in {muni} verhuist in {month}",', '"{muni}: markt verhuist in {month}",', "twice"),
        ('"months"', '"maanden"', r"title_vars.month = 'maanden' names no list"),
        ('"months"', '"months[:3]"', r"'months\[:3\]': the list has 2"),
        ('"months"', "[]", r"title_vars.month must be a non-empty list of strings"),
        ('"Economie"', '"Economy"', r"topic 'Economy' is not one of"),
        ('captions = ["{month_cap} in {muni}."]', "", r"missing \['captions'\]"),
        ("bodies =", "body =", r"missing \['bodies'\], unknown \['body'\]"),
        ('quotes = ["‘Goed nieuws,’ zegt {p2}."]', "quotes = []", r"quotes must be a non-empty"),
        ('key = "markt"', 'key = "Markt!"', r"key must be a plain lower-case word"),
        ('months = ["maart", "mei"]', 'streets = ["Markt"]', r"hides the vocabulary list"),
        ("[[story]]", "[[stories]]", r"unknown top-level entries \['stories'\]"),
        ('"maart", "mei"]', '"maart", "mei"', r"stories.toml: "),
    ],
)
def test_story_data_mistakes_are_refused(old, new, message):
    assert old in MINIMAL_STORIES
    with pytest.raises(StoryError, match=message):
        load_stories(MINIMAL_STORIES.replace(old, new, 1))


def test_story_keys_are_unique():
    twice = MINIMAL_STORIES + MINIMAL_STORIES[MINIMAL_STORIES.index("[[story]]") :]
    with pytest.raises(StoryError, match="two stories with key 'markt'"):
        load_stories(twice)


def test_template_values_change_the_case_of_the_first_letter():
    values = TemplateValues(shop="nieuwe bakkerij", crash="Fietser zwaargewond")
    assert "{shop_cap} | {crash_low}".format_map(values) == "Nieuwe bakkerij | fietser zwaargewond"
    with pytest.raises(KeyError):
        "{shop_upper}".format_map(values)


def test_titles_and_slugs_are_unique():
    site = DemoSite(20_000)
    titles = [site.title(i) for i in range(site.articles)]
    slugs = [site.slug(i) for i in range(site.articles)]
    assert len(set(titles)) == site.articles
    assert len(set(slugs)) == site.articles
    assert all(site.index_of_slug(slug) == i for i, slug in enumerate(slugs[:500]))


def test_ground_truth_fields(site):
    truth = site.ground_truth(site.seed_index)
    assert truth == {
        "url_path": f"/{slugify(SEED_TITLE)}/",
        "title": SEED_TITLE,
        "published": "2024-06-20T09:14:00+02:00",
        "author": "Edwin Mariën",
        "place": "Mechelen",
        "categories": ["Mechelen"],
        "tags": ["Mechelen", "polarisatie", "Kazerne Dossin", "radicalisering"],
        "text": site.article(site.seed_index).text,
        "description": truth["description"],
    }
    assert truth["description"].startswith("Vandaag stelde Bart Somers")


def _variation_indexes(site: DemoSite) -> list[int]:
    wanted: dict[str, int] = {}
    for i in range(site.articles):
        article = site.article(i)
        for name, present in (
            ("no_figure", article.image is None),
            ("hyphen", article.dateline_dash == "-"),
            ("byline", article.byline),
            ("credit", article.photo_credit is not None),
            ("broken", article.broken_related),
            ("two_categories", len(article.categories) == 2),
        ):
            if present:
                wanted.setdefault(name, i)
    return sorted({0, 7, site.seed_index, site.articles - 1, *wanted.values()})


@pytest.mark.parametrize("index", _variation_indexes(DemoSite(300)))
def test_page_matches_ground_truth(site, index):
    article = site.article(index)
    status, _, body = get(site, article.path)
    assert status == 200
    page = body.decode("cp1252" if article.encoding == "windows-1252" else "utf-8")
    truth = site.ground_truth(index)
    assert f'<h1 class="entry-title">{html.escape(truth["title"], quote=False)}</h1>' in page
    assert f'content="{truth["published"]}"' in page
    assert f'<link rel="canonical" href="{ROOT}{truth["url_path"]}">' in page
    paragraphs = entry_content_paragraphs(page)
    if article.byline:
        assert paragraphs[0] == ("byline", f"Door {article.author}")
        paragraphs = paragraphs[1:]
    else:
        assert paragraphs[-1] == ("", article.signature)
        paragraphs = paragraphs[:-1]
    prefix = f"{article.dateline} {article.dateline_dash} "
    assert paragraphs[0][1].startswith(prefix)
    body_text = [paragraphs[0][1][len(prefix) :]] + [text for _, text in paragraphs[1:]]
    assert "\n".join(body_text) == truth["text"]
    assert ("<figure" in page) == (article.image is not None)
    if article.photo_credit:
        assert f"(foto {article.photo_credit})</figcaption>" in page
    for category in truth["categories"]:
        assert f'/category/{slugify(category)}/" rel="category tag">' in page
    for tag in truth["tags"]:
        assert f'/tag/{slugify(tag)}/" rel="tag">' in page


@pytest.mark.parametrize(
    "path_of",
    [
        lambda s: "/",
        lambda s: "/page/3/",
        lambda s: "/category/mechelen/",
        lambda s: "/tag/mechelen/",
        lambda s: "/author/redactie/",
        lambda s: "/2024/06/",
        lambda s: "/privacybeleid/",
        lambda s: "/bestaat-niet/",
        lambda s: s.url_path(s.seed_index),
        lambda s: s.url_path(7),
    ],
)
def test_pages_are_well_formed(site, path_of):
    _, headers, body = get(site, path_of(site))
    charset = headers["Content-Type"].split("charset=")[1]
    checker = TagBalance()
    checker.feed(body.decode("cp1252" if charset == "windows-1252" else "utf-8"))
    checker.close()
    assert checker.errors == []
    assert checker.stack == []


# ---------------------------------------------------------------------------- listings


def _listing_article_links(page: str) -> list[str]:
    return re.findall(r'<h2 class="entry-title"><a href="([^"]+)" rel="bookmark">', page)


def _next_link(page: str) -> str | None:
    match = re.search(r'<a class="next page-numbers" href="([^"]+)">', page)
    return match.group(1) if match else None


def test_every_article_is_reachable_through_category_pagination(site):
    home = get_text(site, "/")
    navigation = home.split('<nav class="main-navigation"', 1)[1].split("</nav>", 1)[0]
    categories = re.findall(r'href="([^"]+)"', navigation)
    assert len(categories) == len(REGIONS)
    found: list[str] = []
    for url in categories:
        page_url: str | None = url
        while page_url:
            page = get_text(site, local(page_url))
            found.extend(local(link) for link in _listing_article_links(page))
            page_url = _next_link(page)
    assert sorted(found) == sorted(site.url_path(i) for i in range(site.articles))


def test_home_pagination_lists_every_article_newest_first(site):
    found: list[str] = []
    page_url: str | None = f"{ROOT}/"
    while page_url:
        page = get_text(site, local(page_url))
        assert 'class="home blog' in page
        found.extend(local(link) for link in _listing_article_links(page))
        page_url = _next_link(page)
    assert found == [site.url_path(i) for i in range(site.articles - 1, -1, -1)]


@pytest.mark.parametrize(
    ("path", "body_class"),
    [
        ("/", "home blog"),
        ("/page/2/", "home blog paged paged-2"),
        ("/category/kempen/", "archive category category-kempen"),
        ("/category/kempen/page/2/", "archive category category-kempen"),
        ("/tag/mechelen/", "archive tag tag-mechelen"),
        ("/author/redactie/", "archive author author-redactie"),
        ("/2024/06/", "archive date"),
        ("/2024/", "archive date"),
    ],
)
def test_listing_pages(site, path, body_class):
    page = get_text(site, path)
    assert f'<body class="{body_class}' in page
    items = re.findall(r'<article id="post-(\d+)" class="post-\1 post type-post', page)
    assert 1 <= len(items) <= 10
    for link in _listing_article_links(page):
        assert get(site, local(link))[0] == 200


def test_date_archive_holds_that_month(site):
    page = get_text(site, "/2024/06/")
    links = [local(link) for link in _listing_article_links(page)]
    assert site.url_path(site.seed_index) in links
    for link in links:
        published = site.published(site.index_of_slug(link.strip("/")))
        assert (published.year, published.month) == (2024, 6)


def test_pagination_shows_numbers_and_dots():
    site = DemoSite(2000)
    page = get_text(site, "/page/50/")
    assert '<span aria-current="page" class="page-numbers current">50</span>' in page
    assert f'<a class="page-numbers" href="{ROOT}/page/200/">200</a>' in page
    assert f'<a class="page-numbers" href="{ROOT}/">1</a>' in page
    assert page.count('<span class="page-numbers dots">…</span>') == 2
    assert f'<a class="next page-numbers" href="{ROOT}/page/51/">' in page
    assert f'<a class="prev page-numbers" href="{ROOT}/page/49/">' in page


# ---------------------------------------------------------------------- sitemaps, feeds, robots


def test_robots_txt(site):
    status, _, body = get(site, "/robots.txt")
    assert status == 200
    assert body.decode() == (
        "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
        f"Sitemap: {ROOT}/wp-sitemap.xml\n"
    )


def test_sitemaps_list_every_article_once_with_lastmod():
    site = DemoSite(4500, revision=1)
    status, headers, body = get(site, "/wp-sitemap.xml")
    assert status == 200
    assert headers["Content-Type"] == "application/xml; charset=UTF-8"
    index = ET.fromstring(body)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    maps = [local(loc.text) for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    post_maps = [m for m in maps if m.startswith("/wp-sitemap-posts-post-")]
    assert post_maps == [f"/wp-sitemap-posts-post-{n}.xml" for n in (1, 2, 3)]
    assert "/wp-sitemap-taxonomies-category-1.xml" in maps
    assert "/wp-sitemap-users-1.xml" in maps
    seen: list[str] = []
    for sitemap in post_maps:
        status, _, body = get(site, sitemap)
        assert status == 200
        for url in ET.fromstring(body).findall("sm:url", SITEMAP_NS):
            path = local(url.find("sm:loc", SITEMAP_NS).text)
            index_of = site.index_of_slug(path.strip("/"))
            lastmod = datetime.fromisoformat(url.find("sm:lastmod", SITEMAP_NS).text)
            assert lastmod == site.modified(index_of)
            seen.append(path)
    assert len(seen) == len(set(seen)) == site.articles
    assert set(seen) == {site.url_path(i) for i in range(site.articles)}
    for sitemap in maps:
        assert get(site, sitemap)[0] == 200


def test_sitemap_stylesheet_is_missing(site):
    assert get(site, "/wp-sitemap.xsl")[0] == 404


@pytest.mark.parametrize("path", ["/feed/", "/category/kempen/feed/"])
def test_feed_is_valid_rss_with_ten_items(site, path):
    status, headers, body = get(site, path)
    assert status == 200
    assert headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    channel = ET.fromstring(body).find("channel")
    items = channel.findall("item")
    assert len(items) == 10
    indexes = [site.index_of_slug(local(item.findtext("link")).strip("/")) for item in items]
    assert indexes == sorted(indexes, reverse=True)
    if path == "/feed/":
        assert indexes[0] == site.articles - 1
    for item, index in zip(items, indexes, strict=True):
        article = site.article(index)
        assert item.findtext("title") == article.title
        assert item.findtext("dc:creator", namespaces=RSS_NS) == "redactie"
        assert parsedate_to_datetime(item.findtext("pubDate")) == article.published
        categories = [c.text for c in item.findall("category")]
        assert categories[: len(article.categories)] == article.categories
        content = item.findtext("content:encoded", namespaces=RSS_NS)
        assert html.escape(article.paragraphs[-1], quote=False).replace("\xa0", "&nbsp;") in content


# ---------------------------------------------------------------------------- status codes


@pytest.mark.parametrize(
    ("path_of", "location_of"),
    [
        (lambda s: "/page/1/", lambda s: "/"),
        (lambda s: "/category/mechelen", lambda s: "/category/mechelen/"),
        (lambda s: "/category/mechelen/page/1/", lambda s: "/category/mechelen/"),
        (lambda s: "/feed", lambda s: "/feed/"),
        (lambda s: "/2024/06", lambda s: "/2024/06/"),
        (lambda s: s.url_path(5).rstrip("/"), lambda s: s.url_path(5)),
        (
            lambda s: s.url_path(5).rstrip("/") + "?utm_source=x",
            lambda s: s.url_path(5) + "?utm_source=x",
        ),
        (lambda s: "/?p=1005", lambda s: s.url_path(5)),
        (lambda s: "/?p=3", lambda s: "/privacybeleid/"),
    ],
)
def test_redirects_like_wordpress(site, path_of, location_of):
    status, headers, body = get(site, path_of(site))
    assert status == 301
    assert headers["Location"] == ROOT + location_of(site)
    assert body == b""


@pytest.mark.parametrize(
    "path",
    [
        "/bestaat-niet/",
        "/bestaat-niet",
        "/category/bestaat-niet/",
        "/tag/bestaat-niet/",
        "/author/edwin-marien/",
        "/page/999/",
        "/category/kempen/page/999/",
        "/2018/05/",
        "/2024/13/",
        "/wp-sitemap-posts-post-99.xml",
        "/wp-admin/",
        "/?p=99999",
        "/Vier-Organisaties/",
    ],
)
def test_unknown_paths_give_the_not_found_page(site, path):
    status, headers, body = get(site, path)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=UTF-8"
    page = body.decode("utf-8")
    assert "<title>Pagina niet gevonden – Persbureau Provincie Antwerpen</title>" in page
    assert '<body class="error404">' in page


def test_some_related_links_are_broken(site):
    broken = [i for i in range(site.articles) if site.article(i).broken_related]
    assert 1 <= len(broken) <= site.articles // 10
    for index in broken:
        page = get_text(site, site.url_path(index))
        related = page.split('<section class="related-posts">', 1)[1].split("</section>", 1)[0]
        links = re.findall(r'<a href="([^"]+)"', related)
        statuses = [get(site, local(link))[0] for link in links]
        assert statuses.count(404) == 1
        assert statuses.count(200) == len(links) - 1


def test_query_strings_are_ignored_on_articles(site):
    assert get(site, site.url_path(3) + "?utm_source=facebook")[0] == 200


# ---------------------------------------------------------------------------- encodings and caching


def test_windows_1252_article(site):
    article = site.article(site.cp1252_index)
    assert article.encoding == "windows-1252"
    assert all(site.article(i).encoding == "utf-8" for i in range(site.articles) if i != 7)
    _, headers, body = get(site, article.path)
    assert headers["Content-Type"] == "text/html; charset=windows-1252"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = body.decode("cp1252")
    assert '<meta charset="windows-1252">' in page
    assert re.search(r"café|België|ideeën|crème", article.text)
    assert html.escape(article.paragraphs[1], quote=False) in page
    assert "&#129310; Abonneer u op onze nieuwsbrief" in page


@pytest.mark.parametrize("index_of", [lambda s: 0, lambda s: s.seed_index, lambda s: 7])
def test_conditional_requests(site, index_of):
    path = site.url_path(index_of(site))
    _, headers, _ = get(site, path)
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert parsedate_to_datetime(last_modified) == site.modified(index_of(site))
    assert get(site, path, **{"If-None-Match": etag})[:2][0] == 304
    assert get(site, path, **{"If-None-Match": f'"other", {etag}'})[0] == 304
    assert get(site, path, **{"If-None-Match": '"other"'})[0] == 200
    not_modified = get(site, path, **{"If-Modified-Since": last_modified})
    assert not_modified[0] == 304
    assert not_modified[2] == b""
    earlier = parsedate_to_datetime(last_modified) - timedelta(hours=1)
    assert (
        get(site, path, **{"if-modified-since": earlier.strftime("%a, %d %b %Y %H:%M:%S GMT")})[0]
        == 200
    )


def test_etag_differs_per_article_and_revision():
    base, revised = DemoSite(2000), DemoSite(2000, revision=1)
    changed = next(i for i in range(2000) if revised.is_revised(i))
    unchanged = next(i for i in range(2000) if not revised.is_revised(i))
    etag = {
        (s.revision, i): get(s, s.url_path(i))[1]["ETag"]
        for s in (base, revised)
        for i in (changed, unchanged)
    }
    assert etag[(0, changed)] != etag[(1, changed)]
    assert etag[(0, unchanged)] == etag[(1, unchanged)]
    assert etag[(0, changed)] != etag[(0, unchanged)]


# ---------------------------------------------------------------------------- revisions


@pytest.mark.parametrize("revision", [1, 2, 3])
def test_revision_changes_about_two_percent_and_nothing_else(revision):
    articles = 5000
    base, revised = DemoSite(articles), DemoSite(articles, revision=revision)
    changed = []
    for i in range(articles):
        before, after = base.ground_truth(i), revised.ground_truth(i)
        if before != after:
            changed.append(i)
            assert after["url_path"] == before["url_path"]
            assert after["published"] == before["published"]
            assert revised.modified(i) > base.modified(i)
            assert revised.modified(i) > max(base.modified(k) for k in range(0, articles, 97))
            assert after["text"] != before["text"]
            assert after["text"].startswith(before["text"].split("\n")[0])
        else:
            assert revised.modified(i) == base.modified(i)
    assert 0.01 * articles <= len(changed) <= 0.035 * articles
    assert changed == [i for i in range(articles) if revised.is_revised(i)]
    assert base.seed_index not in changed
    assert any(revised.title(i) != base.title(i) for i in changed)
    unchanged = next(i for i in range(articles) if i not in changed)
    assert base.article(unchanged) == revised.article(unchanged)


def test_revisions_change_different_articles():
    one, two = DemoSite(5000, revision=1), DemoSite(5000, revision=2)
    changed_one = {i for i in range(5000) if one.is_revised(i)}
    changed_two = {i for i in range(5000) if two.is_revised(i)}
    assert len(changed_one & changed_two) < len(changed_one) // 4


# ---------------------------------------------------------------------------- held-back articles

SIDEBAR = re.compile(r'<aside id="secondary".*?</aside>', re.S)


def _without_sidebar(body: bytes) -> str:
    """A page without its widget area, which lists the newest articles on every page."""
    return SIDEBAR.sub("", body.decode("latin-1"))


def _site_paths(site: DemoSite) -> list[str]:
    """Every page of a site: listings with their pagination, archives, sitemaps, feeds, posts."""
    paths = {"/", "/robots.txt", "/wp-sitemap.xml", "/feed/", "/privacybeleid/"}
    paths.update(site.url_path(i) for i in range(site.articles))
    for page in range(1, site.page_count(site.total_articles) + 1):
        paths.update((f"/page/{page}/", f"/author/redactie/page/{page}/"))
    paths.update(f"/wp-sitemap-posts-post-{n}.xml" for n in (1, 2))
    for name in ("posts-page-1", "taxonomies-category-1", "taxonomies-post_tag-1", "users-1"):
        paths.add(f"/wp-sitemap-{name}.xml")
    for base in (
        *(f"/category/{slug}/" for slug in site.category_slugs),
        *(f"/tag/{slug}/" for slug in site.tag_slugs),
    ):
        paths.update((base, f"{base}feed/", f"{base}page/2/", f"{base}page/3/"))
    for year in range(2019, 2026):
        paths.add(f"/{year}/")
        for month in range(1, 13):
            paths.add(f"/{year}/{month:02d}/")
            paths.update(f"/{year}/{month:02d}/{day:02d}/" for day in range(1, 32, 3))
    return sorted(paths)


def test_hold_back_zero_is_the_default_site():
    default, explicit = DemoSite(120), DemoSite(120, hold_back=0)
    assert explicit.articles == explicit.total_articles == 120
    for path in _site_paths(default):
        assert get(explicit, path) == get(default, path), path


@pytest.mark.parametrize("hold_back", [-1, 5, 6])
def test_hold_back_must_leave_an_article(hold_back):
    with pytest.raises(ValueError, match="hold_back"):
        DemoSite(5, hold_back=hold_back)


def test_held_back_articles_are_not_published_anywhere():
    full, held = DemoSite(310), DemoSite(310, hold_back=10)
    assert (held.articles, held.total_articles, held.hold_back) == (300, 310, 10)
    hidden = [full.url_path(i) for i in range(300, 310)]
    for index, path in zip(range(300, 310), hidden, strict=True):
        assert get(full, path)[0] == 200
        assert get(held, path)[0] == 404
        assert get(held, path.rstrip("/"))[0] == 404
        assert get(held, f"/?p={1000 + index}")[0] == 404
        with pytest.raises(IndexError):
            held.article(index)
    assert held.seed_index == full.seed_index
    served = 0
    for path in _site_paths(full):
        status, headers, body = get(held, path)
        if status == 404:
            continue
        served += 1
        text = body.decode("utf-8", errors="replace")
        assert not any(hidden_path in text for hidden_path in hidden), path
        if status == 200 and headers["Content-Type"].startswith("text/html"):
            # Every page's "recent posts" are the newest published ones.
            recent = SIDEBAR.search(text).group()
            assert full.url_path(299) in recent
    assert served > 500
    home = get_text(held, "/")
    assert _listing_article_links(home)[0] == ROOT + full.url_path(299)
    feed = ET.fromstring(get(held, "/feed/")[2]).find("channel")
    links = [local(item.findtext("link")) for item in feed.findall("item")]
    assert links == [full.url_path(i) for i in range(299, 289, -1)]
    sitemap = get(held, "/wp-sitemap-posts-post-1.xml")[2]
    assert sitemap.count(b"<url>") == 300


def test_held_back_site_is_the_full_site_where_no_held_back_article_shows():
    full, held = DemoSite(310), DemoSite(310, hold_back=10)
    hidden = [full.url_path(i) for i in range(300, 310)]
    same = different = 0
    for path in _site_paths(held):
        before, after = get(held, path), get(full, path)
        if before == after:
            same += 1
            continue
        different += 1
        assert before[0] in (200, 404), path
        if before[0] != after[0]:
            # Only what the publication created: the new articles, their days and pages.
            assert (before[0], after[0]) == (404, 200), path
            assert not path.endswith(".xml"), path
            continue
        assert before[1] == after[1] or path.endswith("/feed/"), path
        if _without_sidebar(before[2]) != _without_sidebar(after[2]):
            # A new article shows on the page, or on the first page of its listing (it shifted).
            first_page = get(full, re.sub(r"page/\d+/$", "", path))[2].decode()
            assert any(hidden_path in first_page for hidden_path in hidden), path
    assert same > 10
    assert different > 10
    different_articles = []
    for index in range(300):
        before, after = get(held, held.url_path(index)), get(full, full.url_path(index))
        assert before[1] == after[1]  # ETag and Last-Modified: the article did not change
        if _without_sidebar(before[2]) != _without_sidebar(after[2]):
            assert index == 299 or set(full.related(index)) & set(range(300, 310)), index
            different_articles.append(index)
        else:
            assert full.article(index) == held.article(index)
    assert 299 in different_articles
    assert len(different_articles) < 10
    maps = {
        site: [
            (
                local(url.findtext("sm:loc", namespaces=SITEMAP_NS)),
                url.findtext("sm:lastmod", namespaces=SITEMAP_NS),
            )
            for url in ET.fromstring(get(site, "/wp-sitemap-posts-post-1.xml")[2]).findall(
                "sm:url", SITEMAP_NS
            )
        ]
        for site in (full, held)
    }
    assert maps[held] == maps[full][:300]


def _feed_paths(site: DemoSite) -> list[str]:
    return [
        "/feed/",
        *(f"/category/{slug}/feed/" for slug in site.category_slugs),
        *(f"/tag/{slug}/feed/" for slug in site.tag_slugs),
    ]


@pytest.mark.parametrize(
    ("articles", "steps", "some_stuck"), [(320, (20, 7, 1, 0), False), (20010, (10, 3, 0), True)]
)
def test_feed_validators_move_whenever_a_feed_changes(articles, steps, some_stuck):
    """A conditional request with an older state's validators gets 304 only for an equal feed.

    At 20 000 articles some older items were modified after a newer article was: there the
    plain "latest modification of the items" would not move when the newer article appears.
    """
    sites = [DemoSite(articles, hold_back=k) for k in steps]
    changed = stuck = 0
    for path in _feed_paths(sites[-1]):
        for older, newer in itertools.pairwise(sites):
            before, after = get(older, path), get(newer, path)
            if before[0] == 404:
                continue
            etag, last_modified = before[1]["ETag"], before[1]["Last-Modified"]
            by_etag = get(newer, path, **{"If-None-Match": etag})[0]
            by_date = get(newer, path, **{"If-Modified-Since": last_modified})[0]
            if before[2] == after[2]:
                assert before[1] == after[1], path
                assert by_etag == by_date == 304, path
            else:
                changed += 1
                assert etag != after[1]["ETag"], path
                assert parsedate_to_datetime(last_modified) < parsedate_to_datetime(
                    after[1]["Last-Modified"]
                ), path
                assert by_etag == by_date == 200, path
                channel = ET.fromstring(before[2]).find("channel")
                assert channel.findtext("lastBuildDate") == before[1]["Last-Modified"].replace(
                    "GMT", "+0000"
                )
                items = [
                    older.index_of_slug(local(item.findtext("link")).strip("/"))
                    for item in channel.findall("item")
                ]
                plain = max((older.modified(i) for i in items), default=None)
                if plain and plain >= parsedate_to_datetime(after[1]["Last-Modified"]):
                    stuck += 1
    assert changed >= len(steps) - 1
    assert (stuck > 0) == some_stuck


def test_served_site_can_publish_its_held_back_articles():
    held = DemoSite(60, hold_back=5)
    with serve_demo_site(held, log_requests=True) as server:
        path = DemoSite(60).url_path(59)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + path)
        assert missing.value.code == 404
        server.swap_site(DemoSite(60))
        with urllib.request.urlopen(server.url + path) as response:
            etag = response.headers["ETag"]
        request = urllib.request.Request(server.url + path, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(request)
        assert not_modified.value.code == 304
        assert server.request_log == [path, path, path]
        details = server.request_details
        assert [(d.method, d.path, d.status) for d in details] == [
            ("GET", path, 404),
            ("GET", path, 200),
            ("GET", path, 304),
        ]
        assert [d.conditional for d in details] == [False, False, True]
        assert details[2].if_none_match == etag
        assert details[2].if_modified_since is None
        assert "hold_back" not in repr(server)


def test_cli_truth_leaves_out_held_back_articles(capsys):
    assert demosite_main(["truth", "--articles", "12", "--hold-back", "3"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records == [DemoSite(12).ground_truth(i) for i in range(9)]


# ---------------------------------------------------------------------------- switches


def test_without_sitemap():
    site = DemoSite(100, sitemap=False)
    for path in ("/wp-sitemap.xml", "/wp-sitemap-posts-post-1.xml", "/wp-sitemap-users-1.xml"):
        assert get(site, path)[0] == 404
    robots = get(site, "/robots.txt")[2].decode()
    assert "Sitemap" not in robots
    assert robots.startswith("User-agent: *\nDisallow: /wp-admin/\n")


def test_without_feed():
    site = DemoSite(100, feed=False)
    assert get(site, "/feed/")[0] == 404
    assert get(site, "/category/kempen/feed/")[0] == 404
    for path in ("/", site.url_path(3), "/category/kempen/"):
        assert 'type="application/rss+xml"' not in get_text(site, path)


def test_with_feed_pages_advertise_it(site):
    page = get_text(site, site.url_path(3))
    assert (
        '<link rel="alternate" type="application/rss+xml" '
        f'title="Persbureau Provincie Antwerpen » Feed" href="{ROOT}/feed/">'
    ) in page


def test_links_without_trailing_slash():
    site = DemoSite(100, trailing_slash_links=False)
    page = get_text(site, "/")
    links = _listing_article_links(page)
    assert links
    assert all(not link.endswith("/") for link in links)
    article_page = get_text(site, local(links[0]))
    index = site.index_of_slug(local(links[0]).strip("/"))
    assert f'<link rel="canonical" href="{ROOT}{site.url_path(index)}">' in article_page
    assert get(site, site.url_path(index))[0] == 200
    related = article_page.split('<section class="related-posts">', 1)[1]
    assert all(
        not link.endswith("/") or "__trashed" in link
        for link in re.findall(r'<a href="([^"]+)"', related.split("</section>")[0])
    )
    assert get(site, "/category/kempen")[0] == 301


# ---------------------------------------------------------------------------- scale


def test_large_site_is_cheap():
    # CPU time of this process, not wall-clock time: other processes do not count. Building the
    # 100 000 articles up front would take minutes; the site computes only what is asked.
    started = time.process_time()
    site = DemoSite(100_000)
    assert get(site, "/category/kempen/page/500/")[0] == 200
    assert get(site, "/page/9000/")[0] == 200
    assert get(site, "/2022/03/")[0] == 200
    for index in (0, 50_000, 99_999):
        assert get(site, site.url_path(index))[0] == 200
    assert site.ground_truth(77_777)["url_path"] == site.url_path(77_777)
    assert time.process_time() - started < 5


def test_large_site_listings_cover_every_article():
    site = DemoSite(100_000)
    members = sorted(i for group in site.region_members for i in group)
    assert members == list(range(100_000))


# ---------------------------------------------------------------------------- HTTP


def test_real_http_serving():
    site = DemoSite(120)
    with serve_demo_site(site, log_requests=True) as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        with urllib.request.urlopen(server.url + "/") as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
            page = response.read().decode("utf-8")
        assert f"{server.url}/category/kempen/" in page
        article = site.article(site.seed_index)
        with urllib.request.urlopen(server.url + article.path.rstrip("/")) as response:
            assert response.url == server.url + article.path
            assert SEED_TITLE in response.read().decode("utf-8")
            etag = response.headers["ETag"]
        request = urllib.request.Request(server.url + article.path, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(request)
        assert not_modified.value.code == 304
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + "/bestaat-niet/")
        assert missing.value.code == 404
        head = urllib.request.Request(server.url + "/robots.txt", method="HEAD")
        with urllib.request.urlopen(head) as response:
            assert response.read() == b""
            assert int(response.headers["Content-Length"]) > 0
        with urllib.request.urlopen(server.url + "/robots.txt") as response:
            assert f"Sitemap: {server.url}/wp-sitemap.xml" in response.read().decode()
        assert server.request_log[:2] == ["/", article.path.rstrip("/")]
        assert "/bestaat-niet/" in server.request_log
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(server.url + "/", timeout=2)


def test_servers_run_side_by_side_without_logging():
    with serve_demo_site(DemoSite(20)) as first, serve_demo_site(DemoSite(30, seed=2)) as second:
        assert first.port != second.port
        for server in (first, second):
            with urllib.request.urlopen(server.url + "/wp-sitemap-posts-post-1.xml") as response:
                body = response.read()
            assert body.count(b"<url>") == server.site.articles
        assert first.request_log == []


# ---------------------------------------------------------------------------- command line


def test_cli_prints_ground_truth(capsys):
    assert demosite_main(["truth", "--articles", "12"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 12
    records = [json.loads(line) for line in lines]
    site = DemoSite(12)
    assert records == [site.ground_truth(i) for i in range(12)]


def _open_awkward_connections(url: str) -> list[socket.socket]:
    """Connections a busy or careless client leaves behind, each one answered at least once
    (so the server is known to have taken it): idle keep-alive, half-closed by the client,
    half a request sent, reset with a request unanswered."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    request = b"GET /robots.txt HTTP/1.1\r\nHost: demo\r\n\r\n"

    def answered(connection: socket.socket) -> None:
        connection.sendall(request)
        received = b""
        while b"Sitemap:" not in received:
            chunk = connection.recv(65536)
            assert chunk, received
            received += chunk

    connections = []
    for _ in range(4):
        connection = socket.create_connection((host, port), timeout=60)
        answered(connection)
        connections.append(connection)
    idle, half_closed, half_sent, reset = connections
    half_closed.shutdown(socket.SHUT_WR)
    half_sent.sendall(b"GET / HTTP/1.1\r\nHost: de")
    reset.sendall(b"GET / HTTP/1.1\r\nHost: demo\r\n\r\n")
    reset.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    reset.close()  # an RST, while the server may be writing its answer
    return [idle, half_closed, half_sent]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_serves_until_interrupted(signum):
    """`python -m demosite serve` ends on SIGINT or SIGTERM with status 0 and a quiet stderr,
    whatever connections its clients left open. The 60 s are a safety net, not a measure:
    the test waits for the process to end."""
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "demosite", "serve", "--articles", "40", "--no-feed"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    connections: list[socket.socket] = []
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"serving (http://127\.0\.0\.1:\d+)/\n", line)
        assert match, line
        with urllib.request.urlopen(match.group(1) + "/robots.txt", timeout=60) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(match.group(1) + "/feed/", timeout=60)
        connections = _open_awkward_connections(match.group(1))
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr, stderr
        assert "Error" not in stderr, stderr
        # the idle and half-closed connections were closed by the server, not left hanging
        for connection in connections[:2]:
            connection.settimeout(60)
            while connection.recv(65536):
                pass
    finally:
        for connection in connections:
            connection.close()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)
        process.stdout.close()
        process.stderr.close()


def test_closing_a_running_server_ends_its_open_connections():
    """RunningServer.close returns with connections still open, and they see the end."""
    with serve_demo_site(DemoSite(20)) as server:
        connections = _open_awkward_connections(server.url)
    try:
        for connection in connections:
            connection.settimeout(60)
            while connection.recv(65536):
                pass  # ends with b"": the server shut the connection down
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((server.host, server.port), timeout=60)
    finally:
        for connection in connections:
            connection.close()


def _links(body: bytes) -> list[str]:
    return re.findall(r'href="([^"]*)"', body.decode())


@pytest.mark.parametrize("path", ["/", "/category/mechelen/", "/feed/", "/privacybeleid/"])
def test_full_theme_adds_weight_but_no_links(path):
    from demosite.pages import render_request

    plain = render_request(DemoSite(articles=40), path, HOST)
    full = render_request(DemoSite(articles=40, theme="full"), path, HOST)
    assert plain[0] == full[0] == 200
    if path == "/feed/":
        assert full[2] == plain[2]  # only HTML pages carry a theme
        return
    assert len(full[2]) > len(plain[2]) + 50_000
    # scripts come as src=, not href=: the crawler finds the same links
    assert _links(full[2]) == _links(plain[2])


def test_full_theme_article_extracts_like_the_plain_one():
    from crawler.extract import extract_article
    from crawler.profiles import load_profile
    from demosite.pages import render_request

    profile = load_profile("antwerpspersbureau")
    records = []
    for theme in ("plain", "full"):
        site = DemoSite(articles=40, theme=theme)
        path = site.url_path(site.seed_index)
        body = render_request(site, path, HOST)[2]
        record = extract_article(body, f"{ROOT}{path}", profile=profile)
        assert record["place"] == "Mechelen"
        assert record["author"] == "Edwin Mariën"
        records.append(record)
    assert records[0]["text"] == records[1]["text"]
    assert records[0]["body_html"] == records[1]["body_html"]


def test_unknown_theme_is_refused():
    with pytest.raises(ValueError, match="unknown theme 'heavy'"):
        DemoSite(articles=5, theme="heavy")
