"""Robustness: whatever bytes a server sends, extract_article returns a record or NotAnArticle."""

from __future__ import annotations

import codecs
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler.extract import RECORD_FIELDS, NotAnArticle, extract_article

PAGES = Path(__file__).resolve().parent / "pages"
SAVED_PAGES = sorted(p.name for p in PAGES.glob("*.html"))
URL = "https://www.antwerpspersbureau.be/een-artikel/"
GENERIC_URL = "https://nieuws.example/een-artikel/"

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# Extraction works on saved pages: any attempt to reach the network fails the test.
pytestmark = pytest.mark.usefixtures("no_network")


def outcome(html: bytes | str, url: str = URL, **kwargs: Any) -> dict[str, Any] | NotAnArticle:
    """Run the extractor; only a record or NotAnArticle may come out."""
    try:
        record = extract_article(html, url, **kwargs)
    except NotAnArticle as exc:
        refusal = exc
    else:
        assert tuple(record) == RECORD_FIELDS
        assert isinstance(record["text"], str)
        assert record["text"]
        assert record["word_count"] == len(record["text"].split())
        assert "<img" not in record["body_html"]
        assert "<script" not in record["body_html"]
        return record
    assert refusal.reason
    return refusal


HTML_PIECES = st.sampled_from(
    [
        "<html>",
        "</html>",
        "<head>",
        "</head>",
        "<body class='single single-post'>",
        "<body class='archive'>",
        "</body>",
        "<article>",
        "</article>",
        "<p>",
        "</p>",
        "<div class='entry-content'>",
        "</div>",
        "<h1 class='entry-title'>",
        "</h1>",
        "<time datetime='2024-06-20T10:00:00+02:00'>",
        "</time>",
        "<script type='application/ld+json'>",
        "</script>",
        '{"@type": "NewsArticle", "datePublished": ',
        '"2024-06-20"}',
        "[[[[",
        "<meta property='og:type' content='article'>",
        "<meta charset='utf-8'>",
        "<meta http-equiv='refresh' content='0;url=/x'>",
        "<title>",
        "</title>",
        "<table><tr><td>",
        "</td>",
        "<figure><img src='x.jpg'><figcaption>",
        "</figcaption></figure>",
        "<a href='javascript:x'>",
        "</a>",
        "MECHELEN – ",
        "Vandaag stelde de burgemeester een nieuw plan voor. ",
        "Edwin MARIËN",
        "Door Jan Peeters",
        "• 20/06/2024",
        "20 juni 2024",
        "&amp;",
        "&#0;",
        "&#xD800;",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "\x00",
        "\ufeff",
        "é",
        "🤞",
        " ",
        "\n",
        "<",
        ">",
        "'",
        '"',
    ]
)
HTMLISH = st.lists(HTML_PIECES, max_size=80).map("".join)


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    outcome(data)


@FUZZ
@given(HTMLISH)
def test_html_like_text(html: str) -> None:
    outcome(html)
    outcome(html.encode("utf-8", errors="surrogatepass"), GENERIC_URL)


@FUZZ
@given(
    st.sampled_from(SAVED_PAGES), st.floats(min_value=0.0, max_value=1.0), st.binary(max_size=40)
)
@example(
    name="seed-article.html",
    cut=0.5,
    garbage=b"\x0c",  # a form feed: not allowed in XML text
).via("discovered failure")
def test_truncated_and_damaged_saved_pages(name: str, cut: float, garbage: bytes) -> None:
    data = (PAGES / name).read_bytes()
    position = int(len(data) * cut)
    outcome(data[:position])
    outcome(data[:position] + garbage + data[position:])


@FUZZ
@given(
    st.sampled_from(SAVED_PAGES),
    st.sampled_from(
        [None, "utf-8", "windows-1252", "iso-8859-1", "utf-16", "shift_jis", "bogus", ""]
    ),
    st.dictionaries(st.sampled_from(["sitemap_lastmod", "feed_published"]), st.text(max_size=40)),
)
def test_any_declared_encoding_and_evidence(
    name: str, declared: str | None, evidence: dict[str, str]
) -> None:
    outcome((PAGES / name).read_bytes(), declared_encoding=declared, evidence=evidence)


def deep_divs(levels: int) -> bytes:
    return (
        b"<html><body>"
        + b"<div>" * levels
        + b"Diep verstopte tekst."
        + b"</div>" * levels
        + b"</body></html>"
    )


