"""crawler.extract on saved pages: the regional site, a real WordPress site, generic pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from crawler import dates
from crawler.extract import (
    ALLOWED_BODY_TAGS,
    DATE_SOURCES,
    EXTRACTOR_VERSION,
    RECORD_FIELDS,
    NotAnArticle,
    decode_html,
    extract_article,
    looks_like_listing_url,
)
from crawler.profiles import load_profile

PAGES = Path(__file__).resolve().parent / "pages"
# shared/ sits beside the repository, in CI too
SHARED = Path(__file__).resolve().parents[2] / "shared"
BALDR = SHARED / "realdata" / "sites" / "baldr"

REGIONAL = "https://www.antwerpspersbureau.be"
SEED_URL = (
    f"{REGIONAL}/vier-organisaties-uit-onze-provincie-zitten-in-wij-zij-netwerk-tegen-polarisatie/"
)
SEED_TITLE = "Vier organisaties uit onze provincie zitten in Wij-Zij-netwerk tegen polarisatie"
BALDR_HOST = "https://hetillusteredispuutbaldr.example"


# Extraction works on saved pages: any attempt to reach the network fails the test.
pytestmark = pytest.mark.usefixtures("no_network")


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def extract_page(name: str, url: str = SEED_URL, **kwargs: Any) -> dict[str, Any]:
    return extract_article(page(name), url, **kwargs)


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    return extract_article(page("seed-article.html"), SEED_URL)


# --------------------------------------------------------------------------- the seed article


def test_record_has_exactly_the_documented_fields(seed: dict[str, Any]) -> None:
    assert tuple(seed) == RECORD_FIELDS


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("url", SEED_URL.replace("https://", "http://")),
        ("title", SEED_TITLE),
        ("published", "2024-06-20T11:32:07+02:00"),
        ("modified", "2024-06-20T14:05:51+02:00"),
        ("date_source", "json-ld"),
        ("author", "Edwin Mariën"),
        ("authors", ["Edwin Mariën"]),
        ("place", "Mechelen"),
        ("categories", ["Mechelen"]),
        ("tags", ["Bart Somers", "Kazerne Dossin", "radicalisering"]),
        (
            "description",
            "Vlaams minister Bart Somers stelde in de Kazerne Dossin het vernieuwde "
            "Wij-Zij-Netwerk voor.",
        ),
        ("language", "nl"),
        (
            "image",
            "http://www.antwerpspersbureau.be/wp-content/uploads/2024/06/somers-dossin-1024x683.jpg",
        ),
        ("site_name", "Persbureau Provincie Antwerpen"),
        ("extractor_version", EXTRACTOR_VERSION),
    ],
)
def test_seed_article_field(seed: dict[str, Any], field: str, expected: Any) -> None:
    assert seed[field] == expected


def test_seed_text_is_the_six_paragraphs_without_dateline_or_signature(
    seed: dict[str, Any],
) -> None:
    expected = (PAGES / "seed-article.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert seed["text"] == expected
    paragraphs = seed["text"].split("\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("Vandaag stelde Bart Somers")
    assert paragraphs[-1].endswith("escalerende probleemsituaties.’")
    assert seed["word_count"] == len(seed["text"].split())


@pytest.mark.parametrize(
    "unwanted",
    [
        "Abonneer",
        "Ontvang tweemaal",
        "spam",
        "Aanverwante",
        "Delen",
        "cookies",
        "MARIËN",
        "Mariën",
        "MECHELEN –",
        "Recente berichten",
        "Inschrijven",
        "20/06/2024",
        "Tags:",
        "Minister Bart Somers in de Kazerne Dossin.",  # the caption of the photo above the text
        "Hannah Arendt Instituut opent nieuwe zetel",  # a related post
    ],
)
def test_seed_text_has_no_page_furniture(seed: dict[str, Any], unwanted: str) -> None:
    assert unwanted not in seed["text"]
    assert unwanted not in seed["body_html"]


def test_seed_body_html_is_the_paragraphs(seed: dict[str, Any]) -> None:
    assert seed["body_html"].count("<p>") == 6
    assert seed["body_html"].startswith("<p>Vandaag stelde Bart Somers")


def test_seed_can_be_searched_on_its_first_sentence(seed: dict[str, Any]) -> None:
    assert "Vandaag stelde Bart Somers (Open Vld, zie foto), Vlaams minister" in seed["text"]


# --------------------------------------------------------------------------- regional variants


@pytest.mark.parametrize(
    ("name", "field", "expected"),
    [
        ("hyphen-dateline.html", "place", "Heist-op-den-Berg"),
        ("hyphen-dateline.html", "author", "Jan Van den Broeck"),
        ("hyphen-dateline.html", "image", None),
        ("hyphen-dateline.html", "tags", ["De Lijn", "mobiliteit"]),
        ("hyphen-dateline.html", "categories", ["Kempen"]),
        ("byline-article.html", "place", "Puurs-Sint-Amands"),
        ("byline-article.html", "authors", ["Jan Peeters", "An Smet"]),
        ("byline-article.html", "author", "Jan Peeters, An Smet"),
        ("byline-article.html", "modified", "2024-07-06T09:00:00+02:00"),
        ("photo-credit.html", "place", "Sint-Katelijne-Waver"),
        ("photo-credit.html", "authors", ["Marc De Smet"]),
        ("photo-credit.html", "title", "Nieuwe fietsbrug over de Nete open"),
        ("windows-1252.html", "place", "Lier"),
        ("windows-1252.html", "author", "Liesbeth Janssens"),
        ("windows-1252.html", "published", "2024-06-27T07:30:00+02:00"),
        ("visible-date-only.html", "published", "2024-03-05"),
        ("visible-date-only.html", "date_source", "visible-text"),
        ("visible-date-only.html", "modified", None),
        ("visible-date-only.html", "place", "Boom"),
        ("visible-date-only.html", "author", "Tom Willems"),
    ],
)
def test_regional_variant_field(name: str, field: str, expected: Any) -> None:
    assert extract_page(name)[field] == expected


@pytest.mark.parametrize(
    ("name", "starts", "ends"),
    [
        ("hyphen-dateline.html", "De gemeente Heist-op-den-Berg legt", "het meest nodig hebben.’"),
        ("byline-article.html", "Het jeugdhuis in Bornem viert", "de website van het jeugdhuis."),
        ("photo-credit.html", "De nieuwe fietsbrug over de Nete", "een omweg van drie kilometer.’"),
        ("windows-1252.html", "De zomerbar aan de vesten opent", "volgende week bekendgemaakt."),
        ("visible-date-only.html", "De gemeenteraad van Boom heeft", "te weinig inspraak kregen."),
    ],
)
def test_regional_variant_text_drops_dateline_and_signature(
    name: str, starts: str, ends: str
) -> None:
    text = extract_page(name)["text"]
    assert text.startswith(starts)
    assert text.endswith(ends)


def test_byline_paragraph_is_removed_from_text() -> None:
    record = extract_page("byline-article.html")
    assert "Door Jan Peeters" not in record["text"]
    assert "Door Jan Peeters" not in record["body_html"]


@pytest.mark.parametrize(
    ("last_paragraph", "authors"),
    [
        ("Door Jan Peeters", ["Jan Peeters"]),
        ("door Jan Peeters en An Smet", ["Jan Peeters", "An Smet"]),
        ("Tekst: Katrien van den Broeck", ["Katrien van den Broeck"]),
        ("Door de regen werd alles afgelast.", []),
    ],
)
def test_byline_as_a_plain_last_paragraph(last_paragraph: str, authors: list[str]) -> None:
    record = extract_article(
        _seed_variant("<p>Edwin MARIËN</p>", f"<p>{last_paragraph}</p>"), SEED_URL
    )
    assert record["authors"] == authors
    assert record["text"].endswith(last_paragraph) is not bool(authors)


def test_photo_credit_is_never_the_author() -> None:
    record = extract_page("photo-credit.html")
    assert "Jan Peeters" not in record["authors"]
    # the caption of a photo inside the text is a caption in body_html, and not part of the text
    assert (
        "<figure><figcaption>Schepen An Smet knipt het lint door (foto Jan Peeters)"
        "</figcaption></figure>"
    ) in record["body_html"]
    assert "Schepen An Smet" not in record["text"]


def test_body_html_keeps_headings_lists_and_links() -> None:
    html = extract_page("hyphen-dateline.html")["body_html"]
    assert "<h2>Haltes</h2>" in html
    assert "<ul><li>Kerkplein</li><li>Sportcentrum De Bergen</li>" in html
    link_html = extract_page("byline-article.html")["body_html"]
    assert (
        '<a href="https://www.jeugdhuis-bornem.example/feest" rel="nofollow noopener noreferrer">'
        "de website van het jeugdhuis</a>"
    ) in link_html


@pytest.mark.parametrize(
    "name",
    [
        "seed-article.html",
        "hyphen-dateline.html",
        "byline-article.html",
        "photo-credit.html",
        "windows-1252.html",
        "generic-hugo-article.html",
    ],
)
def test_body_html_is_sanitised(name: str) -> None:
    html = extract_page(name)["body_html"]
    tags = set(re.findall(r"<([a-zA-Z0-9]+)", html))
    assert tags <= ALLOWED_BODY_TAGS
    assert "<img" not in html
    assert "<script" not in html
    assert "alert" not in html
    assert not re.search(r"\son\w+=", html)
    for attributes in re.findall(r"<a ([^>]*)>", html):
        assert re.fullmatch(
            r'href="(https?|mailto):[^"]*" rel="nofollow noopener noreferrer"', attributes
        )


def test_windows_1252_page_is_decoded() -> None:
    text = extract_page("windows-1252.html")["text"]
    assert "Café-uitbater Stéphane Geërts belooft ‘een zomer vol muziek’" in text
    assert "lokale groepen – de affiche" in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("declared", [None, "windows-1252", "ISO-8859-1", "utf-8", "UTF8"])
def test_windows_1252_page_whatever_the_http_header_says(declared: str | None) -> None:
    record = extract_page("windows-1252.html", declared_encoding=declared)
    assert "Stéphane Geërts" in record["text"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("home.html", "listing page (body class 'home blog')"),
        ("category-listing.html", "listing page (body class 'archive')"),
        ("tag-listing.html", "listing page (body class 'archive')"),
        ("404.html", "not found page (body class 'error404')"),
        ("generic-listing.html", "listing page (4 <article> teasers)"),
    ],
)
def test_listing_pages_are_not_articles(name: str, reason: str) -> None:
    with pytest.raises(NotAnArticle) as raised:
        extract_page(name)
    assert raised.value.reason == reason


def _seed_variant(old: str, new: str) -> str:
    html = page("seed-article.html").decode("utf-8")
    assert old in html
    return html.replace(old, new)


@pytest.mark.parametrize(
    ("body_class", "reason_start"),
    [
        ("archive author author-redactie author-2", "listing page"),
        ("archive date", "listing page"),
        ("search search-results", "listing page"),
        ("home blog paged paged-2", "listing page"),
        ("blog paged paged-3", "listing page"),
        ("page-template-default page page-id-12", "static page"),
    ],
)
def test_wordpress_page_kinds_are_refused(body_class: str, reason_start: str) -> None:
    html = _seed_variant(
        'class="post-template-default single single-post postid-48213 single-format-standard"',
        f'class="{body_class}"',
    )
    if reason_start == "static page":
        # a static page carries no publication date at all
        html = re.sub(r'<meta property="article:[a-z_]+" content="[^"]*">', "", html)
        html = re.sub(r"<script type=\"application/ld\+json\">.*?</script>", "", html, flags=re.S)
        html = re.sub(r"<time[^>]*>[^<]*</time>", "", html)
    with pytest.raises(NotAnArticle) as raised:
        extract_article(html, SEED_URL)
    assert raised.value.reason.startswith(reason_start)


@pytest.mark.parametrize(
    ("dateline", "place", "first_words"),
    [
        ("MECHELEN – Vandaag", "Mechelen", "Vandaag stelde"),
        ("MECHELEN — Vandaag", "Mechelen", "Vandaag stelde"),
        ("MECHELEN - Vandaag", "Mechelen", "Vandaag stelde"),
        ("MECHELEN– Vandaag", "Mechelen", "Vandaag stelde"),
        ("SINT-KATELIJNE-WAVER – Vandaag", "Sint-Katelijne-Waver", "Vandaag stelde"),
        ("HEIST-OP-DEN-BERG – Vandaag", "Heist-op-den-Berg", "Vandaag stelde"),
        ("PUURS-SINT-AMANDS – Vandaag", "Puurs-Sint-Amands", "Vandaag stelde"),
        ("KAPELLE-OP-DEN-BOS – Vandaag", "Kapelle-op-den-Bos", "Vandaag stelde"),
        ("'S-GRAVENWEZEL – Vandaag", "'s-Gravenwezel", "Vandaag stelde"),
        ("SINT-JOB-IN-'T-GOOR – Vandaag", "Sint-Job-in-'t-Goor", "Vandaag stelde"),
        # no dateline: the paragraph stays whole
        ("Vandaag", None, "Vandaag stelde"),
        ("Mechelen – Vandaag", None, "Mechelen – Vandaag"),
        ("Heist-op-den-Berg - Vandaag", None, "Heist-op-den-Berg - Vandaag"),
    ],
)
def test_dateline_gives_the_place_and_leaves_the_sentence(
    dateline: str, place: str | None, first_words: str
) -> None:
    record = extract_article(_seed_variant("MECHELEN – Vandaag", dateline), SEED_URL)
    assert record["place"] == place
    assert record["text"].startswith(first_words)


@pytest.mark.parametrize(
    ("signature", "author"),
    [
        ("Edwin MARIËN", "Edwin Mariën"),
        ("Jan VAN DEN BROECK", "Jan Van den Broeck"),
        ("Marie-Louise DE SMET", "Marie-Louise De Smet"),
        ("Pieter D'HAESE", "Pieter D'Haese"),
        ("An Sofie VAN 'T HOF", "An Sofie Van 't Hof"),
    ],
)
def test_signature_becomes_the_author(signature: str, author: str) -> None:
    record = extract_article(_seed_variant("<p>Edwin MARIËN</p>", f"<p>{signature}</p>"), SEED_URL)
    assert record["author"] == author
    assert signature not in record["text"]


@pytest.mark.parametrize(
    "last_paragraph",
    [
        "(foto Jan Peeters)",
        "Foto Jan PEETERS",
        "Meer info op www.wijzij.be",
        "EINDE",
        "Lees ook ONS DOSSIER",
    ],
)
def test_a_last_line_that_is_no_signature_stays_and_names_nobody(last_paragraph: str) -> None:
    record = extract_article(
        _seed_variant("<p>Edwin MARIËN</p>", f"<p>{last_paragraph}</p>"), SEED_URL
    )
    assert record["author"] is None
    assert record["text"].endswith(last_paragraph)


@pytest.mark.parametrize(
    "account", ["redactie", "admin", "Persbureau Provincie Antwerpen", "info@antwerpspersbureau.be"]
)
def test_accounts_and_site_names_are_never_the_author(account: str) -> None:
    html = _seed_variant("<p>Edwin MARIËN</p>", "")
    html = html.replace('"name": "redactie"', f'"name": "{account}"').replace(
        'content="redactie"', f'content="{account}"'
    )
    assert extract_article(html, SEED_URL)["author"] is None


def test_meta_author_is_used_when_it_names_a_person() -> None:
    html = _seed_variant("<p>Edwin MARIËN</p>", "").replace(
        '"name": "redactie"', '"name": "Katrien Vos"'
    )
    record = extract_article(html, SEED_URL)
    assert record["authors"] == ["Katrien Vos"]


@pytest.mark.parametrize(
    ("named", "authors"),
    [
        # a label before the names, with or without a space after its colon
        ("Von:Moritz Pieczewski-Freimuth", ["Moritz Pieczewski-Freimuth"]),
        ("Interview: Harald Willenbrock", ["Harald Willenbrock"]),
        # a blog's "posted by"
        ("Eingestellt von Katrien Vos", ["Katrien Vos"]),
        # a role after the name, or after a comma
        ("Katrien Vos Chefredakteurin", ["Katrien Vos"]),
        ("Katrien Vos, Senior Reporter", ["Katrien Vos"]),
        # placeholders, labels and buttons name nobody
        ("publisher", []),
        ("No Author", []),
        ("Eingestellt von Unknown", []),
        ("Follow", []),
        ("Article by", []),
        # a news desk is no person
        ("Newsdesk", []),
        ("Noticias El Comercio", []),
        # a news service is an agency, an author
        ("Bloomberg News", ["Bloomberg News"]),
    ],
)
def test_metadata_author_is_the_name_without_labels_or_roles(
    named: str, authors: list[str]
) -> None:
    html = _seed_variant("<p>Edwin MARIËN</p>", "")
    html = html.replace('"name": "redactie"', f'"name": "{named}"').replace(
        'content="redactie"', f'content="{named}"'
    )
    assert extract_article(html, SEED_URL)["authors"] == authors


# --------------------------------------------------------------------------- dates


def _undated_seed() -> str:
    html = _seed_variant("<p>Edwin MARIËN</p>", "<p>Edwin MARIËN</p>")
    html = re.sub(r'<meta property="article:[a-z_]+" content="[^"]*">', "", html)
    html = re.sub(r"<script type=\"application/ld\+json\">.*?</script>", "", html, flags=re.S)
    return re.sub(r'<span class="posted-on">.*?</span>', "", html, flags=re.S)


def test_undated_page_takes_no_date_from_related_posts_or_sidebar() -> None:
    record = extract_article(_undated_seed(), SEED_URL)
    assert record["published"] is None
    assert record["date_source"] is None


@pytest.mark.parametrize(
    ("evidence", "published", "source"),
    [
        ({"feed_published": "2024-06-20T11:32:07+02:00"}, "2024-06-20T11:32:07+02:00", "feed"),
        (
            {"feed_published": "Thu, 20 Jun 2024 09:32:07 +0000"},
            "2024-06-20T09:32:07+00:00",
            "feed",
        ),
        ({"sitemap_lastmod": "2024-06-21T08:00:00+00:00"}, "2024-06-21T08:00:00+00:00", "sitemap"),
        ({"sitemap_lastmod": "2024-06-21"}, "2024-06-21", "sitemap"),
        ({"sitemap_lastmod": "2099-01-01"}, None, None),
        ({"feed_published": "not a date"}, None, None),
    ],
)
def test_discovery_evidence_dates_an_undated_page(
    evidence: dict[str, str], published: str | None, source: str | None
) -> None:
    record = extract_article(_undated_seed(), SEED_URL, evidence=evidence)
    assert record["published"] == published
    assert record["date_source"] == source


def test_page_date_wins_over_evidence() -> None:
    record = extract_page(
        "seed-article.html", evidence={"feed_published": "2024-06-19T08:00:00+02:00"}
    )
    assert record["published"] == "2024-06-20T11:32:07+02:00"


def test_date_in_url_dates_an_undated_page() -> None:
    url = f"{REGIONAL}/2024/06/20/wij-zij-netwerk/"
    record = extract_article(_undated_seed(), url)
    assert (record["published"], record["date_source"]) == ("2024-06-20", "url")


@pytest.mark.parametrize(
    ("json_ld_date", "published", "source"),
    [
        ("2099-06-20T11:32:07+02:00", "2024-06-20T11:32:07+02:00", "meta"),  # the future: refused
        ("1970-01-01T00:00:00+00:00", "2024-06-20T11:32:07+02:00", "meta"),  # before 1990: refused
        ("2024-06-20", "2024-06-20", "json-ld"),
        ("2024-06-20T09:32:07Z", "2024-06-20T09:32:07+00:00", "json-ld"),
        ("2024-06-20T11:32:07", "2024-06-20T11:32:07", "json-ld"),
    ],
)
def test_json_ld_dates_are_checked_and_normalised(
    json_ld_date: str, published: str, source: str
) -> None:
    html = page("seed-article.html").decode("utf-8")
    html = html.replace(
        '"datePublished": "2024-06-20T11:32:07+02:00"', f'"datePublished": "{json_ld_date}"'
    )
    record = extract_article(html, SEED_URL)
    assert (record["published"], record["date_source"]) == (published, source)


def test_future_dates_are_refused_relative_to_now(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    monkeypatch.setattr(dates, "utc_now", lambda: datetime(2024, 6, 1, tzinfo=UTC))
    monkeypatch.setattr(
        "crawler.extraction.metadata.utc_now", lambda: datetime(2024, 6, 1, tzinfo=UTC)
    )
    record = extract_page("seed-article.html")
    assert record["published"] is None


@pytest.mark.parametrize(
    ("visible", "published"),
    [
        ("• 05/03/2024", "2024-03-05"),
        ("• 20/06/2024", "2024-06-20"),
        ("20 juni 2024", "2024-06-20"),
        ("za 20 jun. 2024", "2024-06-20"),
        ("zaterdag 1 maart 2025", "2025-03-01"),
        ("• 31/02/2024", None),
        ("• 13/13/2024", None),
    ],
)
def test_visible_dates_are_read_day_first(visible: str, published: str | None) -> None:
    html = page("visible-date-only.html").decode("utf-8")
    html = html.replace('<time class="entry-date published">05/03/2024</time>', visible)
    record = extract_article(html, f"{REGIONAL}/gemeenteraad-boom/")
    assert record["published"] == published


# --------------------------------------------------------------------------- canonical URL


@pytest.mark.parametrize(
    ("canonical", "fetched", "expected"),
    [
        (
            "http://www.antwerpspersbureau.be/a/",
            f"{REGIONAL}/a/?utm_source=x",
            "http://www.antwerpspersbureau.be/a/",
        ),
        ("/a/", f"{REGIONAL}/a/?p=1", f"{REGIONAL}/a/"),
        ("https://elders.example/a/", f"{REGIONAL}/a/", f"{REGIONAL}/a/"),
        ("javascript:alert(1)", f"{REGIONAL}/a/", f"{REGIONAL}/a/"),
    ],
)
def test_canonical_url_only_on_the_same_host(canonical: str, fetched: str, expected: str) -> None:
    html = page("seed-article.html").decode("utf-8")
    html = re.sub(
        r'<link rel="canonical" href="[^"]*">', f'<link rel="canonical" href="{canonical}">', html
    )
    html = re.sub(r'<meta property="og:url" content="[^"]*">', "", html)
    assert extract_article(html, fetched)["url"] == expected


# --------------------------------------------------------------------------- a real WordPress site


@pytest.mark.parametrize(
    ("path", "title", "published"),
    [
        (
            "7763-2/index.html",
            "Introductie: de Baldr Biergarten 2016!",
            "2016-08-12T19:06:56+00:00",
        ),
        ("adspiranten-2024/index.html", "Adspiranten 2024", "2024-09-27T19:57:00+00:00"),
    ],
)
def test_real_wordpress_post(path: str, title: str, published: str) -> None:
    url = f"{BALDR_HOST}/{path.removesuffix('index.html')}"
    record = extract_article((BALDR / path).read_bytes(), url)
    assert record["title"] == title
    assert record["published"] == published
    assert record["date_source"] == "time-element"
    assert record["site_name"] == "Het Illustere dispuut Baldr"
    # "baldr" is the WordPress account, not a person
    assert record["author"] is None
    assert record["url"] == url
    assert "Proudly powered by" not in record["text"]
    assert "Privacybeleid" not in record["text"]


def test_real_wordpress_post_text() -> None:
    record = extract_article((BALDR / "7763-2/index.html").read_bytes(), f"{BALDR_HOST}/7763-2/")
    assert record["text"].startswith(
        "Ook dit jaar organiseert het Illustere dispuut Baldr de Baldr Biergarten"
    )
    assert record["text"].endswith("Matthijs: 0621697530")


@pytest.mark.parametrize("path", ["adtspiranten", "dhr-r-a-smal-is-reunist-geworden"])
def test_real_wordpress_author_block_is_not_text(path: str) -> None:
    """The block theme's author paragraph ("baldr") after a short post is metadata, not text."""
    record = extract_article((BALDR / path / "index.html").read_bytes(), f"{BALDR_HOST}/{path}/")
    assert record["text"].splitlines()[-1] != "baldr"
    assert record["author"] is None


