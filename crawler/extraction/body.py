"""The main text: trafilatura on the article, captions, cleanup rules, text and sanitised HTML."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from contextlib import suppress
from copy import deepcopy
from html import escape as escape_html
from itertools import islice, pairwise

import lxml.html
import nh3
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xml import xmltotxt

from crawler.extraction.common import (
    NBSP_STANDIN,
    absolute_http_url,
    clean_text,
    drop,
    element_text,
    remove_block,
    restore_case,
    text_blocks,
    text_length,
    url_path,
)
from crawler.extraction.page import (
    NON_TEXT_TAGS,
    RELATED_HEADING_RE,
    Caption,
    Page,
    article_node,
    drop_furniture,
    following_texts,
    headline_and_scope_ancestors,
    preceding_texts,
    texts,
)
from crawler.profiles import SiteProfile

logger = logging.getLogger(__name__)

# Above this many elements trafilatura skips its second opinion (readability, jusText), whose
# cost grows faster than the page: news pages stay far below it.
LARGE_PAGE_ELEMENTS = 20_000

# Shorter than this after cleaning, a page has no usable main text.
MIN_TEXT_CHARS = 25

# "Real running text" for an undated static page on an unknown site.
PROSE_MIN_PARAGRAPHS = 2

PROSE_MIN_WORDS = 20

_DOUBLE_SPACE_NBSP_RE = re.compile(r"(?<=[ \xa0])\xa0|\xa0(?=[ \xa0])")

_TEXT_SPACE_RE = re.compile(r"[ \t\n\r\f\v\xa0]+")

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

# A caption travels through trafilatura as a paragraph opening with this mark and its number,
# and comes out as <figure><figcaption> (see _mark_captions, restore_captions).
_CAPTION_MARK = "\u2e4f"

_CAPTION_MARK_RE = re.compile(f"{_CAPTION_MARK}(\\d+){_CAPTION_MARK}")

_WP_CAPTION_TEXT = etree.XPath(
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')]"
)


def _captions(scope: etree._Element, page: Page) -> list[etree._Element]:
    """The image captions under scope: <figcaption>, WordPress's class "wp-caption-text"."""
    found = list(scope.iter("figcaption"))
    if page.index is None or "wp-caption-text" in page.index.classes:
        found.extend(_WP_CAPTION_TEXT(scope))
    return found


def _caption_frame(caption: etree._Element) -> etree._Element:
    """The block a caption belongs to: its <figure> or WordPress "wp-caption" box, if any."""
    for ancestor in islice(caption.iterancestors(), 3):
        classes = (ancestor.get("class") or "").split()
        if ancestor.tag == "figure" or "wp-caption" in classes:
            return ancestor
    return caption


def _mark_captions(scope: etree._Element, page: Page) -> None:
    """Turn each captioned image of a profile's body block into a marked paragraph.

    The paragraph holds only the caption; it reaches the extracted body, where
    restore_captions gives it back its figure. The image itself never enters the record. A
    figure that holds more than its caption (a table, a quote) keeps that, and only the caption
    becomes the marked paragraph. (trafilatura sees as many paragraphs as before: a body block's
    figures were always handed to it as their captions.)
    """
    for number, caption in enumerate(_captions(scope, page)):
        if caption.getparent() is None:
            continue
        text = element_text(caption)
        if not text:
            continue
        frame = _caption_frame(caption)
        if frame is not caption and text_length(frame) > len(text) + 2:
            frame = caption
        paragraph = lxml.html.Element("p")
        paragraph.text = f"{_CAPTION_MARK}{number}{_CAPTION_MARK}{text}"
        paragraph.tail = frame.tail
        parent = frame.getparent()
        if parent is not None:
            parent.replace(frame, paragraph)


# how much of the text before a figure tells where it stood
CAPTION_ANCHOR_CHARS = 40


def _page_captions(page: Page) -> list[Caption]:
    """The captions of the article's images, read before trafilatura sees the page.

    trafilatura drops <figure> elements and reads a WordPress caption as one more paragraph;
    the page is handed to it unchanged (any change there changes what it keeps), and
    place_captions puts the captions back into what it extracted.
    """
    scope = page.scope if page.scope is not None else page.tree
    found: list[Caption] = []
    seen: set[str] = set()
    for caption in _captions(scope, page):
        if page.in_excluded_region(caption):
            continue
        text = element_text(caption)
        # one figure per caption: responsive pages repeat an image for each screen size
        if text in seen:
            continue
        seen.add(text)
        frame = _caption_frame(caption)
        if not text or (frame is not caption and text_length(frame) > len(text) + 2):
            continue
        preceding = next((t for t in map(clean_text, preceding_texts(frame, page)) if t), "")
        following = next((t for t in map(clean_text, following_texts(frame, page)) if t), "")
        found.append(
            Caption(text, preceding[-CAPTION_ANCHOR_CHARS:], following[:CAPTION_ANCHOR_CHARS])
        )
    return found


