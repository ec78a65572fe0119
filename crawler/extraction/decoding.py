"""Page bytes to an lxml tree: encodings, binary content, bounded parsing."""

from __future__ import annotations

import codecs
import logging
import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.common import (
    NotAnArticle,
)

logger = logging.getLogger(__name__)

# Limits that keep every page's cost bounded, whatever a server sends.
MAX_HTML_BYTES = 5_000_000

# trafilatura's time grows faster than linearly with the number of paragraphs (about 5 s for
# 50 000 on one core); real news pages have a few thousand elements
MAX_ELEMENTS = 50_000

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

# bytes that do not occur in text: C0 controls other than tab, newlines, form feed and escape
_BINARY_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])

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
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROL_BYTES))
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


# Every element is an lxml.html HtmlElement, as trafilatura expects, but looked up in C: lxml.html's
# own parser asks a Python function for the class of every element it hands out (to give forms
# and inputs their classes), which costs more than the parse itself on a page walked many times.
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)

_COUNT_ELEMENTS = etree.XPath("count(//*)")

# control bytes: never inside a UTF-8 sequence, so they can be deleted from the encoded page
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _html_parser() -> etree.HTMLParser:
    # a parser per call: lxml parsers must not be shared between threads
    parser = etree.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    return parser


def parse_html(text: str) -> HtmlElement:
    """Parse decoded HTML into a bounded lxml tree, or raise NotAnArticle."""
    return parse_counted(text)[0]


def parse_counted(text: str) -> tuple[HtmlElement, int]:
    """The parsed tree and its number of elements, or NotAnArticle."""
    root_match = _XML_ROOT_RE.match(text[:4096])
    if root_match and root_match.group(1).lower() in _XML_DOCUMENTS:
        raise NotAnArticle(f"not a web page ({_XML_DOCUMENTS[root_match.group(1).lower()]})")
    text = _XML_DECLARATION_RE.sub("", text[:MAX_HTML_BYTES], count=1)
    sample = text[:8192]
    if sample and sample.count("\x00") > len(sample) // 100:
        raise NotAnArticle("binary content (NUL characters)")
    if "\ufffe" in text or "\uffff" in text:
        text = text.replace("\ufffe", "").replace("\uffff", "")
    if not text.strip():
        raise NotAnArticle("empty page")
    data = text.encode("utf-8", errors="replace").translate(None, _CONTROL_BYTES)
    if len(data) < 4096 and not data.decode("utf-8", errors="replace").strip():
        raise NotAnArticle("empty page")
    parser = _html_parser()
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NotAnArticle(f"not HTML ({exc})") from exc
    if root is None:
        raise NotAnArticle("not HTML")
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        logger.warning(
            "page nested deeper than the parser allows: content after that point is lost"
        )
    elements = int(_COUNT_ELEMENTS(root))
    if elements > MAX_ELEMENTS:
        raise NotAnArticle(f"page too large (more than {MAX_ELEMENTS} elements)")
    return root, elements
