"""HTML pages, feeds, sitemaps and robots.txt of the demo site, rendered as WordPress does."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs, quote, unquote, urlsplit

from demosite.slugs import slugify
from demosite.theme import HEAD as THEME_HEAD
from demosite.theme import SCRIPTS as THEME_SCRIPTS
from demosite.timeline import SITE_NOW_UTC
from demosite.vocabulary import (
    MONTHS,
    REGIONS,
    SITE_DESCRIPTION,
    SITE_NAME,
    TOPICS,
    WORDPRESS_ACCOUNT,
)

if TYPE_CHECKING:
    from demosite.model import DemoArticle, SiteModel

logger = logging.getLogger(__name__)

Response = tuple[int, dict[str, str], bytes]


class RequestHeaders(Protocol):
    """Request headers: a mapping, or the message object of ``http.server``."""

    def get(self, name: str, /) -> str | None: ...

    def items(self) -> Iterable[tuple[str, str]]: ...


HTML_TYPE = "text/html; charset=UTF-8"
XML_TYPE = "application/xml; charset=UTF-8"
RSS_TYPE = "application/rss+xml; charset=UTF-8"
TEXT_TYPE = "text/plain; charset=utf-8"
WORDPRESS_VERSION = "6.5.4"
SITEMAP_PAGE_SIZE = 2000
PRIVACY_PAGE_ID = 3
EXCERPT_WORDS = 55
COPYRIGHT_YEAR = SITE_NOW_UTC.year

COOKIE_NOTICE = (
    '<div id="cookie-notice" class="cookie-notice">Deze website gebruikt cookies om uw '
    "surfervaring te verbeteren en om het bezoek te meten. "
    '<a href="/privacybeleid/">Meer info</a> <button>Akkoord</button></div>'
)
NEWSLETTER_BOX = (
    '<div class="newsletter-box"><h3>🤞 Abonneer u op onze nieuwsbrief</h3>'
    "<p>Ontvang tweemaal per week een overzicht van het nieuws uit uw regio</p>"
    '<form><input type="email" placeholder="Uw e-mailadres"><button>Inschrijven</button></form>'
    '<p class="privacy">We sturen geen spam! Lees ons privacybeleid voor meer info.</p></div>'
)
PRIVACY_PARAGRAPHS = (
    "Persbureau Provincie Antwerpen hecht veel belang aan de bescherming van uw persoonsgegevens.",
    "Wanneer u zich inschrijft op onze nieuwsbrief, bewaren we uw e-mailadres uitsluitend om u "
    "de nieuwsbrief te sturen. U kunt zich op elk moment uitschrijven via de link onderaan elke "
    "nieuwsbrief.",
    "Deze website gebruikt functionele cookies en cookies om het bezoek anoniem te meten. U kunt "
    "cookies weigeren of verwijderen via de instellingen van uw browser.",
    "Vragen over uw gegevens kunt u richten aan de redactie via het contactformulier.",
)
ROBOTS_META = (
    '<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, '
    'max-video-preview:-1">'
)


# ---------------------------------------------------------------------------- helpers


def _text(value: str) -> str:
    """Escape text content the way WordPress stores it (non-breaking spaces as entities)."""
    return html.escape(value, quote=False).replace("\xa0", "&nbsp;")


def _attr(value: str) -> str:
    return html.escape(value, quote=True).replace("\xa0", "&nbsp;")


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _dmy(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y")


def _gmt_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _rfc822(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _header(headers: RequestHeaders | None, name: str) -> str | None:
    if not headers:
        return None
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, candidate in headers.items():
        if key.lower() == wanted:
            return candidate
    return None


class _Site:
    """One request's view of the site: the site itself plus the host to build URLs with."""

    def __init__(self, site: SiteModel, host: str) -> None:
        self.site = site
        self.host = host
        self.root = f"http://{host}"

    def article_url(self, index: int) -> str:
        slug = self.site.slug(index)
        return f"{self.root}/{slug}/" if self.site.trailing_slash_links else f"{self.root}/{slug}"

    def canonical_url(self, index: int) -> str:
        return f"{self.root}/{self.site.slug(index)}/"

    def category_url(self, name: str) -> str:
        return f"{self.root}/category/{slugify(name)}/"

    def tag_url(self, name: str) -> str:
        return f"{self.root}/tag/{slugify(name)}/"


def _html_response(body: str, status: int = 200, charset: str = "UTF-8") -> Response:
    if charset == "UTF-8":
        payload = body.encode("utf-8")
        content_type = HTML_TYPE
    else:
        payload = body.encode("cp1252", errors="xmlcharrefreplace")
        content_type = f"text/html; charset={charset}"
    return status, {"Content-Type": content_type}, payload


def _redirect(location: str) -> Response:
    return (
        301,
        {
            "Location": location,
            "Content-Type": HTML_TYPE,
            "X-Redirect-By": "WordPress",
        },
        b"",
    )


# ---------------------------------------------------------------------------- layout


