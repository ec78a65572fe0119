"""Crawl one site with news-please's own crawl process, configured for a local copy at full speed.

    news-please-venv/bin/python bench/peers/news_please_crawl.py URL OUTPUT_DIR CONCURRENCY

Writes a config directory (config.cfg + sitelist.hjson) into OUTPUT_DIR from news-please's
bundled defaults, with only these changes: the working path is OUTPUT_DIR, the site list holds
URL with the SitemapCrawler (news-please's default crawler; it falls back to its
RecursiveCrawler when the site has no sitemap), Scrapy's concurrency is CONCURRENCY in total and
per domain, the certificate check is off (plain HTTP), logging is quieter, and JsonFileStorage
is exchanged for news_please_export.JsonLinesStorage (same JSON, one file; see there why).

Then it runs `newsplease/single_crawler.py` - the process `news-please -c DIR` starts for each
site - in this process, so that `*.localhost` resolves (loopback_names.py; news-please filters
out every link of a site given by IP address or with a port). The `news-please` command itself
only adds a supervisor that polls every 10 s whether its crawlers are done; running the crawl
process directly keeps that idle time out of the measurement. Articles end up in
OUTPUT_DIR/articles.jsonl, the pages under OUTPUT_DIR/data/.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loopback_names

loopback_names.install()

import newsplease  # noqa: E402

CONFIG_CHANGES = {
    r"^working_path = .*$": "working_path = {output}",
    r"^CONCURRENT_REQUESTS=.*$": "CONCURRENT_REQUESTS={concurrency}",
    r"^CONCURRENT_REQUESTS_PER_DOMAIN=.*$": "CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
    r"^check_certificate = .*$": "check_certificate = False",
    r"^LOG_LEVEL = .*$": "LOG_LEVEL = WARNING",
    r"'newsplease\.pipeline\.pipelines\.JsonFileStorage':300": (
        "'news_please_export.JsonLinesStorage':300"
    ),
}


def write_config(url: str, output: Path, concurrency: int) -> Path:
    """news-please's default config with the changes above; returns the config directory."""
    package = Path(newsplease.__file__).parent
    config = (package / "config" / "config.cfg").read_text(encoding="utf-8")
    for pattern, replacement in CONFIG_CHANGES.items():
        line = replacement.format(output=output, concurrency=concurrency)
        config, count = re.subn(pattern, line, config, flags=re.MULTILINE)
        if count != 1:
            raise SystemExit(f"news-please's config.cfg changed: {pattern!r} matched {count} times")
    directory = output / "config"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config.cfg").write_text(config, encoding="utf-8")
    sitelist = json.dumps({"base_urls": [{"url": url, "crawler": "SitemapCrawler"}]}) + "\n"
    (directory / "sitelist.hjson").write_text(sitelist, encoding="utf-8")
    return directory


def main() -> int:
    url, output, concurrency = sys.argv[1], Path(sys.argv[2]).resolve(), int(sys.argv[3])
    directory = write_config(url, output, concurrency)
    os.environ["NEWS_PLEASE_EXPORT"] = str(output / "articles.jsonl")
    single_crawler = Path(newsplease.__file__).parent / "single_crawler.py"
    sys.argv = [
        str(single_crawler),
        str(directory / "config.cfg"),
        str(directory / "sitelist.hjson"),
        "0",  # the site's index in the site list
        "False",  # resume
        "False",  # daemonize
    ]
    runpy.run_path(str(single_crawler), run_name="__main__")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
