"""The headline: site names, the visible heading that agrees with the head titles, kickers."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from lxml import etree

from crawler.extraction.common import (
    absolute_http_url,
    clean_text,
    dedupe,
    element_text,
    host_key,
)
from crawler.extraction.jsonld import ARTICLE_LD_TYPES, ld_text, ld_types
from crawler.extraction.page import RELATED_HEADING_RE, Page, article_node

TITLE_META = ("og:title", "twitter:title", "dc.title")

_TITLE_SEPARATORS = r"[-–—|·:»•/ㅣ｜：]"

_FEED_TITLE_RE = re.compile(r"^(.*?)\s*(?:»|&raquo;|-|–)\s*(?:RSS|Atom)?\s*(?:Feed|feed)\b.*$")


def extract_site_names(page: Page) -> list[str]:
    """The names the site goes by (profile, metas, JSON-LD, feed title), not its headline."""
    names: list[str] = []
    if page.profile.site_name:
        names.append(page.profile.site_name)
    for candidate in (page.meta("og:site_name"), page.meta("application-name")):
        if candidate:
            names.append(candidate)
    for node in page.ld_nodes:
        types = ld_types(node)
        # a blog's publisher may be its author, typed Person and Organization: a person
        if (
            types & {"WebSite", "Organization", "NewsMediaOrganization"}
            and "Person" not in types
            and isinstance(node.get("name"), str)
        ):
            names.append(clean_text(node["name"]))
        publisher = node.get("publisher")
        if (
            types & ARTICLE_LD_TYPES
            and isinstance(publisher, dict)
            and isinstance(publisher.get("name"), str)
        ):
            names.append(clean_text(publisher["name"]))
    for link in page.tree.iter("link"):
        if "alternate" in (link.get("rel") or "").lower() and "rss" in (link.get("type") or ""):
            match = _FEED_TITLE_RE.match(clean_text(link.get("title")))
            if match and match.group(1):
                names.append(match.group(1))
            break
    # a page that names itself after its own headline ("application-name" = the <h1>)
    headlines = {
        text.casefold()
        for h1 in page.tree.iter("h1")
        if (text := element_text(h1)) and not _is_logo(h1, page, set(), text)
    }
    own = page.profile.site_name
    return dedupe(
        name for name in names if name and (name == own or name.casefold() not in headlines)
    )


@lru_cache(maxsize=1024)
def _site_name_affixes(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns of a site name at the end ("Kop – Site") and at the start ("Site | Kop")."""
    escaped = re.escape(name)
    return (
        # "Kop – Site"; "제목-정치ㅣ신문": full-width separators need no space, and the section
        # glued before one goes with the site's name
        re.compile(
            rf"(?:\s+{_TITLE_SEPARATORS}|(?:-[^\s-]{{1,10}})?\s*[ㅣ｜：])\s*{escaped}\s*$", re.I
        ),
        re.compile(rf"^\s*{escaped}\s*{_TITLE_SEPARATORS}\s+", re.I),
    )


def _strip_site_name(title: str, site_names: list[str]) -> str:
    folded = title.casefold()
    for name in site_names:
        # most names are in no title: their patterns need not be compiled (a crawl meets many)
        if name.casefold() not in folded:
            continue
        suffix, prefix = _site_name_affixes(name)
        title = prefix.sub("", suffix.sub("", title))
    return title.strip()


# Parts of a headline element that are not the headline: the kicker above it ("Klimaschutz"), a
# section label, a subtitle after it, separators only screen readers get ("Klimaschutz: …").
_KICKER_CLASS_RE = re.compile(
    r"kicker|overline|dachzeile|topline|roofline|eyebrow|supertitle|pretitle|titleheader|"
    r"subtitle|subheadline|subline|visually-?hidden|sr-only|screen-reader|hiddendash|colon|"
    r"section|category|rubric|topic|offscreen|a11y-hidden|hideme",
    re.IGNORECASE,
)

_HIDDEN_CLASS_RE = re.compile(
    r"visually-?hidden|sr-only|screen-reader|offscreen|a11y-hidden|hideme|hidden-text",
    re.IGNORECASE,
)