@pytest.mark.parametrize(
    ("old", "new", "kept", "author"),
    [
        # the last paragraph is only the byline's name: metadata, not text
        ("<p>Edwin MARIËN</p>", "<p>Jan Peeters</p>", False, "Jan Peeters"),
        # the same name as a paragraph inside the text stays (the signature still signs)
        ("<p>Andere partners", "<p>Jan Peeters</p><p>Andere partners", True, "Edwin Mariën"),
    ],
)
def test_paragraph_that_is_only_the_byline_name(
    old: str, new: str, kept: bool, author: str
) -> None:
    html = _seed_variant(old, new).replace(
        '<h1 class="entry-title">',
        '<span class="byline">Jan Peeters</span><h1 class="entry-title">',
    )
    record = extract_article(html, SEED_URL)
    assert ("Jan Peeters" in record["text"].splitlines()) is kept
    assert record["author"] == author


@pytest.mark.parametrize(
    ("written", "text"),
    [
        # a lone no-break space reads as one space
        ("Vandaag&nbsp;stelde", "Vandaag stelde"),
        # beside another space it is a second space a reader sees
        ("Vandaag &nbsp;stelde", "Vandaag \xa0stelde"),
        ("Vandaag&nbsp;&nbsp;stelde", "Vandaag\xa0\xa0stelde"),
    ],
)
def test_no_break_spaces_in_text(written: str, text: str) -> None:
    record = extract_article(_seed_variant("Vandaag stelde", written), SEED_URL)
    assert record["text"].startswith(f"{text} Bart Somers")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("index.html", "listing page (body class 'home blog')"),
        ("category/nieuws/index.html", "listing page (body class 'archive')"),
        ("page/2/index.html", "listing page (body class 'home blog')"),
        ("leden/index.html", "static page (body class 'page', no publication date)"),
        ("contact/index.html", "static page (body class 'page', no publication date)"),
        ("dispuutuitje/index.html", "redirect stub (meta refresh)"),
    ],
)
def test_real_wordpress_non_articles(path: str, reason: str) -> None:
    url = f"{BALDR_HOST}/{path.removesuffix('index.html')}"
    with pytest.raises(NotAnArticle) as raised:
        extract_article((BALDR / path).read_bytes(), url)
    assert raised.value.reason == reason


