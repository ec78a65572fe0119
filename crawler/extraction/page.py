"""What the extraction passes read once from a page: its metas and JSON-LD nodes, the regions
that are page furniture, its Article node, and the text around an element."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.common import clean_text, drop
from crawler.extraction.decoding import decode_html, parse_counted
from crawler.extraction.jsonld import ARTICLE_LD_TYPES, collect_json_ld, ld_types
from crawler.extraction.selectors import (
    INDEXED_ATTRIBUTES,
    PageIndex,
    select_all,
    select_first,
    simple_selectors,
)
from crawler.profiles import SiteProfile


@dataclass(frozen=True)
class Caption:
    """An image caption of the page, the end of the text before its image, the start after."""

    text: str
    after: str
    before: str


@dataclass
class Page:
    """Everything read once from the parsed tree and shared by the metadata passes."""

    tree: HtmlElement
    url: str
    profile: SiteProfile
    body_classes: frozenset[str]
    metas: dict[str, list[str]]
    ld_nodes: list[dict[str, Any]]
    element_count: int = 0
    excluded: set[etree._Element] = field(default_factory=set)
    dropped: list[etree._Element] = field(default_factory=list)
    scope: etree._Element | None = None
    index: PageIndex | None = None
    main_candidates: list[etree._Element] = field(default_factory=list)
    # the Article JSON-LD node, {} for none, once article_node looked
    article_ld: dict[str, Any] | None = None
    # the element showing the headline, once extract_title found it
    headline: etree._Element | None = None
    # the article's image captions, when trafilatura reads the whole page (see body.content_tree)
    captions: list[Caption] = field(default_factory=list)
    # the word keys of embedded videos' teasers, read with the captions
    clip_teasers: list[str] = field(default_factory=list)
    _selected: dict[tuple[int, tuple[str, ...]], list[etree._Element]] = field(default_factory=dict)

    def select(
        self, expressions: tuple[str, ...], *, whole_page: bool = False
    ) -> list[etree._Element]:
        """select_first under the article's scope (or the whole page), remembered for the page."""
        scope = self.tree if whole_page or self.scope is None else self.scope
        key = (id(scope), expressions)
        if key not in self._selected:
            self._selected[key] = select_first(scope, expressions, self.index)
        return self._selected[key]

    def meta(self, *keys: str) -> str | None:
        """First non-empty content of the named metas, in the order of keys."""
        for key in keys:
            for value in self.metas.get(key, ()):
                value = clean_text(value)
                if value:
                    return value
        return None

    def in_excluded_region(self, element: etree._Element) -> bool:
        """True when element sits in a sidebar, menu, comments or related-posts block."""
        for ancestor in element.iterancestors():
            if ancestor in self.excluded:
                return True
        return element in self.excluded


def read_page(
    html: bytes | str, url: str, profile: SiteProfile, declared_encoding: str | None
) -> Page:
    """Decode and parse the page once, and read its body classes, metas and JSON-LD nodes."""
    if isinstance(html, bytes):
        text = decode_html(html, declared_encoding)
    elif isinstance(html, str):
        text = html
    else:
        raise TypeError(f"html must be bytes or str, not {type(html).__name__}")
    tree, element_count = parse_counted(text)
    body = tree.find("body")
    body_classes = frozenset(body.get("class", "").split()) if body is not None else frozenset()
    return Page(
        tree,
        url,
        profile,
        body_classes,
        _collect_metas(tree),
        collect_json_ld(tree),
        element_count,
    )


def _collect_metas(tree: HtmlElement) -> dict[str, list[str]]:
    metas: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                metas.setdefault(key.strip().lower(), []).append(content)
    return metas


# ----------------------------------------------------------------------------------- page furniture

# Regions of a page that never hold the article's own metadata (dates, tags, bylines).
EXCLUDED_TAGS = frozenset({"aside", "nav", "template", "noscript"})

EXCLUDED_CLASS_TOKENS = frozenset(
    {
        "related",
        "related-posts",
        "relatedposts",
        "jp-relatedposts",
        "yarpp-related",
        "crp_related",
        "related-articles",
        "related-content",
        "comments",
        "comments-area",
        "comment-list",
        "commentlist",
        "comment-respond",
        "sidebar",
        "widget-area",
        "widget",
        "sharedaddy",
        "share-buttons",
        "social-share",
        "newsletter",
        "newsletter-box",
        "cookie-notice",
        "post-navigation",
        "breadcrumb",
        "breadcrumbs",
        "pagination",
    }
)

EXCLUDED_IDS = frozenset({"comments", "respond", "sidebar", "secondary", "cookie-notice"})

