#!/usr/bin/env python3
"""Write two small static sites laid out as Hugo and Jekyll build them: tests/sites/{hugo,jekyll}.

Deterministic and stdlib only: running it again writes the same bytes (files whose content is
unchanged are not touched, so their modification times, the server's Last-Modified, stay put).

    python tests/sites/make_sites.py [--out DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import math
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def local_time(day: date, hour: int, minute: int, winter_offset: int) -> datetime:
    """A wall-clock time in a European zone (summer time from the last Sunday of March to the
    last Sunday of October)."""
    summer = last_sunday(day.year, 3) <= day < last_sunday(day.year, 10)
    zone = timezone(timedelta(hours=winter_offset + (1 if summer else 0)))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def in_season(tags: list[str], day: date) -> list[str]:
    """The tags that fit a post of this day ("winter" only from November to March)."""
    return [t for t in tags if t != "winter" or day.month in (11, 12, 1, 2, 3)]


@dataclass
class Post:
    title: str
    slug: str
    published: datetime
    modified: datetime
    author: str
    category: str
    tags: list[str]
    paragraphs: list[str]
    url: str = ""
    words: int = 0
    summary: str = ""
    extra: dict = field(default_factory=dict)


# --- prose ------------------------------------------------------------------------------------


def fill(template: str, rng: random.Random, slots: dict[str, list[str]]) -> str:
    used: dict[str, str] = {}

    def pick(match: re.Match) -> str:
        name = match.group(1)
        base = name.rstrip("2")
        choices = [c for c in slots[base] if c not in used.values()]
        used[name] = rng.choice(choices)
        return used[name]

    text = re.sub(r"\{(\w+)\}", pick, template)
    return text[0].upper() + text[1:]


def write_paragraphs(
    rng: random.Random,
    specific: list[str],
    general: list[str],
    slots: dict[str, list[str]],
    *,
    min_words: int = 180,
    intro_sentences: int | None = None,
) -> list[str]:
    """Four to six paragraphs of three or four sentences, no sentence used twice in a post."""
    pool = [*rng.sample(specific, len(specific))]
    others = rng.sample(general, len(general))
    # alternate topic and general sentences so every paragraph reads as part of the same story
    sentences: list[str] = []
    while pool or others:
        for source in (pool, pool, others):
            if source:
                sentences.append(source.pop())
    count = rng.randint(4, 6)
    paragraphs: list[str] = []
    position = 0
    for index in range(count):
        size = intro_sentences if index == 0 and intro_sentences else rng.randint(3, 4)
        chunk = sentences[position : position + size]
        position += size
        paragraphs.append(" ".join(fill(s, rng, slots) for s in chunk))
    while sum(len(p.split()) for p in paragraphs) < min_words and position < len(sentences):
        paragraphs[-1] += " " + fill(sentences[position], rng, slots)
        position += 1
    return paragraphs


# --- Hugo ------------------------------------------------------------------------------------

HUGO_SITE = "Riverside Notes"
HUGO_AUTHORS = ["Helen Marsh", "Tom Okafor", "Priya Raman"]
HUGO_CATEGORIES = ["Gardening", "Cycling", "Local History"]
HUGO_TAGS = {
    "Gardening": ["allotment", "compost", "seeds", "volunteers", "winter"],
    "Cycling": ["gravel", "repairs", "canals", "volunteers", "maps", "winter"],
    "Local History": ["archives", "canals", "maps", "volunteers", "buildings"],
}
HUGO_SLOTS = {
    "place": [
        "Mill Lane",
        "the Old Wharf",
        "Kingsmead",
        "Holloway Green",
        "Ferry Road",
        "Brook Farm",
        "St Anne's",
        "the lower meadow",
        "Northgate",
        "Sutton Cross",
        "Cooper's Yard",
        "Hatfield Bridge",
    ],
    "person": ["Margaret", "Dev", "Alan", "Rosa", "Kwame", "Judith", "Owen", "Lena", "Patrick"],
    "veg": [
        "broad beans",
        "leeks",
        "runner beans",
        "kale",
        "garlic",
        "squash",
        "beetroot",
        "onions",
        "parsnips",
        "peas",
    ],
    "building": [
        "mill",
        "toll house",
        "chapel",
        "brickworks",
        "ferry house",
        "village school",
        "malt house",
        "coaching inn",
    ],
    "num": ["eleven", "fourteen", "twenty", "thirty-two", "nine", "seventeen", "twenty-six"],
    "km": ["28", "35", "42", "51", "64", "23"],
    "year": ["1838", "1861", "1874", "1902", "1911", "1929", "1947"],
    "month": ["March", "April", "June", "September", "October", "November"],
    "weekday": ["Saturday", "Sunday", "Wednesday", "Thursday"],
    "adj": ["grey", "bright", "damp", "still", "blustery", "mild", "cold"],
    "hour": ["eight", "nine", "ten"],
}
HUGO_TITLES = {
    "Gardening": [
        "Planting {veg} at {place}",
        "{month} morning on the allotments at {place}",
        "Saving seed from our {veg}",
        "What the frost did to our {veg}",
        "Compost lessons from {place}",
        "Sharing out the {veg}",
        "Raised beds for {place}",
    ],
    "Cycling": [
        "A gravel loop from {place} to {place2}",
        "Repair evening at {place}",
        "Riding the towpath to {place}",
        "{km} kilometres into the wind",
        "First club ride of {month}",
        "Lights and lanes around {place}",
    ],
    "Local History": [
        "The story of the {building} at {place}",
        "What the rate books say about {place}",
        "Old photographs of {place}",
        "{place} in {year}",
        "The {building} and its owners",
        "Looking for the lost {building} of {place}",
    ],
}
HUGO_SPECIFIC = {
    "Gardening": [
        "the {veg} went in along the south edge of the plot, where they get the sun until late "
        "afternoon.",
        "our compost heap finally reached the dark, crumbly stage that makes all the turning "
        "worthwhile.",
        "{person} swears by a thin layer of straw between the rows to keep the slugs at bay.",
        "we lost about a third of the {veg} seedlings to one cold night, which is roughly what the "
        "old hands had predicted.",
        "the water butts were nearly empty, so we ran a hose from the tap by the gate.",
        "label everything, because by midsummer nobody remembers which row was which.",
        "the soil on the plots near {place} is heavy clay, and digging it after rain is a proper "
        "workout.",
        "a handful of leaf mould in each planting hole seems to make a visible difference.",
        "we swapped seeds with the group from {place}, who grow a wonderful old variety of {veg}.",
        "netting is tedious to put up, but the pigeons are not going to give up on their own.",
        "the bees were busy on the borage before we had even unlocked the shed.",
        "harvest day always produces more {veg} than anyone can carry home on a bicycle.",
    ],
    "Cycling": [
        "the loop from {place} to {place2} is about {km} kilometres, with one short climb near "
        "the church.",
        "two punctures in the first hour set the tone for the rest of the ride.",
        "the gravel section past the old quarry is rough but perfectly rideable on wider tyres.",
        "{person} led the group at a steady pace, stopping at every junction so that nobody got "
        "lost.",
        "we took a long break at the café in {place}, where the owner still remembers the club's "
        "very first ride.",
        "a headwind on the way back made the last ten kilometres feel like twenty.",
        "check your chain before you set off, because a dry chain on a wet day is a miserable "
        "combination.",
        "the repair session afterwards dealt with {num} bikes, mostly brakes and worn gear cables.",
        "riders who are new to the group are always paired with someone who knows the route.",
        "the towpath is closed for works between the second and the third lock, so we used the "
        "lane instead.",
        "front and rear lights are needed from four in the afternoon until the clocks change.",
        "route files are on the club page, but a paper map in a pocket has never run out of "
        "battery.",
    ],
    "Local History": [
        "the parish records show that the {building} at {place} was first mentioned in {year}.",
        "according to a letter kept in the county archive, the canal basin was at its busiest in "
        "the 1880s.",
        "{person} spent three afternoons in the reading room going through the old rate books.",
        "most of the houses on the east side of {place} were built for workers at the brickworks.",
        "a photograph from around {year} shows the {building} with a thatched roof and a small "
        "yard.",
        "the original map is too fragile to handle, but the archive has made an excellent copy.",
        "memories collected from older residents do not always agree, which is part of the charm.",
        "the name of the lane comes from a ferry that crossed the river here until the bridge was "
        "built.",
        "we are still looking for anyone who has photographs of the {building} before the fire.",
        "an auction notice from {year} lists the contents of the {building} down to the last "
        "barrel.",
        "the school log book records closures for snow, for measles, and once for a travelling "
        "circus.",
        "the talk at the library drew a full room, and the questions went on long after the tea "
        "ran out.",
    ],
}
HUGO_GENERAL = [
    "we met at {place} on a {adj} {weekday} morning, a little after {hour} o'clock.",
    "{person} had brought a box of spare parts in the back of an old estate car, which turned "
    "out to be a very good idea.",
    "by noon about {num} people had joined in, more than we had expected for the time of year.",
    "nobody had written down how this was done last time, so we more or less started from scratch.",
    "there is a lot to be said for going slowly and looking properly before you start anything.",
    "it rained briefly around two, but not hard enough to send anyone home early.",
    "a neighbour stopped to ask what we were up to and stayed for the rest of the afternoon.",
    "we kept a short list of what went wrong, mostly so that we can laugh about it later.",
    "if you would like to help next time, you need no experience at all, only sensible shoes.",
    "looking back at the notes from previous years, the same small problems come up again and "
    "again.",
    "{person} thinks the answer is to start earlier in the season, and may well be right.",
    "tea came from a dented flask that has now survived at least {num} seasons of this.",
    "the light around {place} in {month} is worth the trip on its own.",
    "some of the older members still remember when {place} looked completely different.",
    "a few photographs from the day are pinned on the board in the library entrance.",
    "the next session is planned for the second {weekday} of {month}, weather permitting.",
    "thanks go to {person} for the cake, which disappeared within minutes of the first break.",
    "as usual the conversation was at least as good as the work itself.",
    "several people asked for a written guide, so we will put one together over the winter.",
    "children are welcome as long as an adult keeps an eye on them near the water.",
]
HUGO_ABOUT = [
    "Riverside Notes is written by a handful of neighbours who garden, cycle and dig through "
    "old papers in and around the town.",
    "We publish a short report after most of our get-togethers, so that people who could not "
    "come can see what happened and join in next time.",
]


def hugo_posts() -> list[Post]:
    rng = random.Random(20240611)
    posts: list[Post] = []
    seen: set[str] = set()
    day = date(2023, 6, 3)
    for index in range(40):
        category = HUGO_CATEGORIES[(index * 7 + index // 3) % 3]
        published = local_time(day, rng.randint(7, 19), rng.choice([0, 15, 30, 45]), 0)
        title_slots = {**HUGO_SLOTS, "month": [f"{day:%B}"]}  # "A June morning" is in June
        while True:
            title = fill(rng.choice(HUGO_TITLES[category]), rng, title_slots)
            if slugify(title) not in seen:
                break
        seen.add(slugify(title))
        modified = published
        if index % 6 == 2:
            modified = published + timedelta(days=rng.randint(1, 9), hours=rng.randint(1, 5))
        tags = sorted(rng.sample(in_season(HUGO_TAGS[category], day), rng.randint(1, 3)))
        paragraphs = write_paragraphs(
            rng, HUGO_SPECIFIC[category], HUGO_GENERAL, HUGO_SLOTS, min_words=190
        )
        posts.append(
            Post(
                title=title,
                slug=slugify(title),
                published=published,
                modified=modified,
                author=HUGO_AUTHORS[rng.randrange(len(HUGO_AUTHORS))],
                category=category,
                tags=tags,
                paragraphs=paragraphs,
            )
        )
        day += timedelta(days=rng.randint(3, 6))
    for post in posts:
        post.url = f"/posts/{post.slug}/"
        post.words = sum(len(p.split()) for p in post.paragraphs)
        sentences = re.split(r"(?<=[.!?]) ", post.paragraphs[0])
        post.summary = " ".join(sentences[:2])
    posts.sort(key=lambda p: p.published, reverse=True)
    return posts


def hugo_link(url: str) -> str:
    """The theme's internal links drop the trailing slash (the host redirects them)."""
    return url if url == "/" else url.rstrip("/")