# --------------------------------------------------------------------------- generic profile


@pytest.fixture(scope="module")
def hugo() -> dict[str, Any]:
    return extract_article(
        page("generic-hugo-article.html"),
        "https://scheldeblad.example/posts/nieuwe-veerpont/?ref=home",
    )


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("url", "https://scheldeblad.example/posts/nieuwe-veerpont/"),
        ("title", "Nieuwe veerpont tussen Hemiksem en Kruibeke vaart vanaf maandag"),
        ("published", "2023-11-03T08:30:00+01:00"),
        ("date_source", "time-element"),
        ("author", "Sofie Janssens"),
        ("tags", ["mobiliteit", "schelde"]),
        ("language", "nl"),
        ("image", "https://scheldeblad.example/images/veerpont.jpg"),
        ("site_name", "Het Scheldeblad"),
        ("place", None),
    ],
)
def test_generic_article_field(hugo: dict[str, Any], field: str, expected: Any) -> None:
    assert hugo[field] == expected


def test_generic_article_text(hugo: dict[str, Any]) -> None:
    assert hugo["text"].startswith("Vanaf maandag vaart er een nieuwe elektrische veerpont")
    assert hugo["text"].endswith("de website van de veerdiensten.")
    for unwanted in ("Lees ook", "Fietsbrug in Hemiksem", "Archief", "Advertentie", "© 2023"):
        assert unwanted not in hugo["text"]
    assert "<blockquote><p>‘Dit is een belangrijke schakel" in hugo["body_html"]


