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
from typing import TYPE_CHECKING, Any, TypeGuard
from urllib.parse import parse_qsl, urljoin, urlsplit

from cssselect import SelectorError
from cssselect import parse as parse_css
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash
from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.common import (
    NotAnArticle,
    _clean_text,
    _has_text,
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

# Body classes other engines and themes give to their home, section, taxonomy and paged lists:
# Ghost, Drupal, Hugo and Jekyll themes (Hugo's page kinds, Minimal Mistakes' layouts).
ENGINE_LISTING_BODY_CLASSES = (
    "home-template",
    "tag-template",
    "author-template",
    "path-frontpage",
    "path-taxonomy",
    "page-taxonomy-term",
    "list",
    "taxonomy",
    "term",
    "kind-home",
    "kind-section",
    "kind-taxonomy",
    "kind-term",
    "layout--home",
    "layout--archive",
    "layout--archive-taxonomy",
    "layout--posts",
    "layout--categories",
    "layout--tags",
    "layout--category",
    "layout--tag",
)

# Body classes of the same engines for a single post or page.
ENGINE_SINGLE_BODY_CLASSES = frozenset({"post-template", "kind-page", "layout--single"})

# Drupal's content-type classes ("page-node-type-article", "node-type-blog"): a node's own page.
ENGINE_SINGLE_BODY_PREFIXES = ("page-node-type-", "node-type-")

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

# JSON-LD types that describe a whole site or blog: a Blog node listing its posts is a listing;
# otherwise, on a page without an article signal, they only back up what its teasers show.
SITE_LD_TYPES = ("WebSite", "Blog")

# og:type values of home, section and author pages (many sites give them to articles too).
LISTING_OG_TYPES = frozenset({"website", "blog", "profile"})

# The paths of a site's home page; its query may only carry these (besides utm_* tracking).
HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php"})

HOME_QUERY_NAMES = frozenset({"page", "paged", "lang", "hl", "ref", "fbclid", "gclid"})

# Pagination: the classes of Hugo's, Jekyll's, Ghost's and Drupal's pagers (and WordPress's).
PAGINATION_CLASSES = frozenset({"pagination", "pager", "pager__items", "paginator", "page-numbers"})

# A teaser is a heading, its link and a short summary; a longer block is not a teaser.
TEASER_MAX_CHARS = 1500

# An archive list's entry: a title link and a date or a count.
LIST_ENTRY_MAX_CHARS = 300

# Text outside the teasers (links left out) that makes a page an article with teasers below it.
LISTING_MAX_OTHER_CHARS = 1000

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
    region: etree._Element,
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
    single = (
        single
        or bool(classes & ENGINE_SINGLE_BODY_CLASSES)
        or any(c.startswith(ENGINE_SINGLE_BODY_PREFIXES) for c in classes)
    )
    if not single:
        for cls in ENGINE_LISTING_BODY_CLASSES:
            if cls in classes:
                return f"listing page (body class '{cls}')"
    og_type = (page.meta("og:type") or "").lower()
    ld_types = set().union(*(_ld_types(node) for node in page.ld_nodes)) if page.ld_nodes else set()
    has_article_signal = (
        single
        or og_type == "article"
        or bool(ld_types & ARTICLE_LD_TYPES)
        or _has_nested_article_node(page)
    )
    listing_types = ld_types & LISTING_LD_TYPES
    if listing_types and not has_article_signal:
        return f"listing page (JSON-LD {sorted(listing_types)[0]})"
    site_type, site_node = _site_ld_type(page)
    if site_type and not has_article_signal:
        return f"listing page (JSON-LD {site_type})"
    # a home page without any text is left to the "no main text" check
    if _is_home_url(page.url) and any(not piece.isspace() for piece in _texts(region, page)):
        return "listing page (home page)"
    if main_article is None and len(articles) >= 2:
        # teasers that make up most of the page's main region: the page lists, it does not tell
        teaser_chars = sum(_text_length(a) for a in articles)
        mostly_teasers = teaser_chars * 2 >= region_chars
        if mostly_teasers and not has_article_signal:
            reason = _article_teasers_reason(page, articles)
            if reason:
                return reason
        if "blog" in classes and mostly_teasers and not single:
            return "listing page (body class 'blog')"
    if has_article_signal:
        return None
    if og_type in LISTING_OG_TYPES:
        corroboration = f"og:type {og_type}"
    elif site_node:
        corroboration = f"JSON-LD {site_node}"
    elif _has_pagination(page):
        corroboration = "pagination"
    else:
        corroboration = ""
    return _teaser_listing_reason(page, region, corroboration)


def _teaser_listing_reason(page: _Page, region: etree._Element, corroboration: str) -> str | None:
    """A listing of teaser blocks of any engine, with or without <article> tags.

    The teasers must carry the page: little text is left on the page outside them once links are
    left out (an article page keeps its own text there, whatever teaser strip follows it).
    """
    min_teasers = page.profile.listing_min_teasers
    if corroboration:
        # pagination or a site-level page type: fewer teasers suffice
        min_teasers = max(2, min_teasers - 1)
    blocks, targets = _teaser_blocks(page, region)
    if corroboration:
        # archive and term lists: entries of a title link (and a date or a count)
        entries, entry_targets = _list_entries(page, region, set(blocks))
        blocks.extend(entries)
        targets += entry_targets
    if targets < min_teasers or not _teasers_carry_page(page, blocks):
        return None
    if corroboration:
        return f"listing page ({corroboration} and {targets} teasers)"
    return f"listing page ({targets} teasers)"


def _article_teasers_reason(page: _Page, articles: list[etree._Element]) -> str | None:
    """<article> teasers: each links to another page, by its heading or a thumbnail."""
    own = _url_key(page.url)
    site = _site_key(own)
    teasers = [
        article
        for article in articles
        if _is_other_page(_teaser_link(article, page.url), own, site)
    ]
    if len(teasers) < page.profile.listing_min_teasers or not _teasers_carry_page(page, teasers):
        return None
    return f"listing page ({len(teasers)} <article> teasers)"


def _teasers_carry_page(page: _Page, teasers: list[etree._Element]) -> bool:
    """True when the teasers hold the page's text: outside them, links left out, little remains.

    Measured on the whole page, not its main region: a region may miss the article's text (a
    header marked role="main", a teaser strip after <main>).
    """
    teaser_chars = sum(_text_length(teaser) for teaser in teasers)
    body = page.tree.find("body")
    other_chars = _unlinked_text_length(body if body is not None else page.tree, page, set(teasers))
    return other_chars <= LISTING_MAX_OTHER_CHARS and teaser_chars >= 2 * other_chars


def _has_nested_article_node(page: _Page) -> bool:
    """A page node whose main entity (or single blog post) is an Article: an article's page."""
    for node in page.ld_nodes:
        for key in ("mainEntity", "blogPost"):
            value = node.get(key)
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            if isinstance(value, dict) and _ld_types(value) & ARTICLE_LD_TYPES:
                return True
    return False


def _site_ld_type(page: _Page) -> tuple[str | None, str | None]:
    """A Blog JSON-LD node that lists the blog's posts, and any WebSite or Blog type present.

    A WebSite or Blog node alone does not make a listing: sites put one on every page, some
    with the article's own URL as the site's.
    """
    present = None
    for node in page.ld_nodes:
        types = _ld_types(node)
        for ld_type in SITE_LD_TYPES:
            if ld_type not in types:
                continue
            present = present or ld_type
            posts = node.get("blogPost")
            if isinstance(posts, list) and len(posts) > 1:
                return ld_type, ld_type
    return None, present


def _url_key(url: str, base: str | None = None) -> str | None:
    """A link's key for comparing: host, path and query of the http(s) URL it resolves to.

    Without "www.", a final slash or a fragment; None for a bare fragment, mailto:, javascript: …
    """
    url = url.strip()
    if not url or url.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        parts = urlsplit(urljoin(base, url) if base else url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def _is_home_url(url: str) -> bool:
    """The site's home page: path "/" (or an index file), no query but paging and tracking."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.netloc or parts.path.lower() not in HOME_PATHS:
        return False  # no host: where the page stood is unknown
    names = (name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    return all(name in HOME_QUERY_NAMES or name.startswith("utm_") for name in names)


def _has_pagination(page: _Page) -> bool:
    """rel="next"/"prev" links, or a pager element of the common engines."""
    index = page.index
    if index is None:
        return False
    return (
        ("rel", "next") in index.attributes
        or ("rel", "prev") in index.attributes
        or not PAGINATION_CLASSES.isdisjoint(index.classes)
    )


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _teaser_blocks(page: _Page, region: etree._Element) -> tuple[list[etree._Element], int]:
    """Repeated sibling blocks that each hold one heading and a link to another page of the site.

    A block is the largest element around its heading that holds no other such heading;
    siblings of the same tag form a group (Hugo's .post-entry, Jekyll's post-list items, Ghost's
    .post-card, Drupal's .views-row). Returns the blocks of all groups that link to at least two
    different pages, and the number of different pages they link to.
    """
    headings = [h for h in region.iter(*_HEADINGS) if not page.in_excluded_region(h)]
    if len(headings) < 2:
        return [], 0
    own = _url_key(page.url)
    site = _site_key(own)
    linked: dict[etree._Element, str] = {}
    for heading in headings:
        target = _heading_link(heading, page.url)
        if _is_other_page(target, own, site):
            linked[heading] = target
    # how many headings, and how many linked headings, each element holds
    holds: dict[etree._Element, int] = {}
    holds_linked: dict[etree._Element, int] = {}
    for heading in headings:
        for ancestor in heading.iterancestors():
            holds[ancestor] = holds.get(ancestor, 0) + 1
            if heading in linked:
                holds_linked[ancestor] = holds_linked.get(ancestor, 0) + 1
            if ancestor is region:
                break
    groups: dict[tuple[etree._Element, str], dict[etree._Element, str]] = {}
    for heading in headings:
        counts = holds_linked if heading in linked else holds
        block, parent = heading, heading.getparent()
        while parent is not None and parent is not region and counts.get(parent, 0) == 1:
            block, parent = parent, parent.getparent()
        if block is heading or parent is None:
            continue  # a heading on its own is a section of a text, not a teaser
        target = linked.get(heading) or _image_link(block, page.url)
        if not _is_other_page(target, own, site):
            continue
        if _text_length(block) > TEASER_MAX_CHARS:
            continue
        groups.setdefault((parent, block.tag), {})[block] = target
    blocks: list[etree._Element] = []
    targets = 0
    for members in groups.values():
        different = len(set(members.values()))
        if different >= 2:
            blocks.extend(members)
            targets += different
    return blocks, targets


def _list_entries(
    page: _Page, region: etree._Element, teasers: set[etree._Element]
) -> tuple[list[etree._Element], int]:
    """List items without a heading that each link to another page of the site, beside a note.

    Returns the items of the lists that link to at least two different pages, and the number of
    different pages they link to.
    """
    own = _url_key(page.url)
    site = _site_key(own)
    lists: dict[etree._Element, dict[etree._Element, str]] = {}
    for item in region.iter("li"):
        if item.find(".//li") is not None or any(True for _ in item.iter(*_HEADINGS)):
            continue
        link = next((a for a in item.iter("a") if _has_text(a)), None)
        if link is None:
            continue
        # a date or a count beside the link: a menu's items are links alone
        length = _text_length(item)
        if length > LIST_ENTRY_MAX_CHARS or length <= _text_length(link):
            continue
        target = _url_key(link.get("href") or "", page.url)
        if not _is_other_page(target, own, site):
            continue
        if page.in_excluded_region(item) or any(a in teasers for a in item.iterancestors()):
            continue
        parent = item.getparent()
        if parent is not None:
            lists.setdefault(parent, {})[item] = target
    entries: list[etree._Element] = []
    targets = 0
    for members in lists.values():
        different = len(set(members.values()))
        if different >= 2:
            entries.extend(members)
            targets += different
    return entries, targets


def _is_other_page(target: str | None, own: str | None, site: str) -> TypeGuard[str]:
    """True for a link (a _url_key) to another page of the same site."""
    return target is not None and target != own and _site_key(target) == site


def _site_key(url_key: str | None) -> str:
    """The host's last two labels: teasers link within the site, subdomains included."""
    host = (url_key or "").split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    return ".".join(host.rsplit(".", 2)[-2:])


def _heading_link(heading: etree._Element, base: str) -> str | None:
    """Where a heading links to: a link inside it, or the link it sits in."""
    for link in heading.iter("a"):
        target = _url_key(link.get("href") or "", base)
        if target:
            return target
    around = next(heading.iterancestors("a"), None)
    return _url_key(around.get("href") or "", base) if around is not None else None


def _teaser_link(element: etree._Element, base: str) -> str | None:
    """Where a teaser links to: its first heading's link, else a link without text in it."""
    heading = next(element.iter(*_HEADINGS), None)
    target = _heading_link(heading, base) if heading is not None else None
    return target or _image_link(element, base)


def _image_link(block: etree._Element, base: str) -> str | None:
    """A link without text in the block (a thumbnail, a card's overlay): the teaser's own link.

    A link to an image file (a photo shown larger) is no teaser's link.
    """
    for link in block.iter("a"):
        if not _has_text(link):
            target = _url_key(link.get("href") or "", base)
            if target and not _IMAGE_FILE_RE.search(target):
                return target
    return None


_IMAGE_FILE_RE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:\?|$)", re.I)


def _unlinked_text_length(region: etree._Element, page: _Page, skipped: set[etree._Element]) -> int:
    """The length of the region's text outside links, excluded regions and skipped elements."""
    length = 0
    stack: list[tuple[etree._Element, bool]] = [(region, False)]
    while stack:
        element, in_link = stack.pop()
        if element in skipped or element in page.excluded:
            continue
        if not isinstance(element.tag, str) or element.tag in _NON_TEXT_TAGS:
            continue
        in_link = in_link or element.tag == "a"
        pieces = [] if in_link else [element.text]
        for child in element:
            stack.append((child, in_link))
            if not in_link:
                pieces.append(child.tail)
        for piece in pieces:
            if piece:
                length += sum(len(word) + 1 for word in piece.split())
    return length


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
    reason = _listing_reason(page, articles, main_article, region, region_chars)
    if reason:
        raise NotAnArticle(reason)
    page.scope = main_article if main_article is not None else region