def _new_figure(text: str, tail: str | None = None) -> etree._Element:
    figure = etree.Element("figure")
    etree.SubElement(figure, "figcaption").text = text
    figure.tail = tail
    return figure


def place_captions(body: etree._Element, captions: list[Caption]) -> None:
    """Put the page's captions into the extracted body as <figure><figcaption>.

    A block that is only a caption's text becomes its figure; any other caption goes between
    the block ending with the text that stood before its image and the one starting with the
    text after it. A caption whose place is not inside the extracted text (a teaser after the
    article, an advertisement) is left out, like its image.
    """
    if not captions:
        return
    by_text = {caption.text: caption for caption in captions}
    for block in list(body):
        caption = by_text.pop(element_text(block), None) if block.tag == "p" else None
        if caption is not None:
            body.replace(block, _new_figure(caption.text, block.tail))
    for caption in [c for c in captions if c.text in by_text]:
        if not caption.after or not caption.before:
            continue
        blocks = [b for b in body if b.tag != "figure"]
        for block, following in pairwise(blocks):
            if element_text(block).endswith(caption.after) and element_text(following).startswith(
                caption.before
            ):
                block.addnext(_new_figure(caption.text))
                break


def restore_captions(body: etree._Element) -> None:
    """Give the marked caption paragraphs of an extracted body their <figure><figcaption>."""
    for element in list(body.iter()):
        for attribute in ("text", "tail"):
            value = getattr(element, attribute)
            if not value or _CAPTION_MARK not in value:
                continue
            is_caption = attribute == "text" and _CAPTION_MARK_RE.match(value.lstrip())
            value = _CAPTION_MARK_RE.sub("", value)
            setattr(element, attribute, value)
            if is_caption and element.getparent() is not None:
                figure = etree.Element("figure")
                figcaption = etree.SubElement(figure, "figcaption")
                figcaption.text = value.strip()
                figcaption.extend(list(element))
                figure.tail = element.tail
                element.getparent().replace(element, figure)


# An article block with less text is not read on its own (see article_block).
ARTICLE_BLOCK_MIN_CHARS = 1000


def article_block(page: Page) -> etree._Element | None:
    """The page's one main <article> when it holds the headline: all trafilatura needs to read.

    trafilatura copies and prunes the tree it is given several times, and on a news page the
    article is a small part of it; the text outside the block that shows the headline is not the
    article's.
    """
    scope, headline = page.scope, page.headline
    if scope is None or scope.tag != "article" or headline is None:
        return None
    if not any(a is scope for a in headline.iterancestors()):
        return None
    # a short text sends trafilatura to its fallbacks, which read a whole page better
    return scope if text_length(scope) >= ARTICLE_BLOCK_MIN_CHARS else None


def content_tree(page: Page, *, whole_page: bool = False) -> HtmlElement:
    """The tree handed to trafilatura: the profile's body block, else the article block that
    holds the headline (see article_block), else (or with whole_page) the pruned page."""
    for element in page.dropped:
        drop(element)
    bodies = [e for e in page.select(page.profile.body_selectors) if not page.in_excluded_region(e)]
    if bodies:
        root = lxml.html.Element("html")
        body = etree.SubElement(root, "body")
        article = etree.SubElement(body, "article")
        for element in bodies:
            article.append(deepcopy(element))
        _mark_captions(article, page)
        return _protect_nbsp(root)
    page.captions = _page_captions(page)
    page.clip_teasers = _clip_teaser_texts(page)
    _drop_teaser_cards(page)
    _drop_call_to_action_boxes(page)
    drop_furniture(page)
    _join_split_bodies(page)
    block = None if whole_page else article_block(page)
    if block is not None:
        root = lxml.html.Element("html")
        etree.SubElement(root, "body").append(deepcopy(block))
        return _protect_nbsp(_without_code(root))
    return _protect_nbsp(_without_code(page.tree))


# A clip's length shown under its player, with its day or not: "3:18 min", "02:57 Min.",
# "21.04.2024 | 3:18 min".
_CLIP_LENGTH_RE = re.compile(
    r"(?:\d{1,2}\.\d{1,2}\.\d{2,4}\s*\|\s*)?(?:\d{1,2}:)?\d{1,2}:\d{2}\s*(?:min\.?|minuten)",
    re.IGNORECASE,
)

_WORD_RE = re.compile(r"\w+")

# A clip's length, its day and their separator fit in this many characters.
CLIP_LENGTH_MAX_CHARS = 40