def _document(
    view: _Site,
    *,
    title: str,
    body_class: str,
    main: str,
    head: str = "",
    charset: str = "UTF-8",
    extra_feed: tuple[str, str] | None = None,
) -> str:
    site = view.site
    feeds = ""
    if site.feed:
        feeds = (
            f'<link rel="alternate" type="application/rss+xml" title="{_attr(SITE_NAME)} » Feed" '
            f'href="{view.root}/feed/">\n'
        )
        if extra_feed is not None:
            feed_title, feed_url = extra_feed
            feeds += (
                f'<link rel="alternate" type="application/rss+xml" '
                f'title="{_attr(SITE_NAME)} » {_attr(feed_title)}" href="{feed_url}">\n'
            )
    navigation = "".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
        f'<a href="{view.category_url(region)}">{_text(region)}</a></li>'
        for region in REGIONS
    )
    return (
        f'<!DOCTYPE html><html lang="nl-BE"><head><meta charset="{charset}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(title)}</title>\n"
        f"{head}"
        f"{THEME_HEAD if site.theme == 'full' else ''}"
        f"{feeds}"
        f'<link rel="stylesheet" id="persbureau-style-css" href="{view.root}/wp-content/themes/'
        f'persbureau/style.css?ver={WORDPRESS_VERSION}" media="all">\n'
        f'<link rel="https://api.w.org/" href="{view.root}/wp-json/">\n'
        f'<meta name="generator" content="WordPress {WORDPRESS_VERSION}">\n'
        "</head>\n"
        f'<body class="{body_class}">\n'
        f"{COOKIE_NOTICE}\n"
        '<header class="site-header"><div class="site-branding">'
        f'<p class="site-title"><a href="{view.root}/" rel="home">{_text(SITE_NAME)}</a></p>'
        f'<p class="site-description">{_text(SITE_DESCRIPTION)}</p></div>\n'
        '<nav class="main-navigation" aria-label="Hoofdmenu"><ul id="primary-menu" class="menu">'
        f"{navigation}</ul></nav></header>\n"
        f'<main id="main" class="site-main">\n{main}</main>\n'
        f"{_sidebar(view)}\n"
        f'<footer class="site-footer">© {COPYRIGHT_YEAR} {_text(SITE_NAME)} · '
        '<a href="/privacybeleid/">Privacybeleid</a></footer>\n'
        f"{THEME_SCRIPTS if site.theme == 'full' else ''}"
        "</body></html>\n"
    )


_SIDEBARS: weakref.WeakKeyDictionary[SiteModel, dict[str, str]] = weakref.WeakKeyDictionary()


def _sidebar(view: _Site) -> str:
    """The widget area, identical on every page of a site for a given host."""
    per_host = _SIDEBARS.setdefault(view.site, {})
    if len(per_host) > 32:
        per_host.clear()
    sidebar = per_host.get(view.host)
    if sidebar is None:
        sidebar = per_host[view.host] = _render_sidebar(view)
    return sidebar


def _render_sidebar(view: _Site) -> str:
    site = view.site
    newest = range(site.articles - 1, max(site.articles - 6, -1), -1)
    recent = "".join(
        f'<li><a href="{view.article_url(i)}">{_text(site.title(i))}</a></li>' for i in newest
    )
    categories = [
        f'<li class="cat-item"><a href="{view.category_url(name)}">{_text(name)}</a> '
        f"({len(members)})</li>"
        for name, members in _categories_in_use(site)
    ]
    return (
        '<aside id="secondary" class="widget-area">'
        '<section id="recent-posts-2" class="widget widget_recent_entries">'
        f'<h2 class="widget-title">Recente berichten</h2><ul>{recent}</ul></section>'
        '<section id="categories-2" class="widget widget_categories">'
        f'<h2 class="widget-title">Categorieën</h2><ul>{"".join(categories)}</ul></section>'
        "</aside>"
    )


def _categories_in_use(site: SiteModel) -> list[tuple[str, list[int]]]:
    """Region and topic categories that hold at least one article, with their members."""
    pairs = [
        *zip(REGIONS, site.region_members, strict=True),
        *zip(TOPICS, site.topic_members, strict=True),
    ]
    return [(name, members) for name, members in pairs if members]


def _content_paragraphs(article: DemoArticle) -> list[str]:
    """The entry-content paragraphs as published: dateline, body, and signature or byline."""
    first = f"{article.dateline} {article.dateline_dash} {article.paragraphs[0]}"
    paragraphs = [f"<p>{_text(first)}</p>"]
    paragraphs.extend(f"<p>{_text(p)}</p>" for p in article.paragraphs[1:])
    if article.byline:
        paragraphs.insert(0, f'<p class="byline">Door {_text(article.author)}</p>')
    else:
        paragraphs.append(f"<p>{_text(article.signature)}</p>")
    return paragraphs