_LEFTOVER_SEPARATORS = ":|-–—·•/»ㅣ "

_HEADLINE_CLASS_RE = re.compile(
    r"(?<!sub)headline|(?<!sub)(?<!super)(?<!pre)title(?!header)", re.IGNORECASE
)

# A heading that is the site's logo or name, never an article's headline.
_LOGO_CLASS_RE = re.compile(
    r"logo|site-?title|site-?name|site-?branding|blog-?title|brand|masthead", re.IGNORECASE
)

# Headings read as headline candidates: every <h1>, and the first <h2>s of the article.
MAX_H2_CANDIDATES = 12

MAX_HEADLINE_CHARS = 300

# A heading is the page's headline when at least this share of its words is in a head title,
# and at least two of them (all of them, for a heading of one word).
HEADLINE_MIN_SHARE = 0.5

HEADLINE_MIN_SHARED_WORDS = 2

_TITLE_WORD_RE = re.compile(r"\w+")


def _word_key(word: str) -> str:
    """A word as URLs and titles may both spell it: "Übersee", "uebersee" and "ubersee" alike."""
    word = word.replace("ß", "ss")
    if not word.isascii():
        decomposed = unicodedata.normalize("NFKD", word)
        word = "".join(c for c in decomposed if not unicodedata.combining(c))
    return word.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def _title_words(text: str) -> set[str]:
    return {_word_key(word) for word in _TITLE_WORD_RE.findall(text.casefold())}


_SLUG_SPLIT_RE = re.compile(r"[^0-9a-z]+")

_SLUG_SUFFIX_RE = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$")


def url_slug_text(url: str) -> str:
    """The words of a URL's last path segments ("/2024/06/kermis-in-retie.html" -> "kermis in
    retie"): most sites spell an article's headline there."""
    try:
        path = unquote(urlsplit(url).path).casefold()
    except ValueError:
        return ""
    segments = [_SLUG_SUFFIX_RE.sub("", segment) for segment in path.split("/") if segment]
    words = [w for segment in segments[-2:] for w in _SLUG_SPLIT_RE.split(_word_key(segment))]
    return " ".join(w for w in words if w and not w.isdigit())


def headline_agreement(heading: str, titles: Iterable[str]) -> tuple[int, float]:
    """How well a visible heading agrees with the page's head titles (og:title, <title> …).

    Returns (shared words, share of the heading's words) for the title that shares most words
    with it, or (0, 0.0) when no title holds at least HEADLINE_MIN_SHARE of its words and at
    least HEADLINE_MIN_SHARED_WORDS of them (or all of them). "Lotte Tobisch ist tot" agrees
    fully with "Chronik: Lotte Tobisch ist tot | ORF"; "OSV-Bericht" does not agree with
    "FINA Weltmeisterschaften VERSCHOBEN - OSV", where it only shares the site's name.
    """
    words = _title_words(heading)
    best = (0, 0.0)
    if not words:
        return best
    for title in titles:
        shared = len(words & _title_words(title))
        share = shared / len(words)
        enough = shared >= HEADLINE_MIN_SHARED_WORDS or shared == len(words)
        if enough and share >= HEADLINE_MIN_SHARE and (shared, share) > best:
            best = (shared, share)
    return best


def pick_headline(headings: Sequence[tuple[str, bool]], titles: Sequence[str]) -> int | None:
    """Index of the heading that is the page's headline, by agreement with its head titles.

    headings are (text, is_h1) in document order (an <h1> outside the article counts as an <h2>:
    it is often the site's name). An <h1> sharing two words or more with a head
    title beats every <h2> (which may share more words only by repeating the site's name);
    then the heading sharing most words wins, an <h1> on a tie, then the larger share, then the
    earlier one. None when no heading agrees with any title (see headline_agreement).
    """
    best: tuple[bool, int, bool, float, int] | None = None
    chosen = None
    for index, (text, is_h1) in enumerate(headings):
        shared, share = headline_agreement(text, titles)
        if not shared:
            continue
        key = (is_h1 and shared >= HEADLINE_MIN_SHARED_WORDS, shared, is_h1, share, -index)
        if best is None or key > best:
            best, chosen = key, index
    return chosen


