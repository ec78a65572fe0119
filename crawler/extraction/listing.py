"""Whether a page is a single article: redirect stubs, listings of any engine (body classes,
JSON-LD and og:type, teaser blocks), static pages; and listing-shaped URLs, for the crawler."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice
from typing import TypeGuard
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from crawler.extraction.common import NotAnArticle, has_text, text_length
from crawler.extraction.jsonld import ARTICLE_LD_TYPES, ld_types
from crawler.extraction.page import NON_TEXT_TAGS, Page, mark_excluded_regions, texts

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

_META_REFRESH_URL_RE = re.compile(r"url\s*=", re.I)

_JS_REDIRECT_RE = re.compile(
    r"(?:window|document|top|self)?\.?location(?:\.href)?\s*=\s*['\"]|location\.(?:replace|assign)\s*\(",
)

_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style)]")


def refuse_non_articles(page: Page) -> None:
    """Raise NotAnArticle for redirect stubs and listings; otherwise settle the article's scope."""
    reason = _redirect_reason(page)
    if reason:
        raise NotAnArticle(reason)
    mark_excluded_regions(page)
    articles = _top_level_articles(page)
    region = _main_region(page)
    # the region's size only matters beside <article> elements
    region_chars = text_length(region) if articles else 0
    main_article = _main_article(articles, region_chars)
    reason = _listing_reason(page, articles, main_article, region, region_chars)
    if reason:
        raise NotAnArticle(reason)
    page.scope = main_article if main_article is not None else region


def is_static_page(classes: frozenset[str]) -> bool:
    """A WordPress static page by its body classes ("page" with "page-id-…" or "page-template…")."""
    return "page" in classes and any(c.startswith(("page-id-", "page-template")) for c in classes)


def _top_level_articles(page: Page) -> list[etree._Element]:
    return [
        article
        for article in page.tree.iter("article")
        if not page.in_excluded_region(article)
        and not any(a.tag == "article" for a in article.iterancestors())
    ]


def _main_article(articles: list[etree._Element], region_chars: int) -> etree._Element | None:
    """The one <article> that carries the page, when there is one."""
    sizes = sorted(((text_length(a), i) for i, a in enumerate(articles)), reverse=True)
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


def _main_region(page: Page) -> etree._Element:
    # <main>, role="main", id="main" or id="content", in document order (mark_excluded_regions)
    for element in page.main_candidates:
        if not page.in_excluded_region(element):
            return element
    body = page.tree.find("body")
    return body if body is not None else page.tree


def _redirect_reason(page: Page) -> str | None:
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
    page: Page,
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
    page_types = (
        set().union(*(ld_types(node) for node in page.ld_nodes)) if page.ld_nodes else set()
    )
    has_article_signal = (
        single
        or og_type == "article"
        or bool(page_types & ARTICLE_LD_TYPES)
        or _has_nested_article_node(page)
    )
    listing_types = page_types & LISTING_LD_TYPES
    if listing_types and not has_article_signal:
        return f"listing page (JSON-LD {sorted(listing_types)[0]})"
    site_type, site_node = _site_ld_type(page)
    if site_type and not has_article_signal:
        return f"listing page (JSON-LD {site_type})"
    # a home page without any text is left to the "no main text" check
    if _is_home_url(page.url) and any(not piece.isspace() for piece in texts(region, page)):
        return "listing page (home page)"
    if main_article is None and len(articles) >= 2:
        # teasers that make up most of the page's main region: the page lists, it does not tell
        teaser_chars = sum(text_length(a) for a in articles)
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


def _teaser_listing_reason(page: Page, region: etree._Element, corroboration: str) -> str | None:
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


def _article_teasers_reason(page: Page, articles: list[etree._Element]) -> str | None:
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


def _teasers_carry_page(page: Page, teasers: list[etree._Element]) -> bool:
    """True when the teasers hold the page's text: outside them, links left out, little remains.

    Measured on the whole page, not its main region: a region may miss the article's text (a
    header marked role="main", a teaser strip after <main>).
    """
    teaser_chars = sum(text_length(teaser) for teaser in teasers)
    body = page.tree.find("body")
    other_chars = _unlinked_text_length(body if body is not None else page.tree, page, set(teasers))
    return other_chars <= LISTING_MAX_OTHER_CHARS and teaser_chars >= 2 * other_chars


def _has_nested_article_node(page: Page) -> bool:
    """A page node whose main entity (or single blog post) is an Article: an article's page."""
    for node in page.ld_nodes:
        for key in ("mainEntity", "blogPost"):
            value = node.get(key)
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            if isinstance(value, dict) and ld_types(value) & ARTICLE_LD_TYPES:
                return True
    return False


def _site_ld_type(page: Page) -> tuple[str | None, str | None]:
    """A Blog JSON-LD node that lists the blog's posts, and any WebSite or Blog type present.

    A WebSite or Blog node alone does not make a listing: sites put one on every page, some
    with the article's own URL as the site's.
    """
    present = None
    for node in page.ld_nodes:
        types = ld_types(node)
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


def _has_pagination(page: Page) -> bool:
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


def _teaser_blocks(page: Page, region: etree._Element) -> tuple[list[etree._Element], int]:
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
        if text_length(block) > TEASER_MAX_CHARS:
            continue
        groups.setdefault((parent, block.tag), {})[block] = target
    return _linking_groups(groups.values())


def _list_entries(
    page: Page, region: etree._Element, teasers: set[etree._Element]
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
        link = next((a for a in item.iter("a") if has_text(a)), None)
        if link is None:
            continue
        # a date or a count beside the link: a menu's items are links alone
        length = text_length(item)
        if length > LIST_ENTRY_MAX_CHARS or length <= text_length(link):
            continue
        target = _url_key(link.get("href") or "", page.url)
        if not _is_other_page(target, own, site):
            continue
        if page.in_excluded_region(item) or any(a in teasers for a in item.iterancestors()):
            continue
        parent = item.getparent()
        if parent is not None:
            lists.setdefault(parent, {})[item] = target
    return _linking_groups(lists.values())


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
        if not has_text(link):
            target = _url_key(link.get("href") or "", base)
            if target and not _IMAGE_FILE_RE.search(target):
                return target
    return None


_IMAGE_FILE_RE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:\?|$)", re.I)


def _unlinked_text_length(region: etree._Element, page: Page, skipped: set[etree._Element]) -> int:
    """The length of the region's text outside links, excluded regions and skipped elements."""
    length = 0
    stack: list[tuple[etree._Element, bool]] = [(region, False)]
    while stack:
        element, in_link = stack.pop()
        if element in skipped or element in page.excluded:
            continue
        if not isinstance(element.tag, str) or element.tag in NON_TEXT_TAGS:
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


# ------------------------------------------------------------------------------------- listing URLs

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


def _linking_groups(
    groups: Iterable[dict[etree._Element, str]],
) -> tuple[list[etree._Element], int]:
    """The members of the groups that link to at least two different pages, and how many pages.

    A group maps each element to the page it links to; one that names a single page is a
    block of links to one article, not a list of them.
    """
    members: list[etree._Element] = []
    targets = 0
    for group in groups:
        different = len(set(group.values()))
        if different >= 2:
            members.extend(group)
            targets += different
    return members, targets