SEED = (PAGES / "seed-article.html").read_bytes()
PARAGRAPH = (
    "<p>De klimaatactiviste werd over de tafel getrokken, schrijft de krant in een lang stuk.</p>"
)
EXPLICIT_CASES = {
    "empty bytes": b"",
    "empty string": "",
    "only whitespace": b" \n\t\r\n   ",
    "NUL bytes": b"\x00" * 1000,
    "NULs inside a page": SEED.replace(b"<p>", b"<p>\x00", 3),
    "five megabyte text node": b"<html><body><p>" + b"woord " * 900_000 + b"</p></body></html>",
    "text node over the size cap": b"<html><body><p>" + b"a" * 6_000_000 + b"</p></body></html>",
    "10 000 nested divs": deep_divs(10_000),
    "table with many cells": b"<html><body><table>"
    + (b"<tr>" + b"<td>cel</td>" * 150 + b"</tr>") * 150
    + b"</table></body></html>",
    "too many elements": b"<html><body>" + b"<p>x</p>" * 60_000 + b"</body></html>",
    "invalid UTF-8": b"<html><body><p>"
    + b"\xff\xfe\xfa caf\xc3 \xe2\x82" * 50
    + b"</p></body></html>",
    "windows-1252 labelled UTF-8": SEED.decode("utf-8").replace("🤞", "").encode("cp1252"),
    "UTF-8 BOM with a windows-1252 header": codecs.BOM_UTF8 + SEED,
    "UTF-16 with BOM": codecs.BOM_UTF16_LE + SEED.decode("utf-8").encode("utf-16-le"),
    "PNG image": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "PDF document": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "gzip data": b"\x1f\x8b\x08\x00" + bytes(200),
    "XML declaration in a str": (
        '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Tekst</p></body></html>'
    ),
    "lone surrogates in a str": "<html><body><p>\ud800\udfff tekst</p></body></html>",
    "JSON-LD nested ten thousand deep": b"<html><head><script type='application/ld+json'>"
    + b"[" * 10_000
    + b"]" * 10_000
    + b"</script></head><body><p>Tekst</p></body></html>",
    "broken JSON-LD": SEED.replace(b'"@graph": [', b'"@graph": [,,'),
    "only a doctype": b"<!DOCTYPE html>",
    "a lone comment": b"<!-- niets -->",
    "processing instruction": b"<?php echo 'x'; ?>",
    "control characters": bytes(range(1, 32)) * 20,
    "huge attribute": b"<html><body><p title='" + b"x" * 1_000_000 + b"'>Tekst</p></body></html>",
    # found by fuzzing: trafilatura keeps a tag named "imgtonsrc:", which lxml refuses to rename
    "script text parsed as a tag": (
        "<html><body><article>" + PARAGRAPH + '<a class="full picture" href="/foto/1.jpeg">'
        '<imgtonSrc: "",\t// bron voor de knop\n openEffect: "slideDown",\t// effect ["fade"]>'
        "Onderschrift van de foto bij het stuk.</a>" + PARAGRAPH + "</article></body></html>"
    ),
}

# found by fuzzing: a URL that urllib cannot split
BROKEN_URLS = ["http://[broken", "", "not a url", "ftp://example.org/x"]


@pytest.mark.parametrize("url", BROKEN_URLS)
def test_broken_url(url: str) -> None:
    record = outcome("<html><body><article>" + PARAGRAPH * 3 + "</article></body></html>", url)
    assert isinstance(record, dict)
    assert record["url"] == url


@pytest.mark.parametrize("case", sorted(EXPLICIT_CASES))
def test_explicit_hostile_input(case: str) -> None:
    start = time.process_time()
    result = outcome(EXPLICIT_CASES[case])
    # No single page may run away (the caller's worker pool has the final word). CPU time of
    # this process, not wall-clock time, so a busy machine does not fail it.
    assert time.process_time() - start < 15
    if case in {
        "empty bytes",
        "empty string",
        "only whitespace",
        "NUL bytes",
        "PNG image",
        "PDF document",
        "gzip data",
        "too many elements",
        "control characters",
        "10 000 nested divs",
    }:
        assert isinstance(result, NotAnArticle)


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("PNG image", "binary content (PNG image)"),
        ("PDF document", "binary content (PDF document)"),
        ("NUL bytes", "binary content (binary data)"),
        ("too many elements", "page too large (more than 50000 elements)"),
        ("empty bytes", "empty page"),
    ],
)
def test_refusal_reasons(case: str, reason: str) -> None:
    result = outcome(EXPLICIT_CASES[case])
    assert isinstance(result, NotAnArticle)
    assert result.reason == reason


@pytest.mark.parametrize(
    "case",
    ["windows-1252 labelled UTF-8", "UTF-8 BOM with a windows-1252 header", "UTF-16 with BOM"],
)
def test_mislabelled_seed_still_reads_right(case: str) -> None:
    declared = "windows-1252" if "BOM with" in case else "utf-8"
    record = outcome(EXPLICIT_CASES[case], declared_encoding=declared)
    assert isinstance(record, dict)
    assert record["author"] == "Edwin Mariën"
    assert "geïntegreerde politie" in record["text"]