def headline_text(element: etree._Element) -> str:
    """The text of a headline element without its kicker, section label or subtitle.

    "<h1><span class=kicker>Klimaschutz</span><span class=sr-only>: </span><span
    class=title>Bohren, bis es heiß wird</span></h1>" gives "Bohren, bis es heiß wird".
    """
    return headline_parts(element)[1]


def _is_aside_class(classes: str) -> bool:
    """A class naming a kicker, label, subtitle or hidden text; BEM elements are judged by their
    last part ("article-title__overline" is an overline, "intro__title__topic" a topic)."""
    tokens = [token.rsplit("__", 1)[-1] for token in classes.split()]
    return any(_KICKER_CLASS_RE.search(t) for t in tokens) and not any(
        _HEADLINE_CLASS_RE.search(t) and not _KICKER_CLASS_RE.search(t) for t in tokens
    )


def _hidden_separator(element: etree._Element) -> etree._Element | None:
    """A descendant only screen readers get that holds only a separator (": ", " - ")."""
    for child in element.iterdescendants(etree.Element):
        hidden = child.get("aria-hidden") == "true" or _HIDDEN_CLASS_RE.search(
            child.get("class") or ""
        )
        if hidden and len(child) == 0:
            text = (child.text or "").strip()
            if text and len(text) <= 3 and not any(c.isalnum() for c in text):
                return child
    return None


_SEPARATOR_MARK = "\u2e3b"


def headline_parts(element: etree._Element) -> tuple[str, str]:
    """(kicker, headline) of a headline element: the kicker is the text a kicker class or a
    hidden separator sets apart before the headline ("" when there is none).

    A hidden separator ends the kicker even when no class says so: in "<h2><div><span>Onlineversand
    aus Fernost<span class=sr-only>: </span></span></div><div>Wie gefährlich …</div></h2>" the
    headline is "Wie gefährlich …" and the kicker "Onlineversand aus Fernost".
    """
    if len(element) == 0:
        return "", element_text(element)
    separator = _hidden_separator(element)
    if separator is not None:
        saved, separator.text = separator.text, _SEPARATOR_MARK
        try:
            before, _, after = "".join(element.itertext()).partition(_SEPARATOR_MARK)
        finally:
            separator.text = saved
        kicker, headline = clean_text(before), clean_text(after)
        if kicker and headline:
            return kicker, headline
    parts = [element.text or ""]
    kicker_parts: list[str] = []
    for child in element:
        if child.tag == "br":
            parts.append(" ")
        classes = (child.get("class") or "") if isinstance(child.tag, str) else ""
        aside = child.get("aria-hidden") == "true" or _is_aside_class(classes)
        if not aside:
            parts.extend(child.itertext())
        elif not clean_text("".join(parts)):
            # an aside before any headline text: the kicker (after it, a subtitle)
            kicker_parts.extend(child.itertext())
        parts.append(child.tail or "")
    # a separator only screen readers get, left over when its kicker went: ": Ein bisschen …"
    text = clean_text("".join(parts)).lstrip(_LEFTOVER_SEPARATORS).strip()
    kicker = clean_text("".join(kicker_parts)).rstrip(_LEFTOVER_SEPARATORS).strip()
    return (kicker, text) if text else ("", element_text(element))


def _is_logo(element: etree._Element, page: Page, site_keys: set[str], text: str) -> bool:
    """True for a heading that shows the site's name or logo rather than a headline."""
    if text.casefold() in site_keys:
        return True
    parent = element.getparent()
    for node in (element, parent) if parent is not None else (element,):
        if _LOGO_CLASS_RE.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    for link in element.iter("a"):
        target = absolute_http_url(link.get("href"), page.url)
        if (
            target
            and host_key(target) == host_key(page.url)
            and urlsplit(target).path in ("", "/")
            and element_text(link) == text
        ):
            return True
    return False


@dataclass
class _Heading:
    element: etree._Element
    text: str
    is_h1: bool
    in_scope: bool
    excluded: bool


