"""Article extraction: one HTML page and its URL in, one archive record out (a pure function).

The page is decoded and parsed once with lxml; the main text comes from trafilatura run on that
tree, the metadata from our own passes over the same tree, steered by the site's profile
(crawler/sites/*.toml). This module is the public face; the passes live in crawler/extraction/:

- decoding: bytes to a bounded lxml tree (encodings, binary content, size limits);
- page: what is read once from the page (metas, JSON-LD, the article's scope, page furniture,
  selectors) and whether the page is an article at all;
- titles: the headline; metadata: dates, categories, tags, language, image, canonical URL;
- authors: names from metadata, signatures and bylines; body: the main text and its cleanup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import trafilatura

from crawler.extraction.authors import (
    _AuthorFilter,
    _extract_meta_authors,
    _remove_byline_blocks,
    _take_body_authors,
)
from crawler.extraction.body import (
    ALLOWED_BODY_TAGS,
    LARGE_PAGE_ELEMENTS,
    MIN_TEXT_CHARS,
    _apply_dateline,
    _content_tree,
    _has_prose,
    _place_captions,
    _remove_boilerplate,
    _remove_leading_title,
    _remove_trailing_related,
    _restore_captions,
    _run_trafilatura,
    body_to_html,
    body_to_text,
)
from crawler.extraction.common import NotAnArticle
from crawler.extraction.decoding import MAX_ELEMENTS, MAX_HTML_BYTES, decode_html, parse_html
from crawler.extraction.metadata import (
    STRONG_DATE_SOURCES,
    _canonical_url,
    _extract_dates,
    _extract_description,
    _extract_image,
    _extract_language,
    _extract_terms,
)
from crawler.extraction.page import (
    STATIC_PAGE_REASON,
    _is_static_page,
    _read_page,
    _refuse_non_articles,
)
from crawler.extraction.titles import (
    _extract_title,
    _site_names,
    headline_agreement,
    headline_text,
    pick_headline,
    url_slug_text,
)
from crawler.profiles import SiteProfile, profile_for_url

__all__ = [
    "ALLOWED_BODY_TAGS",
    "DATE_SOURCES",
    "EXTRACTOR_VERSION",
    "LARGE_PAGE_ELEMENTS",
    "MAX_ELEMENTS",
    "MAX_HTML_BYTES",
    "RECORD_FIELDS",
    "NotAnArticle",
    "body_to_html",
    "body_to_text",
    "decode_html",
    "extract_article",
    "headline_agreement",
    "headline_text",
    "looks_like_listing_url",
    "parse_html",
    "pick_headline",
    "url_slug_text",
]

EXTRACTOR_VERSION = f"newsarchive-extract/1.1 trafilatura/{trafilatura.__version__}"


RECORD_FIELDS = (
    "url",
    "title",
    "text",
    "body_html",
    "published",
    "modified",
    "date_source",
    "author",
    "authors",
    "place",
    "categories",
    "tags",
    "description",
    "language",
    "image",
    "word_count",
    "site_name",
    "extractor_version",
)


DATE_SOURCES = (
    "json-ld",
    "meta",
    "time-element",
    "url",
    "visible-text",
    "sitemap",
    "feed",
)


# Listing URL shapes of WordPress and most CMSs, used for the crawler's link heuristics: each
# alternative names whole path segments, so that an article's slug ("/tagged-in-antwerp/") never
# matches. A section's own root ("/posts/") cannot be told from its URL.
_LISTING_PATH_RE = re.compile(
    # taxonomies, authors, feeds, search (WordPress, Ghost; Hugo's, Jekyll's /tags/, /categories/)
    r"/(?:category|categorie|categories|tag|tags|author|auteur|topics?|feed|rss|wp-json|wp-admin|"
    r"search|zoeken)(?:/|$)"
    # paginators: /page/2/ (WordPress, Hugo, Ghost), /page2/ (Jekyll)
    r"|/page/?\d+/?$"
    # Hugo's series taxonomy and its terms; Jekyll's and Hugo's archive page (not /archives/123,
    # a WordPress post)
    r"|/series(?:/[^/]+)?/?$"
    r"|/archives?/?$"
    # Drupal's taxonomy term pages
    r"|/taxonomy/term/\d+(?:/|$)"
    # date archives
    r"|^/(?:19|20)\d{2}/?$"
    r"|^/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/?$"
    r"|/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/?$",
    re.I,
)

_LISTING_QUERY_RE = re.compile(r"(?:^|&)(?:s|q|search|paged|cat|tag|author|feed)=", re.I)


def looks_like_listing_url(url: str) -> bool:
    """True for URLs shaped like listings, feeds, search or admin pages (a link heuristic)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    path = parts.path or "/"
    if _LISTING_PATH_RE.search(path):
        return True
    query = parts.query.lower()
    if _LISTING_QUERY_RE.search(query):
        return True
    # Drupal's pagers: ?page=2 alone (beside tracking); an article's own ?id=…&page=2 is no listing
    names = [(name, value) for name, value in parse_qsl(query) if not name.startswith("utm_")]
    return len(names) == 1 and names[0][0] == "page" and names[0][1].isdigit()


