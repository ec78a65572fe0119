"""Article extraction: one HTML page and its URL in, one archive record out (a pure function).

The page is decoded and parsed once with lxml; the main text comes from trafilatura run on that
tree, the metadata from our own passes over the same tree, steered by the site's profile
(crawler/sites/*.toml). This module is the public face: extract_article runs the passes, which
live in crawler/extraction/, in order:

- decoding: bytes to a bounded lxml tree (encodings, binary content, size limits);
- page: what is read once from the page (metas, JSON-LD nodes, page furniture, the text around
  an element), with jsonld (JSON-LD nodes and values) and selectors (profile selectors, fast);
- listing: whether the page is an article at all (redirect stubs, listings, static pages), and
  the article's scope; also looks_like_listing_url, the crawler's link heuristic;
- titles: the headline; metadata: dates, categories, tags, language, image, canonical URL;
- authors: names from metadata, signatures and bylines; body: the main text and its cleanup;
- common: NotAnArticle and the text, URL and block helpers the passes share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import trafilatura

from crawler.extraction.authors import (
    AuthorFilter,
    extract_meta_authors,
    remove_byline_blocks,
    take_body_authors,
    take_bold_byline,
)
from crawler.extraction.body import (
    ALLOWED_BODY_TAGS,
    LARGE_PAGE_ELEMENTS,
    MIN_TEXT_CHARS,
    apply_dateline,
    article_block,
    body_to_html,
    body_to_text,
    content_tree,
    has_main_text,
    has_prose,
    payload_body,
    payload_source,
    place_captions,
    remove_boilerplate,
    remove_channel_appeals,
    remove_clip_teasers,
    remove_leading_title,
    remove_related_link_lines,
    remove_trailing_related,
    restore_captions,
    run_trafilatura,
)
from crawler.extraction.common import NotAnArticle
from crawler.extraction.decoding import MAX_ELEMENTS, MAX_HTML_BYTES, decode_html, parse_html
from crawler.extraction.listing import (
    STATIC_PAGE_REASON,
    is_static_page,
    looks_like_listing_url,
    refuse_non_articles,
)
from crawler.extraction.metadata import (
    STRONG_DATE_SOURCES,
    canonical_url,
    extract_dates,
    extract_description,
    extract_image,
    extract_language,
    extract_terms,
)
from crawler.extraction.page import Page, read_page
from crawler.extraction.titles import (
    extract_site_names,
    extract_title,
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
    "extract_from_page",
    "headline_agreement",
    "headline_text",
    "looks_like_listing_url",
    "parse_html",
    "pick_headline",
    "read_page",
    "url_slug_text",
]

EXTRACTOR_VERSION = f"newsarchive-extract/1.8 trafilatura/{trafilatura.__version__}"


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

    # 1. decode and parse once
    return extract_from_page(read_page(html, url, profile, declared_encoding), evidence)


def extract_from_page(page: Page, evidence: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`extract_article`'s passes on a page `read_page` parsed already, or NotAnArticle.

    For a caller that also reads the parsed tree (the links, crawler/workers.py): it does so
    before this call, whose passes change the tree.
    """
    url, profile = page.url, page.profile
    # redirect stubs and listings stop here, an article gets its scope
    refuse_non_articles(page)

    # 2. the title first: it finds the headline element, whose surroundings may hold the date
    site_names = extract_site_names(page)
    title = extract_title(page, site_names)

    # 3. the metadata; a static page without a date of its own may stop here
    dates = extract_dates(page, evidence or {})
    undated_static_page = (
        is_static_page(page.body_classes) and dates.source not in STRONG_DATE_SOURCES
    )
    if undated_static_page and profile.undated_static_pages == "skip":
        raise NotAnArticle(STATIC_PAGE_REASON)
    categories = extract_terms(
        page, profile.category_selectors, "articleSection", "article:section"
    )
    tags = extract_terms(page, profile.tag_selectors, "keywords", "article:tag")
    canonical = canonical_url(page)
    description = extract_description(page)
    language = extract_language(page)
    image = extract_image(page, url)

    # 4. the authors the metadata names (a byline in the text, read below, goes first)
    author_filter = AuthorFilter.for_page(page, site_names)
    meta_authors = extract_meta_authors(page, author_filter)

    # 5. the main text: trafilatura on the article, its captions put back, page furniture cut;
    # a page rendered by script from a data payload has its text only there
    payload = payload_source(page)
    content = run_trafilatura(content_tree(page), url, page.element_count)
    if not has_main_text(content) and not profile.body_selectors and article_block(page):
        # the article block held no text trafilatura takes: the whole page may
        content = run_trafilatura(content_tree(page, whole_page=True), url, page.element_count)
    if not has_main_text(content):
        from_payload = payload_body(payload)
        if from_payload is not None:
            content = from_payload
    if content is None:
        raise NotAnArticle("no main text")
    restore_captions(content)
    place_captions(content, page.captions)
    remove_clip_teasers(content, page.clip_teasers)
    remove_boilerplate(content, profile.boilerplate_phrases)
    printed = headline_text(page.headline) if page.headline is not None else None
    remove_leading_title(content, title, printed)
    remove_trailing_related(content)
    remove_related_link_lines(content)
    remove_channel_appeals(content)

    # 6. what the text itself says: a byline may open it, before the dateline paragraph
    authors = take_body_authors(content, profile, author_filter) or meta_authors
    authors = take_bold_byline(content, page, author_filter, authors)
    remove_byline_blocks(content, page)
    place = apply_dateline(content, profile)

    # 7. the text and the record
    text = body_to_text(content)
    if len(text) < MIN_TEXT_CHARS:
        raise NotAnArticle("no main text")
    if undated_static_page and not has_prose(text):
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
        "description": description,
        "language": language,
        "image": image,
        "word_count": len(text.split()),
        "site_name": site_names[0] if site_names else None,
        "extractor_version": EXTRACTOR_VERSION,
    }
