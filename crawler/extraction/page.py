"""What the extraction passes read once from a page: metas, JSON-LD, the article's scope,
the regions that are page furniture, selectors, and whether the page is an article at all."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from cssselect import SelectorError
from cssselect import parse as parse_css
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash
from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.common import (
    NotAnArticle,
    _clean_text,
    _text_length,
)
from crawler.extraction.decoding import (
    _parse_counted,
    decode_html,
)
from crawler.profiles import SiteProfile, compile_selector

if TYPE_CHECKING:  # only for a type: body imports this module
    from crawler.extraction.body import _Caption

logger = logging.getLogger(__name__)

MAX_JSON_LD_CHARS = 1_000_000

STATIC_PAGE_REASON = "static page (body class 'page', no publication date)"

# WordPress body classes that mark a page listing several posts (or no post at all).
LISTING_BODY_CLASSES = (
    "error404",
    "search",
    "search-results",
    "search-no-results",
    "archive",
    "category",
    "tag",
    "author",
    "date",
    "paged",
)

SINGLE_BODY_CLASSES = frozenset({"single", "single-post", "singular", "wp-singular"})

ARTICLE_LD_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
        "LiveBlogPosting",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "SocialMediaPosting",
        "SatiricalArticle",
        "AdvertiserContentArticle",
        "MedicalScholarlyArticle",
    }
)

LISTING_LD_TYPES = frozenset({"CollectionPage", "SearchResultsPage", "ItemList"})

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
    r"most read|meistgelesen|populair)\b",
    re.IGNORECASE,
)

_META_REFRESH_URL_RE = re.compile(r"url\s*=", re.I)

_JS_REDIRECT_RE = re.compile(
    r"(?:window|document|top|self)?\.?location(?:\.href)?\s*=\s*['\"]|location\.(?:replace|assign)\s*\(",
)

_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style)]")


@dataclass
class _PageIndex:
    """The tags, classes, ids and itemprop/rel tokens found on a page, collected in one pass.

    A selector needing one the page lacks cannot match, so it is not evaluated: lxml runs each
    selector as a walk over the whole tree, which costs more than the pass that fills this.
    """

    tags: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)

    def add(self, element: etree._Element, tokens: Iterable[str], identifier: str | None) -> None:
        """Record one element, whose class tokens and id the caller has read already."""
        self.tags.add(element.tag)
        self.classes.update(tokens)
        if identifier:
            self.ids.add(identifier)
        for attribute in _INDEXED_ATTRIBUTES:
            value = element.get(attribute)
            if value:
                self.attributes.update((attribute, token) for token in value.split())

    def may_match(self, needs: _SelectorNeeds) -> bool:
        """False when the page lacks something the selector needs, so it matches nothing."""
        return (
            needs.tags <= self.tags
            and needs.classes <= self.classes
            and needs.ids <= self.ids
            and needs.attributes <= self.attributes
        )


_INDEXED_ATTRIBUTES = ("itemprop", "rel")


@dataclass(frozen=True)
class _SelectorNeeds:
    """What an element must carry somewhere on the page for a CSS selector to match."""

    tags: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    attributes: frozenset[tuple[str, str]]


@cache
def _selector_needs(expression: str) -> _SelectorNeeds | None:
    """The tags, classes, ids and attribute tokens a CSS selector cannot match without.

    None for XPath, selector groups and anything unreadable: those are always evaluated.
    Only what the selector requires is collected (never what a :not() or :has() mentions).
    """
    if expression.startswith(("/", "(", "./")):
        return None
    try:
        selectors = parse_css(expression)
    except SelectorError:
        return None
    if len(selectors) != 1:
        return None
    tags: set[str] = set()
    classes: set[str] = set()
    ids: set[str] = set()
    attributes: set[tuple[str, str]] = set()
    pending: list[Any] = [selectors[0].parsed_tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CombinedSelector):
            pending.extend((node.selector, node.subselector))
            continue
        if isinstance(node, Element):
            if node.element and node.element != "*" and node.namespace is None:
                tags.add(node.element.lower())
            continue
        if isinstance(node, Class):
            classes.add(node.class_name)
        elif isinstance(node, Hash):
            ids.add(node.id)
        elif isinstance(node, Attrib):
            name = node.attrib.lower()
            value = getattr(node.value, "value", node.value)
            if (
                node.namespace is None
                and name in _INDEXED_ATTRIBUTES
                and node.operator in ("=", "~=")
                and isinstance(value, str)
            ):
                attributes.update((name, token) for token in value.split())
        # a pseudo-class, :not(), :has(), :is() ...: only what it qualifies is needed
        inner = getattr(node, "selector", None)
        if inner is not None:
            pending.append(inner)
    return _SelectorNeeds(
        frozenset(tags), frozenset(classes), frozenset(ids), frozenset(attributes)
    )


def _select(
    scope: etree._Element, expressions: Iterable[str], index: _PageIndex | None = None
) -> list[etree._Element]:
    """Elements matched by the first selector that matches anything under scope."""
    for expression in expressions:
        if index is not None:
            needs = _selector_needs(expression)
            if needs is not None and not index.may_match(needs):
                continue
        try:
            found = compile_selector(expression)(scope)
        except etree.XPathError:
            logger.warning("selector %r could not be evaluated", expression)
            continue
        elements = [item for item in found if isinstance(item, etree._Element)]
        if elements:
            return elements
    return []


@dataclass
class _Page:
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
    index: _PageIndex | None = None
    main_candidates: list[etree._Element] = field(default_factory=list)
    # the Article JSON-LD node, {} for none, once _article_node looked
    article_ld: dict[str, Any] | None = None
    # the element showing the headline, once _extract_title found it
    headline: etree._Element | None = None
    # the article's image captions, when trafilatura reads the whole page (_page_captions)
    captions: list[_Caption] = field(default_factory=list)
    _selected: dict[tuple[int, tuple[str, ...]], list[etree._Element]] = field(default_factory=dict)

    def select(
        self, expressions: tuple[str, ...], *, whole_page: bool = False
    ) -> list[etree._Element]:
        """_select under the article's scope (or the whole page), remembered for the page."""
        scope = self.tree if whole_page or self.scope is None else self.scope
        key = (id(scope), expressions)
        if key not in self._selected:
            self._selected[key] = _select(scope, expressions, self.index)
        return self._selected[key]

    def meta(self, *keys: str) -> str | None:
        """First non-empty content of the named metas, in the order of keys."""
        for key in keys:
            for value in self.metas.get(key, ()):
                value = _clean_text(value)
                if value:
                    return value
        return None

    def in_excluded_region(self, element: etree._Element) -> bool:
        """True when element sits in a sidebar, menu, comments or related-posts block."""
        for ancestor in element.iterancestors():
            if ancestor in self.excluded:
                return True
        return element in self.excluded


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