def hugo_date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def rss_date(moment: datetime) -> str:
    return format_datetime(moment)


def hugo_head(
    *,
    title: str,
    description: str,
    canonical: str,
    og_type: str,
    rss: str,
    extra: str = "",
    keywords: list[str] | None = None,
    author: str | None = None,
) -> str:
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en-gb" dir="auto">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
        '<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">',
        '<meta name="robots" content="index, follow">',
        f"<title>{esc(title)}</title>",
    ]
    if keywords:
        lines.append(f'<meta name="keywords" content="{esc(", ".join(keywords))}">')
    lines.append(f'<meta name="description" content="{esc(description)}">')
    lines.append(f'<meta name="author" content="{esc(author or HUGO_SITE)}">')
    lines += [
        f'<link rel="canonical" href="{canonical}">',
        '<link crossorigin="anonymous" href="/assets/css/stylesheet.min.css" rel="preload '
        'stylesheet" as="style">',
        '<link rel="icon" href="/favicon.ico">',
        '<meta name="generator" content="Hugo 0.126.1">',
        f'<link rel="alternate" type="application/rss+xml" href="{rss}" title="{HUGO_SITE}">',
        f'<meta property="og:url" content="{canonical}">',
        f'<meta property="og:site_name" content="{HUGO_SITE}">',
        f'<meta property="og:title" content="{esc(title.removesuffix(" | " + HUGO_SITE))}">',
        f'<meta property="og:description" content="{esc(description)}">',
        '<meta property="og:locale" content="en_gb">',
        f'<meta property="og:type" content="{og_type}">',
    ]
    if extra:
        lines.append(extra)
    lines += [
        '<meta name="twitter:card" content="summary">',
        f'<meta name="twitter:title" content="{esc(title.removesuffix(" | " + HUGO_SITE))}">',
        f'<meta name="twitter:description" content="{esc(description)}">',
        "</head>",
    ]
    return "\n".join(lines)