_CLIP_TIME_RE = re.compile(r"\d:\d\d")

# text nodes that may hold a clip's length, found by libxml2 (one test: each costs a walk)
_COLON_TEXTS = etree.XPath(".//text()[contains(., ':')]")

# A clip's length stands at most this many levels below its player's block.
CLIP_BLOCK_LEVELS = 4

# A player's block holds a title, a caption and the length: more text is the article's.
CLIP_BLOCK_MAX_CHARS = 500

_PLAYER_PARTS = etree.XPath(".//*[self::img or self::picture or self::video or self::iframe]")


def _clip_teaser_texts(page: Page) -> list[str]:
    """The word keys of embedded videos' teasers, found by the clip's length under them
    ("3:18 min"): the player's caption and title are not the article's text, nor is the length.

    Read before trafilatura, which sees the page unchanged: taking the teasers out of the tree
    changes how it reads the rest. remove_clip_teasers removes their text from its result.
    """
    keep = headline_and_scope_ancestors(page)
    blocks = dict(_clip_block(length, page, keep) for length in _clip_lengths(page))
    keys = (_word_key(shown) for shown in blocks.values())
    return [key for key in keys if key]


def _word_key(text: str) -> str:
    """A text as its words only, case folded, one space between them."""
    return " ".join(_WORD_RE.findall(text.casefold()))


def remove_clip_teasers(body: etree._Element, teasers: list[str]) -> None:
    """Remove the blocks of an extracted body that are text of a video's teaser (its caption,
    its title, its length): see _clip_teaser_texts."""
    if not teasers:
        return
    padded = [f" {teaser} " for teaser in teasers]
    for block in list(body.iter("p", "head", "item")):
        key = _word_key("".join(block.itertext()))
        if key and any(f" {key} " in teaser for teaser in padded):
            remove_block(block)


def _clip_lengths(page: Page) -> list[etree._Element]:
    """The elements of the article's scope whose whole text is a clip's length."""
    found = []
    scope = page.scope if page.scope is not None else page.tree
    for text in _COLON_TEXTS(scope):
        if len(text.strip()) > CLIP_LENGTH_MAX_CHARS or not _CLIP_TIME_RE.search(text):
            continue
        element = text.getparent()
        if text.is_tail:
            element = element.getparent()
        if element is None or element.tag in NON_TEXT_TAGS:
            continue
        # the unit may stand in an element of its own: "02:57 <abbr>Min.</abbr>"
        for candidate in (element, element.getparent()):
            if (
                candidate is not None
                and _FOLDED_LENGTH(candidate) <= CLIP_LENGTH_MAX_CHARS
                and _CLIP_LENGTH_RE.fullmatch(element_text(candidate))
            ):
                found.append(candidate)
                break
    return found


def _clip_block(
    length_element: etree._Element, page: Page, keep: set[etree._Element]
) -> tuple[etree._Element, str]:
    """The player's block around a clip's length and its shown text: the nearest block holding
    an image or a player with little text, else the length alone."""
    for level, ancestor in enumerate(length_element.iterancestors()):
        if level == CLIP_BLOCK_LEVELS or ancestor in keep:
            break
        if _PLAYER_PARTS(ancestor):
            # the player's data (a script) is not shown
            shown = "".join(texts(ancestor, page))
            if len(clean_text(shown)) <= CLIP_BLOCK_MAX_CHARS:
                return ancestor, shown
            break
    return length_element, "".join(texts(length_element, page))


# The class tokens of a block holding an article's text, as trafilatura looks for them first:
# "articleBody", "article-body", "article__body", "entry-content", "post-content", "story-body".
_BODY_CLASS_RE = re.compile(
    r"(?:post[-_]?(?:text|body|entry|content)|postContent|article-?text|articleText|"
    r"(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|"
    r"ArticleContent|body-text|story-?(?:body|content))"
)

# blocks that may be an article's text by their class (every _BODY_CLASS_RE token holds one of
# these pieces) or their itemprop, found by libxml2
_BODY_CANDIDATES = etree.XPath(
    "//body//*[self::div or self::section or self::article][@itemprop='articleBody'"
    " or contains(@class, 'ody') or contains(@class, 'ontent') or contains(@class, 'ext')"
    " or contains(@class, 'ntry')]"
)

# Between two parts of one article's text stand an advertisement or a box of links, not more
# text than this: more is another article (the next story of an endless page).
SPLIT_BODY_GAP_CHARS = 1500

# a heading between two blocks opens another story (the next post of a blog's page)
_STORY_HEADINGS = ("h1", "h2")