def _excerpt(article: DemoArticle) -> str:
    """WordPress automatic excerpt: the first 55 words of the content."""
    words: list[str] = []
    if article.byline:
        words.extend(f"Door {article.author}".split())
    words.extend(f"{article.dateline} {article.dateline_dash}".split())
    for paragraph in article.paragraphs:
        words.extend(paragraph.split())
        if len(words) > EXCERPT_WORDS:
            break
    if len(words) > EXCERPT_WORDS:
        return " ".join(words[:EXCERPT_WORDS]) + " […]"
    return " ".join(words)


def _post_classes(article: DemoArticle) -> str:
    classes = [
        f"post-{article.post_id}",
        "post",
        "type-post",
        "status-publish",
        "format-standard",
    ]
    if article.image:
        classes.append("has-post-thumbnail")
    classes.append("hentry")
    classes.extend(f"category-{slugify(c)}" for c in article.categories)
    classes.extend(f"tag-{slugify(t)}" for t in article.tags)
    return " ".join(classes)


# ---------------------------------------------------------------------------- article page


def _article_page(view: _Site, index: int) -> Response:
    site = view.site
    article = site.article(index)
    canonical = view.canonical_url(index)
    charset = "UTF-8" if article.encoding == "utf-8" else article.encoding
    published = article.published.isoformat()
    modified = article.modified.isoformat()
    image_url = f"{view.root}{article.image}" if article.image else None
    graph: list[dict[str, object]] = [
        {
            "@type": "WebPage",
            "@id": canonical,
            "url": canonical,
            "name": f"{article.title} – {SITE_NAME}",
            "isPartOf": {"@id": f"{view.root}/#website"},
            "datePublished": published,
            "dateModified": modified,
            "description": article.description,
            "inLanguage": "nl-BE",
        },
        {
            "@type": "NewsArticle",
            "@id": f"{canonical}#article",
            "isPartOf": {"@id": canonical},
            "author": {"@type": "Person", "name": WORDPRESS_ACCOUNT},
            "headline": article.title,
            "datePublished": published,
            "dateModified": modified,
            "mainEntityOfPage": {"@id": canonical},
            "publisher": {"@id": f"{view.root}/#organization"},
            "articleSection": list(article.categories),
            "keywords": list(article.tags),
            "inLanguage": "nl-BE",
        },
        {
            "@type": "Organization",
            "@id": f"{view.root}/#organization",
            "name": SITE_NAME,
            "url": f"{view.root}/",
        },
        {
            "@type": "WebSite",
            "@id": f"{view.root}/#website",
            "url": f"{view.root}/",
            "name": SITE_NAME,
            "publisher": {"@id": f"{view.root}/#organization"},
            "inLanguage": "nl-BE",
        },
    ]
    if image_url:
        graph[1]["image"] = {"@type": "ImageObject", "url": image_url}
    json_ld = json.dumps(
        {"@context": "https://schema.org", "@graph": graph},
        ensure_ascii=charset != "UTF-8",
        separators=(",", ":"),
    ).replace("</", "<\\/")
    head = (
        f'<meta name="description" content="{_attr(article.description)}">\n'
        f"{ROBOTS_META}\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta property="og:locale" content="nl_BE"><meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{_attr(article.title)}">'
        f'<meta property="og:description" content="{_attr(article.description)}">'
        f'<meta property="og:url" content="{canonical}">'
        f'<meta property="og:site_name" content="{_attr(SITE_NAME)}">\n'
        + (f'<meta property="og:image" content="{image_url}">\n' if image_url else "")
        + f'<meta property="article:published_time" content="{published}">'
        f'<meta property="article:modified_time" content="{modified}">\n'
        f'<meta name="author" content="{WORDPRESS_ACCOUNT}">\n'
        f'<link rel="shortlink" href="{view.root}/?p={article.post_id}">\n'
        f'<script type="application/ld+json" class="yoast-schema-graph">{json_ld}</script>\n'
    )
    category_links = ", ".join(
        f'<a href="{view.category_url(c)}" rel="category tag">{_text(c)}</a>'
        for c in article.categories
    )
    figure = ""
    if article.image:
        caption = article.caption or ""
        if article.photo_credit:
            caption = f"{caption} (foto {article.photo_credit})"
        figure = (
            f'<figure class="post-thumbnail"><img src="{article.image}" '
            f'alt="{_attr(article.title)}" width="1024" height="683" loading="lazy">'
            f"<figcaption>{_text(caption)}</figcaption></figure>\n"
        )
    share_target = quote(canonical, safe="")
    share_text = quote(article.title, safe="")
    share_links = (
        ("facebook", f"https://www.facebook.com/sharer/sharer.php?u={share_target}", "Facebook"),
        ("x", f"https://twitter.com/intent/tweet?url={share_target}&amp;text={share_text}", "X"),
        (
            "jetpack-whatsapp",
            f"https://api.whatsapp.com/send?text={share_text}%20{share_target}",
            "WhatsApp",
        ),
        ("email", f"mailto:?subject={share_text}&amp;body={share_target}", "E-mail"),
    )
    sharing = (
        '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Delen:</h3><ul>'
        + "".join(
            f'<li><a href="{href}" class="share-{kind}" rel="nofollow noopener noreferrer" '
            f'target="_blank">{label}</a></li>'
            for kind, href, label in share_links
        )
        + "</ul></div>"
    )
    tags = ", ".join(f'<a href="{view.tag_url(t)}" rel="tag">{_text(t)}</a>' for t in article.tags)
    related_items = []
    for position, other in enumerate(site.related(index)):
        other_url = view.article_url(other)
        if article.broken_related and position == 2:
            # A post that was trashed after the related block was cached.
            other_url = f"{view.root}/{site.slug(other)}__trashed/"
        other_published = site.published(other)
        related_items.append(
            f'<li><a href="{other_url}">{_text(site.title(other))}</a> '
            f'<time datetime="{other_published.isoformat()}">{_dmy(other_published)}</time></li>'
        )
    navigation = []
    if index > 0:
        navigation.append(
            f'<div class="nav-previous"><a href="{view.article_url(index - 1)}" rel="prev">'
            f'<span class="meta-nav">Vorig bericht</span> {_text(site.title(index - 1))}</a></div>'
        )
    if index < site.articles - 1:
        navigation.append(
            f'<div class="nav-next"><a href="{view.article_url(index + 1)}" rel="next">'
            '<span class="meta-nav">Volgend bericht</span> '
            f"{_text(site.title(index + 1))}</a></div>"
        )
    main = (
        f'<article id="post-{article.post_id}" class="{_post_classes(article)}">\n'
        '<header class="entry-header">\n'
        '<div class="entry-meta"><span class="posted-on">• '
        f'<time class="entry-date published" datetime="{published}">'
        f"{_dmy(article.published)}</time>"
        f'<time class="updated" datetime="{modified}">{_dmy(article.modified)}</time></span> '
        f'<span class="cat-links">{category_links}</span></div>\n'
        f'<h1 class="entry-title">{_text(article.title)}</h1></header>\n'
        f"{figure}"
        '<div class="entry-content">\n'
        + "\n".join(_content_paragraphs(article))
        + f"\n{sharing}\n</div>\n"
        f"{NEWSLETTER_BOX}\n"
        f'<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>\n'
        '<section class="related-posts"><h3 class="related-title">Aanverwante berichten</h3>'
        f"<ul>{''.join(related_items)}</ul></section>\n"
        "</article>\n"
        '<nav class="navigation post-navigation" aria-label="Berichten">'
        '<h2 class="screen-reader-text">Berichtnavigatie</h2>'
        f'<div class="nav-links">{"".join(navigation)}</div></nav>\n'
    )
    document = _document(
        view,
        title=f"{article.title} – {SITE_NAME}",
        body_class=(
            f"post-template-default single single-post postid-{article.post_id} "
            "single-format-standard"
        ),
        main=main,
        head=head,
        charset=charset,
    )
    status, headers, body = _html_response(document, charset=charset)
    headers["ETag"] = f'"{site.content_hash(index)[:20]}"'
    headers["Last-Modified"] = _http_date(article.modified)
    headers["Cache-Control"] = "no-cache"
    headers["Link"] = f"<{view.root}/?p={article.post_id}>; rel=shortlink"
    return status, headers, body


