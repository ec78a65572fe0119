"""Home, section, taxonomy and paginator pages of any engine are no articles; articles stay so.

The pages under tests/pages/listings/ are small handwritten pages in the markup of Hugo, Jekyll,
Ghost, Drupal and WordPress themes, and of a site built by hand (see the README there).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from crawler.extract import NotAnArticle, extract_article, looks_like_listing_url

LISTINGS = Path(__file__).resolve().parent / "pages" / "listings"

HUGO = "https://scheldeblad.example"
JEKYLL = "https://heikneuters.example"
GHOST = "https://veerpont.example"
DRUPAL = "https://gemeente-retie.example"
WORDPRESS = "https://kempenaar.example"
HANDMADE = "https://dorpskrant.example"

# Extraction works on saved pages: any attempt to reach the network fails the test.
pytestmark = pytest.mark.usefixtures("no_network")


def page(name: str) -> str:
    return (LISTINGS / name).read_text(encoding="utf-8")


# (page, its URL, why it is refused): for each engine its home page, a section or taxonomy list
# and a paginator page
LISTING_PAGES = [
    ("hugo-home.html", f"{HUGO}/", "listing page (home page)"),
    ("hugo-section.html", f"{HUGO}/posts/", "listing page (body class 'list')"),
    ("hugo-taxonomy.html", f"{HUGO}/tags/schelde/", "listing page (og:type website and 3 teasers)"),
    ("hugo-paginator.html", f"{HUGO}/posts/page/2/", "listing page (pagination and 2 teasers)"),
    ("jekyll-home.html", f"{JEKYLL}/", "listing page (home page)"),
    ("jekyll-tags.html", f"{JEKYLL}/tags/", "listing page (og:type website and 4 teasers)"),
    ("jekyll-paginator.html", f"{JEKYLL}/page2/", "listing page (pagination and 3 teasers)"),
    ("ghost-home.html", f"{GHOST}/", "listing page (body class 'home-template')"),
    ("ghost-tag.html", f"{GHOST}/tag/erfgoed/", "listing page (body class 'tag-template')"),
    ("ghost-paginator.html", f"{GHOST}/page/2/", "listing page (body class 'paged')"),
    ("drupal-front.html", f"{DRUPAL}/", "listing page (body class 'path-frontpage')"),
    (
        "drupal-taxonomy.html",
        f"{DRUPAL}/taxonomy/term/4",
        "listing page (body class 'page-taxonomy-term')",
    ),
    ("drupal-paginator.html", f"{DRUPAL}/nieuws?page=1", "listing page (pagination and 3 teasers)"),
    ("wordpress-home.html", f"{WORDPRESS}/", "listing page (body class 'home blog')"),
    (
        "wordpress-category.html",
        f"{WORDPRESS}/category/sport/",
        "listing page (body class 'archive')",
    ),
    ("wordpress-paginator.html", f"{WORDPRESS}/page/2/", "listing page (body class 'home blog')"),
    ("handmade-teasers.html", f"{HANDMADE}/nieuws/", "listing page (4 teasers)"),
]

# (page, its URL, title, how its text starts): articles with teasers, comments or a strip of
# "more in this section" below their text (and a Ghost post whose body class names its tag)
ARTICLE_PAGES = [
    (
        "hugo-article.html",
        f"{HUGO}/posts/nieuwe-veerpont/",
        "Nieuwe veerpont tussen Hemiksem en Kruibeke vaart vanaf maandag",
        "Vanaf maandag vaart er een nieuwe elektrische veerpont",
    ),
    (
        "jekyll-article.html",
        f"{JEKYLL}/2024/05/12/kermis-in-retie.html",
        "Kermiswandeling door Retie",
        "Twintig leden wandelden zondag",
    ),
    (
        "ghost-article.html",
        f"{GHOST}/nieuwe-veerpont/",
        "Nieuwe veerpont tussen Hemiksem en Kruibeke vaart vanaf maandag",
        "Vanaf maandag vaart er een nieuwe elektrische veerpont",
    ),
    (
        "drupal-article.html",
        f"{DRUPAL}/nieuws/kermis-vijf-dagen",
        "Kermis duurt dit jaar vijf dagen",
        "De gemeenteraad van Retie heeft gisteren beslist",
    ),
    (
        "wordpress-article.html",
        f"{WORDPRESS}/2024/05/kermis-in-retie/",
        "Kermis in Retie duurt vijf dagen",
        "De gemeenteraad van Retie heeft gisteren beslist",
    ),
    (
        "handmade-article.html",
        f"{HANDMADE}/nieuws/fanfare-jubileum",
        "Fanfare viert honderdjarig bestaan",
        "De fanfare van Lichtaart bestaat honderd jaar",
    ),
]


def _name(case: tuple[str, ...]) -> str:
    return case[0].removesuffix(".html")


def without_engine_classes(html: str) -> str:
    return re.sub(r"<body[^>]*>", "<body>", html, count=1)


def without_article_signals(html: str) -> str:
    """The page without body classes, og:type and JSON-LD: only its markup says what it is."""
    html = without_engine_classes(html)
    html = re.sub(r'<meta property="og:type"[^>]*>', "", html)
    return re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)


@pytest.mark.parametrize(("name", "url", "reason"), LISTING_PAGES, ids=map(_name, LISTING_PAGES))
def test_listing_pages_are_not_articles(name: str, url: str, reason: str) -> None:
    with pytest.raises(NotAnArticle) as raised:
        extract_article(page(name), url)
    assert raised.value.reason == reason


@pytest.mark.parametrize(("name", "url", "reason"), LISTING_PAGES, ids=map(_name, LISTING_PAGES))
def test_listing_pages_are_told_by_their_teasers_alone(name: str, url: str, reason: str) -> None:
    """Without the engine's body classes, at an article's URL, the teasers give the page away."""
    html = without_engine_classes(page(name))
    with pytest.raises(NotAnArticle) as raised:
        extract_article(html, urljoin(url, "/2024/05/een-artikel/"))
    assert raised.value.reason.startswith("listing page (")


@pytest.mark.parametrize(
    ("name", "url", "title", "start"), ARTICLE_PAGES, ids=map(_name, ARTICLE_PAGES)
)
def test_articles_with_teasers_below_stay_articles(
    name: str, url: str, title: str, start: str
) -> None:
    record = extract_article(page(name), url)
    assert record["title"] == title
    assert record["text"].startswith(start)


@pytest.mark.parametrize(
    ("name", "url", "title", "start"), ARTICLE_PAGES, ids=map(_name, ARTICLE_PAGES)
)
def test_articles_stay_articles_without_any_article_signal(
    name: str, url: str, title: str, start: str
) -> None:
    """No og:type, no JSON-LD, no body class: the article's own text outweighs its teasers."""
    record = extract_article(without_article_signals(page(name)), url)
    assert record["text"].startswith(start)