def _join_split_bodies(page: Page) -> None:
    """Join an article's text that the page splits into several blocks of the same kind (two
    itemprop="articleBody" blocks, or two "article-body" blocks) around an advertisement or a
    box of links to other stories: trafilatura reads the first such block only.

    The later blocks' content moves into the first; what stood between them stays outside.
    """
    for parts in _split_bodies(page):
        first = parts[0]
        for later in parts[1:]:
            _append_content(first, later)
            drop(later)


def _split_bodies(page: Page) -> list[list[etree._Element]]:
    """Runs of same-kind text blocks that follow each other with little text between them."""
    index = page.index
    if index is not None and not (
        ("itemprop", "articleBody") in index.attributes
        or any(_BODY_CLASS_RE.fullmatch(token) for token in index.classes)
    ):
        return []
    groups: dict[str, list[etree._Element]] = {}
    for element in _BODY_CANDIDATES(page.tree):
        if element.get("itemprop") == "articleBody":
            groups.setdefault("itemprop", []).append(element)
        for token in (element.get("class") or "").split():
            if _BODY_CLASS_RE.fullmatch(token):
                groups.setdefault(token, []).append(element)
    runs = []
    for group in groups.values():
        if len(group) > 1:
            run = _consecutive_parts(page, _outermost(group))
            if len(run) > 1:
                runs.append(run)
    return runs


def _outermost(elements: list[etree._Element]) -> list[etree._Element]:
    """The elements not inside another of them, in document order."""
    found = set(elements)
    return [e for e in elements if found.isdisjoint(e.iterancestors())]


def _consecutive_parts(page: Page, blocks: list[etree._Element]) -> list[etree._Element]:
    """The first block and those after it that continue it: in the article's scope, out of
    excluded regions, with little text and no story's headline between one and the next."""
    scope = page.scope
    blocks = [
        b
        for b in blocks
        if not page.in_excluded_region(b)
        and (scope is None or scope is b or any(a is scope for a in b.iterancestors()))
    ]
    run = blocks[:1]
    for block in blocks[1:]:
        if not _little_between(page, run[-1], block):
            break
        run.append(block)
    return run


def _little_between(page: Page, first: etree._Element, second: etree._Element) -> bool:
    """True when at most SPLIT_BODY_GAP_CHARS characters and no <h1> or <h2> stand between two
    blocks, the first before the second."""
    second_ancestors = set(second.iterancestors())
    chars = 0
    node = first
    # up from the first block to the one holding both, then down to the second
    while node is not None and node not in second_ancestors:
        chars += len((node.tail or "").strip())
        for sibling in node.itersiblings():
            if sibling is second or sibling in second_ancestors:
                return _little_before(page, sibling, second, second_ancestors, chars)
            chars += _gap_chars(page, sibling)
            if chars > SPLIT_BODY_GAP_CHARS:
                return False
        node = node.getparent()
    return False


def _little_before(
    page: Page,
    node: etree._Element,
    second: etree._Element,
    second_ancestors: set[etree._Element],
    chars: int,
) -> bool:
    """_little_between's way down: the text before second inside node, added to chars."""
    while node is not second:
        chars += len((node.text or "").strip())
        for child in node:
            if child is second or child in second_ancestors:
                node = child
                break
            chars += _gap_chars(page, child)
            if chars > SPLIT_BODY_GAP_CHARS:
                return False
        else:
            return False
    return True


def _gap_chars(page: Page, element: etree._Element) -> int:
    """The length of an element's shown text and tail; a story's heading counts as too much."""
    tail = len((element.tail or "").strip())
    if next(element.iter(*_STORY_HEADINGS), None) is not None:
        return SPLIT_BODY_GAP_CHARS + 1
    return len(clean_text("".join(texts(element, page)))) + tail


def _append_content(target: etree._Element, source: etree._Element) -> None:
    """Move source's text and children to the end of target."""
    if source.text and source.text.strip():
        paragraph = lxml.html.Element("p")
        paragraph.text = source.text
        target.append(paragraph)
    target.extend(list(source))


# a class naming a button: "button", "btn", "primary-button", "cta__button", "btn_more"
_BUTTON_CLASS_RE = re.compile(r"(?:^|[-_])(?:button|btn)$")

# elements whose class may name a button, found by libxml2 (see _BUTTON_CLASS_RE)
_BUTTON_CANDIDATES = etree.XPath(
    ".//*[contains(@class, 'btn') or contains(@class, 'BTN') or contains(@class, 'utton')]"
)

# the length of an element's text with its white space folded, counted by libxml2
_FOLDED_LENGTH = etree.XPath("string-length(normalize-space())")

# A box around a button holding more text than this is a part of the article, not an appeal.
CALL_TO_ACTION_MAX_CHARS = 1200

# A button says what to do in a few words: "Jetzt unterstützen", "Subscribe now".
BUTTON_MAX_CHARS = 40