# ---------------------------------------------------------------------------- listings


def _listing_item(view: _Site, index: int) -> str:
    site = view.site
    article = site.article(index)
    url = view.article_url(index)
    thumbnail = (
        f'<a class="post-thumbnail" href="{url}" aria-hidden="true" tabindex="-1">'
        f'<img src="{article.image}" alt="" width="300" height="200" loading="lazy"></a>'
        if article.image
        else ""
    )
    return (
        f'<article id="post-{article.post_id}" class="{_post_classes(article)}">'
        '<header class="entry-header">'
        f'<h2 class="entry-title"><a href="{url}" rel="bookmark">{_text(article.title)}</a></h2>'
        '<div class="entry-meta"><span class="posted-on">• '
        f'<time class="entry-date published" datetime="{article.published.isoformat()}">'
        f"{_dmy(article.published)}</time></span></div></header>"
        f"{thumbnail}"
        f'<div class="entry-summary"><p>{_text(_excerpt(article))}</p></div>'
        f'<footer class="entry-footer"><a class="more-link" href="{url}">Lees meer'
        f'<span class="screen-reader-text"> “{_text(article.title)}”</span></a></footer>'
        "</article>\n"
    )


def _pagination(base_url: str, page: int, pages: int) -> str:
    """WordPress paginate_links() with end_size 1 and mid_size 2."""
    if pages <= 1:
        return ""

    def page_url(number: int) -> str:
        return base_url if number == 1 else f"{base_url}page/{number}/"

    links = []
    if page > 1:
        links.append(f'<a class="prev page-numbers" href="{page_url(page - 1)}">« Vorige</a>')
    dots = False
    for number in range(1, pages + 1):
        if number == page:
            links.append(f'<span aria-current="page" class="page-numbers current">{number}</span>')
            dots = True
        elif number <= 1 or number > pages - 1 or abs(number - page) <= 2:
            links.append(f'<a class="page-numbers" href="{page_url(number)}">{number}</a>')
            dots = True
        elif dots:
            links.append('<span class="page-numbers dots">…</span>')
            dots = False
    if page < pages:
        links.append(f'<a class="next page-numbers" href="{page_url(page + 1)}">Volgende »</a>')
    return (
        '<nav class="navigation pagination" aria-label="Berichten">'
        '<h2 class="screen-reader-text">Berichtnavigatie</h2>'
        f'<div class="nav-links">{" ".join(links)}</div></nav>\n'
    )


