"""Helpers shared by the extraction passes: NotAnArticle, text of elements, URLs, names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree

# trafilatura folds no-break spaces into plain spaces; beside another space they are content (a
# reader sees two spaces in "netwerk &nbsp;brengt"), so they travel through it as this printable
# stand-in. A lone no-break space reads as one space, and the text writes it as one.
NBSP_STANDIN = "\u2e4e"


class NotAnArticle(Exception):
    """The page is not a single news article; reason says why in a few words."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def clean_text(text: str | None) -> str:
    """Text with runs of whitespace folded into one space, trimmed."""
    if not text:
        return ""
    if NBSP_STANDIN in text:
        text = text.replace(NBSP_STANDIN, " ")
    # str.split() splits on exactly the characters the regex \s matches, and much faster
    return " ".join(text.split())


def element_text(element: etree._Element) -> str:
    """The element's text, whitespace folded (clean_text)."""
    return clean_text("".join(element.itertext()))


def text_length(element: etree._Element) -> int:
    """len(element_text(element)), without building the folded text."""
    text = "".join(element.itertext())
    if NBSP_STANDIN in text:
        text = text.replace(NBSP_STANDIN, " ")
    words = text.split()
    return sum(map(len, words)) + len(words) - 1 if words else 0


def has_text(element: etree._Element) -> bool:
    """True when element holds any visible character (element_text would not be empty)."""
    for piece in element.itertext():
        if piece and not piece.isspace() and piece.replace(NBSP_STANDIN, " ").strip():
            return True
    return False


def url_path(url: str) -> str | None:
    """A URL's path without its trailing slash, or None for a URL that does not parse."""
    try:
        return urlsplit(url).path.rstrip("/")
    except ValueError:
        return None


def host_key(url: str) -> tuple[str, int | None]:
    """A URL's host without "www.", and its port unless 80 or 443: a site to compare."""
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


def absolute_http_url(value: str | None, base: str) -> str | None:
    """value resolved against base when that gives an http(s) URL, else None."""
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


def dedupe(values: Iterable[str]) -> list[str]:
    """The non-empty values, each once (compared case-blind), in their order."""
    seen: set[str] = set()
    result = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            result.append(value)
    return result


def restore_case(
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


def drop(element: etree._Element) -> None:
    """Remove element from its tree; its tail text stays in place."""
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


def text_blocks(body: etree._Element) -> list[etree._Element]:
    """The body's blocks of text, captions left out: the rules on blocks are about prose."""
    return [child for child in body if child.tag != "figure" and has_text(child)]


def remove_block(element: etree._Element) -> None:
    """Remove a block of an extracted body, and the list or quote it leaves empty."""
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
        if (
            parent.tag in ("list", "quote")
            and not element_text(parent)
            and parent.getparent() is not None
        ):
            parent.getparent().remove(parent)