def test_title_is_the_headline_when_title_tag_is_only_the_site_name() -> None:
    record = extract_article(
        page("generic-sitename-title.html"), "https://kempenaar.example/artikel/123"
    )
    assert record["title"] == "Kinderboerderij in Geel verwelkomt eerste alpaca's"
    assert record["site_name"] == "De Kempenaar"
    assert record["published"] == "2024-06-20"
    assert record["date_source"] == "visible-text"
    assert record["author"] == "Jan Peeters"
    assert record["text"].startswith("De kinderboerderij aan de Pas in Geel")
    assert record["text"].endswith("De toegang is gratis.")


@pytest.mark.parametrize(
    ("title_tag", "expected"),
    [
        ("Kermis in Retie – De Kempenaar", "Kermis in Retie"),
        ("Kermis in Retie | De Kempenaar", "Kermis in Retie"),
        ("De Kempenaar - Kermis in Retie", "Kermis in Retie"),
        ("Kermis in Retie: vijf dagen feest", "Kermis in Retie: vijf dagen feest"),
    ],
)
def test_site_name_is_cut_from_the_title(title_tag: str, expected: str) -> None:
    html = (
        f"<html><head><title>{title_tag}</title>"
        "<meta property='og:site_name' content='De Kempenaar'></head><body><div><p>"
        "De kermis in Retie duurt dit jaar vijf dagen en trekt naar schatting twintigduizend "
        "bezoekers naar het dorpsplein en de omliggende straten.</p></div></body></html>"
    )
    assert extract_article(html, "https://kempenaar.example/kermis")["title"] == expected