def _listing(
    view: _Site,
    members: list[int] | range,
    page: int,
    *,
    path: str,
    heading: str | None,
    name: str,
    body_class: str,
    extra_feed: tuple[str, str] | None = None,
    empty_ok: bool = False,
) -> Response | None:
    site = view.site
    pages = site.page_count(len(members))
    if page < 1 or page > pages or (not members and not empty_ok):
        return None
    base_url = f"{view.root}{path}"
    items = site.newest_first(members, page)
    page_url = base_url if page == 1 else f"{base_url}page/{page}/"
    header = (
        f'<header class="page-header"><h1 class="page-title">{heading}</h1></header>\n'
        if heading
        else ""
    )
    if items:
        body = "".join(_listing_item(view, i) for i in items)
    else:
        body = (
            '<section class="no-results not-found"><header class="page-header">'
            '<h1 class="page-title">Niets gevonden</h1></header><div class="page-content">'
            "<p>Er zijn nog geen berichten in deze categorie.</p></div></section>\n"
        )
    title = name if page == 1 else f"{name} – Pagina {page} van {pages}"
    head = (
        f"{ROBOTS_META}\n"
        f'<link rel="canonical" href="{page_url}">\n'
        + (
            f'<link rel="prev" href="{base_url if page == 2 else f"{base_url}page/{page - 1}/"}">\n'
            if page > 1
            else ""
        )
        + (f'<link rel="next" href="{base_url}page/{page + 1}/">\n' if page < pages else "")
        + '<meta property="og:locale" content="nl_BE"><meta property="og:type" content="website">\n'
        f'<meta property="og:title" content="{_attr(title)}">'
        f'<meta property="og:url" content="{page_url}">'
        f'<meta property="og:site_name" content="{_attr(SITE_NAME)}">\n'
    )
    classes = body_class + (f" paged paged-{page}" if page > 1 else "")
    main = header + body + _pagination(base_url, page, pages)
    document = _document(
        view,
        title=f"{title} – {SITE_NAME}" if heading else title,
        body_class=classes,
        main=main,
        head=head,
        extra_feed=extra_feed,
    )
    return _html_response(document)


def _home(view: _Site, page: int) -> Response | None:
    site = view.site
    return _listing(
        view,
        range(site.articles),
        page,
        path="/",
        heading=None,
        name=f"{SITE_NAME} – {SITE_DESCRIPTION}",
        body_class="home blog",
    )


def _category_members(site: SiteModel, slug: str) -> tuple[str, int, list[int]] | None:
    if slug not in site.category_slugs:
        return None
    position = site.category_slugs.index(slug)
    if position < len(REGIONS):
        return REGIONS[position], position, site.region_members[position]
    topic = position - len(REGIONS)
    return TOPICS[topic], position, site.topic_members[topic]


def _category(view: _Site, slug: str, page: int) -> Response | None:
    found = _category_members(view.site, slug)
    if found is None:
        return None
    name, position, members = found
    feed = (
        (f"{name} Categorie Feed", f"{view.root}/category/{slug}/feed/") if view.site.feed else None
    )
    return _listing(
        view,
        members,
        page,
        path=f"/category/{slug}/",
        heading=f"Categorie: <span>{_text(name)}</span>",
        name=f"{name} Archieven",
        body_class=f"archive category category-{slug} category-{position + 2}",
        extra_feed=feed,
        empty_ok=True,
    )


def _tag(view: _Site, slug: str, page: int) -> Response | None:
    site = view.site
    position = site.tag_by_slug(slug)
    if position is None or not site.tag_members[position]:
        return None
    name = site.tag_names[position]
    feed = (f"{name} Tag Feed", f"{view.root}/tag/{slug}/feed/") if site.feed else None
    return _listing(
        view,
        site.tag_members[position],
        page,
        path=f"/tag/{slug}/",
        heading=f"Tag: <span>{_text(name)}</span>",
        name=f"{name} Archieven",
        body_class=f"archive tag tag-{slug} tag-{100 + position}",
        extra_feed=feed,
    )