def _headings(page: Page, site_keys: set[str]) -> list[_Heading]:
    """The page's <h1>s and the article's first <h2>s that could be its headline."""
    scope = page.scope if page.scope is not None else page.tree
    # a set of the elements themselves keeps their proxies alive, so membership is identity
    in_scope = set(scope.iter("h1", "h2"))
    found: list[_Heading] = []
    h2_seen = 0
    for element in page.tree.iter("h1", "h2"):
        is_h1 = element.tag == "h1"
        if not is_h1:
            if element not in in_scope or h2_seen >= MAX_H2_CANDIDATES:
                continue
            h2_seen += 1
        text = headline_text(element)
        if not text or len(text) > MAX_HEADLINE_CHARS or _is_logo(element, page, site_keys, text):
            continue
        # "Mehr aus Sachsen-Anhalt", "Related stories": the heading of a block of links
        if RELATED_HEADING_RE.match(text):
            continue
        excluded = page.in_excluded_region(element)
        found.append(_Heading(element, text, is_h1, element in in_scope, excluded))
    return found


def _include_region_of(page: Page, element: etree._Element) -> None:
    """The headline shows where the article is: no block holding it is page furniture.

    A blog platform's post sits in a "widget", a theme's article in a block that also holds
    a "Related" heading; taken for sidebars, they would hide the article's date and byline.
    """
    for ancestor in (element, *element.iterancestors()):
        page.excluded.discard(ancestor)


def _head_titles(page: Page) -> list[str]:
    """The titles the page gives in its head: og:title and the like, JSON-LD, <title>."""
    titles = [page.meta(key) for key in TITLE_META]
    article = article_node(page)
    if article is not None:
        titles.extend((ld_text(article.get("headline")), ld_text(article.get("name"))))
    title_element = page.tree.find(".//title")
    if title_element is not None:
        titles.append(clean_text(title_element.text_content()))
    return [title for title in titles if title]


def _element_showing(page: Page, title: str) -> etree._Element | None:
    """The article's heading (<h1> to <h6>) that shows title, if any."""
    scope = page.scope if page.scope is not None else page.tree
    key = title.casefold()
    for element in scope.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if not page.in_excluded_region(element) and headline_text(element).casefold() == key:
            return element
    return None


def _host_names(url: str) -> list[str]:
    """The site's host as a title may name it: "www.mdr.de" gives "mdr.de" and "mdr"."""
    host = host_key(url)[0]
    if not host:
        return []
    labels = host.split(".")
    label = labels[0] if len(labels) < 3 else labels[-2]
    return [name for name in dict.fromkeys((host, ".".join(labels[-2:]), label)) if len(name) > 2]


def _same_words(first: str, second: str) -> bool:
    """Equal as a reader compares headlines: case, punctuation and spacing aside."""
    words = _TITLE_WORD_RE.findall(first.casefold())
    return bool(words) and words == _TITLE_WORD_RE.findall(second.casefold())


def _page_h1_showing_social_title(
    headings: Sequence[_Heading],
    head_titles: Sequence[str],
    social_titles: Sequence[str],
    strip_names: list[str],
) -> _Heading | None:
    """The page's <h1> outside the article that repeats the og:title (or twitter:title) word
    for word, when the article itself has no <h1> agreeing with the head titles.

    A site that prints its headline as an <h2> in the article often keeps the page's one <h1>
    in the header or breadcrumb, with the headline it gives social media: that <h1> is the
    page's main heading, and the <h2> a display version (shortened, or with a kicker run into
    it). When the og:title is the article's own heading, that heading is the headline.
    """
    if any(
        h.is_h1 and h.in_scope and not h.excluded and headline_agreement(h.text, head_titles)[0]
        for h in headings
    ):
        return None
    titles = [_strip_site_name(title, strip_names) for title in social_titles]
    if any(h.in_scope and _same_words(h.text, t) for h in headings for t in titles):
        return None
    for heading in headings:
        if (
            heading.is_h1
            and not heading.in_scope
            and any(_same_words(heading.text, title) for title in titles)
        ):
            return heading
    return None


# Elements read around a headline for its kicker: the descendants of its parent, grandparent and
# great-grandparent, a bounded number of each (a headline's block is small; a page's body is not).
KICKER_ANCESTORS = 3
KICKER_NEARBY_ELEMENTS = 60