@pytest.mark.parametrize(
    "html",
    [
        '<html><head><meta http-equiv="refresh" content="0; url=/elders/"></head><body></html>',
        "<html><head><script>window.location.href = '/elders/';</script></head>"
        "<body>Even geduld…</body></html>",
        '<html><head><script>location.replace("/elders/")</script></head><body></body></html>',
    ],
)
def test_redirect_stubs_are_not_articles(html: str) -> None:
    with pytest.raises(NotAnArticle) as raised:
        extract_article(html, "https://example.org/oud/")
    assert raised.value.reason.startswith("redirect stub")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>'
            "<item><title>y</title></item></channel></rss>",
            "not a web page (RSS feed)",
        ),
        (
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
            "not a web page (Atom feed)",
        ),
        (
            '<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="/s.xsl"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://e.org/a</loc>'
            "</url></urlset>",
            "not a web page (sitemap)",
        ),
    ],
)
def test_feeds_and_sitemaps_are_not_articles(document: str, reason: str) -> None:
    with pytest.raises(NotAnArticle) as raised:
        extract_article(document.encode(), "https://e.org/feed/")
    assert raised.value.reason == reason


def test_page_without_text_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle) as raised:
        extract_article(
            "<html><head><title>Leeg</title></head><body><nav>Menu</nav></body></html>",
            "https://e.org/",
        )
    assert raised.value.reason == "no main text"