def _drop_call_to_action_boxes(page: Page) -> None:
    """Remove the boxes that close the article with a button: appeals for donations, trial
    subscriptions, registration walls, comment sign-ups ("Jetzt unterstützen", "Sign up").

    Running text links to its sources, it does not style them as buttons. A box is the largest
    block around the button with at most CALL_TO_ACTION_MAX_CHARS characters, less than half the
    article's text and at most two buttons (a row of them is a toolbar or a shop's table), never
    one holding the headline, and no running text may follow it: a box in the middle of the text
    is left to trafilatura, whose reading of the page changes with it.
    """
    scope = page.scope
    if scope is None:
        return
    buttons = [
        element
        for element in _BUTTON_CANDIDATES(scope)
        if any(_BUTTON_CLASS_RE.search(token) for token in element.get("class").lower().split())
    ]
    if not buttons:
        return
    button_set = set(buttons)
    headline = page.headline
    scope_chars: int | None = None
    dropped: set[etree._Element] = set()
    for button in buttons:
        ancestors = list(button.iterancestors())
        if not dropped.isdisjoint(ancestors):
            continue
        label = text_length(button)
        if not label or label > BUTTON_MAX_CHARS:
            continue
        box, box_chars = None, 0
        for candidate in ancestors:
            if candidate is scope:
                break
            chars = int(_FOLDED_LENGTH(candidate))
            if chars > CALL_TO_ACTION_MAX_CHARS:
                break
            box, box_chars = candidate, chars
        if box is None or box_chars <= label:
            continue
        if headline is not None and (box is headline or box in set(headline.iterancestors())):
            continue
        # a row of buttons is a toolbar (share, download) or a shop's table, not an appeal
        if sum(1 for b in box.iter(etree.Element) if b in button_set) > 2:
            continue
        if _prose_follows(box, scope):
            continue
        if scope_chars is None:
            scope_chars = text_length(scope)
        if 2 * box_chars >= scope_chars:
            continue
        drop(box)
        dropped.add(box)


# A paragraph this long is the article's running text.
PROSE_PARAGRAPH_CHARS = 150


def _prose_follows(box: etree._Element, scope: etree._Element) -> bool:
    """True when a paragraph of running text follows box inside scope: box is not at the end."""
    for node in (box, *box.iterancestors()):
        if node is scope:
            return False
        for sibling in node.itersiblings():
            if any(text_length(p) >= PROSE_PARAGRAPH_CHARS for p in sibling.iter("p")):
                return True
    return False


# links wrapping a heading: teaser cards of other articles ("<a href=…><h3>…</h3><p>…</p></a>")
_TEASER_CARDS = etree.XPath("//body//a[@href][.//h1 or .//h2 or .//h3 or .//h4]")


def _drop_teaser_cards(page: Page) -> None:
    """Remove links to other pages that wrap a heading: teaser cards of related articles, whose
    summaries trafilatura would read as the article's text. The headline's own link stays."""
    own = url_path(page.url)
    for card in _TEASER_CARDS(page.tree):
        target = absolute_http_url(card.get("href"), page.url)
        if not target or url_path(target) == own:
            continue
        if page.headline is not None and (
            card is page.headline or any(a is card for a in page.headline.iterancestors())
        ):
            continue
        drop(card)


def _without_code(tree: HtmlElement) -> HtmlElement:
    """Remove scripts (but JSON-LD) and style sheets, which no extractor reads as text.

    trafilatura copies its input several times; scripts are often most of a page's bytes. JSON-LD
    stays: trafilatura reads articleBody from it when the page's own text falls short.
    """
    for element in list(tree.iter("script", "style")):
        if element.tag == "style" or "ld+json" not in (element.get("type") or "").lower():
            drop(element)
    return tree


# text nodes holding a no-break space: the only ones _protect_nbsp may have to change
_NBSP_TEXT = etree.XPath("//text()[contains(., '\u00a0')]")


def _protect_nbsp(tree: HtmlElement) -> HtmlElement:
    for text in _NBSP_TEXT(tree):
        protected = _DOUBLE_SPACE_NBSP_RE.sub(NBSP_STANDIN, text)
        if protected == text:
            continue
        parent = text.getparent()
        if text.is_text:
            parent.text = protected
        elif text.is_tail:
            parent.tail = protected
    return tree