def _author(view: _Site, slug: str, page: int) -> Response | None:
    if slug != WORDPRESS_ACCOUNT:
        return None
    return _listing(
        view,
        range(view.site.articles),
        page,
        path=f"/author/{slug}/",
        heading=f'Auteur: <span class="vcard">{WORDPRESS_ACCOUNT}</span>',
        name=f"{WORDPRESS_ACCOUNT}, auteur",
        body_class=f"archive author author-{slug} author-1",
    )


def _date_archive(
    view: _Site, year: str, month: str | None, day: str | None, page: int
) -> Response | None:
    try:
        if day is not None and month is not None:
            first = last = date(int(year), int(month), int(day))
            heading = f"Dag: <span>{int(day)} {MONTHS[int(month) - 1]} {year}</span>"
            path = f"/{year}/{month}/{day}/"
        elif month is not None:
            first = date(int(year), int(month), 1)
            following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            last = date.fromordinal(following.toordinal() - 1)
            heading = f"Maand: <span>{MONTHS[int(month) - 1]} {year}</span>"
            path = f"/{year}/{month}/"
        else:
            first, last = date(int(year), 1, 1), date(int(year), 12, 31)
            heading = f"Jaar: <span>{year}</span>"
            path = f"/{year}/"
    except ValueError:
        return None
    members = view.site.range_between(first, last)
    plain_heading = re.sub(r"<[^>]+>", "", heading).split(": ", 1)[1]
    return _listing(
        view,
        members,
        page,
        path=path,
        heading=heading,
        name=plain_heading,
        body_class="archive date",
    )


def _privacy_page(view: _Site) -> Response:
    canonical = f"{view.root}/privacybeleid/"
    main = (
        f'<article id="post-{PRIVACY_PAGE_ID}" class="post-{PRIVACY_PAGE_ID} page type-page '
        'status-publish hentry">\n<header class="entry-header"><h1 class="entry-title">'
        'Privacybeleid</h1></header>\n<div class="entry-content">\n'
        + "\n".join(f"<p>{_text(p)}</p>" for p in PRIVACY_PARAGRAPHS)
        + "\n</div>\n</article>\n"
    )
    head = (
        f"{ROBOTS_META}\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta property="og:locale" content="nl_BE"><meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="Privacybeleid – {_attr(SITE_NAME)}">'
        f'<meta property="og:url" content="{canonical}">\n'
        '<meta property="article:modified_time" content="2021-03-15T10:02:11+01:00">\n'
    )
    document = _document(
        view,
        title=f"Privacybeleid – {SITE_NAME}",
        body_class=f"privacy-policy page-template-default page page-id-{PRIVACY_PAGE_ID}",
        main=main,
        head=head,
    )
    return _html_response(document)


def _not_found(view: _Site) -> Response:
    main = (
        '<section class="error-404 not-found"><header class="page-header">'
        '<h1 class="page-title">Oeps! Pagina niet gevonden.</h1></header>'
        '<div class="page-content"><p>Het lijkt erop dat er niets gevonden werd op deze locatie. '
        "Probeer een van de links hieronder of ga terug naar de "
        f'<a href="{view.root}/">startpagina</a>.</p></div></section>\n'
    )
    document = _document(
        view,
        title=f"Pagina niet gevonden – {SITE_NAME}",
        body_class="error404",
        main=main,
        head='<meta name="robots" content="noindex, follow">\n',
    )
    status, headers, body = _html_response(document, status=404)
    headers["Cache-Control"] = "no-cache, must-revalidate, max-age=0"
    return status, headers, body


# ---------------------------------------------------------------------------- feeds


def _feed(
    view: _Site,
    members: list[int] | range,
    title: str,
    self_url: str,
    held: list[int] | range = (),
) -> Response:
    site = view.site
    items = site.newest_first(members, 1)
    articles = [site.article(i) for i in items]
    newest = site.feed_modified(members, held)
    entries = []
    for article in articles:
        categories = "".join(
            f"\t\t<category>{_cdata(term)}</category>\n"
            for term in (*article.categories, *article.tags)
        )
        content = "\n".join(_content_paragraphs(article))
        entries.append(
            "\t<item>\n"
            f"\t\t<title>{_text(article.title)}</title>\n"
            f"\t\t<link>{view.article_url(article.index)}</link>\n"
            f"\t\t<dc:creator>{_cdata(WORDPRESS_ACCOUNT)}</dc:creator>\n"
            f"\t\t<pubDate>{_rfc822(article.published)}</pubDate>\n"
            f"{categories}"
            f'\t\t<guid isPermaLink="false">{view.root}/?p={article.post_id}</guid>\n'
            f"\t\t<description>{_cdata(_excerpt(article))}</description>\n"
            f"\t\t<content:encoded>{_cdata(content)}</content:encoded>\n"
            "\t</item>\n"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
        '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
        '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n'
        "\t>\n\n<channel>\n"
        f"\t<title>{_text(title)}</title>\n"
        f'\t<atom:link href="{self_url}" rel="self" type="application/rss+xml" />\n'
        f"\t<link>{view.root}</link>\n"
        f"\t<description>{_text(SITE_DESCRIPTION)}</description>\n"
        f"\t<lastBuildDate>{_rfc822(newest)}</lastBuildDate>\n"
        "\t<language>nl-BE</language>\n"
        "\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
        "\t<sy:updateFrequency>1</sy:updateFrequency>\n"
        f"\t<generator>https://wordpress.org/?v={WORDPRESS_VERSION}</generator>\n"
        + "".join(entries)
        + "</channel>\n</rss>\n"
    )
    etag = hashlib.md5(_http_date(newest).encode("ascii"), usedforsecurity=False).hexdigest()
    return (
        200,
        {
            "Content-Type": RSS_TYPE,
            "ETag": f'"{etag}"',
            "Last-Modified": _http_date(newest),
        },
        body.encode("utf-8"),
    )