@pytest.mark.parametrize(
    "head",
    [
        # sites that call every page a website
        '<meta property="og:type" content="website">',
        # a WebSite node with the article's own URL as the site's
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "WebSite",'
        f' "url": "{HANDMADE}/nieuws/fanfare-jubileum"}}</script>',
        # a blog wrapped around its one post
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Blog",'
        ' "blogPost": {"@type": "BlogPosting", "headline": "Fanfare viert honderdjarig bestaan"}}'
        "</script>",
    ],
)
def test_site_level_page_types_alone_leave_an_article_an_article(head: str) -> None:
    html = page("handmade-article.html").replace("</head>", f"{head}\n</head>")
    record = extract_article(html, f"{HANDMADE}/nieuws/fanfare-jubileum")
    assert record["title"] == "Fanfare viert honderdjarig bestaan"


def test_a_blog_listing_its_posts_in_json_ld_is_a_listing() -> None:
    posts = ", ".join(
        f'{{"@type": "BlogPosting", "headline": "{title}", "url": "{HANDMADE}/nieuws/{slug}"}}'
        for title, slug in (("Kermis", "kermis-in-retie"), ("Fanfare", "fanfare-jubileum"))
    )
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Blog",'
        f' "blogPost": [{posts}]}}</script>'
    )
    html = page("handmade-article.html").replace("</head>", f"{head}\n</head>")
    with pytest.raises(NotAnArticle) as raised:
        extract_article(html, f"{HANDMADE}/blog/")
    assert raised.value.reason == "listing page (JSON-LD Blog)"