def hugo_header() -> str:
    menu = [("/posts/", "Posts"), ("/categories/", "Categories"), ("/tags/", "Tags")]
    menu.append(("/about/", "About"))
    items = "\n".join(
        f'<li><a href="{hugo_link(url)}" title="{name}"><span>{name}</span></a></li>'
        for url, name in menu
    )
    return (
        '<header class="header">\n<nav class="nav">\n<div class="logo">\n'
        f'<a href="/" accesskey="h" title="{HUGO_SITE} (Alt + H)">{HUGO_SITE}</a>\n'
        f'</div>\n<ul id="menu">\n{items}\n</ul>\n</nav>\n</header>'
    )


def hugo_footer() -> str:
    return (
        '<footer class="footer">\n'
        f'<span>&copy; 2024 <a href="/">{HUGO_SITE}</a></span> &middot;\n'
        '<span>Powered by <a href="https://gohugo.io/" rel="noopener noreferrer" '
        'target="_blank">Hugo</a></span>\n</footer>\n'
        '<a href="#top" aria-label="go to top" title="Go to Top (Alt + G)" class="top-link" '
        'id="top-link" accesskey="g">&uarr;</a>\n'
        '<script src="/js/theme.min.js"></script>\n</body>\n</html>\n'
    )


def hugo_post_page(post: Post, newer: Post | None, older: Post | None) -> str:
    tag_meta = "\n".join(f'<meta property="article:tag" content="{esc(t)}">' for t in post.tags)
    extra = "\n".join(
        [
            '<meta property="article:section" content="posts">',
            f'<meta property="article:published_time" content="{iso(post.published)}">',
            f'<meta property="article:modified_time" content="{iso(post.modified)}">',
            tag_meta,
        ]
    )
    ld = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "name": post.title,
        "description": post.summary,
        "keywords": post.tags,
        "wordCount": post.words,
        "inLanguage": "en-gb",
        "datePublished": iso(post.published),
        "dateModified": iso(post.modified),
        "author": [{"@type": "Person", "name": post.author}],
        "mainEntityOfPage": {"@type": "WebPage", "@id": post.url},
        "publisher": {"@type": "Organization", "name": HUGO_SITE, "logo": {"@type": "ImageObject"}},
    }
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Posts", "item": "/posts/"},
            {"@type": "ListItem", "position": 2, "name": post.title, "item": post.url},
        ],
    }
    head = hugo_head(
        title=f"{post.title} | {HUGO_SITE}",
        description=post.summary,
        canonical=post.url,
        og_type="article",
        rss="/index.xml",
        extra=extra,
        keywords=post.tags,
        author=post.author,
    )
    head = head.replace(
        "</head>",
        '<script type="application/ld+json">\n'
        + json.dumps(breadcrumbs, ensure_ascii=False)
        + '\n</script>\n<script type="application/ld+json">\n'
        + json.dumps(ld, ensure_ascii=False)
        + "\n</script>\n</head>",
    )
    category_url = f"/categories/{slugify(post.category)}/"
    body = "\n".join(f"<p>{esc(p)}</p>" for p in post.paragraphs)
    tags = "\n".join(
        f'<li><a href="{hugo_link("/tags/" + t + "/")}">{t}</a></li>' for t in post.tags
    )
    nav = []
    if newer:
        nav.append(
            f'<a class="prev" href="{hugo_link(newer.url)}">\n<span class="title">« Prev</span>'
            f"\n<br>\n<span>{esc(newer.title)}</span>\n</a>"
        )
    if older:
        nav.append(
            f'<a class="next" href="{hugo_link(older.url)}">\n<span class="title">Next »</span>'
            f"\n<br>\n<span>{esc(older.title)}</span>\n</a>"
        )
    minutes = max(1, math.ceil(post.words / 200))
    return f"""{head}
<body id="top">
{hugo_header()}
<main class="main">
<article class="post-single">
<header class="post-header">
<div class="breadcrumbs"><a href="/">Home</a>&nbsp;»&nbsp;<a href="/posts">Posts</a></div>
<h1 class="post-title entry-hint-parent">{esc(post.title)}</h1>
<div class="post-meta"><time datetime="{iso(post.published)}">{hugo_date(post.published)}</time>\
&nbsp;·&nbsp;{minutes} min&nbsp;·&nbsp;<span class="post-author">{esc(post.author)}</span>\
&nbsp;|&nbsp;<a href="{hugo_link(category_url)}" class="post-category">\
{esc(post.category)}</a></div>
</header>
<div class="post-content">
{body}
</div>
<footer class="post-footer">
<ul class="post-tags">
{tags}
</ul>
<nav class="paginav">
{chr(10).join(nav)}
</nav>
</footer>
</article>
</main>
{hugo_footer()}"""


def hugo_list_page(
    *,
    heading: str,
    title: str,
    canonical: str,
    rss: str,
    entries: list[Post],
    page: int,
    pages: int,
    base: str,
    intro: str = "",
) -> str:
    def page_url(number: int) -> str:
        return base if number == 1 else f"{base}page/{number}/"

    url = page_url(page)
    description = intro or f"{heading} on {HUGO_SITE}"
    if page > 1:
        title = f"{heading} | Page {page}" + ("" if heading == HUGO_SITE else f" | {HUGO_SITE}")
    head = hugo_head(
        title=title,
        description=description,
        canonical=url,
        og_type="website",
        rss=rss,
    )
    if intro and page == 1:
        top = (
            f'<article class="first-entry home-info">\n<header class="entry-header">\n'
            f'<h1>{esc(heading)}</h1>\n</header>\n<div class="entry-content">\n'
            f"{intro}\n</div>\n</article>"
        )
    else:
        top = (
            f'<header class="page-header">\n<h1>{esc(heading)}\n'
            f'<a href="{rss}" title="RSS" aria-label="RSS">rss</a>\n</h1>\n</header>'
        )
    teasers = []
    for post in entries:
        teasers.append(
            f"""<article class="post-summary">
<header class="entry-header">
<h2 class="entry-hint-parent"><a href="{hugo_link(post.url)}">{esc(post.title)}</a></h2>
</header>
<div class="entry-content">
<p>{esc(post.summary)} …</p>
</div>
<footer class="entry-footer"><time datetime="{iso(post.published)}">\
{hugo_date(post.published)}</time>&nbsp;·&nbsp;{max(1, math.ceil(post.words / 200))} min\
&nbsp;·&nbsp;{esc(post.author)}</footer>
<a class="read-more" aria-label="post link to {esc(post.title)}" \
href="{hugo_link(post.url)}">Read more</a>
</article>"""
        )
    nav = ""
    if pages > 1:
        links = []
        if page > 1:
            links.append(
                f'<a class="prev" rel="prev" href="{hugo_link(page_url(page - 1))}">« Prev</a>'
            )
        links.append(f'<span class="page-number">Page {page} of {pages}</span>')
        if page < pages:
            links.append(
                f'<a class="next" rel="next" href="{hugo_link(page_url(page + 1))}">Next »</a>'
            )
        nav = '<footer class="page-footer">\n<nav class="pagination">\n'
        nav += "\n".join(links) + "\n</nav>\n</footer>"
    return f"""{head}
<body class="list" id="top">
{hugo_header()}
<main class="main">
{top}
{chr(10).join(teasers)}
{nav}
</main>
{hugo_footer()}"""