def _trafilatura_body(
    tree: HtmlElement, url: str, element_count: int, *, links: bool
) -> etree._Element | None:
    try:
        document = trafilatura.bare_extraction(
            tree,
            fast=element_count > LARGE_PAGE_ELEMENTS,
            # no URL: links keep their href as written, and body_to_html resolves them against
            # the page's own URL, as a browser does (trafilatura would resolve them against the
            # site's root, "a.html" on /dir/page.html giving /a.html)
            url=None,
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


def has_main_text(body: etree._Element | None) -> bool:
    """True when an extracted body holds at least MIN_TEXT_CHARS characters of text."""
    return _body_chars(body) >= MIN_TEXT_CHARS


def run_trafilatura(tree: HtmlElement, url: str, element_count: int) -> etree._Element | None:
    """The main text as trafilatura's XML, with the links kept for body_html.

    One run, with links. Only when it finds no usable text at all is the page read once more
    without them: keeping links changes how trafilatura weighs link-heavy blocks.
    """
    body = _trafilatura_body(tree, url, element_count, links=True)
    if _body_chars(body) < MIN_TEXT_CHARS:
        plain = _trafilatura_body(tree, url, element_count, links=False)
        if _body_chars(plain) >= MIN_TEXT_CHARS:
            return plain
    return body


# ------------------------------------------------------------------------------- data payloads

# Keys under which a page's data payload (Next.js __NEXT_DATA__, JSON-LD) holds the article text.
PAYLOAD_TEXT_KEYS = frozenset(
    {"articleBody", "articlebody", "body", "bodyText", "text", "content", "html", "contentHtml"}
)

# A payload string shorter than this is a teaser or a label, never the article.
PAYLOAD_MIN_CHARS = 200

MAX_PAYLOAD_CHARS = 2_000_000


def payload_source(page: Page) -> tuple[str | None, str | None]:
    """What a page's data payloads may say when its HTML has no main text: the JSON-LD Article's
    articleBody, and the raw JSON of a Next.js __NEXT_DATA__ script. Read before the scripts go."""
    article = article_node(page)
    body = article.get("articleBody") if article is not None else None
    article_body = body if isinstance(body, str) and len(body) >= PAYLOAD_MIN_CHARS else None
    next_data = None
    if page.index is None or "__NEXT_DATA__" in page.index.ids:
        for script in page.tree.iter("script"):
            if script.get("id") == "__NEXT_DATA__" and script.text:
                next_data = script.text[:MAX_PAYLOAD_CHARS]
                break
    return article_body, next_data


def _payload_strings(value: object, depth: int = 0) -> Iterator[str]:
    """Long strings under text-like keys of a JSON value, and paragraph lists joined."""
    if depth > 40:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PAYLOAD_TEXT_KEYS and isinstance(item, str):
                if len(item) >= PAYLOAD_MIN_CHARS:
                    yield item
            elif key in PAYLOAD_TEXT_KEYS and isinstance(item, list):
                joined = "\n".join(t for block in item for t in _block_texts(block))
                if len(joined) >= PAYLOAD_MIN_CHARS:
                    yield joined
                yield from _payload_strings(item, depth + 1)
            else:
                yield from _payload_strings(item, depth + 1)
    elif isinstance(value, list):
        for item in value[:5000]:
            yield from _payload_strings(item, depth + 1)


def _block_texts(block: object) -> list[str]:
    """The text of one block of a paragraph list: a string, or its text-like string values."""
    if isinstance(block, str):
        return [block]
    if isinstance(block, dict):
        return [v for k, v in block.items() if k in PAYLOAD_TEXT_KEYS and isinstance(v, str)]
    return []


def payload_body(source: tuple[str | None, str | None]) -> etree._Element | None:
    """The article text from the page's data payload, as an extracted body, or None.

    The longest text the payload holds under a text-like key (articleBody, body, text, content);
    HTML in it is read as HTML, one paragraph per block.
    """
    article_body, next_data = source
    candidates = [article_body] if article_body else []
    if next_data:
        with suppress(ValueError, RecursionError):
            candidates.extend(_payload_strings(json.loads(next_data)))
    if not candidates:
        return None
    text = max(candidates, key=len)
    if "<" in text and ">" in text:
        try:
            fragment = lxml.html.fragment_fromstring(text, create_parent="div")
        except (etree.LxmlError, ValueError):
            fragment = None
        if fragment is not None:
            paragraphs = [
                clean_text(element.text_content())
                for element in fragment.iter("p", "h2", "h3", "li", "blockquote")
                if not any(a.tag in ("p", "li", "blockquote") for a in element.iterancestors())
            ]
            text = "\n".join(p for p in paragraphs if p) or clean_text(fragment.text_content())
    body = etree.Element("body")
    for line in text.splitlines():
        line = clean_text(line)
        if line:
            etree.SubElement(body, "p").text = line
    return body if len(body) else None


def remove_boilerplate(body: etree._Element, phrases: tuple[str, ...]) -> None:
    """Remove the short blocks that hold one of the profile's boilerplate phrases."""
    folded = [p.casefold() for p in phrases if p]
    if not folded:
        return
    for element in list(body.iter("p", "head", "item", "quote", "cell")):
        text = element_text(element).casefold()
        if not text:
            continue
        for phrase in folded:
            if phrase in text and len(text) <= max(80, 3 * len(phrase)):
                remove_block(element)
                break


def remove_leading_title(body: etree._Element, *titles: str | None) -> None:
    """Drop the headline when the extracted body repeats it as its first block, in any of the
    forms given (the title with its kicker, the headline as printed)."""
    blocks = text_blocks(body)
    folded = {title.casefold() for title in titles if title}
    if blocks and blocks[0].tag in ("head", "p") and element_text(blocks[0]).casefold() in folded:
        remove_block(blocks[0])


def remove_trailing_related(body: etree._Element) -> None:
    """Cut a "Meest gelezen" / "Lees ook" block of links that trails the article text."""
    blocks = text_blocks(body)
    for index, block in enumerate(blocks):
        if index == 0 or block.tag != "head" or not RELATED_HEADING_RE.match(element_text(block)):
            continue
        rest = blocks[index + 1 :]
        before = sum(len(element_text(b)) for b in blocks[:index])
        after = sum(len(element_text(b)) for b in rest)
        # only a short tail after a longer text: a heading in the middle of an article stays
        if rest and after < 1000 and after < before and all(b.tag == "list" for b in rest):
            for trailing in [block, *rest]:
                remove_block(trailing)
            return


# A line pointing to other articles: "ALSO READ: <link>", "Lesen Sie auch: <link>", or the label
# alone on a line above such links ("Mehr Themen auf VOGUE.de:", "More on coronavirus:").
_RELATED_LINE_LABEL_RE = re.compile(
    r"^\s*(?:also read|read next|read more|read also|see also|related|more (?:on|from) [^:]{1,40}|"
    r"you (?:may|might) also like|recommended|lees ook|lees meer|lees verder|ook interessant|"
    r"lesen sie auch|lesen sie hier|auch lesen|schon gelesen\?|auch interessant|mehr zum thema|"
    r"mehr themen(?: auf [^:]{1,30})?|mehr dazu|weiterlesen|empfohlene beiträge|"
    r"weitere beiträge(?: [^:]{1,40})?|(?:à )?lire aussi|voir aussi|leia também|leggi anche|"
    r"lee también|(?:le|te) puede interesar|notas relacionadas|noticias relacionadas|"
    r"contenido relacionado|mira|czytaj (?:też|także|więcej))\s*(?::|»|›|$)",
    re.IGNORECASE,
)

# At most this many link lines follow a label line.
MAX_RELATED_LINES = 5


def _is_link_line(block: etree._Element, label_end: int = 0) -> bool:
    """True when every word of a paragraph (after its label) is the text of a link."""
    if block.tag != "p" or block.find("ref") is None:
        return False
    outside = [(block.text or "")[label_end:]]
    for child in block:
        if child.tag != "ref":
            outside.append("".join(child.itertext()))
        outside.append(child.tail or "")
    return not any(ch.isalnum() for piece in outside for ch in piece)


def remove_related_link_lines(body: etree._Element) -> None:
    """Remove the lines of an article that point to other articles ("ALSO READ: …"), wherever
    they stand: trafilatura keeps them as paragraphs of the text."""
    blocks = text_blocks(body)
    for block in blocks:
        if block.tag != "p" or block.getparent() is None:
            continue
        match = _RELATED_LINE_LABEL_RE.match(block.text or "")
        if match is None:
            continue
        if _is_link_line(block, match.end()):
            remove_block(block)
            continue
        if len(block) or (block.text or "")[match.end() :].strip():
            continue  # a sentence that starts like a label
        following = []
        for sibling in block.itersiblings():
            if len(following) == MAX_RELATED_LINES or not _is_link_line(sibling):
                break
            following.append(sibling)
        # a label closing the text: the links under it were not taken as text
        if following or block is blocks[-1]:
            for line in [block, *following]:
                remove_block(line)


# An appeal to follow the site on a channel: it names the channel (a newsletter, WhatsApp,
# Telegram, push messages, its app) and invites the reader ("Abonniere den Whatsapp-Kanal",
# "Join us on WhatsApp", "… direkt in Ihrem Postfach. Hier geht's zur Anmeldung!"), or it is
# the channel's label ("Newsletter: Sport inside").
_CHANNEL_RE = re.compile(
    r"newsletter|nieuwsbrief|whats\s?app|telegram|infolettre|google news|"
    r"push-?(?:nachricht|mitteilung|melding|notification)|apps? (?:for|für|voor) (?:ios|android)",
    re.IGNORECASE,
)

_INVITATION_RE = re.compile(
    r"\b(?:sign up|subscribe\b|join us|follow us|register\b|abonnier|abonneer|abonnez|"
    r"anmeld|folg(?:st|t|en|e)\b|melde dich|melden sie sich|schrijf je in|inschrijv|volg ons|"
    r"inscri|suscr[ií]b|[úu]nete|iscriviti|postfach|inbox|posteingang|download|herunterlad|"
    r"laden sie|downloaden)",
    re.IGNORECASE,
)

_CHANNEL_LABEL_RE = re.compile(rf"^\s*(?:{_CHANNEL_RE.pattern})\s*:", re.IGNORECASE)

# A longer paragraph is the article's own, whatever it says about newsletters.
CHANNEL_APPEAL_MAX_CHARS = 300

CHANNEL_LABEL_MAX_CHARS = 80


# A paywall's notice where the text stops: "To view the full story, please subscribe", "Pour
# lire la suite", "Subscribe now to our e-edition for the full story".
_PAYWALL_NOTICE_RE = re.compile(
    r"\b(?:to (?:view|read) the full (?:story|article)|for the full (?:story|article)|"
    r"continue reading|pour lire la suite|pour accéder en illimité|para seguir leyendo|"
    r"um (?:den|diesen) (?:ganzen |vollständigen )?(?:artikel|beitrag) (?:zu )?lesen|"
    r"lees het hele artikel|lees verder met)",
    re.IGNORECASE,
)


def remove_channel_appeals(body: etree._Element) -> None:
    """Remove the short paragraphs that ask the reader to subscribe to a newsletter or follow
    the site on a messaging channel or in its app, and a paywall's notice: sites print them
    inside the article's text."""
    for block in text_blocks(body):
        if block.tag not in ("p", "head") or block.getparent() is None:
            continue
        text = element_text(block)
        if not text or len(text) > CHANNEL_APPEAL_MAX_CHARS:
            continue
        if _PAYWALL_NOTICE_RE.search(text):
            remove_block(block)
            continue
        if not _CHANNEL_RE.search(text):
            continue
        labelled = len(text) <= CHANNEL_LABEL_MAX_CHARS and _CHANNEL_LABEL_RE.match(text)
        if labelled or _INVITATION_RE.search(text):
            remove_block(block)


def apply_dateline(body: etree._Element, profile: SiteProfile) -> str | None:
    """Take the dateline town off the first paragraph and return it in normal case."""
    rule = profile.dateline
    blocks = text_blocks(body)
    if rule is None or not blocks or blocks[0].tag != "p":
        return None
    first = blocks[0]
    text = first.text or ""
    match = rule.regex.match(text.replace(NBSP_STANDIN, " "))
    if match is None or not text[match.end() :].strip():
        return None
    place = match.group("place").strip()
    if sum(ch.isalpha() for ch in place) < 3:
        return None
    first.text = text[match.end() :]
    return restore_case(place, rule.lowercase_words, first_may_be_lower=True)


def body_to_text(body: etree._Element) -> str:
    """Plain text of an extracted body: one line per paragraph, no markup."""
    plain = deepcopy(body)
    etree.strip_tags(plain, "ref", "hi")
    # images never enter the text, nor do their captions: the text is the article's prose
    for graphic in list(plain.iter("graphic", "figure")):
        drop(graphic)
    text = unicodedata.normalize("NFC", xmltotxt(plain, False))
    lines = (_clean_line(line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _clean_line(line: str) -> str:
    """One paragraph's text: whitespace folded, no-break spaces beside a space kept."""
    line = _TEXT_SPACE_RE.sub(" ", line).replace(NBSP_STANDIN, "\xa0")
    return line.strip()


def body_to_html(body: etree._Element, base_url: str) -> str:
    """Sanitised HTML of an extracted body: structure and links only, never images or scripts."""
    html = deepcopy(body)
    for graphic in list(html.iter("graphic")):
        drop(graphic)
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
    cleaned = _SANITISER.clean("".join(parts).replace(NBSP_STANDIN, "\xa0"))
    cleaned = _EDGE_BREAKS_RE.sub(lambda m: m.group(1) or m.group(2), cleaned)
    return unicodedata.normalize("NFC", cleaned.strip())


def _absolute_link(target: str | None, base_url: str) -> str | None:
    if not target:
        return None
    target = target.strip()
    if target.lower().startswith("mailto:"):
        return target
    return absolute_http_url(target, base_url)


def has_prose(text: str) -> bool:
    """True for running text: PROSE_MIN_PARAGRAPHS paragraphs of PROSE_MIN_WORDS words or more."""
    paragraphs = [line for line in text.split("\n") if len(line.split()) >= PROSE_MIN_WORDS]
    return len(paragraphs) >= PROSE_MIN_PARAGRAPHS
