"""Crawl one site with newspaper4k and write one JSON object per article.

    newspaper4k-venv/bin/python bench/peers/newspaper4k_build.py build URL OUTPUT.jsonl THREADS
    newspaper4k-venv/bin/python bench/peers/newspaper4k_build.py sitemap URL OUTPUT.jsonl THREADS

`build` is newspaper4k's own way to take in a news site: `newspaper.build(url)` reads the home
page, its category pages and its feeds and keeps the links its URL heuristics take for articles;
`download_articles` fetches them with THREADS threads; `parse_articles` extracts them and drops
too-short or duplicate bodies. Configuration: newspaper4k's defaults except no memo of seen
articles (every run starts fresh), no image downloads (no other system fetches images) and
THREADS threads.

newspaper4k reads no sitemaps, and its URL heuristics want a date or a section in an article's
path, so on a site whose articles live at `/slug/` `build` finds only a few. `sitemap` therefore
hands it every URL of the site's XML sitemaps (robots.txt `Sitemap:` lines, indexes followed;
read here with the standard library) and runs `newspaper.mthreading.fetch_news(urls, THREADS)`,
newspaper4k's multi-threaded download and parse of a URL list.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loopback_names

loopback_names.install()

import newspaper  # noqa: E402
from newspaper.mthreading import fetch_news  # noqa: E402

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a local site
        return response.read()


def sitemap_urls(site: str) -> list[str]:
    """Every page URL in the site's sitemaps, in sitemap order."""
    robots = _get(urljoin(site, "/robots.txt")).decode("utf-8", "replace")
    queue = [
        line.split(":", 1)[1].strip()
        for line in robots.splitlines()
        if line.lower().startswith("sitemap:")
    ]
    pages: list[str] = []
    while queue:
        root = ElementTree.fromstring(_get(queue.pop(0)))  # noqa: S314 - a local site
        locations = [loc.text.strip() for loc in root.iter(f"{SITEMAP_NS}loc") if loc.text]
        if root.tag == f"{SITEMAP_NS}sitemapindex":
            queue.extend(locations)
        else:
            pages.extend(locations)
    return list(dict.fromkeys(pages))


def crawl(mode: str, url: str, threads: int) -> list[newspaper.Article]:
    if mode == "build":
        source = newspaper.build(
            url, memorize_articles=False, fetch_images=False, number_threads=threads
        )
        source.download_articles()
        source.parse_articles()
        return list(source.articles)
    articles = fetch_news(sitemap_urls(url), threads=threads)
    return [article for article in articles if isinstance(article, newspaper.Article)]


def main() -> int:
    mode, url, output, threads = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    articles = crawl(mode, url, threads)
    with output.open("w", encoding="utf-8") as file:
        for article in articles:
            date = article.publish_date
            record = {
                "url": article.url,
                "title": article.title,
                "publish_date": date.isoformat() if date else None,
                "authors": article.authors,
                "text": article.text,
            }
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"newspaper4k ({mode}): {len(articles)} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