# ---------------------------------------------------------------------------- sitemaps


def _urlset(view: _Site, rows: Sequence[tuple[str, str | None]]) -> Response:
    entries = "".join(
        f"<url><loc>{_text(loc)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</url>"
        for loc, lastmod in rows
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<?xml-stylesheet type="text/xsl" href="{view.root}/wp-sitemap.xsl" ?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n'
    )
    return 200, {"Content-Type": XML_TYPE}, body.encode("utf-8")


def _sitemap_index(view: _Site) -> Response:
    site = view.site
    post_maps = (site.articles + SITEMAP_PAGE_SIZE - 1) // SITEMAP_PAGE_SIZE
    names = [f"wp-sitemap-posts-post-{n}.xml" for n in range(1, post_maps + 1)]
    names += [
        "wp-sitemap-posts-page-1.xml",
        "wp-sitemap-taxonomies-category-1.xml",
        "wp-sitemap-taxonomies-post_tag-1.xml",
        "wp-sitemap-users-1.xml",
    ]
    entries = "".join(f"<sitemap><loc>{view.root}/{name}</loc></sitemap>" for name in names)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<?xml-stylesheet type="text/xsl" href="{view.root}/wp-sitemap-index.xsl" ?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n'
    )
    return 200, {"Content-Type": XML_TYPE}, body.encode("utf-8")


def _sitemap(view: _Site, name: str) -> Response | None:
    site = view.site
    posts = re.fullmatch(r"posts-post-(\d+)", name)
    if posts:
        number = int(posts.group(1))
        start = (number - 1) * SITEMAP_PAGE_SIZE
        if number < 1 or start >= site.articles:
            return None
        stop = min(start + SITEMAP_PAGE_SIZE, site.articles)
        return _urlset(
            view,
            [(view.canonical_url(i), _gmt_iso(site.modified(i))) for i in range(start, stop)],
        )
    if name == "posts-page-1":
        return _urlset(view, [(f"{view.root}/privacybeleid/", "2021-03-15T09:02:11+00:00")])
    if name == "taxonomies-category-1":
        rows = [(view.category_url(n), None) for n, _ in _categories_in_use(site)]
        return _urlset(view, rows)
    if name == "taxonomies-post_tag-1":
        rows = [
            (view.tag_url(n), None)
            for n, members in zip(site.tag_names, site.tag_members, strict=True)
            if members
        ]
        return _urlset(view, rows)
    if name == "users-1":
        return _urlset(view, [(f"{view.root}/author/{WORDPRESS_ACCOUNT}/", None)])
    return None


def _robots(view: _Site) -> Response:
    body = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
    if view.site.sitemap:
        body += f"\nSitemap: {view.root}/wp-sitemap.xml\n"
    return 200, {"Content-Type": TEXT_TYPE}, body.encode("utf-8")


# ---------------------------------------------------------------------------- routing

_PAGED = r"(?:page/(?P<page>\d+)/)?"
_SLUG = r"(?P<slug>[a-z0-9_-]+)"

Handler = Callable[[_Site, "re.Match[str]"], "Response | None"]


def _page_number(match: re.Match[str]) -> int:
    value = match.group("page")
    return int(value) if value is not None else 1


def _route_feed(view: _Site, match: re.Match[str]) -> Response | None:
    site = view.site
    if not site.feed:
        return None
    held = range(site.articles, site.total_articles)
    return _feed(view, range(site.articles), SITE_NAME, f"{view.root}/feed/", held)


def _route_category_feed(view: _Site, match: re.Match[str]) -> Response | None:
    site = view.site
    found = _category_members(site, match.group("slug"))
    if not site.feed or found is None:
        return None
    name, position, members = found
    url = f"{view.root}/category/{match.group('slug')}/feed/"
    if position < len(REGIONS):
        held = site.held_region_members[position]
    else:
        held = site.held_topic_members[position - len(REGIONS)]
    return _feed(view, members, f"{name} Archieven - {SITE_NAME}", url, held)


def _route_tag_feed(view: _Site, match: re.Match[str]) -> Response | None:
    site = view.site
    position = site.tag_by_slug(match.group("slug"))
    if not site.feed or position is None or not site.tag_members[position]:
        return None
    url = f"{view.root}/tag/{match.group('slug')}/feed/"
    return _feed(
        view,
        site.tag_members[position],
        f"{site.tag_names[position]} Archieven - {SITE_NAME}",
        url,
        site.held_tag_members[position],
    )