_HEADING_TAGS = frozenset({"h2", "h3", "h4"})

RELATED_HEADING_RE = re.compile(
    r"^\s*(aanverwante berichten|gerelateerde (berichten|artikels|artikelen)|lees ook|"
    r"meer nieuws|related( posts| articles| stories)?|you may also like|verwandte artikel|"
    r"ähnliche beiträge|lire aussi|à lire aussi|recente berichten|recent posts|meest gelezen|"
    r"most read|meistgelesen|populair|mehr (?:aus|zum thema|zu diesem thema|nachrichten)|"
    r"weitere (?:artikel|nachrichten|meldungen|beiträge)|more (?:from|on this|stories|news)|"
    r"read more|lees meer|meer over|plus d'articles|dans la même rubrique|también te puede)\b",
    re.IGNORECASE,
)


# Excluded regions trafilatura would read and then discard: menus, comment threads, share and
# newsletter boxes, related-posts blocks, breadcrumbs. Sidebars, widgets, <aside>s and the
# excluded ids are not among them: on some pages they wrap the article, and measured on the
# real-page sets, taking them out loses text.
FURNITURE_TAGS = frozenset({"nav"})

FURNITURE_CLASS_TOKENS = EXCLUDED_CLASS_TOKENS - {"sidebar", "widget-area", "widget"}


def headline_and_scope_ancestors(page: Page) -> set[etree._Element]:
    """The headline, the article's scope and their ancestors: never page furniture."""
    keep: set[etree._Element] = set()
    for anchor in (page.headline, page.scope):
        if anchor is not None:
            keep.add(anchor)
            keep.update(anchor.iterancestors())
    return keep


def drop_furniture(page: Page) -> None:
    """Remove the excluded regions that are page furniture (FURNITURE_TAGS and _CLASS_TOKENS)
    from the tree, except any that holds the headline or the article.

    trafilatura copies and walks the tree it is given several times: what it would discard
    anyway costs it time in every pass.
    """
    keep = headline_and_scope_ancestors(page)
    for element in list(page.excluded):
        if element in keep:
            continue
        if element.tag in FURNITURE_TAGS or not FURNITURE_CLASS_TOKENS.isdisjoint(
            (element.get("class") or "").split()
        ):
            drop(element)


def _is_main_candidate(tag: str, identifier: str | None, role: str | None) -> bool:
    """<main>, role="main", id="main" or id="content": a page's main region, in that markup."""
    return tag == "main" or identifier in ("main", "content") or role == "main"


# (attribute, the values of it under an element): see PageIndex
_INDEXED_VALUES = tuple(
    (name, etree.XPath(f".//@{name}", smart_strings=False)) for name in INDEXED_ATTRIBUTES
)


def mark_excluded_regions(page: Page) -> None:
    """One pass over the page: excluded regions, dropped blocks, main-region candidates, index.

    The loop is written out flat: it runs once per element of every page.
    """
    index = page.index = PageIndex()
    body = page.tree.find("body")
    # the head and the root only feed the index (and the root may be the main region)
    for child in page.tree:
        if child is not body and isinstance(child.tag, str):
            for element in child.iter(etree.Element):
                classes = element.get("class")
                index.add(element, classes.split() if classes else (), element.get("id"))
    for element in (page.tree, body) if body is not None else (page.tree,):
        classes, identifier = element.get("class"), element.get("id")
        index.add(element, classes.split() if classes else (), identifier)
        if _is_main_candidate(element.tag, identifier, element.get("role")):
            page.main_candidates.append(element)
    if body is None:
        return
    excluded, dropped, main_candidates = page.excluded, page.dropped, page.main_candidates
    drop = simple_selectors(page.profile.drop_selectors)
    seen_tags, seen_classes, seen_ids = index.tags, index.classes, index.ids
    seen_attributes = index.attributes
    drop_tags, drop_ids, drop_classes = drop.tags, drop.ids, drop.classes
    drop_tag_classes = drop.tag_classes
    no_tokens: tuple[str, ...] = ()
    # itemprop and rel tokens, read by libxml2 without an element proxy each
    for name, values in _INDEXED_VALUES:
        for value in values(body):
            seen_attributes.update((name, token) for token in value.split())
    for element in body.iterdescendants(etree.Element):
        tag = element.tag
        seen_tags.add(tag)
        classes = element.get("class")
        if classes:
            tokens = classes.split()
            seen_classes.update(tokens)
        else:
            tokens = no_tokens
        identifier = element.get("id")
        if identifier:
            seen_ids.add(identifier)
        if (
            tag == "main"
            or identifier == "main"
            or identifier == "content"
            or element.get("role") == "main"
        ):
            main_candidates.append(element)
        # drop.matches(tag, tokens, identifier), inlined
        if (
            tag in drop_tags
            or (identifier is not None and identifier in drop_ids)
            or (
                tokens
                and (
                    not drop_classes.isdisjoint(tokens)
                    or (drop_tag_classes and any((tag, t) in drop_tag_classes for t in tokens))
                )
            )
        ):
            excluded.add(element)
            dropped.append(element)
        elif (
            (tag in EXCLUDED_TAGS and not _is_article_aside(element))
            or identifier in EXCLUDED_IDS
            or not EXCLUDED_CLASS_TOKENS.isdisjoint(tokens)
        ):
            excluded.add(element)
        elif tag in _HEADING_TAGS and RELATED_HEADING_RE.match(_start_of_text(element)):
            parent = element.getparent()
            if (
                parent is not None
                and parent is not body
                and parent.tag not in ("article", "main")
                # a "Related" heading placed straight in the article's own block
                and parent.find(".//h1") is None
            ):
                excluded.add(parent)
    complex_drops = select_all(body, drop.complex_selectors)
    page.dropped.extend(complex_drops)
    excluded.update(complex_drops)


