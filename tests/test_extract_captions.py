"""Image captions: <figure><figcaption> in body_html, never part of the text's prose."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crawler.extract import extract_article
from crawler.profiles import load_profile

# Extraction works on saved pages: any attempt to reach the network fails the test.
pytestmark = pytest.mark.usefixtures("no_network")


FIRST = (
    "De gemeenteraad van Retie heeft gisteren beslist dat de kermis dit jaar vijf dagen duurt en "
    "dat de straten rond het dorpsplein voor het verkeer worden afgesloten."
)
SECOND = (
    "Het college verwacht twintigduizend bezoekers en zet daarom extra stewards in op het "
    "dorpsplein, aan de kerk en langs de Markt."
)
THIRD = "De kermis opent vrijdagavond om acht uur met een optreden van de fanfare van Retie."
CAPTION = "De kermis op het dorpsplein van Retie (foto Jan Peeters)"
FIGURES = {
    "figure": (
        '<figure class="wp-block-image"><img src="/kermis.jpg" alt="Kermis">'
        f"<figcaption>{CAPTION}</figcaption></figure>"
    ),
    "wp-caption": (
        '<div id="attachment_7" class="wp-caption aligncenter"><img src="/kermis.jpg" alt="">'
        f'<p class="wp-caption-text">{CAPTION}</p></div>'
    ),
    "figure-in-paragraph-wrapper": (
        '<div class="image"><figure><picture><img src="/kermis.jpg" alt=""></picture>'
        f'<figcaption class="caption"><span>{CAPTION}</span></figcaption></figure></div>'
    ),
}


def article(figure: str) -> str:
    return (
        "<html><head><title>Kermis in Retie duurt vijf dagen</title></head><body>"
        '<nav><a href="/">Home</a></nav><main><article><h1>Kermis in Retie duurt vijf dagen</h1>'
        f"<p>{FIRST}</p><p>{SECOND}</p>{figure}<p>{THIRD}</p></article></main>"
        '<aside class="sidebar"><figure><img src="/ad.jpg">'
        "<figcaption>Adverteer hier</figcaption></figure></aside></body></html>"
    )


@pytest.mark.parametrize("kind", sorted(FIGURES))
@pytest.mark.parametrize("profile", ["generic", "body-selector"])
def test_caption_is_a_figure_in_body_html_and_not_text(kind: str, profile: str) -> None:
    site = load_profile("generic")
    if profile == "body-selector":
        site = replace(site, body_selectors=("article",))
    record = extract_article(
        article(FIGURES[kind]), "https://kempenaar.example/kermis-in-retie", profile=site
    )
    html = record["body_html"]
    assert f"<figure><figcaption>{CAPTION}</figcaption></figure>" in html
    # in its place: after the second paragraph, before the third
    assert html.index(SECOND) < html.index(CAPTION) < html.index(THIRD)
    assert "<img" not in html
    assert "Adverteer hier" not in html
    assert CAPTION not in record["text"]
    assert "foto Jan Peeters" not in record["text"]
    assert record["text"].split("\n") == [FIRST, SECOND, THIRD]


def test_a_figure_holding_a_table_keeps_the_table() -> None:
    table = (
        "<figure><table><tr><th>Dag</th><th>Uur</th></tr><tr><td>Vrijdag</td><td>20 uur</td></tr>"
        "<tr><td>Zaterdag</td><td>14 uur</td></tr></table>"
        "<figcaption>Openingsuren van de kermis</figcaption></figure>"
    )
    site = replace(load_profile("generic"), body_selectors=("article",))
    record = extract_article(article(table), "https://kempenaar.example/kermis", profile=site)
    assert "Vrijdag" in record["text"]
    assert (
        "<figure><figcaption>Openingsuren van de kermis</figcaption></figure>"
        in (record["body_html"])
    )


def test_no_caption_no_figure() -> None:
    record = extract_article(
        article('<figure><img src="/kermis.jpg" alt="Kermis"></figure>'),
        "https://kempenaar.example/kermis-in-retie",
        profile=load_profile("generic"),
    )
    assert "<figure" not in record["body_html"]
    assert record["text"].split("\n") == [FIRST, SECOND, THIRD]