def extract_article(
    html: bytes | str,
    url: str,
    *,
    profile: SiteProfile | None = None,
    declared_encoding: str | None = None,
    evidence: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Extract one article record from a page, or raise NotAnArticle saying why not.

    Args:
        html: the page as fetched (bytes, decoded here) or as text.
        url: the URL it was fetched from; relative links and the canonical URL resolve against it.
        profile: the site's profile; by default the one whose hosts include the URL's host.
        declared_encoding: the charset from the HTTP Content-Type header, if any.
        evidence: dates seen during discovery ("sitemap_lastmod", "feed_published"), used
            only when the page itself states no date.
    """
    profile = profile or profile_for_url(url)
    page = _read_page(html, url, profile, declared_encoding)
    _refuse_non_articles(page)

    site_names = _site_names(page)
    # the title first: it finds the headline element, whose surroundings may hold the date
    title = _extract_title(page, site_names)
    dates = _extract_dates(page, evidence or {})
    undated_static_page = (
        _is_static_page(page.body_classes) and dates.source not in STRONG_DATE_SOURCES
    )
    if undated_static_page and profile.undated_static_pages == "skip":
        raise NotAnArticle(STATIC_PAGE_REASON)
    author_filter = _AuthorFilter.for_page(page, site_names)
    meta_authors = _extract_meta_authors(page, author_filter)
    categories = _extract_terms(
        page, profile.category_selectors, "articleSection", "article:section"
    )
    tags = _extract_terms(page, profile.tag_selectors, "keywords", "article:tag")
    canonical = _canonical_url(page)

    content = _run_trafilatura(_content_tree(page), url, page.element_count)
    if content is None:
        raise NotAnArticle("no main text")
    _restore_captions(content)
    _place_captions(content, page.captions)
    _remove_boilerplate(content, profile.boilerplate_phrases)
    _remove_leading_title(content, title)
    _remove_trailing_related(content)
    # a byline may open the text, before the dateline paragraph
    authors = _take_body_authors(content, profile, author_filter) or meta_authors
    _remove_byline_blocks(content, page)
    place = _apply_dateline(content, profile)
    text = body_to_text(content)
    if len(text) < MIN_TEXT_CHARS:
        raise NotAnArticle("no main text")
    if undated_static_page and not _has_prose(text):
        raise NotAnArticle(STATIC_PAGE_REASON)

    return {
        "url": canonical,
        "title": title,
        "text": text,
        "body_html": body_to_html(content, url),
        "published": dates.published.iso if dates.published else None,
        "modified": dates.modified.iso if dates.modified else None,
        "date_source": dates.source,
        "author": ", ".join(authors) or None,
        "authors": authors,
        "place": place,
        "categories": categories,
        "tags": tags,
        "description": _extract_description(page),
        "language": _extract_language(page),
        "image": _extract_image(page, url),
        "word_count": len(text.split()),
        "site_name": site_names[0] if site_names else None,
        "extractor_version": EXTRACTOR_VERSION,
    }
