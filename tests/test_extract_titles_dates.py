"""Headlines and publication dates as readers see them: pure functions, then whole pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import lxml.html
import pytest

from crawler.dates import (
    date_near_headline,
    find_visible_dates,
    labelled_published_date,
    parse_visible_date,
    published_date_in_text,
)
from crawler.extract import (
    extract_article,
    headline_agreement,
    headline_text,
    pick_headline,
    url_slug_text,
)
from crawler.profiles import load_profile

LANGUAGES = ("nl", "en", "fr", "de", "es", "pt", "it")


# Extraction works on saved pages: any attempt to reach the network fails the test.
pytestmark = pytest.mark.usefixtures("no_network")


# --------------------------------------------------------------------------- dates in text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("• 20/06/2024", "2024-06-20"),
        ("za 20 jun. 2024", "2024-06-20"),
        ("Fr, 24. Januar 2020, 18:18", "2020-01-24"),
        ("04.05.20 14:50", "2020-05-04"),  # a two-digit year, with dots only
        ("21 de abril de 2022, 14:32", "2022-04-21"),
        ("04 mayo 2022 - 00:00", "2022-05-04"),
        ("30 septembre 2018", "2018-09-30"),
        ("Apr. 26, 2022", "2022-04-26"),
        ("Written: 2023-11-07 15:03:30", "2023-11-07"),
        ("14 Gennaio 2020", "2020-01-14"),
        ("12 de março de 2024", "2024-03-12"),
        ("• 31/02/2024", None),
        ("Version 1.15.20", None),
        ("4/5/20", None),  # slashes with a two-digit year: too ambiguous
    ],
)
def test_parse_visible_date(text: str, day: str | None) -> None:
    found = parse_visible_date(text, "DMY", LANGUAGES)
    assert (found.iso if found else None) == day


def test_find_visible_dates_gives_every_date_once_in_order() -> None:
    mentions = find_visible_dates("Stand 20.06.2024, erschienen am 3. Mai 2024", "DMY", LANGUAGES)
    assert [m.found.day for m in mentions] == [date(2024, 6, 20), date(2024, 5, 3)]
    assert mentions[0].start < mentions[0].end <= mentions[1].start


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Door Jan Peeters, 12 maart 2024", "2024-03-12"),
        ("Veröffentlicht am 3. Mai 2024", "2024-05-03"),
        # an update is never the publication
        ("Aktualisiert: 11.04.2020, 10:27", None),
        ("Aktualisiert: 11.04.2020, 10:27 Publiziert: 03.04.2020, 12:35", "2020-04-03"),
        ("Updated: Aug. 18, 2020 / June 12, 2020", "2020-06-12"),
        ("Update: 12.03.2024 Posted 10.03.2024", "2024-03-10"),
        # the labelled publication wins over an earlier date without a label
        ("02.01.23 09:51 von Mathilda Trausch Veröffentlicht: 26.12.2022", "2022-12-26"),
        ("Publié sur 18/02/2020", "2020-02-18"),
        ("Stand: 12.03.2024", None),
        ("geen datum", None),
    ],
)
def test_published_date_in_text(text: str, day: str | None) -> None:
    found = published_date_in_text(text, "DMY", LANGUAGES)
    assert (found.iso if found else None) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("… Kategorie: Alltag. Veröffentlicht am: 6. August 2009", "2009-08-06"),
        ("Die Studie vom 3. Mai 2024 zeigt", None),  # no label: not a byline
        # a byline after a long text is still read
        ("Tekst. " * 1000 + "Gepubliceerd op 12 maart 2024", "2024-03-12"),
    ],
)
def test_labelled_published_date(text: str, day: str | None) -> None:
    found = labelled_published_date(text, "DMY", LANGUAGES)
    assert (found.iso if found else None) == day


@pytest.mark.parametrize(
    ("before", "after", "day"),
    [
        # the byline after the headline
        ("Home\nPolitik", "Door Jan Peeters\n12 maart 2024\nDe gemeente …", "2024-03-12"),
        # a date line above the headline
        ("Olympische Winterspiele\n02 Feb. 2022", "Peking 2022 steht vor der Tür", "2022-02-02"),
        # the nearest date wins: the one above, two characters away
        (
            "Weitere Artikel 01.01.2020\nPolitik\n29.04.2020",
            "Von X\nLesedauer 8 Min.",
            "2020-04-29",
        ),
        # an update date is skipped, the labelled publication taken even when farther
        ("Aktualisiert: 11.04.2020", "Text … Publiziert: 03.04.2020", "2020-04-03"),
        ("", "", None),
    ],
)
def test_date_near_headline(before: str, after: str, day: str | None) -> None:
    found = date_near_headline(before, after, "DMY", LANGUAGES)
    assert (found.iso if found else None) == day


# --------------------------------------------------------------------------- headlines


@pytest.mark.parametrize(
    ("heading", "titles", "agreement"),
    [
        ("Lotte Tobisch ist tot", ["Chronik: Lotte Tobisch ist tot | ORF"], (4, 1.0)),
        (
            "Können Fische Schmerzen spüren / empfinden?",
            ["Können Fische Schmerzen spüren?"],
            (4, 0.8),
        ),
        # words spelled as in URLs: "Übersee" and "uebersee" are the same word
        ("Expeditionen in Übersee", ["expeditionen planen expeditionen in uebersee"], (3, 1.0)),
        # sharing only the site's name is no agreement
        ("OSV-Bericht", ["FINA Weltmeisterschaften VERSCHOBEN - OSV"], (0, 0.0)),
        ("Emden", ["Emden - Sehenswürdigkeiten Attraktionen"], (1, 1.0)),
        ("Pressemitteilungen", [], (0, 0.0)),
        ("", ["Iets"], (0, 0.0)),
    ],
)
def test_headline_agreement(heading: str, titles: list[str], agreement: tuple[int, float]) -> None:
    assert headline_agreement(heading, titles) == agreement


@pytest.mark.parametrize(
    ("headings", "titles", "chosen"),
    [
        # the site's logo heading and the post's heading: the post's agrees more
        (
            [("Der Nesselsetzer", False), ("Antipoden: Die Wahrheit über Neuseeland", False)],
            ["Antipoden: Die Wahrheit über Neuseeland | Der Nesselsetzer"],
            1,
        ),
        # an <h1> sharing two words or more beats an <h2> repeating the site's name
        (
            [("La agenda de Interior", True), ("La Tercera AM La agenda de Interior", False)],
            ["La agenda de Interior - La Tercera"],
            0,
        ),
        # a section label in <h1> loses to the headline in <h2>
        (
            [
                ("OutdoorNews | Eintrag", True),
                ("Hochauflösende Schneekarten auf Gipfelbuch.ch", False),
            ],
            ["gipfelbuch.ch - Outdoornews - Hochauflösende Schneekarten auf Gipfelbuch.ch"],
            1,
        ),
        ([("Nachrichten", True)], ["Bohren, bis es heiß wird"], None),
        ([], ["Iets"], None),
    ],
)
def test_pick_headline(
    headings: list[tuple[str, bool]], titles: list[str], chosen: int | None
) -> None:
    assert pick_headline(headings, titles) == chosen


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<h1>Gewoon een kop</h1>", "Gewoon een kop"),
        (
            '<h1><span class="article-heading__kicker">Klimaschutz</span>'
            '<span class="visually-hidden">: </span>'
            '<span class="article-heading__title">Bohren, bis es heiß wird</span></h1>',
            "Bohren, bis es heiß wird",
        ),
        (
            '<h1><span class="ts-overline">Abstandsregeln </span><span class="ts-colon">: </span>'
            '<span class="ts-headline">Wie Firmen schützen</span></h1>',
            "Wie Firmen schützen",
        ),
        (
            '<h1><div class="entry-section"><a href="/local-news/">Local News | </a></div>'
            '<span class="dfm-title"> Brothel busted in Boston </span></h1>',
            "Brothel busted in Boston",
        ),
        (
            '<h1><span class="article__subheadline">Open Progress</span><br>'
            '<span class="article__headline">Why thinking beats smarts</span></h1>',
            "Why thinking beats smarts",
        ),
        (
            '<h1><span class="ContentHead_titleheader__x">Coronavirus</span>'
            '<span aria-hidden="true"> – </span>'
            '<span class="ContentHead_text__y">Wie es kam</span></h1>',
            "Wie es kam",
        ),
        ('<h1><span class="kicker">Alles kicker</span></h1>', "Alles kicker"),
    ],
)
def test_headline_text_leaves_out_kickers(html: str, text: str) -> None:
    assert headline_text(lxml.html.fragment_fromstring(html)) == text


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://e.example/2024/06/kermis-in-retie.html", "kermis in retie"),
        (
            "https://e.example/reizen/expeditionen-in-%C3%BCbersee/",
            "reizen expeditionen in ubersee",
        ),
        ("https://wien.orf.at/stories/3017954/", "stories"),
        ("https://e.example/?p=3289", ""),
        ("http://[broken", ""),
    ],
)
def test_url_slug_text(url: str, words: str) -> None:
    assert url_slug_text(url) == words


# --------------------------------------------------------------------------- whole pages

ARTICLE_TEXT = (
    "<p>De gemeenteraad van Retie heeft gisteren beslist dat de kermis dit jaar vijf dagen duurt "
    "en dat de straten rond het dorpsplein voor het verkeer worden afgesloten.</p>"
    "<p>Het college verwacht twintigduizend bezoekers en zet extra stewards in.</p>"
)


def page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def extract(html: str, url: str = "https://kempenaar.example/artikel/kermis-in-retie") -> Any:
    return extract_article(html, url, profile=load_profile("generic"))


@pytest.mark.parametrize(
    "head",
    [
        "<title>De Kempenaar</title>",
        '<title>De Kempenaar</title><meta property="og:title" content="De Kempenaar">',
        # a site name the page states nowhere else: the URL spells the headline
        "<title>Nieuws</title>",
    ],
)
def test_a_site_name_title_still_gives_the_headline(head: str) -> None:
    body = (
        '<header><div class="logo"><a href="/">De Kempenaar</a></div></header>'
        f"<main><article><h1>Kermis in Retie duurt vijf dagen</h1>{ARTICLE_TEXT}</article></main>"
    )
    assert extract(page(head, body))["title"] == "Kermis in Retie duurt vijf dagen"


def test_the_visible_headline_wins_over_a_longer_head_title() -> None:
    og_title = "Retie: Kermis in Retie duurt vijf dagen - De Kempenaar"
    head = f'<meta property="og:title" content="{og_title}">'
    body = (
        '<article><h1><span class="kicker">Retie</span> Kermis in Retie duurt vijf dagen</h1>'
        f"{ARTICLE_TEXT}</article>"
    )
    assert extract(page(head, body))["title"] == "Kermis in Retie duurt vijf dagen"


@pytest.mark.parametrize(
    ("byline", "published"),
    [
        ("<p>Door Jan Peeters, 12 maart 2024</p>", "2024-03-12"),
        ('<p class="meta">Aktualisiert: 11.04.2020 · Veröffentlicht: 03.04.2020</p>', "2020-04-03"),
        ("<p>Bijgewerkt op 14 maart 2024</p>", None),
    ],
)
def test_a_date_printed_by_the_headline(byline: str, published: str | None) -> None:
    body = f"<article><h1>Kermis in Retie duurt vijf dagen</h1>{byline}{ARTICLE_TEXT}</article>"
    record = extract(page("<title>Kermis in Retie duurt vijf dagen</title>", body))
    assert record["published"] == published
    assert record["date_source"] == ("visible-text" if published else None)


def test_a_date_line_above_the_headline() -> None:
    body = (
        '<article><div class="topline">Gemeenteraad · 5 maart 2024</div>'
        f"<h1>Kermis in Retie duurt vijf dagen</h1>{ARTICLE_TEXT}</article>"
    )
    record = extract(page("<title>Kermis in Retie duurt vijf dagen</title>", body))
    assert record["published"] == "2024-03-05"


def test_machine_readable_dates_still_come_first() -> None:
    head = (
        "<title>Kermis in Retie duurt vijf dagen</title>"
        '<meta property="article:published_time" content="2024-03-04T18:00:00+01:00">'
    )
    body = (
        "<article><h1>Kermis in Retie duurt vijf dagen</h1><p>5 maart 2024</p>"
        f"{ARTICLE_TEXT}</article>"
    )
    record = extract(page(head, body))
    assert (record["published"], record["date_source"]) == ("2024-03-04T18:00:00+01:00", "meta")


def test_the_date_in_an_articles_own_aside_is_read() -> None:
    """An <aside> inside the <article> is its margin (byline, date), not a sidebar."""
    body = (
        "<article><header><h1>Kermis in Retie duurt vijf dagen</h1></header>"
        '<aside class="meta"><time datetime="2023-10-18T11:45:00+02:00">18. Okt 2023</time></aside>'
        f"{ARTICLE_TEXT}</article>"
        '<aside class="sidebar"><time datetime="2020-01-01">1 jan 2020</time></aside>'
    )
    record = extract(page("<title>Kermis in Retie duurt vijf dagen</title>", body))
    assert record["published"] == "2023-10-18T11:45:00+02:00"


def test_a_post_inside_a_blog_widget_is_not_furniture() -> None:
    """Blogger puts the post in a "widget": the headline shows it is the article."""
    body = (
        '<div class="widget Blog"><div class="post"><h2 class="date-header">Samstag, 9. September'
        ' 2017</h2><h3 class="post-title entry-title">Kermis in Retie duurt vijf dagen</h3>'
        f'<div class="post-body">{ARTICLE_TEXT}</div></div></div>'
        '<div class="widget Profile"><h2>Over mij</h2><p>Unknown</p></div>'
    )
    head = '<meta property="og:title" content="Kermis in Retie duurt vijf dagen">'
    record = extract(page(head, body))
    assert record["title"] == "Kermis in Retie duurt vijf dagen"
    assert record["published"] == "2017-09-09"


def test_an_application_name_that_is_the_headline_is_no_site_name() -> None:
    head = '<meta name="application-name" content="Kermis in Retie duurt vijf dagen">'
    body = f"<main><h1>Kermis in Retie duurt vijf dagen</h1>{ARTICLE_TEXT}</main>"
    record = extract(page(head, body))
    assert record["title"] == "Kermis in Retie duurt vijf dagen"
    assert record["site_name"] is None