# "Kicker: Headline", "Kicker - Headline": the first separator ends the kicker
_DECLARED_KICKER_RE = re.compile(r"^(?P<kicker>.+?)(?::\s|\s[-–—]\s)(?P<headline>.+)$")


def _words(text: str) -> list[str]:
    return _TITLE_WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def _shown_near(headline: etree._Element, words: list[str]) -> bool:
    """True when an element in the headline's own block reads exactly `words` (its kicker)."""
    if _words(headline_parts(headline)[0]) == words:
        return True
    inside = set(headline.iter())
    for ancestor in list(headline.iterancestors())[:KICKER_ANCESTORS]:
        for number, element in enumerate(ancestor.iter(etree.Element)):
            if number >= KICKER_NEARBY_ELEMENTS:
                break
            if element not in inside and element.tag not in ("script", "style", "meta"):
                text = element_text(element)
                if text and len(text) <= MAX_HEADLINE_CHARS and _words(text) == words:
                    return True
    return False


def with_declared_kicker(page: Page, title: str, head_title: str, strip_names: list[str]) -> str:
    """The title as "Kicker: headline" when the page's main head title (og:title, else
    twitter:title …) is the kicker shown with the headline, a separator and the headline.

    The page prints "Entwurf des Selbstbestimmungsgesetzes" over "Ein bisschen Fortschritt", and
    its og:title says "Entwurf des Selbstbestimmungsgesetzes: Ein bisschen Fortschritt": the
    publisher counts the kicker in its title, and citations use that form. Where the og:title
    is the headline alone, the kicker is a label and stays out, whatever <title> says; so does
    a kicker the page does not show with the headline.
    """
    if page.headline is None or not head_title:
        return title
    headline_words = _words(title)
    declared = _DECLARED_KICKER_RE.match(_strip_site_name(clean_text(head_title), strip_names))
    if declared is None or _words(declared["headline"]) != headline_words:
        return title
    kicker_words = _words(declared["kicker"])
    if not kicker_words:
        return title
    # the headline may be printed twice (a breadcrumb's <h1>, the article header's <h2>)
    shown = (
        element
        for element in (page.headline, *page.tree.iter("h1", "h2", "h3"))
        if element is page.headline
        or (
            not page.in_excluded_region(element)
            and _words(headline_text(element)) == headline_words
        )
    )
    if any(_shown_near(element, kicker_words) for element in shown):
        return f"{declared['kicker'].strip()}: {declared['headline'].strip()}"
    return title


# What marks a page that runs on, entry after entry: a news ticker ("+++" between its news), a
# live blog; schema.org's LiveBlogPosting says it outright.
_RUNNING_PAGE_RE = re.compile(r"ticker|live-?blog|\+\+\+", re.IGNORECASE)


def running_page_name(page: Page, title: str, strip_names: list[str]) -> str | None:
    """The standing name of a news ticker or live blog whose heading shows its latest entry.

    "Nahost-Ticker: Palästinenser von Siedlern erschossen" is the <h1> of a page that the
    JSON-LD headline and the address call "Krieg in Israel und Gaza im News-Ticker vom 26.
    August bis 1. September". The <h1> changes with each update; the name is what the page is,
    and two fetches of the same page keep the same title. The name must be what the URL spells
    (more of its words than the heading's), so a stale JSON-LD headline stays out.
    """
    article = article_node(page)
    if article is None:
        return None
    name = ld_text(article.get("headline"))
    if not name:
        return None
    name = _strip_site_name(html.unescape(name), strip_names)
    if not name or _same_words(name, title):
        return None
    running = "LiveBlogPosting" in ld_types(article) or any(
        _RUNNING_PAGE_RE.search(text) for text in (page.url, name, title)
    )
    if not running:
        return None
    slug = [url_slug_text(page.url)]
    name_share, title_share = headline_agreement(name, slug)[1], headline_agreement(title, slug)[1]
    return name if name_share > title_share else None


