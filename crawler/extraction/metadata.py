"""Dates (machine-readable and as readers see them), categories, tags, language, image, URL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from lxml import etree

from crawler.dates import (
    FoundDate,
    date_from_url,
    date_near_headline,
    is_plausible,
    labelled_published_date,
    parse_iso_date,
    parse_visible_date,
    published_date_in_text,
    utc_now,
)
from crawler.extraction.common import (
    absolute_http_url,
    clean_text,
    dedupe,
    element_text,
    host_key,
    url_path,
)
from crawler.extraction.jsonld import ld_text
from crawler.extraction.page import (
    Page,
    article_node,
    text_around,
    text_window,
    texts,
    webpage_node,
)

# Dates the page itself states in its markup: only these make a static page a dated article.
STRONG_DATE_SOURCES = frozenset({"json-ld", "meta", "time-element"})

PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "publish-date",
    "publishdate",
    "pubdate",
    "publish_date",
    "published_time",
    "article.published",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "date",
    "dc.date",
)

MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
    "article.updated",
    "modified_time",
)

DESCRIPTION_META = ("description", "og:description", "twitter:description", "dc.description")

IMAGE_META = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
)

_LANG_RE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass
class Dates:
    """The publication and modification dates found, and the source of the publication date."""

    published: FoundDate | None = None
    modified: FoundDate | None = None
    source: str | None = None


def _first_plausible(values: Iterable[str | None], now: datetime) -> FoundDate | None:
    for value in values:
        found = parse_iso_date(value) if value else None
        if found is not None and is_plausible(found, now):
            return found
    return None


def _time_elements(page: Page, selectors: tuple[str, ...]) -> list[etree._Element]:
    return [e for e in page.select(selectors) if not page.in_excluded_region(e)]


def extract_dates(page: Page, evidence: Mapping[str, str]) -> Dates:
    """The publication date (the first plausible one its sources give) and the modification date."""
    now = utc_now()
    profile = page.profile
    article = article_node(page) or webpage_node(page)
    modified = _first_plausible(
        [
            ld_text(article.get("dateModified")) if article is not None else None,
            page.meta(*MODIFIED_META),
            *(
                e.get("datetime") or e.get("content")
                for e in _time_elements(page, profile.modified_selectors)
            ),
            evidence.get("sitemap_lastmod"),
        ],
        now,
    )
    steps: list[tuple[str, Callable[[], FoundDate | None]]] = [
        (
            "json-ld",
            lambda: _first_plausible(
                [ld_text(article.get("datePublished")), ld_text(article.get("dateCreated"))]
                if article is not None
                else [],
                now,
            ),
        ),
        ("meta", lambda: _first_plausible([page.meta(key) for key in PUBLISHED_META], now)),
        ("time-element", lambda: _date_from_time_elements(page, now)),
        ("url", lambda: date_from_url(page.url)),
        ("visible-text", lambda: _date_from_visible_text(page, now)),
        ("feed", lambda: _first_plausible([evidence.get("feed_published")], now)),
        ("sitemap", lambda: _first_plausible([evidence.get("sitemap_lastmod")], now)),
    ]
    for source, finder in steps:
        found = finder()
        if found is not None and is_plausible(found, now):
            return Dates(found, modified, source)
    return Dates(None, modified, None)


def is_teaser_element(element: etree._Element, scope: etree._Element, url: str) -> bool:
    """True for an element inside a link to another page or a nested <article> of the scope:
    a related article's teaser, whose date is not the article's own. (A link to the page
    itself, a WordPress permalink around the date, is the article's own.)"""
    own = url_path(url)
    for ancestor in element.iterancestors():
        if ancestor is scope:
            return False
        if ancestor.tag == "a":
            target = absolute_http_url(ancestor.get("href"), url)
            if target and url_path(target) != own:
                return True
        elif ancestor.tag == "article" and any(
            a.tag == "article" for a in ancestor.iterancestors()
        ):
            return True
    return False


def _date_from_time_elements(page: Page, now: datetime) -> FoundDate | None:
    elements = _time_elements(page, page.profile.published_selectors)
    if not elements:
        scope = page.scope if page.scope is not None else page.tree
        elements = [
            e
            for e in scope.iter("time")
            if not page.in_excluded_region(e) and not is_teaser_element(e, scope, page.url)
        ]
    for element in elements:
        found = _first_plausible([element.get("datetime"), element.get("content")], now)
        if found is not None:
            return found
    return None


def _date_from_visible_text(page: Page, now: datetime) -> FoundDate | None:
    """A date as readers see it: the profile's date elements, the text around the headline,
    then the text of the article's <time> elements."""
    profile = page.profile
    order, languages = profile.date_order, profile.month_languages
    for selector in profile.visible_date_selectors + profile.published_selectors:
        for element in _time_elements(page, (selector,))[:20]:
            found = parse_visible_date(element_text(element), order, languages)
            if found is not None and is_plausible(found, now):
                return found
    if page.headline is not None:
        before, after = text_around(page, page.headline)
        found = date_near_headline(before, after, order, languages)
        if found is not None and is_plausible(found, now):
            return found
    scope = page.scope if page.scope is not None else page.tree
    for element in islice(scope.iter("time"), 20):
        if not page.in_excluded_region(element) and not is_teaser_element(element, scope, page.url):
            found = published_date_in_text(element_text(element), order, languages)
            if found is not None and is_plausible(found, now):
                return found
    # a byline after the text: "Veröffentlicht am: 6. August 2009" (read only when the page has
    # such a label at all: most do not, and walking the article's text costs)
    if not _PUBLISHED_LABEL_RE.search("".join(islice(scope.itertext(), 5000))):
        return None
    text = "\n".join(text_window(texts(scope, page), LABELLED_DATE_SCAN_CHARS))
    found = labelled_published_date(text, order, languages)
    if found is not None and is_plausible(found, now):
        return found
    return None


# How much of the article's text is searched for a labelled publication date, as a last resort.
LABELLED_DATE_SCAN_CHARS = 20_000
# a cheap first look for the words that label a publication date (see crawler.dates)
_PUBLISHED_LABEL_RE = re.compile(
    r"\b(?:gepubliceerd|gepost|geplaatst|veröffentlicht|publiziert|erschienen|erstellt|"
    r"eingetragen|published|posted|written|publié|publiée|publicado|publicada|publicat|"
    r"pubblicato|online seit|datum|date|fecha|data)\b",
    re.IGNORECASE,
)


def extract_terms(page: Page, selectors: tuple[str, ...], ld_key: str, meta_key: str) -> list[str]:
    """Categories or tags: the profile's selectors, else the JSON-LD key, else the meta key."""
    values = [element_text(e) for e in page.select(selectors) if not page.in_excluded_region(e)]
    if not values:
        article = article_node(page)
        raw = article.get(ld_key) if article is not None else None
        if isinstance(raw, str):
            values = raw.split(",")
        elif isinstance(raw, list):
            values = [v for v in raw if isinstance(v, str)]
    if not values:
        values = page.metas.get(meta_key, [])
    ignored = {v.casefold() for v in page.profile.ignored_categories}
    cleaned = [clean_text(v) for v in values]
    return dedupe(v for v in cleaned if v and len(v) <= 100 and v.casefold() not in ignored)[:50]


def extract_language(page: Page) -> str | None:
    """The page's language code (<html lang>, og:locale, JSON-LD …), else the profile's."""
    article = article_node(page) or webpage_node(page) or {}
    for raw in (
        page.tree.get("lang"),
        page.tree.get("xml:lang"),
        page.meta("og:locale"),
        ld_text(article.get("inLanguage")),
        page.meta("content-language", "language"),
    ):
        match = _LANG_RE.match((raw or "").strip())
        if match:
            return match.group(1).lower()
    return page.profile.language


def extract_image(page: Page, base: str) -> str | None:
    """The article's image URL: og:image and the like, else the JSON-LD Article's image."""
    candidates: list[Any] = [page.meta(*IMAGE_META)]
    article = article_node(page)
    if article is not None:
        image = article.get("image")
        if isinstance(image, list):
            image = image[0] if image else None
        if isinstance(image, dict):
            image = image.get("url") or image.get("contentUrl")
        candidates.append(image if isinstance(image, str) else None)
    for candidate in candidates:
        url = absolute_http_url(candidate, base)
        if url:
            return url
    return None


def canonical_url(page: Page) -> str:
    """The page's canonical URL (<link rel="canonical">, og:url) on its own host, else its URL."""
    for link in page.tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            candidate = absolute_http_url(link.get("href"), page.url)
            if candidate and host_key(candidate) == host_key(page.url):
                return candidate.split("#", 1)[0]
            break
    og_url = absolute_http_url(page.meta("og:url"), page.url)
    if og_url and host_key(og_url) == host_key(page.url):
        return og_url.split("#", 1)[0]
    return page.url


def extract_description(page: Page) -> str | None:
    """The description metas, else the JSON-LD Article's description."""
    description = page.meta(*DESCRIPTION_META)
    if description is None:
        article = article_node(page)
        description = ld_text(article.get("description")) if article else None
    return description