def _ld_types(node: Mapping[str, Any]) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1].removeprefix("schema:") for v in values if isinstance(v, str)}


def _collect_json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []

    def walk(value: Any, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(value, list):
            for item in value[:200]:
                walk(item, depth + 1)
        elif isinstance(value, dict):
            if "@type" in value:
                nodes.append(value)
            if "@graph" in value:
                walk(value["@graph"], depth + 1)

    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        source = script.text.strip()
        if len(source) > MAX_JSON_LD_CHARS:
            continue
        try:
            walk(json.loads(source, strict=False), 0)
        except (ValueError, RecursionError) as exc:
            logger.debug("unreadable JSON-LD block: %s", exc)
    return nodes


def _is_main_candidate(tag: str, identifier: str | None, role: str | None) -> bool:
    """<main>, role="main", id="main" or id="content": a page's main region, in that markup."""
    return tag == "main" or identifier in ("main", "content") or role == "main"


def _mark_excluded_regions(page: _Page) -> None:
    """One pass over the page: excluded regions, dropped blocks, main-region candidates, index.

    The loop is written out flat: it runs once per element of every page.
    """
    index = page.index = _PageIndex()
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
    drop = _simple_selectors(page.profile.drop_selectors)
    seen_tags, seen_classes, seen_ids = index.tags, index.classes, index.ids
    seen_attributes = index.attributes
    drop_tags, drop_ids, drop_classes = drop.tags, drop.ids, drop.classes
    drop_tag_classes = drop.tag_classes
    no_tokens: tuple[str, ...] = ()
    for element in body.iterdescendants(etree.Element):
        tag = element.tag
        seen_tags.add(tag)
        attributes = element.attrib
        if attributes:
            classes = attributes.get("class")
            tokens = classes.split() if classes else no_tokens
            seen_classes.update(tokens)
            identifier = attributes.get("id")
            if identifier:
                seen_ids.add(identifier)
            for name in _INDEXED_ATTRIBUTES:
                value = attributes.get(name)
                if value:
                    seen_attributes.update((name, token) for token in value.split())
            role = attributes.get("role")
            if tag == "main" or identifier in ("main", "content") or role == "main":
                main_candidates.append(element)
        else:
            tokens, identifier = no_tokens, None
            if tag == "main":
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
    complex_drops = _select_all(body, drop.complex_selectors)
    page.dropped.extend(complex_drops)
    excluded.update(complex_drops)


def _is_article_aside(element: etree._Element) -> bool:
    """An <aside> inside an <article>: the article's own margin (byline, date), not a sidebar."""
    return element.tag == "aside" and any(a.tag == "article" for a in element.iterancestors())


def _start_of_text(element: etree._Element) -> str:
    return _clean_text("".join(islice(element.itertext(), 8))[:120])[:80]


@dataclass(frozen=True)
class _SimpleSelectors:
    """Selectors of the form "tag", ".class", "#id" or "tag.class", matched in one tree pass."""

    tags: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    tag_classes: frozenset[tuple[str, str]]
    complex_selectors: tuple[str, ...]

    def matches(self, tag: str, tokens: Iterable[str], identifier: str | None) -> bool:
        """True when an element with this tag, class tokens and id matches a simple selector."""
        if tag in self.tags or (identifier is not None and identifier in self.ids):
            return True
        if not tokens:
            return False
        if not self.classes.isdisjoint(tokens):
            return True
        return bool(self.tag_classes) and any((tag, t) in self.tag_classes for t in tokens)


_SIMPLE_SELECTOR_RE = re.compile(
    r"^(?P<tag>[a-z][a-z0-9]*)?(?:(?P<dot>\.)|(?P<hash>#))?(?P<name>[\w-]+)?$"
)


@cache
def _simple_selectors(expressions: tuple[str, ...]) -> _SimpleSelectors:
    tags, classes, ids, tag_classes, rest = set(), set(), set(), set(), []
    for expression in expressions:
        match = _SIMPLE_SELECTOR_RE.match(expression.strip())
        if match is None or not (match["tag"] or match["name"]):
            rest.append(expression)
        elif match["dot"] and match["tag"]:
            tag_classes.add((match["tag"], match["name"]))
        elif match["dot"]:
            classes.add(match["name"])
        elif match["hash"] and not match["tag"]:
            ids.add(match["name"])
        elif match["tag"] and not match["name"]:
            tags.add(match["tag"])
        else:
            rest.append(expression)
    return _SimpleSelectors(
        frozenset(tags), frozenset(classes), frozenset(ids), frozenset(tag_classes), tuple(rest)
    )


def _select_all(scope: etree._Element, expressions: Iterable[str]) -> list[etree._Element]:
    found: list[etree._Element] = []
    for expression in expressions:
        try:
            found.extend(
                e for e in compile_selector(expression)(scope) if isinstance(e, etree._Element)
            )
        except etree.XPathError:
            logger.warning("selector %r could not be evaluated", expression)
    return found


def _top_level_articles(page: _Page) -> list[etree._Element]:
    return [
        article
        for article in page.tree.iter("article")
        if not page.in_excluded_region(article)
        and not any(a.tag == "article" for a in article.iterancestors())
    ]


def _main_article(articles: list[etree._Element], region_chars: int) -> etree._Element | None:
    """The one <article> that carries the page, when there is one."""
    sizes = sorted(((_text_length(a), i) for i, a in enumerate(articles)), reverse=True)
    if not sizes:
        return None
    largest, index = sizes[0]
    runner_up = sizes[1][0] if len(sizes) > 1 else 0
    # a lone <article> holding a sliver of the page is a teaser box, not the page's article
    if len(sizes) == 1 and (largest >= 500 or largest * 5 >= region_chars):
        return articles[index]
    # a long article among short teasers (related stories) is still the page's article
    if largest >= 1000 and largest >= 3 * runner_up:
        return articles[index]
    return None


def _main_region(page: _Page) -> etree._Element:
    # <main>, role="main", id="main" or id="content", in document order (_mark_excluded_regions)
    for element in page.main_candidates:
        if not page.in_excluded_region(element):
            return element
    body = page.tree.find("body")
    return body if body is not None else page.tree


def _redirect_reason(page: _Page) -> str | None:
    refresh = any(
        (meta.get("http-equiv") or "").lower() == "refresh"
        and _META_REFRESH_URL_RE.search(meta.get("content") or "")
        for meta in page.tree.iter("meta")
    )
    # only a near-empty page can be a script redirect stub; skip scanning big pages' scripts
    body = page.tree.find("body")
    small = body is None or sum(1 for _ in islice(body.iter(), 200)) < 200
    scripted = small and any(
        script.text and _JS_REDIRECT_RE.search(script.text) for script in page.tree.iter("script")
    )
    if not refresh and not scripted:
        return None
    visible = sum(len(t.strip()) for t in _VISIBLE_TEXT(page.tree))
    if refresh and visible < 500:
        return "redirect stub (meta refresh)"
    if scripted and visible < 200:
        return "redirect stub (script)"
    return None


def _listing_reason(
    page: _Page,
    articles: list[etree._Element],
    main_article: etree._Element | None,
    region_chars: int,
) -> str | None:
    classes = page.body_classes
    single = bool(classes & SINGLE_BODY_CLASSES) or any(c.startswith("postid-") for c in classes)
    if "error404" in classes:
        return "not found page (body class 'error404')"
    if not single:
        if "home" in classes:
            return f"listing page (body class '{'home blog' if 'blog' in classes else 'home'}')"
        for cls in LISTING_BODY_CLASSES:
            if cls in classes:
                return f"listing page (body class '{cls}')"
    og_type = (page.meta("og:type") or "").lower()
    ld_types = set().union(*(_ld_types(node) for node in page.ld_nodes)) if page.ld_nodes else set()
    has_article_signal = single or og_type == "article" or bool(ld_types & ARTICLE_LD_TYPES)
    listing_types = ld_types & LISTING_LD_TYPES
    if listing_types and not has_article_signal:
        return f"listing page (JSON-LD {sorted(listing_types)[0]})"
    teasers = len(articles)
    if main_article is not None or teasers < 2:
        return None
    # teasers that make up most of the page's main region: the page lists, it does not tell
    teaser_chars = sum(_text_length(a) for a in articles)
    mostly_teasers = teaser_chars * 2 >= region_chars
    if teasers >= page.profile.listing_min_teasers and mostly_teasers and not has_article_signal:
        return f"listing page ({teasers} <article> teasers)"
    if "blog" in classes and mostly_teasers and not single:
        return "listing page (body class 'blog')"
    return None


def _is_static_page(classes: frozenset[str]) -> bool:
    return "page" in classes and any(c.startswith(("page-id-", "page-template")) for c in classes)


def _ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return _clean_text(value) if isinstance(value, str) else None


def _article_node(page: _Page) -> dict[str, Any] | None:
    """The page's Article JSON-LD node (NewsArticle, BlogPosting …), if any; found once."""
    if page.article_ld is None:
        page.article_ld = next(
            (node for node in page.ld_nodes if _ld_types(node) & ARTICLE_LD_TYPES), {}
        )
    return page.article_ld or None


def _webpage_node(page: _Page) -> dict[str, Any] | None:
    for node in page.ld_nodes:
        if _ld_types(node) & {"WebPage", "ItemPage"}:
            return node
    return None


# How much text around the headline may hold its date line or byline.
TEXT_BEFORE_HEADLINE = 200

TEXT_AFTER_HEADLINE = 400

# A longer run of text is prose: only its start may be a date line ("Düsseldorf, 22. November").
PROSE_CHARS = 150

PROSE_START_CHARS = 40

_NON_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "option"})


