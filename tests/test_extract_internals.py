"""The shortcuts that make extraction fast give the same answers as the slow ways they replace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction import common, decoding, selectors
from crawler.extraction import page as pages
from crawler.profiles import available_profiles, compile_selector, load_profile

PAGES = Path(__file__).resolve().parent / "pages"
SAVED_PAGES = sorted(PAGES.glob("*.html"))
_WHITESPACE_RE = re.compile(r"\s+")


@pytest.mark.parametrize(
    "text",
    [
        "  Een  twee\ndrie\t ",
        "no\xa0break\u2003em\u3000ideographic\x1cseparator",
        f"stand{common.NBSP_STANDIN}in",
        "",
        "\n\n",
    ],
)
def test_clean_text_folds_whitespace_like_the_regex(text: str) -> None:
    expected = _WHITESPACE_RE.sub(" ", text.replace(common.NBSP_STANDIN, " ")).strip()
    assert common.clean_text(text) == expected


@pytest.mark.parametrize("name", [p.name for p in SAVED_PAGES])
def test_text_length_and_has_text_match_element_text(name: str) -> None:
    tree = decoding.parse_html(decoding.decode_html((PAGES / name).read_bytes()))
    for element in list(tree.iter(etree.Element))[:400]:
        text = common.element_text(element)
        assert common.text_length(element) == len(text)
        assert common.has_text(element) is bool(text)


def _selectors() -> list[str]:
    expressions = set()
    for name in available_profiles():
        profile = load_profile(name)
        for field in (
            "title_selectors",
            "published_selectors",
            "modified_selectors",
            "visible_date_selectors",
            "category_selectors",
            "tag_selectors",
            "author_selectors",
            "drop_selectors",
            "body_selectors",
        ):
            expressions.update(getattr(profile, field))
    return sorted(expressions)


@pytest.mark.parametrize("name", [p.name for p in SAVED_PAGES])
def test_the_page_index_never_skips_a_selector_that_matches(name: str) -> None:
    """A selector skipped because the page lacks a class, id or attribute it needs finds nothing."""
    read = pages.read_page(
        (PAGES / name).read_bytes(), "https://e.example/a/", load_profile("generic"), None
    )
    pages.mark_excluded_regions(read)
    assert read.index is not None
    for expression in _selectors():
        needs = selectors.selector_needs(expression)
        if needs is not None and not read.index.may_match(needs):
            assert compile_selector(expression)(read.tree) == [], expression


@pytest.mark.parametrize(
    ("expression", "classes", "ids", "attributes", "tags"),
    [
        (".byline .author", {"byline", "author"}, set(), set(), set()),
        ("h1.entry-title", {"entry-title"}, set(), set(), {"h1"}),
        ("#cookie-notice", set(), {"cookie-notice"}, set(), set()),
        ("a[rel~=category]", set(), set(), {("rel", "category")}, {"a"}),
        (
            "[itemprop=author] [itemprop=name]",
            set(),
            set(),
            {("itemprop", "author"), ("itemprop", "name")},
            set(),
        ),
        # what a :not() excludes is not needed
        ("a:not(.skip)", set(), set(), set(), {"a"}),
    ],
)
def test_selector_needs(
    expression: str,
    classes: set[str],
    ids: set[str],
    attributes: set[tuple[str, str]],
    tags: set[str],
) -> None:
    needs = selectors.selector_needs(expression)
    assert needs is not None
    assert (needs.classes, needs.ids, needs.attributes, needs.tags) == (
        classes,
        ids,
        attributes,
        tags,
    )


@pytest.mark.parametrize("expression", ["//h1", "./article", "(//time)[1]", "h1, h2", "h1[["])
def test_xpath_groups_and_broken_selectors_are_always_evaluated(expression: str) -> None:
    assert selectors.selector_needs(expression) is None


def test_parsed_elements_are_html_elements_and_counted() -> None:
    tree, count = decoding.parse_counted(
        "<html><body><p>Een <b>twee</b></p><form></form></body></html>"
    )
    assert all(isinstance(e, HtmlElement) for e in tree.iter())
    assert count == sum(1 for _ in tree.iter(etree.Element))
    assert tree.find(".//p").text_content() == "Een twee"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("\x01\x02\x03", "empty page"),
        (" \t\n", "empty page"),
        ("\ufffe\uffff \x7f", "empty page"),
    ],
)
def test_pages_of_nothing_but_controls_are_empty(text: str, reason: str) -> None:
    with pytest.raises(common.NotAnArticle) as raised:
        decoding.parse_html(text)
    assert raised.value.reason == reason


FURNITURE_PAGE = """<html><head><title>Nieuwe brug over de Nete</title></head><body>
<nav><a href="/">Home</a> <a href="/nieuws/">Nieuws</a></nav>
<div class="share-buttons"><a href="/share">Deel dit artikel</a></div>
<div class="related-content"><main><article>
<h1>Nieuwe brug over de Nete</h1>
<p>De brug tussen Lier en Duffel is dinsdag geopend voor fietsers en voetgangers.</p>
</article></main></div>
<aside class="sidebar"><p>Meest gelezen vandaag</p></aside>
<div class="comments"><p>Reactie van een lezer</p></div>
</body></html>"""


def test_furniture_goes_before_trafilatura_but_never_the_article() -> None:
    """Menus, share boxes and comments leave the tree; a furniture-like block around the
    headline stays, and so do sidebars (which on some sites wrap the article)."""
    from crawler.extraction.listing import refuse_non_articles
    from crawler.extraction.titles import extract_title

    page = pages.read_page(FURNITURE_PAGE, "https://e.example/a/", load_profile("generic"), None)
    refuse_non_articles(page)
    assert extract_title(page, []) == "Nieuwe brug over de Nete"
    pages.drop_furniture(page)
    text = page.tree.text_content()
    assert "Deel dit artikel" not in text
    assert "Reactie van een lezer" not in text
    assert page.tree.find(".//nav") is None
    assert "De brug tussen Lier en Duffel" in text
    assert "Meest gelezen vandaag" in text