def test_profile_is_chosen_from_the_url() -> None:
    generic = extract_page(
        "seed-article.html", url="https://elders.example/artikel/", profile=load_profile("generic")
    )
    # without the regional profile there is no dateline or signature rule
    assert generic["place"] is None
    assert generic["text"].startswith("MECHELEN – Vandaag")


def test_date_sources_are_the_documented_ones(seed: dict[str, Any], hugo: dict[str, Any]) -> None:
    assert seed["date_source"] in DATE_SOURCES
    assert hugo["date_source"] in DATE_SOURCES


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("Café".encode(), None, "Café"),
        ("Café".encode("cp1252"), None, "Café"),
        ("Café".encode("cp1252"), "utf-8", "Café"),  # mislabelled: falls back to windows-1252
        ("Café".encode(), "iso-8859-1", "Café"),  # a server default on a UTF-8 page
        (b"\xef\xbb\xbf" + "Café".encode(), "windows-1252", "Café"),  # the BOM wins
        (b"\xff\xfe" + "Café".encode("utf-16-le"), None, "Café"),
        (
            '<meta charset="windows-1252">Café'.encode("cp1252"),
            None,
            '<meta charset="windows-1252">Café',
        ),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">Café'.encode(),
            None,
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">Café',
        ),
        ("‘quote’ – dash".encode("cp1252"), "utf-8", "‘quote’ – dash"),
        ("Café".encode(), "no-such-charset", "Café"),
    ],
)
def test_decode_html(data: bytes, declared: str | None, expected: str) -> None:
    assert decode_html(data, declared) == expected