def _texts(element: etree._Element, page: _Page) -> Iterator[str]:
    """The text inside element, in document order, without scripts and excluded regions."""
    if not isinstance(element.tag, str) or element.tag in _NON_TEXT_TAGS:
        return
    if element in page.excluded:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _texts(child, page)
        if child.tail:
            yield child.tail


def _following_texts(element: etree._Element, page: _Page) -> Iterator[str]:
    node: etree._Element | None = element
    while node is not None and node.tag != "body":
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            yield from _texts(sibling, page)
            if sibling.tail:
                yield sibling.tail
        node = node.getparent()


def _preceding_texts(element: etree._Element, page: _Page) -> Iterator[str]:
    """The text before element, nearest first (each piece in its own reading order)."""
    node: etree._Element | None = element
    while node is not None and node.tag != "body":
        for sibling in node.itersiblings(preceding=True):
            if sibling.tail:
                yield sibling.tail
            yield from reversed(list(_texts(sibling, page)))
        parent = node.getparent()
        if parent is not None and parent.text:
            yield parent.text
        node = parent


def _window(pieces: Iterable[str], limit: int) -> list[str]:
    window, size = [], 0
    for piece in pieces:
        piece = _clean_text(piece)
        if not piece:
            continue
        if len(piece) > PROSE_CHARS:
            piece = piece[:PROSE_START_CHARS]
        window.append(piece)
        size += len(piece) + 1
        if size >= limit:
            break
    return window


