"""Article extraction: one HTML page and its URL in, one archive record out (a pure function).

The page is decoded and parsed once with lxml; the main text comes from trafilatura run on that
tree, the metadata from our own passes over the same tree, steered by the site's profile
(crawler/sites/*.toml).
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from html import escape as escape_html
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import nh3
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xml import xmltotxt

from crawler.dates import (
    FoundDate,
    date_from_url,
    is_plausible,
    parse_iso_date,
    parse_visible_date,
    utc_now,
)
from crawler.profiles import SiteProfile, compile_selector, profile_for_url

logger = logging.getLogger(__name__)

EXTRACTOR_VERSION = f"newsarchive-extract/1.0 trafilatura/{trafilatura.__version__}"

# Limits that keep every page's cost bounded, whatever a server sends.
MAX_HTML_BYTES = 5_000_000
# trafilatura's time grows faster than linearly with the number of paragraphs (about 5 s for
# 50 000 on one core); real news pages have a few thousand elements
MAX_ELEMENTS = 50_000
# Above this many elements trafilatura skips its second opinion (readability, jusText), whose
# cost grows faster than the page: news pages stay far below it.
LARGE_PAGE_ELEMENTS = 20_000
MAX_JSON_LD_CHARS = 1_000_000
# An extraction with links shorter than this is checked against one without (see _run_trafilatura).
SHORT_EXTRACTION_CHARS = 2000
SHORT_EXTRACTION_RATIO = 1.5
# Shorter than this after cleaning, a page has no usable main text.
MIN_TEXT_CHARS = 25
# "Real running text" for an undated static page on an unknown site.
PROSE_MIN_PARAGRAPHS = 2
PROSE_MIN_WORDS = 20

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
# Dates the page itself states in its markup: only these make a static page a dated article.
STRONG_DATE_SOURCES = frozenset({"json-ld", "meta", "time-element"})
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
AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "byl",
)
DESCRIPTION_META = ("description", "og:description", "twitter:description", "dc.description")
IMAGE_META = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
)
TITLE_META = ("og:title", "twitter:title", "dc.title")

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

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"Rar!", "RAR archive"),
    (b"\xfd7zXZ", "xz data"),
    (b"(\xb5/\xfd", "zstd data"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
)
# Labels that WHATWG decodes as windows-1252, so pages labelled this way are read the same.
_WINDOWS_1252_ALIASES = frozenset({"cp1252", "iso8859-1", "latin-1", "ascii", "iso8859-15"})
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I
)
_XML_ENCODING_RE = re.compile(
    rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})"""
)
_CONTROL_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_XML_DOCUMENTS = {
    "rss": "RSS feed",
    "feed": "Atom feed",
    "rdf:rdf": "RSS feed",
    "urlset": "sitemap",
    "sitemapindex": "sitemap index",
}
_XML_ROOT_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<\?xml-stylesheet[^>]*>\s*)?(?:<!--.*?-->\s*)*<([\w:]+)", re.S
)
_WHITESPACE_RE = re.compile(r"\s+")
# trafilatura folds no-break spaces into plain spaces; beside another space they are content (a
# reader sees two spaces in "netwerk &nbsp;brengt"), so they travel through it as this printable
# stand-in. A lone no-break space reads as one space, and the text writes it as one.
_NBSP_STANDIN = "\u2e4e"
_DOUBLE_SPACE_NBSP_RE = re.compile(r"(?<=[ \xa0])\xa0|\xa0(?=[ \xa0])")
_TEXT_SPACE_RE = re.compile(r"[ \t\n\r\f\v\xa0]+")
_META_REFRESH_URL_RE = re.compile(r"url\s*=", re.I)
_JS_REDIRECT_RE = re.compile(
    r"(?:window|document|top|self)?\.?location(?:\.href)?\s*=\s*['\"]|location\.(?:replace|assign)\s*\(",
)
_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style)]")
_TITLE_SEPARATORS = r"[-–—|·:»•/]"
_FEED_TITLE_RE = re.compile(r"^(.*?)\s*(?:»|&raquo;|-|–)\s*(?:RSS|Atom)?\s*(?:Feed|feed)\b.*$")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I)
_LANG_RE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,|;|\s&\s|\sen\s|\sand\s|\sund\s|\set\s|\sy\s)\s*", re.I)
_AUTHOR_PREFIX_RE = re.compile(
    r"^(?:door|tekst(?:\s+en\s+foto)?\s*:?|by|von|par|por|auteur\s*:|author\s*:)\s+", re.I
)
_BYLINE_TAIL_RE = re.compile(r"\s+(?:[|·•/]|[-–—]\s)|\s*\(")
_NAME_WORD_RE = re.compile(r"^['’]?[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")
# Listing URL shapes of WordPress and most CMSs, used for the crawler's link heuristics.
_LISTING_PATH_RE = re.compile(
    r"/(?:category|categorie|tag|tags|author|auteur|topics?|feed|rss|wp-json|wp-admin|"
    r"search|zoeken)(?:/|$)"
    r"|/page/\d+/?$"
    r"|^/(?:19|20)\d{2}/?$"
    r"|^/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/?$"
    r"|/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/?$",
    re.I,
)

