"""Helpers shared by the extraction passes: NotAnArticle, text of elements, URLs, names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree

# trafilatura folds no-break spaces into plain spaces; beside another space they are content (a
# reader sees two spaces in "netwerk &nbsp;brengt"), so they travel through it as this printable
# stand-in. A lone no-break space reads as one space, and the text writes it as one.
_NBSP_STANDIN = "\u2e4e"


class NotAnArticle(Exception):
    """The page is not a single news article; reason says why in a few words."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _clean_text(text: str | None) -> str:
    """Text with runs of whitespace folded into one space, trimmed."""
    if not text:
        return ""
    if _NBSP_STANDIN in text:
        text = text.replace(_NBSP_STANDIN, " ")
    # str.split() splits on exactly the characters the regex \s matches, and much faster
    return " ".join(text.split())


def _element_text(element: etree._Element) -> str:
    return _clean_text("".join(element.itertext()))


def _text_length(element: etree._Element) -> int:
    """len(_element_text(element)), without building the folded text."""
    text = "".join(element.itertext())
    if _NBSP_STANDIN in text:
        text = text.replace(_NBSP_STANDIN, " ")
    words = text.split()
    return sum(map(len, words)) + len(words) - 1 if words else 0


def _has_text(element: etree._Element) -> bool:
    """True when element holds any visible character (_element_text would not be empty)."""
    for piece in element.itertext():
        if piece and not piece.isspace() and piece.replace(_NBSP_STANDIN, " ").strip():
            return True
    return False


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


def _blocks(body: etree._Element) -> list[etree._Element]:
    """The body's blocks of text, captions left out: the rules on blocks are about prose."""
    return [child for child in body if child.tag != "figure" and _has_text(child)]


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