def _text_around(page: _Page, element: etree._Element) -> tuple[str, str]:
    """The text just before and just after element (its date line, its byline)."""
    before = _window(_preceding_texts(element, page), TEXT_BEFORE_HEADLINE)
    after = _window(_following_texts(element, page), TEXT_AFTER_HEADLINE)
    return "\n".join(reversed(before)), "\n".join(after)


def _read_page(
    html: bytes | str, url: str, profile: SiteProfile, declared_encoding: str | None
) -> _Page:
    if isinstance(html, bytes):
        text = decode_html(html, declared_encoding)
    elif isinstance(html, str):
        text = html
    else:
        raise TypeError(f"html must be bytes or str, not {type(html).__name__}")
    tree, element_count = _parse_counted(text)
    body = tree.find("body")
    body_classes = frozenset(body.get("class", "").split()) if body is not None else frozenset()
    return _Page(
        tree,
        url,
        profile,
        body_classes,
        _collect_metas(tree),
        _collect_json_ld(tree),
        element_count,
    )


def _refuse_non_articles(page: _Page) -> None:
    """Raise NotAnArticle for redirect stubs and listings; otherwise settle the article's scope."""
    reason = _redirect_reason(page)
    if reason:
        raise NotAnArticle(reason)
    _mark_excluded_regions(page)
    articles = _top_level_articles(page)
    region = _main_region(page)
    # the region's size only matters beside <article> elements
    region_chars = _text_length(region) if articles else 0
    main_article = _main_article(articles, region_chars)
    reason = _listing_reason(page, articles, main_article, region_chars)
    if reason:
        raise NotAnArticle(reason)
    page.scope = main_article if main_article is not None else region