@pytest.mark.parametrize(
    ("url", "home"),
    [
        (f"{HANDMADE}/", True),
        (HANDMADE, True),
        (f"{HANDMADE}/index.html", True),
        (f"{HANDMADE}/?utm_source=nieuwsbrief", True),
        (f"{HANDMADE}/?page=2", True),
        (f"{HANDMADE}/#nieuws", True),
        # WordPress's plain permalinks and old sites' article scripts sit at the root too
        (f"{HANDMADE}/?p=2895", False),
        (f"{HANDMADE}/?page_id=7", False),
        (f"{HANDMADE}/index.php?id=5", False),
        (f"{HANDMADE}/nieuws/", False),
    ],
)
def test_the_home_page_is_never_an_article(url: str, home: bool) -> None:
    """Whatever it shows: here, one article under its headline."""
    html = page("handmade-article.html")
    if home:
        with pytest.raises(NotAnArticle) as raised:
            extract_article(html, url)
        assert raised.value.reason == "listing page (home page)"
    else:
        assert extract_article(html, url)["title"] == "Fanfare viert honderdjarig bestaan"


@pytest.mark.parametrize(
    ("url", "listing"),
    [
        # Hugo (a section's root, /posts/, is left to the page check)
        (f"{HUGO}/page/2/", True),
        (f"{HUGO}/posts/page/3/", True),
        (f"{HUGO}/tags/", True),
        (f"{HUGO}/tags/schelde/", True),
        (f"{HUGO}/tags/schelde/page/2/", True),
        (f"{HUGO}/categories/nieuws/", True),
        (f"{HUGO}/series/", True),
        (f"{HUGO}/series/veerdiensten/", True),
        (f"{HUGO}/posts/", False),
        (f"{HUGO}/posts/nieuwe-veerpont/", False),
        (f"{HUGO}/posts/page-turner/", False),
        (f"{HUGO}/posts/pages-of-history/", False),
        (f"{HUGO}/series-finale-aan-de-schelde/", False),
        (f"{HUGO}/series/veerdiensten/de-laatste-overtocht/", False),
        (f"{HUGO}/posts/categories-of-news/", False),
        # Jekyll
        (f"{JEKYLL}/page2/", True),
        (f"{JEKYLL}/page12/", True),
        (f"{JEKYLL}/blog/page3/", True),
        (f"{JEKYLL}/categories/", True),
        (f"{JEKYLL}/archive/", True),
        (f"{JEKYLL}/archives/", True),
        (f"{JEKYLL}/2024/05/12/kermis-in-retie.html", False),
        (f"{JEKYLL}/2024/05/archive-of-the-year/", False),
        (f"{JEKYLL}/homepage2/", False),
        (f"{JEKYLL}/page-2-of-history/", False),
        # Ghost
        (f"{GHOST}/tag/erfgoed/", True),
        (f"{GHOST}/tag/erfgoed/page/2/", True),
        (f"{GHOST}/author/sofie/", True),
        (f"{GHOST}/page/2/", True),
        (f"{GHOST}/rss/", True),
        (f"{GHOST}/nieuwe-veerpont/", False),
        (f"{GHOST}/tagline-contest-winners/", False),
        (f"{GHOST}/author-interview-sofie/", False),
        # Drupal
        (f"{DRUPAL}/taxonomy/term/4", True),
        (f"{DRUPAL}/nl/taxonomy/term/4", True),
        (f"{DRUPAL}/taxonomy/term/4/feed", True),
        (f"{DRUPAL}/nieuws?page=1", True),
        (f"{DRUPAL}/node?page=0&utm_source=x", True),
        (f"{DRUPAL}/node/12", False),
        (f"{DRUPAL}/nieuws/kermis-vijf-dagen", False),
        (f"{DRUPAL}/taxonomy-of-news/", False),
        (f"{DRUPAL}/artikel.php?id=5&page=2", False),
        (f"{DRUPAL}/nieuws?page=alle", False),
        # WordPress
        (f"{WORDPRESS}/category/nieuws/", True),
        (f"{WORDPRESS}/category/nieuws/page/2/", True),
        (f"{WORDPRESS}/2024/05/", True),
        (f"{WORDPRESS}/?s=kermis", True),
        (f"{WORDPRESS}/?paged=2", True),
        (f"{WORDPRESS}/2024/05/tagged-in-antwerp/", False),
        (f"{WORDPRESS}/archives/123", False),
        (f"{WORDPRESS}/", False),
    ],
)
def test_listing_urls_of_each_engine(url: str, listing: bool) -> None:
    assert looks_like_listing_url(url) is listing