def extract_title(page: Page, site_names: list[str]) -> str | None:
    """The headline, with the kicker the publisher declares as part of it; page.headline is set
    to the element showing it, when there is one.

    The title is what the headline says. A kicker printed with it goes in front, "Kicker: …",
    only when the page's own head titles spell the title that way (with_declared_kicker).

    In order: the profile's title selectors; the visible heading that agrees with the head
    titles (pick_headline); the head titles (og:title …, JSON-LD, the article's only <h1>,
    <title>); and, when every head title is only the site's name, the first visible heading.
    A news ticker or live blog is titled by its standing name (running_page_name).
    """
    title = _visible_headline(page, site_names)
    if title is None:
        return None
    strip_names = [*site_names, *_host_names(page.url)]
    if running_name := running_page_name(page, title, strip_names):
        return running_name
    head_titles = _head_titles(page)
    return with_declared_kicker(page, title, head_titles[0] if head_titles else "", strip_names)


def _visible_headline(page: Page, site_names: list[str]) -> str | None:
    """The headline as printed, its kicker left out (see extract_title for the order)."""
    site_keys = {name.casefold() for name in site_names}
    # "… | MDR.DE", "… - rbb24": the site's address or host name as a title suffix
    strip_names = [*site_names, *_host_names(page.url)]

    def usable(candidate: str | None) -> str | None:
        cleaned = _strip_site_name(clean_text(candidate), strip_names) if candidate else ""
        return cleaned[:1000] if cleaned and cleaned.casefold() not in site_keys else None

    selected = page.select(page.profile.title_selectors) or page.select(
        page.profile.title_selectors, whole_page=True
    )
    for element in selected:
        if not page.in_excluded_region(element) and (title := usable(headline_text(element))):
            page.headline = element
            return title
    every_heading = _headings(page, site_keys)
    # the profile's headline, when it sits in what looked like furniture (a Blogger "widget")
    every_heading.extend(
        _Heading(element, text, True, True, True)
        for element in selected
        if page.in_excluded_region(element) and (text := headline_text(element))
    )
    headings = [h for h in every_heading if not h.excluded]
    head_titles = _head_titles(page)
    social_titles = [title for key in TITLE_META if (title := page.meta(key))]
    page_h1 = _page_h1_showing_social_title(every_heading, head_titles, social_titles, strip_names)
    if page_h1 is not None and (title := usable(page_h1.text)):
        page.headline = page_h1.element
        return title
    # an <h1> outside the article is ranked as an <h2>: it is often the site's name
    ranked = [(h.text, h.is_h1 and h.in_scope) for h in headings]
    chosen = pick_headline(ranked, head_titles)
    if chosen is None:
        # head titles that name only the site (or an old headline): the URL may spell the new one
        chosen = pick_headline(ranked, [url_slug_text(page.url)])
    if chosen is None:
        # the only heading agreeing with the head titles sits in what looked like furniture
        inside = [h for h in every_heading if h.excluded]
        index = pick_headline([(h.text, h.is_h1 and h.in_scope) for h in inside], head_titles)
        if index is not None and (title := usable(inside[index].text)):
            page.headline = inside[index].element
            _include_region_of(page, page.headline)
            return title
    if chosen is not None and (title := usable(headings[chosen].text)):
        page.headline = headings[chosen].element
        return title
    scoped_h1 = [h for h in headings if h.is_h1 and h.in_scope]
    if len(scoped_h1) == 1:
        page.headline = scoped_h1[0].element
    candidates = [scoped_h1[0].text] if len(scoped_h1) == 1 else []
    candidates.append(page.meta(*TITLE_META))
    article = article_node(page)
    if article is not None:
        candidates.append(ld_text(article.get("headline")) or ld_text(article.get("name")))
    title_element = page.tree.find(".//title")
    if title_element is not None:
        candidates.append(clean_text(title_element.text_content()))
    for candidate in candidates:
        if title := usable(candidate):
            if page.headline is None:
                page.headline = _element_showing(page, title)
            return title
    # every head title is only the site's name: the first heading a reader sees
    for heading in sorted(headings, key=lambda h: (not h.is_h1, not h.in_scope)):
        if title := usable(heading.text):
            page.headline = heading.element
            return title
    return None