ALLOWED_BODY_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "sub",
        "sup",
        "br",
        "pre",
        "code",
        "del",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "figure",
        "figcaption",
    }
)
_SANITISER = nh3.Cleaner(
    tags=set(ALLOWED_BODY_TAGS),
    clean_content_tags={
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "img",
        "noscript",
    },
    attributes={"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener noreferrer",
    strip_comments=True,
    url_relative="deny",
)
_XML_TO_HTML = {
    "p": "p",
    "item": "li",
    "quote": "blockquote",
    "lb": "br",
    "ref": "a",
    "row": "tr",
    "code": "pre",
    "table": "table",
    "del": "del",
}
# line breaks that open or close a block carry nothing but blank space
_EDGE_BREAKS_RE = re.compile(
    r"(<(?:p|li|td|th|blockquote)>)(?:\s*<br>\s*)+|(?:\s*<br>\s*)+(</(?:p|li|td|th|blockquote)>)"
)
_HI_TAGS = {
    "#b": "strong",
    "#i": "em",
    "#u": "u",
    "#t": "code",
    "#sub": "sub",
    "#sup": "sup",
    "#del": "del",
}


class NotAnArticle(Exception):
    """The page is not a single news article; reason says why in a few words."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# --------------------------------------------------------------------------- decoding


def _normalise_encoding(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in {"x-user-defined", "unicode", "none"}:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in _WINDOWS_1252_ALIASES else name


def _binary_kind(head: bytes) -> str | None:
    """Name the kind of binary content head starts with, or None for text."""
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp":
        return "ISO media file"
    sample = head[:8192]
    if not sample:
        return None
    nuls = sample.count(0)
    controls = sum(1 for byte in sample if byte < 9 or (13 < byte < 32 and byte != 27))
    if nuls > len(sample) // 100 or controls > len(sample) // 10:
        return "binary data"
    return None


def _decode_utf8(data: bytes, truncated: bool) -> str | None:
    """Data as UTF-8, or None when it is not UTF-8 (a character cut by the size cap is fine)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8", errors="replace")
        return None


def _decode_with(data: bytes, encoding: str, truncated: bool = False) -> str:
    if encoding == "utf-8":
        text = _decode_utf8(data, truncated)
        if text is not None:
            return text
        logger.debug("page labelled UTF-8 is not valid UTF-8: reading it as windows-1252")
        return data.decode("cp1252", errors="replace")
    if encoding == "cp1252":
        # valid UTF-8 with accents is never windows-1252 text in practice: the label is a
        # server default (ISO-8859-1) on a page written in UTF-8
        text = None if data.isascii() else _decode_utf8(data, truncated)
        return text if text is not None else data.decode("cp1252", errors="replace")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return _decode_with(data, "utf-8", truncated)


def decode_html(data: bytes, declared_encoding: str | None = None) -> str:
    """Decode page bytes: BOM, HTTP charset, <meta charset>, then UTF-8 or windows-1252."""
    truncated = len(data) > MAX_HTML_BYTES
    data = data[:MAX_HTML_BYTES]
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _normalise_encoding(declared_encoding)
    if declared and declared.startswith(("utf-16", "utf-32")):
        return data.decode(declared, errors="replace")
    kind = _binary_kind(data)
    if kind:
        raise NotAnArticle(f"binary content ({kind})")
    if declared:
        return _decode_with(data, declared, truncated)
    head = data[:4096]
    match = _XML_ENCODING_RE.match(head) or _META_CHARSET_RE.search(head)
    meta = _normalise_encoding(match.group(1).decode("ascii")) if match else None
    if meta and not meta.startswith(("utf-16", "utf-32")):
        return _decode_with(data, meta, truncated)
    return _decode_with(data, "utf-8", truncated)


# --------------------------------------------------------------------------- parsing


def parse_html(text: str) -> HtmlElement:
    """Parse decoded HTML into a bounded lxml tree, or raise NotAnArticle."""
    root_match = _XML_ROOT_RE.match(text[:4096])
    if root_match and root_match.group(1).lower() in _XML_DOCUMENTS:
        raise NotAnArticle(f"not a web page ({_XML_DOCUMENTS[root_match.group(1).lower()]})")
    text = _XML_DECLARATION_RE.sub("", text[:MAX_HTML_BYTES], count=1)
    sample = text[:8192]
    if sample and sample.count("\x00") > len(sample) // 100:
        raise NotAnArticle("binary content (NUL characters)")
    text = _CONTROL_CHARS_RE.sub("", text)
    if not text.strip():
        raise NotAnArticle("empty page")
    # a parser per call: lxml parsers must not be shared between threads
    parser = lxml.html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NotAnArticle(f"not HTML ({exc})") from exc
    if root is None:
        raise NotAnArticle("not HTML")
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        logger.warning(
            "page nested deeper than the parser allows: content after that point is lost"
        )
    if sum(1 for _ in islice(root.iter(), MAX_ELEMENTS + 1)) > MAX_ELEMENTS:
        raise NotAnArticle(f"page too large (more than {MAX_ELEMENTS} elements)")
    return root


# --------------------------------------------------------------------------- small helpers


def _clean_text(text: str | None) -> str:
    return _WHITESPACE_RE.sub(" ", (text or "").replace(_NBSP_STANDIN, " ")).strip()


def _element_text(element: etree._Element) -> str:
    return _clean_text("".join(element.itertext()))


def _select(scope: etree._Element, expressions: Iterable[str]) -> list[etree._Element]:
    """Elements matched by the first selector that matches anything under scope."""
    for expression in expressions:
        try:
            found = compile_selector(expression)(scope)
        except etree.XPathError:
            logger.warning("selector %r could not be evaluated", expression)
            continue
        elements = [item for item in found if isinstance(item, etree._Element)]
        if elements:
            return elements
    return []


def _host_key(url: str) -> tuple[str, int | None]:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", None
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port in (80, 443):
        port = None
    return host, port


def _absolute_http_url(value: str | None, base: str) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        absolute = urljoin(base, value)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return absolute


def _dedupe(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            result.append(value)
    return result


def _restore_case(
    words_in_capitals: str, lowercase_words: Iterable[str], *, first_may_be_lower: bool
) -> str:
    """Write a name given in capitals in normal case: "HEIST-OP-DEN-BERG" -> "Heist-op-den-Berg"."""
    lowered = {word.casefold() for word in lowercase_words}
    parts = re.split(r"([ -])", words_in_capitals.strip())
    result = []
    word_index = 0
    for part in parts:
        if part in (" ", "-", ""):
            result.append(part)
            continue
        low = part.casefold().replace("’", "'")
        leading_apostrophe = low.startswith("'")
        if low in lowered and (word_index > 0 or (first_may_be_lower and leading_apostrophe)):
            result.append(part.lower())
        else:
            result.append(
                "'".join(piece[:1].upper() + piece[1:].lower() for piece in part.split("'"))
            )
        word_index += 1
    return "".join(result)


# --------------------------------------------------------------------------- page signals


@dataclass
class _Page:
    """Everything read once from the parsed tree and shared by the metadata passes."""

    tree: HtmlElement
    url: str
    profile: SiteProfile
    body_classes: frozenset[str]
    metas: dict[str, list[str]]
    ld_nodes: list[dict[str, Any]]
    excluded: set[etree._Element] = field(default_factory=set)
    dropped: list[etree._Element] = field(default_factory=list)
    scope: etree._Element | None = None

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


def _mark_excluded_regions(page: _Page) -> None:
    body = page.tree.find("body")
    if body is None:
        return
    excluded = page.excluded
    drop = _simple_selectors(page.profile.drop_selectors)
    for element in body.iterdescendants(etree.Element):
        classes = element.get("class")
        tokens = classes.split() if classes else ()
        identifier = element.get("id")
        if drop.matches(element.tag, tokens, identifier):
            excluded.add(element)
            page.dropped.append(element)
        elif (
            element.tag in EXCLUDED_TAGS
            or identifier in EXCLUDED_IDS
            or not EXCLUDED_CLASS_TOKENS.isdisjoint(tokens)
        ):
            excluded.add(element)
        elif element.tag in _HEADING_TAGS and RELATED_HEADING_RE.match(_start_of_text(element)):
            parent = element.getparent()
            if parent is not None and parent is not body and parent.tag not in ("article", "main"):
                excluded.add(parent)
    complex_drops = _select_all(body, drop.complex_selectors)
    page.dropped.extend(complex_drops)
    excluded.update(complex_drops)


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
        return any(t in self.classes or (tag, t) in self.tag_classes for t in tokens)


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
    sizes = sorted(((len(_element_text(a)), i) for i, a in enumerate(articles)), reverse=True)
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
    for element in page.tree.xpath(
        "//main | //*[@role='main'] | //*[@id='main'] | //*[@id='content']"
    ):
        if not page.in_excluded_region(element):
            return element
    body = page.tree.find("body")
    return body if body is not None else page.tree


# --------------------------------------------------------------------------- page kind


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
    teaser_chars = sum(len(_element_text(a)) for a in articles)
    mostly_teasers = teaser_chars * 2 >= region_chars
    if teasers >= page.profile.listing_min_teasers and mostly_teasers and not has_article_signal:
        return f"listing page ({teasers} <article> teasers)"
    if "blog" in classes and mostly_teasers and not single:
        return "listing page (body class 'blog')"
    return None


def _is_static_page(classes: frozenset[str]) -> bool:
    return "page" in classes and any(c.startswith(("page-id-", "page-template")) for c in classes)


# --------------------------------------------------------------------------- metadata passes


def _site_names(page: _Page) -> list[str]:
    names: list[str] = []
    if page.profile.site_name:
        names.append(page.profile.site_name)
    for candidate in (page.meta("og:site_name"), page.meta("application-name")):
        if candidate:
            names.append(candidate)
    for node in page.ld_nodes:
        types = _ld_types(node)
        if types & {"WebSite", "Organization", "NewsMediaOrganization"} and isinstance(
            node.get("name"), str
        ):
            names.append(_clean_text(node["name"]))
        publisher = node.get("publisher")
        if (
            types & ARTICLE_LD_TYPES
            and isinstance(publisher, dict)
            and isinstance(publisher.get("name"), str)
        ):
            names.append(_clean_text(publisher["name"]))
    for link in page.tree.iter("link"):
        if "alternate" in (link.get("rel") or "").lower() and "rss" in (link.get("type") or ""):
            match = _FEED_TITLE_RE.match(_clean_text(link.get("title")))
            if match and match.group(1):
                names.append(match.group(1))
            break
    return _dedupe(name for name in names if name)


def _strip_site_name(title: str, site_names: list[str]) -> str:
    for name in site_names:
        escaped = re.escape(name)
        title = re.sub(rf"\s+{_TITLE_SEPARATORS}\s*{escaped}\s*$", "", title, flags=re.I)
        title = re.sub(rf"^\s*{escaped}\s*{_TITLE_SEPARATORS}\s+", "", title, flags=re.I)
    return title.strip()


def _extract_title(page: _Page, site_names: list[str]) -> str | None:
    scope = page.scope if page.scope is not None else page.tree
    site_keys = {name.casefold() for name in site_names}
    candidates: list[str | None] = []
    selected = _select(scope, page.profile.title_selectors) or _select(
        page.tree, page.profile.title_selectors
    )
    candidates.extend(_element_text(e) for e in selected if not page.in_excluded_region(e))
    candidates.append(page.meta(*TITLE_META))
    article = _article_node(page)
    if article is not None:
        candidates.append(_ld_text(article.get("headline")) or _ld_text(article.get("name")))
    headings = [h for h in scope.iter("h1") if not page.in_excluded_region(h)]
    if len(headings) == 1:
        candidates.append(_element_text(headings[0]))
    title_element = page.tree.find(".//title")
    if title_element is not None:
        candidates.append(_clean_text(title_element.text_content()))
    for candidate in candidates:
        if not candidate:
            continue
        cleaned = _strip_site_name(_clean_text(candidate), site_names)
        if cleaned and cleaned.casefold() not in site_keys:
            return cleaned[:1000]
    return None


def _ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return _clean_text(value) if isinstance(value, str) else None


def _article_node(page: _Page) -> dict[str, Any] | None:
    for node in page.ld_nodes:
        if _ld_types(node) & ARTICLE_LD_TYPES:
            return node
    return None


def _webpage_node(page: _Page) -> dict[str, Any] | None:
    for node in page.ld_nodes:
        if _ld_types(node) & {"WebPage", "ItemPage"}:
            return node
    return None


@dataclass
class _Dates:
    published: FoundDate | None = None
    modified: FoundDate | None = None
    source: str | None = None


def _first_plausible(values: Iterable[str | None], now: datetime) -> FoundDate | None:
    for value in values:
        found = parse_iso_date(value) if value else None
        if found is not None and is_plausible(found, now):
            return found
    return None


def _time_elements(page: _Page, selectors: tuple[str, ...]) -> list[etree._Element]:
    scope = page.scope if page.scope is not None else page.tree
    return [e for e in _select(scope, selectors) if not page.in_excluded_region(e)]


def _extract_dates(page: _Page, evidence: Mapping[str, str]) -> _Dates:
    now = utc_now()
    profile = page.profile
    article = _article_node(page) or _webpage_node(page)
    modified = _first_plausible(
        [
            _ld_text(article.get("dateModified")) if article is not None else None,
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
                [_ld_text(article.get("datePublished")), _ld_text(article.get("dateCreated"))]
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
            return _Dates(found, modified, source)
    return _Dates(None, modified, None)


def _date_from_time_elements(page: _Page, now: datetime) -> FoundDate | None:
    elements = _time_elements(page, page.profile.published_selectors)
    if not elements:
        scope = page.scope if page.scope is not None else page.tree
        elements = [e for e in scope.iter("time") if not page.in_excluded_region(e)]
    for element in elements:
        found = _first_plausible([element.get("datetime"), element.get("content")], now)
        if found is not None:
            return found
    return None


def _date_from_visible_text(page: _Page, now: datetime) -> FoundDate | None:
    profile = page.profile
    for selector in profile.visible_date_selectors + profile.published_selectors:
        for element in _time_elements(page, (selector,))[:20]:
            found = parse_visible_date(
                _element_text(element), profile.date_order, profile.month_languages
            )
            if found is not None and is_plausible(found, now):
                return found
    return None


def _ld_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if _ld_types(value) & {"Organization", "NewsMediaOrganization"}:
            return []
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [name for item in value[:20] for name in _ld_names(item)]
    return []


@dataclass
class _AuthorFilter:
    """Refuses names that are accounts, desks or the site itself."""

    rejected: frozenset[str]
    site_words: frozenset[str]

    @classmethod
    def for_page(cls, page: _Page, site_names: list[str]) -> _AuthorFilter:
        """Build the filter from the profile and the page's site names and host."""
        rejected = {_name_key(name) for name in page.profile.not_authors}
        site_words: set[str] = set()
        for name in site_names:
            rejected.add(_name_key(name))
            site_words.update(w.casefold() for w in re.findall(r"\w{4,}", name))
        host = _host_key(page.url)[0]
        if host:
            labels = host.split(".")
            rejected.add(_name_key(labels[0] if len(labels) < 3 else labels[-2]))
            site_words.update(labels)
        return cls(frozenset(rejected), frozenset(site_words))

    def clean(self, raw: str, lowercase_words: tuple[str, ...]) -> str | None:
        """The display form of one author name, or None when it is not a person's name."""
        name = _AUTHOR_PREFIX_RE.sub("", _clean_text(raw).strip(" ,;|·-–—"))
        # a byline element often goes on with the date or a role: "Jan Peeters | 20 juni 2024"
        name = _BYLINE_TAIL_RE.split(name, maxsplit=1)[0].strip(" ,;|·-–—()")
        if not name or len(name) > 80 or len(name.split()) > 6:
            return None
        if any(ch.isdigit() for ch in name):
            return None
        if _EMAIL_RE.search(name) or "://" in name or name.startswith("www.") or "@" in name:
            return None
        if not any(ch.isalpha() for ch in name):
            return None
        key = _name_key(name)
        if key in self.rejected:
            return None
        # a lower-case login such as "baldr" that repeats the site's name
        if " " not in name and name.islower() and name.casefold() in self.site_words:
            return None
        words = name.split()
        if name.isupper() and len(words) >= 2:
            name = " ".join(
                _restore_case(w, lowercase_words, first_may_be_lower=False) for w in words
            )
        return name


def _name_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _split_authors(raw: str) -> list[str]:
    raw = _AUTHOR_PREFIX_RE.sub("", _clean_text(raw))
    return [part for part in _AUTHOR_SPLIT_RE.split(raw) if part.strip()]


def _extract_meta_authors(page: _Page, author_filter: _AuthorFilter) -> list[str]:
    lowercase_words = page.profile.name_lowercase_words
    sources: list[list[str]] = []
    article = _article_node(page)
    if article is not None:
        sources.append(_ld_names(article.get("author")) + _ld_names(article.get("creator")))
    sources.append([v for key in AUTHOR_META for v in page.metas.get(key, ())])
    scope = page.scope if page.scope is not None else page.tree
    sources.append(
        [
            _element_text(e)
            for e in _select(scope, page.profile.author_selectors)
            if not page.in_excluded_region(e)
        ]
    )
    for raw_names in sources:
        names = []
        for raw in raw_names:
            for part in _split_authors(raw):
                cleaned = author_filter.clean(part, lowercase_words)
                if cleaned:
                    names.append(cleaned)
        if names:
            return _dedupe(names)[:10]
    return []


def _extract_terms(
    page: _Page, selectors: tuple[str, ...], ld_key: str, meta_key: str
) -> list[str]:
    scope = page.scope if page.scope is not None else page.tree
    values = [_element_text(e) for e in _select(scope, selectors) if not page.in_excluded_region(e)]
    if not values:
        article = _article_node(page)
        raw = article.get(ld_key) if article is not None else None
        if isinstance(raw, str):
            values = raw.split(",")
        elif isinstance(raw, list):
            values = [v for v in raw if isinstance(v, str)]
    if not values:
        values = page.metas.get(meta_key, [])
    ignored = {v.casefold() for v in page.profile.ignored_categories}
    cleaned = [_clean_text(v) for v in values]
    return _dedupe(v for v in cleaned if v and len(v) <= 100 and v.casefold() not in ignored)[:50]


def _extract_language(page: _Page) -> str | None:
    article = _article_node(page) or _webpage_node(page) or {}
    for raw in (
        page.tree.get("lang"),
        page.tree.get("xml:lang"),
        page.meta("og:locale"),
        _ld_text(article.get("inLanguage")),
        page.meta("content-language", "language"),
    ):
        match = _LANG_RE.match((raw or "").strip())
        if match:
            return match.group(1).lower()
    return page.profile.language


def _extract_image(page: _Page, base: str) -> str | None:
    candidates: list[Any] = [page.meta(*IMAGE_META)]
    article = _article_node(page)
    if article is not None:
        image = article.get("image")
        if isinstance(image, list):
            image = image[0] if image else None
        if isinstance(image, dict):
            image = image.get("url") or image.get("contentUrl")
        candidates.append(image if isinstance(image, str) else None)
    for candidate in candidates:
        url = _absolute_http_url(candidate, base)
        if url:
            return url
    return None


def _canonical_url(page: _Page) -> str:
    for link in page.tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            candidate = _absolute_http_url(link.get("href"), page.url)
            if candidate and _host_key(candidate) == _host_key(page.url):
                return candidate.split("#", 1)[0]
            break
    og_url = _absolute_http_url(page.meta("og:url"), page.url)
    if og_url and _host_key(og_url) == _host_key(page.url):
        return og_url.split("#", 1)[0]
    return page.url


# --------------------------------------------------------------------------- main text


def _figures_to_captions(scope: etree._Element) -> None:
    """Keep a figure's caption as a paragraph; the image itself never enters the record."""
    for figure in list(scope.iter("figure")):
        caption = figure.find(".//figcaption")
        text = _element_text(caption) if caption is not None else ""
        if text:
            paragraph = lxml.html.Element("p")
            paragraph.text = text
            paragraph.tail = figure.tail
            figure.getparent().replace(figure, paragraph)


def _content_tree(page: _Page) -> HtmlElement:
    """The tree handed to trafilatura: the profile's body block, or the pruned page."""
    for element in page.dropped:
        _drop(element)
    scope = page.scope if page.scope is not None else page.tree
    bodies = [
        e for e in _select(scope, page.profile.body_selectors) if not page.in_excluded_region(e)
    ]
    if bodies:
        root = lxml.html.Element("html")
        body = etree.SubElement(root, "body")
        article = etree.SubElement(body, "article")
        for element in bodies:
            article.append(deepcopy(element))
        _figures_to_captions(article)
        return _protect_nbsp(root)
    return _protect_nbsp(page.tree)


def _protect_nbsp(tree: HtmlElement) -> HtmlElement:
    for element in tree.iter():
        if element.text and "\xa0" in element.text:
            element.text = _DOUBLE_SPACE_NBSP_RE.sub(_NBSP_STANDIN, element.text)
        if element.tail and "\xa0" in element.tail:
            element.tail = _DOUBLE_SPACE_NBSP_RE.sub(_NBSP_STANDIN, element.tail)
    return tree


def _drop(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _trafilatura_body(
    tree: HtmlElement, url: str, element_count: int, *, links: bool
) -> etree._Element | None:
    try:
        document = trafilatura.bare_extraction(
            tree,
            fast=element_count > LARGE_PAGE_ELEMENTS,
            url=url,
            include_comments=False,
            include_links=links,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            with_metadata=False,
        )
    except (
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        AttributeError,
        RecursionError,
        etree.LxmlError,
    ) as exc:
        logger.warning("trafilatura failed on %s: %r", url, exc)
        return None
    if document is None or document.body is None:
        return None
    return document.body


def _body_chars(body: etree._Element | None) -> int:
    return 0 if body is None else sum(len(t.strip()) for t in body.itertext())


def _run_trafilatura(tree: HtmlElement, url: str, element_count: int) -> etree._Element | None:
    """The main text as trafilatura's XML, with the links kept for body_html."""
    body = _trafilatura_body(tree, url, element_count, links=True)
    chars = _body_chars(body)
    # keeping links changes how trafilatura weighs link-heavy blocks: when that leaves little
    # text, make sure its default reading of the page does not find much more
    if chars < SHORT_EXTRACTION_CHARS:
        plain = _trafilatura_body(tree, url, element_count, links=False)
        if _body_chars(plain) > SHORT_EXTRACTION_RATIO * chars:
            return plain
    return body


def _blocks(body: etree._Element) -> list[etree._Element]:
    return [child for child in body if _element_text(child)]


def _remove_block(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
        if (
            parent.tag in ("list", "quote")
            and not _element_text(parent)
            and parent.getparent() is not None
        ):
            parent.getparent().remove(parent)


def _remove_boilerplate(body: etree._Element, phrases: tuple[str, ...]) -> None:
    folded = [p.casefold() for p in phrases if p]
    if not folded:
        return
    for element in list(body.iter("p", "head", "item", "quote", "cell")):
        text = _element_text(element).casefold()
        if not text:
            continue
        for phrase in folded:
            if phrase in text and len(text) <= max(80, 3 * len(phrase)):
                _remove_block(element)
                break


def _remove_leading_title(body: etree._Element, title: str | None) -> None:
    """Drop the headline when the extracted body repeats it as its first block."""
    blocks = _blocks(body)
    if (
        title
        and blocks
        and blocks[0].tag in ("head", "p")
        and _element_text(blocks[0]).casefold() == title.casefold()
    ):
        _remove_block(blocks[0])


def _remove_trailing_related(body: etree._Element) -> None:
    """Cut a "Meest gelezen" / "Lees ook" block of links that trails the article text."""
    blocks = _blocks(body)
    for index, block in enumerate(blocks):
        if index == 0 or block.tag != "head" or not RELATED_HEADING_RE.match(_element_text(block)):
            continue
        rest = blocks[index + 1 :]
        before = sum(len(_element_text(b)) for b in blocks[:index])
        after = sum(len(_element_text(b)) for b in rest)
        # only a short tail after a longer text: a heading in the middle of an article stays
        if rest and after < 1000 and after < before and all(b.tag == "list" for b in rest):
            for trailing in [block, *rest]:
                _remove_block(trailing)
            return


def _apply_dateline(body: etree._Element, profile: SiteProfile) -> str | None:
    """Take the dateline town off the first paragraph and return it in normal case."""
    rule = profile.dateline
    blocks = _blocks(body)
    if rule is None or not blocks or blocks[0].tag != "p":
        return None
    first = blocks[0]
    text = first.text or ""
    match = rule.regex.match(text.replace(_NBSP_STANDIN, " "))
    if match is None or not text[match.end() :].strip():
        return None
    place = match.group("place").strip()
    if sum(ch.isalpha() for ch in place) < 3:
        return None
    first.text = text[match.end() :]
    return _restore_case(place, rule.lowercase_words, first_may_be_lower=True)


def _signature_author(text: str, profile: SiteProfile) -> str | None:
    """The author named by a signature line ("Edwin MARIËN" -> "Edwin Mariën"), else None."""
    rule = profile.signature
    if rule is None or not text or len(text) > rule.max_chars:
        return None
    words = text.split()
    if not 2 <= len(words) <= rule.max_words:
        return None
    if words[0].casefold().strip(":") in {w.casefold() for w in rule.not_names}:
        return None
    split = 0
    while split < len(words) and _is_given_name(words[split]):
        split += 1
    given, surname = words[:split], words[split:]
    if not given or not surname:
        return None
    if not all(
        _NAME_WORD_RE.match(w) and any(c.isalpha() for c in w) and w.isupper() for w in surname
    ):
        return None
    if sum(ch.isalpha() for ch in "".join(surname)) < 2:
        return None
    restored = _restore_case(" ".join(surname), rule.lowercase_words, first_may_be_lower=False)
    return " ".join([*given, restored])


def _is_given_name(word: str) -> bool:
    return bool(_NAME_WORD_RE.match(word)) and word[:1].isupper() and any(c.islower() for c in word)


def _byline_authors(text: str, profile: SiteProfile, author_filter: _AuthorFilter) -> list[str]:
    """["Jan Peeters", "An Smet"] for a paragraph that is only "Door Jan Peeters en An Smet"."""
    if not profile.byline_prefixes or len(text) > 120:
        return []
    for prefix in profile.byline_prefixes:
        if text.casefold().startswith(prefix.casefold() + " ") or (
            prefix.endswith(":") and text.casefold().startswith(prefix.casefold())
        ):
            rest = text[len(prefix) :].strip(" :")
            break
    else:
        return []
    names = []
    lowered = {w.casefold() for w in profile.name_lowercase_words}
    for part in _AUTHOR_SPLIT_RE.split(rest):
        words = part.split()
        if not 1 <= len(words) <= 5 or not words[0][:1].isupper():
            return []
        if not all(
            _NAME_WORD_RE.match(w) and (w[:1].isupper() or w.casefold() in lowered) for w in words
        ):
            return []
        cleaned = author_filter.clean(part, profile.name_lowercase_words)
        if cleaned is None:
            return []
        names.append(cleaned)
    return names


def _take_body_authors(
    body: etree._Element, profile: SiteProfile, author_filter: _AuthorFilter
) -> list[str]:
    """Authors named by a signature or byline paragraph, which is removed from the body."""
    blocks = _blocks(body)
    if not blocks:
        return []
    last = blocks[-1]
    if last.tag == "p":
        signature = _signature_author(_element_text(last), profile)
        if signature:
            _remove_block(last)
            return [signature]
    candidates = [last, blocks[0]] if len(blocks) > 1 else [last]
    for block in candidates:
        if block.tag != "p":
            continue
        names = _byline_authors(_element_text(block), profile, author_filter)
        if names:
            _remove_block(block)
            return names
    return []


def _remove_byline_blocks(body: etree._Element, page: _Page) -> None:
    """Drop a first or last block that is only the text of the page's byline element.

    Block themes put the author's name in a paragraph of its own after the text ("baldr"); it is
    metadata, read by the author selectors, not part of the article.
    """
    scope = page.scope if page.scope is not None else page.tree
    bylines = {
        _element_text(e).casefold()
        for e in _select(scope, page.profile.author_selectors)
        if not page.in_excluded_region(e)
    } - {""}
    if not bylines:
        return
    blocks = _blocks(body)
    # never the only block: a page whose whole text is a name is no article, and says so later
    edges = {id(b): b for b in (blocks[-1], blocks[0])} if len(blocks) > 1 else {}
    for block in edges.values():
        if block.tag == "p" and _element_text(block).casefold() in bylines:
            _remove_block(block)


def body_to_text(body: etree._Element) -> str:
    """Plain text of an extracted body: one line per paragraph, no markup."""
    plain = deepcopy(body)
    etree.strip_tags(plain, "ref", "hi")
    for graphic in list(plain.iter("graphic")):
        _drop(graphic)
    text = unicodedata.normalize("NFC", xmltotxt(plain, False))
    lines = (_clean_line(line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _clean_line(line: str) -> str:
    """One paragraph's text: whitespace folded, no-break spaces beside a space kept."""
    line = _TEXT_SPACE_RE.sub(" ", line).replace(_NBSP_STANDIN, "\xa0")
    return line.strip()


def body_to_html(body: etree._Element, base_url: str) -> str:
    """Sanitised HTML of an extracted body: structure and links only, never images or scripts."""
    html = deepcopy(body)
    for graphic in list(html.iter("graphic")):
        _drop(graphic)
    for element in html.iter(etree.Element):
        tag = element.tag
        if tag == "head":
            level = (element.get("rend") or "h2").lstrip("h")
            # the page's <h1> is the title: headings inside the text start at <h2>
            element.tag = f"h{min(max(int(level) if level.isdigit() else 2, 2), 6)}"
        elif tag == "list":
            element.tag = "ol" if element.get("rend") == "ol" else "ul"
        elif tag == "hi":
            element.tag = _HI_TAGS.get(element.get("rend") or "", "em")
        elif tag == "cell":
            element.tag = "th" if element.get("role") == "head" else "td"
        elif tag in _XML_TO_HTML:
            element.tag = _XML_TO_HTML[tag]
        # any other tag is left alone: the sanitiser unwraps it, keeping its text
        kept = {k: v for k, v in element.attrib.items() if k in ("colspan", "rowspan")}
        if tag == "ref":
            target = _absolute_link(element.get("target"), base_url)
            kept = {"href": target} if target else {}
        element.attrib.clear()
        element.attrib.update(kept)
    parts = [escape_html(html.text)] if html.text and html.text.strip() else []
    parts.extend(
        etree.tostring(child, encoding="unicode", method="html", with_tail=True) for child in html
    )
    cleaned = _SANITISER.clean("".join(parts).replace(_NBSP_STANDIN, "\xa0"))
    cleaned = _EDGE_BREAKS_RE.sub(lambda m: m.group(1) or m.group(2), cleaned)
    return unicodedata.normalize("NFC", cleaned.strip())


def _absolute_link(target: str | None, base_url: str) -> str | None:
    if not target:
        return None
    target = target.strip()
    if target.lower().startswith("mailto:"):
        return target
    return _absolute_http_url(target, base_url)


def _has_prose(text: str) -> bool:
    paragraphs = [line for line in text.split("\n") if len(line.split()) >= PROSE_MIN_WORDS]
    return len(paragraphs) >= PROSE_MIN_PARAGRAPHS


# --------------------------------------------------------------------------- public API


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
    return bool(re.search(r"(?:^|&)(?:s|q|search|paged|cat|tag|author|feed)=", query))


def _read_page(
    html: bytes | str, url: str, profile: SiteProfile, declared_encoding: str | None
) -> _Page:
    if isinstance(html, bytes):
        text = decode_html(html, declared_encoding)
    elif isinstance(html, str):
        text = html
    else:
        raise TypeError(f"html must be bytes or str, not {type(html).__name__}")
    tree = parse_html(text)
    body = tree.find("body")
    body_classes = frozenset(body.get("class", "").split()) if body is not None else frozenset()
    return _Page(tree, url, profile, body_classes, _collect_metas(tree), _collect_json_ld(tree))


def _refuse_non_articles(page: _Page) -> None:
    """Raise NotAnArticle for redirect stubs and listings; otherwise settle the article's scope."""
    reason = _redirect_reason(page)
    if reason:
        raise NotAnArticle(reason)
    _mark_excluded_regions(page)
    articles = _top_level_articles(page)
    region = _main_region(page)
    region_chars = len(_element_text(region))
    main_article = _main_article(articles, region_chars)
    reason = _listing_reason(page, articles, main_article, region_chars)
    if reason:
        raise NotAnArticle(reason)
    page.scope = main_article if main_article is not None else region


def _extract_description(page: _Page) -> str | None:
    description = page.meta(*DESCRIPTION_META)
    if description is None:
        article = _article_node(page)
        description = _ld_text(article.get("description")) if article else None
    return description


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

    dates = _extract_dates(page, evidence or {})
    undated_static_page = (
        _is_static_page(page.body_classes) and dates.source not in STRONG_DATE_SOURCES
    )
    if undated_static_page and profile.undated_static_pages == "skip":
        raise NotAnArticle(STATIC_PAGE_REASON)
    site_names = _site_names(page)
    title = _extract_title(page, site_names)
    author_filter = _AuthorFilter.for_page(page, site_names)
    meta_authors = _extract_meta_authors(page, author_filter)
    categories = _extract_terms(
        page, profile.category_selectors, "articleSection", "article:section"
    )
    tags = _extract_terms(page, profile.tag_selectors, "keywords", "article:tag")
    canonical = _canonical_url(page)

    element_count = sum(1 for _ in page.tree.iter())
    content = _run_trafilatura(_content_tree(page), url, element_count)
    if content is None:
        raise NotAnArticle("no main text")
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