def test_decode_html_keeps_utf8_cut_by_the_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crawler.extraction.decoding.MAX_HTML_BYTES", 6)
    assert decode_html("Café à Gent".encode(), "utf-8") == "Café "
    assert decode_html("Caféé".encode(), None) == "Café"


# --------------------------------------------------------------------------- listing URLs


@pytest.mark.parametrize(
    ("url", "listing"),
    [
        (f"{REGIONAL}/category/mechelen/", True),
        (f"{REGIONAL}/category/mechelen/page/3/", True),
        (f"{REGIONAL}/tag/kazerne-dossin/", True),
        (f"{REGIONAL}/author/redactie/", True),
        (f"{REGIONAL}/page/2/", True),
        (f"{REGIONAL}/2024/", True),
        (f"{REGIONAL}/2024/06/", True),
        (f"{REGIONAL}/2024/06/20/", True),
        (f"{REGIONAL}/feed/", True),
        (f"{REGIONAL}/vier-organisaties/feed/", True),
        (f"{REGIONAL}/?s=polarisatie", True),
        (f"{REGIONAL}/wp-json/wp/v2/posts", True),
        (f"{REGIONAL}/wp-admin/", True),
        (f"{REGIONAL}/search/polarisatie", True),
        (SEED_URL, False),
        (f"{REGIONAL}/2024/06/20/wij-zij-netwerk/", False),
        (f"{REGIONAL}/", False),
        (f"{REGIONAL}/leden/", False),
        (f"{REGIONAL}/tagliatelle-festival/", False),
        ("http://[broken", False),
    ],
)
def test_looks_like_listing_url(url: str, listing: bool) -> None:
    assert looks_like_listing_url(url) is listing