def hugo_terms_page(kind: str, terms: dict[str, list[Post]], names: dict[str, str]) -> str:
    heading = kind.capitalize()
    head = hugo_head(
        title=f"{heading} | {HUGO_SITE}",
        description=f"{heading} on {HUGO_SITE}",
        canonical=f"/{kind}/",
        og_type="website",
        rss=f"/{kind}/index.xml",
    )
    items = "\n".join(
        f'<li>\n<a href="{hugo_link(f"/{kind}/{slug}/")}">{esc(names[slug])} '
        f"<sup><strong><sup>{len(posts)}</sup></strong></sup> </a>\n</li>"
        for slug, posts in sorted(terms.items())
    )
    return f"""{head}
<body class="list" id="top">
{hugo_header()}
<main class="main">
<header class="page-header">
<h1>{heading}</h1>
</header>
<ul class="terms-tags">
{items}
</ul>
</main>
{hugo_footer()}"""


def hugo_about_page() -> str:
    head = hugo_head(
        title=f"About | {HUGO_SITE}",
        description=HUGO_ABOUT[0],
        canonical="/about/",
        og_type="article",
        rss="/index.xml",
    )
    body = "\n".join(f"<p>{esc(p)}</p>" for p in HUGO_ABOUT)
    return f"""{head}
<body id="top">
{hugo_header()}
<main class="main">
<article class="post-single">
<header class="post-header">
<h1 class="post-title entry-hint-parent">About</h1>
</header>
<div class="post-content">
{body}
<p>Write to us at <a href="mailto:hello@riverside-notes.example">\
hello@riverside-notes.example</a>.</p>
</div>
</article>
</main>
{hugo_footer()}"""


def hugo_alias(target: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en-gb">\n  <head>\n    <title>{target}</title>\n'
        f'    <link rel="canonical" href="{target}">\n'
        '    <meta name="robots" content="noindex">\n    <meta charset="utf-8">\n'
        f'    <meta http-equiv="refresh" content="0; url={target}">\n  </head>\n</html>\n'
    )


def hugo_rss(title: str, link: str, self_url: str, items: list[tuple[str, str, datetime, str]]):
    newest = max((item[2] for item in items), default=datetime(2024, 1, 1, tzinfo=UTC))
    section = f"in {esc(title.split(' on ')[0])} " if " on " in title else ""
    lines = [
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "  <channel>",
        f"    <title>{esc(title)}</title>",
        f"    <link>{link}</link>",
        f"    <description>Recent content {section}on {HUGO_SITE}</description>",
        "    <generator>Hugo</generator>",
        "    <language>en-gb</language>",
        f"    <lastBuildDate>{rss_date(newest)}</lastBuildDate>",
        f'    <atom:link href="{self_url}" rel="self" type="application/rss+xml" />',
    ]
    for item_title, item_url, moment, description in items:
        lines += [
            "    <item>",
            f"      <title>{esc(item_title)}</title>",
            f"      <link>{item_url}</link>",
            f"      <pubDate>{rss_date(moment)}</pubDate>",
            f"      <guid>{item_url}</guid>",
            f"      <description>{esc(description)}</description>",
            "    </item>",
        ]
    lines += ["  </channel>", "</rss>", ""]
    return "\n".join(lines)


def paginate(posts: list[Post], size: int) -> list[list[Post]]:
    return [posts[i : i + size] for i in range(0, len(posts), size)] or [[]]