def _is_article_aside(element: etree._Element) -> bool:
    """An <aside> inside an <article>: the article's own margin (byline, date), not a sidebar."""
    return element.tag == "aside" and any(a.tag == "article" for a in element.iterancestors())


def _start_of_text(element: etree._Element) -> str:
    return clean_text("".join(islice(element.itertext(), 8))[:120])[:80]


# ------------------------------------------------------------------------------------ JSON-LD nodes


def article_node(page: Page) -> dict[str, Any] | None:
    """The page's Article JSON-LD node (NewsArticle, BlogPosting …), if any; found once."""
    if page.article_ld is None:
        page.article_ld = next(
            (node for node in page.ld_nodes if ld_types(node) & ARTICLE_LD_TYPES), {}
        )
    return page.article_ld or None


def webpage_node(page: Page) -> dict[str, Any] | None:
    """The page's WebPage (or ItemPage) JSON-LD node, if any."""
    for node in page.ld_nodes:
        if ld_types(node) & {"WebPage", "ItemPage"}:
            return node
    return None


# --------------------------------------------------------------------------- text around an element

# How much text around the headline may hold its date line or byline.
TEXT_BEFORE_HEADLINE = 200

TEXT_AFTER_HEADLINE = 400

# A longer run of text is prose: only its start may be a date line ("Düsseldorf, 22. November").
PROSE_CHARS = 150

PROSE_START_CHARS = 40

NON_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "option"})


def texts(element: etree._Element, page: Page) -> Iterator[str]:
    """The text inside element, in document order, without scripts and excluded regions."""
    if not isinstance(element.tag, str) or element.tag in NON_TEXT_TAGS:
        return
    if element in page.excluded:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from texts(child, page)
        if child.tail:
            yield child.tail


def following_texts(element: etree._Element, page: Page) -> Iterator[str]:
    """The text after element, in reading order, to the end of the body."""
    node: etree._Element | None = element
    while node is not None and node.tag != "body":
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            yield from texts(sibling, page)
            if sibling.tail:
                yield sibling.tail
        node = node.getparent()


def preceding_texts(element: etree._Element, page: Page) -> Iterator[str]:
    """The text before element, nearest first (each piece in its own reading order)."""
    node: etree._Element | None = element
    while node is not None and node.tag != "body":
        for sibling in node.itersiblings(preceding=True):
            if sibling.tail:
                yield sibling.tail
            yield from reversed(list(texts(sibling, page)))
        parent = node.getparent()
        if parent is not None and parent.text:
            yield parent.text
        node = parent


def text_window(pieces: Iterable[str], limit: int) -> list[str]:
    """The first pieces (folded, long prose cut to its start) until they hold limit characters."""
    window, size = [], 0
    for piece in pieces:
        piece = clean_text(piece)
        if not piece:
            continue
        if len(piece) > PROSE_CHARS:
            piece = piece[:PROSE_START_CHARS]
        window.append(piece)
        size += len(piece) + 1
        if size >= limit:
            break
    return window


def text_around(page: Page, element: etree._Element) -> tuple[str, str]:
    """The text just before and just after element (its date line, its byline)."""
    before = text_window(preceding_texts(element, page), TEXT_BEFORE_HEADLINE)
    after = text_window(following_texts(element, page), TEXT_AFTER_HEADLINE)
    return "\n".join(reversed(before)), "\n".join(after)