# --------------------------------------------------------------------------- the bundled demo site


def _demo_sites() -> list[Any]:
    demosite = pytest.importorskip("demosite.content")
    return [demosite.DemoSite(articles=150, seed=seed) for seed in (1, 2)]


@pytest.mark.parametrize("site", _demo_sites(), ids=lambda site: f"seed{site.seed}")
def test_demo_site_articles_match_their_ground_truth(site: Any) -> None:
    """Every article the demo site renders extracts to the record it says is correct."""
    host = "127.0.0.1:8800"
    profile = load_profile("antwerpspersbureau")
    mismatches = []
    for index in range(site.articles):
        truth = site.ground_truth(index)
        status, headers, body = site.render(truth["url_path"], host)
        assert status == 200
        charset = re.search(r"charset=([\w-]+)", headers.get("Content-Type", ""))
        record = extract_article(
            body,
            f"http://{host}{truth['url_path']}",
            profile=profile,
            declared_encoding=charset.group(1) if charset else None,
        )
        record["url_path"] = record["url"].removeprefix(f"http://{host}")
        mismatches.extend(
            (index, field, record[field], expected)
            for field, expected in truth.items()
            if record[field] != expected
        )
    assert mismatches == []


@pytest.mark.parametrize(
    "path", ["/", "/page/2/", "/category/mechelen/", "/tag/mobiliteit/", "/bestaat-niet/", "/feed/"]
)
def test_demo_site_listings_are_not_articles(path: str) -> None:
    site = _demo_sites()[0]
    _, _, body = site.render(path, "127.0.0.1:8800")
    with pytest.raises(NotAnArticle):
        extract_article(
            body, f"http://127.0.0.1:8800{path}", profile=load_profile("antwerpspersbureau")
        )