def build_hugo() -> dict[str, str]:
    posts = hugo_posts()
    files: dict[str, str] = {}
    listings: list[str] = []
    lastmod = {post.url: post.modified for post in posts}
    newest = max(post.modified for post in posts)

    for index, post in enumerate(posts):
        newer = posts[index - 1] if index > 0 else None
        older = posts[index + 1] if index + 1 < len(posts) else None
        files[f"posts/{post.slug}/index.html"] = hugo_post_page(post, newer, older)

    def list_section(base: str, heading: str, rss: str, entries: list[Post], intro: str = ""):
        chunks = paginate(entries, 10)
        for number, chunk in enumerate(chunks, start=1):
            url = base if number == 1 else f"{base}page/{number}/"
            listings.append(url)
            files[url.lstrip("/") + "index.html"] = hugo_list_page(
                heading=heading,
                title=f"{heading} | {HUGO_SITE}" if not intro else HUGO_SITE,
                canonical=url,
                rss=rss,
                entries=chunk,
                page=number,
                pages=len(chunks),
                base=base,
                intro=intro,
            )
        files[base.lstrip("/") + "page/1/index.html"] = hugo_alias(base)

    intro = (
        "<p>Reports from the allotments, the club rides and the local history group, written "
        "by the people who were there.</p>"
    )
    list_section("/", HUGO_SITE, "/index.xml", posts, intro=intro)
    list_section("/posts/", "Posts", "/posts/index.xml", posts)
    files["index.xml"] = hugo_rss(
        HUGO_SITE,
        "/",
        "/index.xml",
        [(p.title, p.url, p.published, p.summary) for p in posts],
    )
    files["posts/index.xml"] = hugo_rss(
        f"Posts on {HUGO_SITE}",
        "/posts/",
        "/posts/index.xml",
        [(p.title, p.url, p.published, p.summary) for p in posts],
    )

    taxonomy_terms: dict[str, dict[str, list[Post]]] = {"tags": {}, "categories": {}}
    names: dict[str, dict[str, str]] = {"tags": {}, "categories": {}}
    for post in posts:
        for kind, values in (("tags", post.tags), ("categories", [post.category])):
            for value in values:
                slug = slugify(value)
                taxonomy_terms[kind].setdefault(slug, []).append(post)
                names[kind][slug] = value if kind == "categories" else value.capitalize()
    for kind, terms in taxonomy_terms.items():
        listings.append(f"/{kind}/")
        files[f"{kind}/index.html"] = hugo_terms_page(kind, terms, names[kind])
        files[f"{kind}/index.xml"] = hugo_rss(
            f"{kind.capitalize()} on {HUGO_SITE}",
            f"/{kind}/",
            f"/{kind}/index.xml",
            [
                (names[kind][slug], f"/{kind}/{slug}/", members[0].published, "")
                for slug, members in sorted(
                    terms.items(), key=lambda t: -t[1][0].published.timestamp()
                )
            ],
        )
        for slug, members in sorted(terms.items()):
            base = f"/{kind}/{slug}/"
            list_section(base, names[kind][slug], f"{base}index.xml", members)
            files[f"{kind}/{slug}/index.xml"] = hugo_rss(
                f"{names[kind][slug]} on {HUGO_SITE}",
                base,
                f"{base}index.xml",
                [(p.title, p.url, p.published, p.summary) for p in members],
            )
            lastmod[base] = max(p.modified for p in members)
        lastmod[f"/{kind}/"] = newest

    files["about/index.html"] = hugo_about_page()
    lastmod["/"] = newest
    lastmod["/posts/"] = newest

    order = ["/", "/posts/", "/categories/", "/tags/"]
    order += sorted(
        u for u in lastmod if u.startswith(("/categories/", "/tags/")) and u not in order
    )
    order += [p.url for p in posts] + ["/about/"]
    sitemap = [
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"',
        '  xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url in order:
        sitemap += ["  <url>", f"    <loc>{url}</loc>"]
        if url in lastmod:  # a page without a date (the about page) has no lastmod
            sitemap.append(f"    <lastmod>{iso(lastmod[url])}</lastmod>")
        sitemap.append("  </url>")
    sitemap += ["</urlset>", ""]
    files["sitemap.xml"] = "\n".join(sitemap)
    files["robots.txt"] = "User-agent: *\n"
    files["404.html"] = hugo_head(
        title=f"404 Page not found | {HUGO_SITE}",
        description="Page not found",
        canonical="/404.html",
        og_type="website",
        rss="/index.xml",
    ) + (
        f'\n<body class="list" id="top">\n{hugo_header()}\n<main class="main">\n'
        '<div class="not-found">404</div>\n</main>\n' + hugo_footer()
    )
    files["assets/css/stylesheet.min.css"] = (
        "body{margin:0;font-family:system-ui,sans-serif;line-height:1.6}"
        ".main{max-width:720px;margin:auto;padding:1rem}"
        ".post-summary{margin:1.5rem 0}.pagination{display:flex;gap:1rem}\n"
    )
    files["js/theme.min.js"] = (
        'document.getElementById("top-link").addEventListener("click",function(e){'
        'e.preventDefault();window.scrollTo({top:0,behavior:"smooth"})});\n'
    )
    files["manifest.json"] = manifest(
        "hugo",
        posts,
        listings,
        static=["/about/"],
        feeds=sorted(f"/{name}" for name in files if name.endswith("index.xml")),
        sitemap="/sitemap.xml",
    )
    return files


# --- Jekyll ----------------------------------------------------------------------------------

JEKYLL_SITE = "Wandelclub De Heikneuters"
JEKYLL_DESCRIPTION = (
    "Verslagen van de wandelingen, natuurtochten en erfgoedwandelingen van onze club."
)
JEKYLL_AUTHORS = ["An Peeters", "Jef Van den Broeck", "Lotte Wouters"]
JEKYLL_CATEGORIES = ["wandelingen", "natuur", "erfgoed"]
JEKYLL_TAGS = {
    "wandelingen": ["routes", "winter", "heide", "bossen", "gidsen"],
    "natuur": ["vogels", "heide", "bossen", "winter"],
    "erfgoed": ["kapellen", "molens", "gidsen", "routes"],
}
DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
JEKYLL_SLOTS = {
    "plaats": [
        "Kasterlee",
        "Retie",
        "Lichtaart",
        "Dessel",
        "Arendonk",
        "Vorselaar",
        "Tielen",
        "Oud-Turnhout",
        "Poederlee",
        "Wechelderzande",
    ],
    "gebied": ["de Hoge Mouw", "het Zwart Water", "de Kluis", "het Prinsenpark", "de Liereman"],
    "persoon": ["Mieke", "Staf", "Ria", "Koen", "Hilde", "Wout", "Greet", "Bart"],
    "aantal": ["achttien", "tweeëntwintig", "vijftien", "dertig", "zevenentwintig", "twaalf"],
    "km": ["9", "12", "14", "17", "21"],
    "jaar": ["1684", "1751", "1802", "1857", "1913", "1936"],
    "uur": ["negen", "tien", "elf", "twee"],
    "maand": ["maart", "mei", "juni", "september", "oktober", "december"],
    "knoop": ["14", "27", "52", "63", "88"],
}
JEKYLL_TITLES = {
    "wandelingen": [
        "Wandeling rond {plaats}",
        "Over zandwegen van {plaats} naar {plaats2}",
        "Winterwandeling in {gebied}",
        "Avondtocht langs de vaart bij {plaats}",
        "{km} kilometer door {gebied}",
    ],
    "natuur": [
        "Vogels kijken in {gebied}",
        "Op zoek naar de heide van {plaats}",
        "Natuurwandeling met de boswachter in {gebied}",
        "Herfst in de vennen van {plaats}",
        "Paddenstoelen in {gebied}",
    ],
    "erfgoed": [
        "De kapellen van {plaats}",
        "Langs de oude molen van {plaats}",
        "Erfgoedwandeling door het centrum van {plaats}",
        "Hoeves en veldwegen rond {plaats}",
        "Het verhaal van het tolhuis in {plaats}",
    ],
}
# titles that only fit some months
JEKYLL_SEASONS = {
    "Winterwandeling": {12, 1, 2},
    "Herfst": {9, 10, 11},
    "Paddenstoelen": {9, 10, 11},
}
JEKYLL_SPECIFIC = {
    "wandelingen": [
        "de route van ongeveer {km} kilometer loopt grotendeels over zandwegen en smalle bospaden.",
        "na een regenachtige week stonden sommige paden flink onder water, dus laarzen waren geen "
        "overbodige luxe.",
        "{persoon} had de tocht vooraf twee keer verkend en kende elke afslag uit het hoofd.",
        "halverwege hielden we pauze bij het café aan de vaart, waar de soep van de dag "
        "erwtensoep was.",
        "de knooppunten zijn goed aangeduid, maar bij punt {knoop} ontbreekt nog altijd een "
        "bordje.",
        "wie liever een korte tocht maakt, kan bij de molen afsnijden en spaart zo een uur uit.",
        "op de terugweg kregen we de wind vol in het gezicht, wat het laatste stuk zwaar maakte.",
        "stevige schoenen en een regenjas blijven de beste raad, ook als de voorspelling goed is.",
        "het stuk langs de beek is smal en glad, dus we liepen er in ganzenpas.",
        "in {gebied} kruist de route twee keer een drukke weg, telkens met een veilige "
        "oversteekplaats.",
        "de laatste kilometers liepen we over een dijk met een prachtig uitzicht over de weiden.",
        "voor wie met de bus komt, ligt de halte op vijf minuten van het vertrekpunt.",
    ],
    "natuur": [
        "boven de heide cirkelde een buizerd, en even later zagen we ook een torenvalk bidden.",
        "de boswachter vertelde dat de grazers de heide open houden zonder dat er gemaaid moet "
        "worden.",
        "in de poel bij {plaats} hoorden we de eerste kikkers van het seizoen.",
        "{persoon} wees ons op de sporen van een ree in de modder naast het pad.",
        "de vennen staan dit jaar hoger dan gewoonlijk, tot groot genoegen van de libellen.",
        "het gebied werd enkele jaren geleden uitgebreid met een stuk voormalige landbouwgrond.",
        "langs de bosrand bloeide de brem zo fel dat iedereen even bleef staan.",
        "wie goed luistert, hoort in het voorjaar de boomleeuwerik boven de open vlakte.",
        "een vrijwilliger telt elke maand de vogels langs dezelfde route, al sinds {jaar}.",
        "we lieten de verrekijkers rondgaan zodat ook de kinderen de reigers konden zien.",
        "de paden door het broekbos zijn in de winter afgesloten om de dieren rust te geven.",
        "paddenstoelen waren er volop, maar plukken is in het reservaat uiteraard niet toegestaan.",
    ],
    "erfgoed": [
        "de kapel aan de kruising dateert volgens de gids uit {jaar} en werd na een brand "
        "herbouwd.",
        "in het archief van de heemkundige kring vonden we een kaart waarop de oude veldwegen nog "
        "staan.",
        "{persoon} vertelde over de tijd dat de molen nog elke dag graan maalde voor de boeren uit "
        "de buurt.",
        "de gevelsteen boven de deur van de hoeve vermeldt het jaartal {jaar}.",
        "veel van de kleine kapelletjes werden gebouwd als dank voor een genezing of een goede "
        "oogst.",
        "het oude tolhuis is nu een woning, maar de vorm van het gebouw verraadt nog zijn "
        "vroegere functie.",
        "oudere inwoners herinneren zich dat de beek vroeger bevroor en dat er dan geschaatst "
        "werd.",
        "de restauratie van de schandpaal werd betaald door een inzameling onder de dorpsbewoners.",
        "op een foto uit {jaar} staat de hele straat nog vol met kleine arbeidershuisjes.",
        "de naam van het gehucht verwijst naar een doorwaadbare plaats in de beek.",
        "een bord aan de kerkmuur vertelt kort de geschiedenis van de parochie.",
        "wie meer wil weten, kan op zaterdag terecht in het heemmuseum naast het gemeentehuis.",
    ],
}
JEKYLL_GENERAL = [
    "we vertrokken om {uur} uur aan de kerk van {plaats}, met {aantal} wandelaars en twee honden.",
    "het weer zat beter mee dan verwacht: droog, fris en af en toe een waterig zonnetje.",
    "achteraf dronken we nog iets in {plaats}, waar de gesprekken nog lang doorgingen.",
    "nieuwe leden zijn altijd welkom en je hoeft je niet vooraf in te schrijven.",
    "dank aan {persoon} voor de koffie en de zelfgebakken cake halverwege.",
    "een paar foto's van de tocht hangen intussen op het prikbord in het clublokaal.",
    "het was een van die dagen waarop alles vanzelf leek te gaan.",
    "niet iedereen haalde het einde, maar iedereen kwam wel met een glimlach thuis.",
    "we merken dat steeds meer jonge gezinnen de weg naar onze activiteiten vinden.",
    "vergeet niet dat je tijdens het broedseizoen op de paden moet blijven.",
    "de opkomst was met {aantal} deelnemers hoger dan vorig jaar rond deze tijd.",
    "wie vragen heeft over de volgende activiteit, kan altijd mailen naar het secretariaat.",
    "zoals zo vaak was het gezelschap minstens even belangrijk als de route zelf.",
    "in de kantlijn van het verslag noteerden we wat volgende keer beter kan.",
    "een kaartje van de route is op aanvraag verkrijgbaar bij de bestuursleden.",
    "het landschap verandert met de seizoenen, en daarom lopen we sommige tochten elk jaar "
    "opnieuw.",
    "de volgende activiteit staat gepland voor de tweede zondag van {maand}.",
    "{persoon} zorgde zoals altijd voor de EHBO-tas, die gelukkig dicht bleef.",
]
JEKYLL_ABOUT = [
    "De Heikneuters zijn een wandelclub uit de Kempen. We wandelen elke maand een of twee keer, "
    "meestal op zondag, en trekken daarbij graag langs natuur en erfgoed.",
    "Op deze blog houden we verslagen bij van onze tochten, zodat wie er niet bij was kan "
    "nalezen waar we liepen en wat we onderweg zagen.",
]
JEKYLL_PER_PAGE = 5


def jekyll_posts() -> list[Post]:
    rng = random.Random(20230902)
    posts: list[Post] = []
    seen: set[str] = set()
    day = date(2023, 9, 2)
    for index in range(30):
        category = JEKYLL_CATEGORIES[(index * 2 + index // 4) % 3]
        templates = [
            t
            for t in JEKYLL_TITLES[category]
            if day.month in JEKYLL_SEASONS.get(t.split()[0], range(1, 13))
        ]
        while True:
            title = fill(rng.choice(templates), rng, JEKYLL_SLOTS)
            if slugify(title) not in seen:
                break
        seen.add(slugify(title))
        published = local_time(day, rng.randint(8, 21), rng.choice([0, 10, 20, 30, 40, 50]), 1)
        tags = sorted(rng.sample(in_season(JEKYLL_TAGS[category], day), rng.randint(1, 2)))
        paragraphs = write_paragraphs(
            rng,
            JEKYLL_SPECIFIC[category],
            JEKYLL_GENERAL,
            JEKYLL_SLOTS,
            min_words=170,
            intro_sentences=2,
        )
        posts.append(
            Post(
                title=title,
                slug=slugify(title),
                published=published,
                modified=published,
                author=JEKYLL_AUTHORS[rng.randrange(len(JEKYLL_AUTHORS))],
                category=category,
                tags=tags,
                paragraphs=paragraphs,
            )
        )
        day += timedelta(days=rng.randint(4, 8))
    for post in posts:
        post.url = f"/{post.published:%Y/%m/%d}/{post.slug}.html"
        post.words = sum(len(p.split()) for p in post.paragraphs)
        post.summary = post.paragraphs[0]  # Jekyll's excerpt: the first paragraph
    posts.sort(key=lambda p: p.published, reverse=True)
    return posts


def dutch_date(moment: datetime) -> str:
    return f"{moment.day} {DUTCH_MONTHS[moment.month - 1]} {moment.year}"


def jekyll_seo(
    *, title: str, description: str, url: str, og_type: str, ld: dict, extra: str = ""
) -> str:
    lines = [
        "<!-- Begin Jekyll SEO tag v2.8.0 -->",
        f"<title>{esc(title)}</title>",
        '<meta name="generator" content="Jekyll v4.3.3" />',
        f'<meta property="og:title" content="{esc(title.split(" | ")[0])}" />',
    ]
    if "author" in ld:
        lines.append(f'<meta name="author" content="{esc(ld["author"]["name"])}" />')
    lines += [
        '<meta property="og:locale" content="nl_BE" />',
        f'<meta name="description" content="{esc(description)}" />',
        f'<meta property="og:description" content="{esc(description)}" />',
        f'<link rel="canonical" href="{url}" />',
        f'<meta property="og:url" content="{url}" />',
        f'<meta property="og:site_name" content="{JEKYLL_SITE}" />',
        f'<meta property="og:type" content="{og_type}" />',
    ]
    if extra:
        lines.append(extra)
    lines += [
        '<meta name="twitter:card" content="summary" />',
        f'<meta property="twitter:title" content="{esc(title.split(" | ")[0])}" />',
        '<script type="application/ld+json">',
        json.dumps({**ld, "@context": "https://schema.org"}, ensure_ascii=False, sort_keys=True),
        "</script>",
        "<!-- End Jekyll SEO tag -->",
    ]
    return "\n".join(lines)


def jekyll_page(seo: str, content: str) -> str:
    nav = "\n".join(
        f'<a class="page-link" href="{url}">{name}</a>'
        for url, name in (
            ("/about/", "Over ons"),
            ("/categories/", "Categorieën"),
            ("/tags/", "Tags"),
        )
    )
    return f"""<!DOCTYPE html>
<html lang="nl"><head>
  <meta charset="utf-8">
  <meta http-equiv="X-UA-Compatible" content="IE=edge">
  <meta name="viewport" content="width=device-width, initial-scale=1">
{seo}
  <link rel="stylesheet" href="/assets/main.css"><link type="application/atom+xml" \
rel="alternate" href="/feed.xml" title="{JEKYLL_SITE}" /></head>
<body><header class="site-header" role="banner">

  <div class="wrapper"><a class="site-title" rel="author" href="/">{JEKYLL_SITE}</a><nav \
class="site-nav">
        <input type="checkbox" id="nav-trigger" class="nav-trigger" />
        <label for="nav-trigger">
          <span class="menu-icon">menu</span>
        </label>

        <div class="trigger">{nav}</div>
      </nav></div>
</header>
<main class="page-content" aria-label="Content">
      <div class="wrapper">
{content}
      </div>
    </main><footer class="site-footer h-card">
  <data class="u-url" href="/"></data>

  <div class="wrapper">

    <h2 class="footer-heading">{JEKYLL_SITE}</h2>

    <div class="footer-col-wrapper">
      <div class="footer-col footer-col-1">
        <ul class="contact-list">
          <li class="p-name">{JEKYLL_SITE}</li><li><a class="u-email" \
href="mailto:secretariaat@heikneuters.example">secretariaat@heikneuters.example</a></li></ul>
      </div>

      <div class="footer-col footer-col-2">
        <p>{esc(JEKYLL_DESCRIPTION)}</p>
        <p class="feed-subscribe"><a href="/feed.xml">Abonneren</a></p>
      </div>
    </div>

  </div>

</footer>
</body>

</html>
"""


def jekyll_post_page(post: Post, newer: Post | None, older: Post | None) -> str:
    ld = {
        "@type": "BlogPosting",
        "author": {"@type": "Person", "name": post.author},
        "dateModified": iso(post.modified),
        "datePublished": iso(post.published),
        "description": post.summary,
        "headline": post.title,
        "mainEntityOfPage": {"@type": "WebPage", "@id": post.url},
        "url": post.url,
    }
    extra = f'<meta property="article:published_time" content="{iso(post.published)}" />'
    seo = jekyll_seo(
        title=f"{post.title} | {JEKYLL_SITE}",
        description=post.summary,
        url=post.url,
        og_type="article",
        ld=ld,
        extra=extra,
    )
    body = "\n".join(f"<p>{esc(p)}</p>" for p in post.paragraphs)
    terms = f'Categorie: <a href="/categories/#{post.category}">{post.category}</a>'
    terms += " · Tags: " + ", ".join(f'<a href="/tags/#{t}">{t}</a>' for t in post.tags)
    nav = []
    if older:
        nav.append(f'<a class="prev" href="{older.url}">&laquo; {esc(older.title)}</a>')
    if newer:
        nav.append(f'<a class="next" href="{newer.url}">{esc(newer.title)} &raquo;</a>')
    content = f"""<article class="post h-entry" itemscope itemtype="http://schema.org/BlogPosting">

  <header class="post-header">
    <h1 class="post-title p-name" itemprop="name headline">{esc(post.title)}</h1>
    <p class="post-meta"><time class="dt-published" datetime="{iso(post.published)}" \
itemprop="datePublished">{dutch_date(post.published)}
      </time>• <span itemprop="author" itemscope itemtype="http://schema.org/Person"><span \
class="p-author h-card" itemprop="name">{esc(post.author)}</span></span></p>
  </header>

  <div class="post-content e-content" itemprop="articleBody">
{body}
  </div>

  <p class="post-terms">{terms}</p>

  <div class="post-nav">
    {chr(10).join(nav)}
  </div><a class="u-url" href="{post.url}" hidden></a>
</article>"""
    return jekyll_page(seo, content)


def jekyll_home_page(posts: list[Post], page: int, pages: int) -> str:
    def page_url(number: int) -> str:
        return "/" if number == 1 else f"/page{number}/"

    url = page_url(page)
    title = JEKYLL_SITE if page == 1 else f"{JEKYLL_SITE} | Pagina {page} van {pages}"
    ld = {
        "@type": "WebSite" if page == 1 else "WebPage",
        "description": JEKYLL_DESCRIPTION,
        "headline": JEKYLL_SITE,
        "name": JEKYLL_SITE,
        "url": url,
    }
    seo = jekyll_seo(title=title, description=JEKYLL_DESCRIPTION, url=url, og_type="website", ld=ld)
    items = []
    for post in posts:
        items.append(
            f"""<li><span class="post-meta">{dutch_date(post.published)}</span>
        <h3>
          <a class="post-link" href="{post.url}">
            {esc(post.title)}
          </a>
        </h3><p>{esc(post.summary)}</p>
</li>"""
        )
    links = []
    if page > 1:
        links.append(f'<a href="{page_url(page - 1)}" class="previous">&laquo; Nieuwer</a>')
    else:
        links.append('<span class="previous">&laquo; Nieuwer</span>')
    links.append(f'<span class="page_number ">Pagina {page} van {pages}</span>')
    if page < pages:
        links.append(f'<a href="{page_url(page + 1)}" class="next">Ouder &raquo;</a>')
    else:
        links.append('<span class="next ">Ouder &raquo;</span>')
    content = f"""<div class="home"><h2 class="post-list-heading">Verslagen</h2>
    <ul class="post-list">{"".join(items)}</ul>

  <div class="pagination">
    {chr(10).join(links)}
  </div>
</div>"""
    return jekyll_page(seo, content)


def jekyll_index_page(kind: str, groups: dict[str, list[Post]]) -> str:
    heading = {"categories": "Categorieën", "tags": "Tags"}[kind]
    url = f"/{kind}/"
    ld = {"@type": "WebPage", "description": JEKYLL_DESCRIPTION, "headline": heading, "url": url}
    seo = jekyll_seo(
        title=f"{heading} | {JEKYLL_SITE}",
        description=JEKYLL_DESCRIPTION,
        url=url,
        og_type="website",
        ld=ld,
    )
    sections = []
    for name in sorted(groups):
        entries = "\n".join(
            f'    <li><a href="{p.url}">{esc(p.title)}</a> '
            f"<small>{dutch_date(p.published)}</small></li>"
            for p in groups[name]
        )
        sections.append(f'<h2 id="{name}">{name}</h2>\n<ul class="archive-list">\n{entries}\n</ul>')
    index = " · ".join(
        f'<a href="#{name}">{name} ({len(groups[name])})</a>' for name in sorted(groups)
    )
    content = f"""<article class="post">

  <header class="post-header">
    <h1 class="post-title">{heading}</h1>
  </header>

  <div class="post-content">
    <p class="term-index">{index}</p>
{chr(10).join(sections)}
  </div>

</article>"""
    return jekyll_page(seo, content)


def jekyll_about_page() -> str:
    ld = {
        "@type": "WebPage",
        "description": JEKYLL_ABOUT[0],
        "headline": "Over ons",
        "url": "/about/",
    }
    seo = jekyll_seo(
        title=f"Over ons | {JEKYLL_SITE}",
        description=JEKYLL_ABOUT[0],
        url="/about/",
        og_type="website",
        ld=ld,
    )
    body = "\n".join(f"<p>{esc(p)}</p>" for p in JEKYLL_ABOUT)
    content = f"""<article class="post">

  <header class="post-header">
    <h1 class="post-title">Over ons</h1>
  </header>

  <div class="post-content">
{body}
  </div>

</article>"""
    return jekyll_page(seo, content)


def jekyll_feed(posts: list[Post]) -> str:
    """jekyll-feed's Atom feed: the newest ten posts, with their full content."""
    newest = posts[:10]
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:lang="nl"><generator uri="https://jekyllrb.com/" version="4.3.3">Jekyll</generator>'
        '<link href="/feed.xml" rel="self" type="application/atom+xml" />'
        '<link href="/" rel="alternate" type="text/html" hreflang="nl" />'
        f"<updated>{iso(newest[0].published)}</updated><id>/feed.xml</id>"
        f'<title type="html">{esc(JEKYLL_SITE)}</title>'
        f"<subtitle>{esc(JEKYLL_DESCRIPTION)}</subtitle>"
    ]
    for post in newest:
        content = "".join(f"<p>{esc(p)}</p>" for p in post.paragraphs)
        categories = f'<category term="{post.category}" />'
        categories += "".join(f'<category term="{t}" />' for t in post.tags)
        parts.append(
            f'<entry><title type="html">{esc(post.title)}</title>'
            f'<link href="{post.url}" rel="alternate" type="text/html" title="{esc(post.title)}" />'
            f"<published>{iso(post.published)}</published><updated>{iso(post.modified)}</updated>"
            f"<id>{post.url.removesuffix('.html')}</id>"
            f'<content type="html" xml:base="{post.url}"><![CDATA[{content}]]></content>'
            f"<author><name>{esc(post.author)}</name></author>{categories}"
            f'<summary type="html"><![CDATA[{esc(post.summary)}]]></summary></entry>'
        )
    parts.append("</feed>")
    return "".join(parts)


def build_jekyll() -> dict[str, str]:
    posts = jekyll_posts()
    files: dict[str, str] = {}
    listings: list[str] = []
    for index, post in enumerate(posts):
        newer = posts[index - 1] if index > 0 else None
        older = posts[index + 1] if index + 1 < len(posts) else None
        files[post.url.lstrip("/")] = jekyll_post_page(post, newer, older)
    chunks = paginate(posts, JEKYLL_PER_PAGE)
    for number, chunk in enumerate(chunks, start=1):
        path = "index.html" if number == 1 else f"page{number}/index.html"
        listings.append("/" if number == 1 else f"/page{number}/")
        files[path] = jekyll_home_page(chunk, number, len(chunks))
    for kind in ("categories", "tags"):
        groups: dict[str, list[Post]] = {}
        for post in posts:
            for name in [post.category] if kind == "categories" else post.tags:
                groups.setdefault(name, []).append(post)
        files[f"{kind}/index.html"] = jekyll_index_page(kind, groups)
        listings.append(f"/{kind}/")
    files["about/index.html"] = jekyll_about_page()
    files["feed.xml"] = jekyll_feed(posts)
    files["404.html"] = jekyll_page(
        jekyll_seo(
            title=f"Pagina niet gevonden | {JEKYLL_SITE}",
            description=JEKYLL_DESCRIPTION,
            url="/404.html",
            og_type="website",
            ld={"@type": "WebPage", "headline": "Pagina niet gevonden", "url": "/404.html"},
        ),
        '<div class="container">\n  <h1>404</h1>\n  <p><strong>Pagina niet gevonden</strong></p>\n'
        "</div>",
    )
    files["assets/main.css"] = (
        "body{margin:0;font:400 16px/1.5 -apple-system,sans-serif;color:#111}"
        ".wrapper{max-width:740px;margin:0 auto;padding:0 30px}"
        ".post-list{list-style:none;margin-left:0}.pagination{margin:2em 0}\n"
    )
    files["manifest.json"] = manifest(
        "jekyll", posts, listings, static=["/about/"], feeds=["/feed.xml"], sitemap=None
    )
    return files


# --- output ----------------------------------------------------------------------------------


def manifest(
    engine: str,
    posts: list[Post],
    listings: list[str],
    *,
    static: list[str],
    feeds: list[str],
    sitemap: str | None,
) -> str:
    data = {
        "engine": engine,
        "posts": [
            {
                "path": post.url,
                "title": post.title,
                "published": iso(post.published),
                "author": post.author,
                "category": post.category,
                "tags": post.tags,
                "words": post.words,
            }
            for post in posts
        ],
        "listings": listings,
        "static": static,
        "feeds": feeds,
        "sitemap": sitemap,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_site(folder: Path, files: dict[str, str]) -> None:
    """Write the files, leaving unchanged ones untouched, and remove files no longer built."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for path in sorted(folder.rglob("*"), reverse=True):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=HERE, help="folder to write hugo/ and jekyll/ in"
    )
    args = parser.parse_args()
    for name, build in (("hugo", build_hugo), ("jekyll", build_jekyll)):
        files = build()
        write_site(args.out / name, files)
        size = sum(len(text.encode("utf-8")) for text in files.values())
        print(f"{name}: {len(files)} files, {size / 1024:.0f} KiB in {args.out / name}")


if __name__ == "__main__":
    main()