def _route_sitemap(view: _Site, match: re.Match[str]) -> Response | None:
    if not view.site.sitemap:
        return None
    name = match.group("name")
    if name is None:
        return _sitemap_index(view)
    return _sitemap(view, name)


def _route_article(view: _Site, match: re.Match[str]) -> Response | None:
    site = view.site
    slug = match.group("slug")
    if match.group("slash") is None and site.trailing_slash_links:
        return None
    index = site.index_of_slug(slug)
    if index is None:
        return None
    return _article_page(view, index)


_ROUTES: tuple[tuple[re.Pattern[str], Handler], ...] = (
    (re.compile(r"/" + _PAGED), lambda v, m: _home(v, _page_number(m))),
    (re.compile(r"/robots\.txt"), lambda v, m: _robots(v)),
    (re.compile(r"/wp-sitemap(?:-(?P<name>[a-z_-]+-\d+))?\.xml"), _route_sitemap),
    (re.compile(r"/feed/"), _route_feed),
    (re.compile(r"/category/" + _SLUG + r"/feed/"), _route_category_feed),
    (re.compile(r"/tag/" + _SLUG + r"/feed/"), _route_tag_feed),
    (
        re.compile(r"/category/" + _SLUG + "/" + _PAGED),
        lambda v, m: _category(v, m.group("slug"), _page_number(m)),
    ),
    (
        re.compile(r"/tag/" + _SLUG + "/" + _PAGED),
        lambda v, m: _tag(v, m.group("slug"), _page_number(m)),
    ),
    (
        re.compile(r"/author/" + _SLUG + "/" + _PAGED),
        lambda v, m: _author(v, m.group("slug"), _page_number(m)),
    ),
    (
        re.compile(r"/(?P<year>\d{4})/(?:(?P<month>\d{2})/(?:(?P<day>\d{2})/)?)?" + _PAGED),
        lambda v, m: _date_archive(
            v, m.group("year"), m.group("month"), m.group("day"), _page_number(m)
        ),
    ),
    (re.compile(r"/privacybeleid/"), lambda v, m: _privacy_page(v)),
    (re.compile(r"/" + _SLUG + r"(?P<slash>/)?"), _route_article),
)

_FIRST_PAGE = re.compile(r"(?P<base>.*/)page/1/")


def _route(view: _Site, path: str) -> Response | None:
    for pattern, handler in _ROUTES:
        match = pattern.fullmatch(path)
        if match is not None:
            return handler(view, match)
    return None


def render_request(
    site: SiteModel, target: str, host: str, request_headers: RequestHeaders | None = None
) -> Response:
    """Answer a GET request for a target (path plus optional query string)."""
    host = host.strip() or "127.0.0.1"
    view = _Site(site, host)
    parts = urlsplit(target)
    path = unquote(parts.path) or "/"
    query = f"?{parts.query}" if parts.query else ""
    if path == "/" and parts.query:
        post = parse_qs(parts.query).get("p")
        if post:
            return _shortlink(view, post[0])
    first_page = _FIRST_PAGE.fullmatch(path)
    if first_page is not None and _route(view, first_page.group("base")) is not None:
        return _redirect(f"{view.root}{first_page.group('base')}{query}")
    response = _route(view, path)
    if response is None and not path.endswith("/"):
        with_slash = _route(view, path + "/")
        if with_slash is not None and with_slash[0] == 200:
            return _redirect(f"{view.root}{path}/{query}")
    if response is None:
        return _not_found(view)
    return _conditional(response, request_headers)


def _shortlink(view: _Site, value: str) -> Response:
    site = view.site
    if not value.isdigit():
        return _not_found(view)
    post_id = int(value)
    if post_id == PRIVACY_PAGE_ID:
        return _redirect(f"{view.root}/privacybeleid/")
    index = post_id - 1000
    if not 0 <= index < site.articles:
        return _not_found(view)
    return _redirect(view.canonical_url(index))


def _conditional(response: Response, request_headers: RequestHeaders | None) -> Response:
    """Turn a 200 into a 304 when the client's validators still match."""
    status, headers, _ = response
    if status != 200 or not request_headers:
        return response
    etag = headers.get("ETag")
    if_none_match = _header(request_headers, "If-None-Match")
    if etag and if_none_match is not None:
        tags = {candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")}
        if "*" in tags or etag in tags:
            return _not_modified(headers)
        return response
    last_modified = headers.get("Last-Modified")
    if_modified_since = _header(request_headers, "If-Modified-Since")
    if last_modified and if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return response
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        if parsedate_to_datetime(last_modified) <= since:
            return _not_modified(headers)
    return response


def _not_modified(headers: Mapping[str, str]) -> Response:
    kept = {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified", "Cache-Control")}
    return 304, kept, b""
