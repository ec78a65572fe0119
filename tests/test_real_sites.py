"""Crawling a real WordPress site nobody here wrote, served from a local folder as its host did."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.conftest import SHARED, crawl

BALDR = SHARED / "realdata" / "sites" / "baldr"
SERVE_SITE = SHARED / "tools" / "serve_site.py"

BODY_CLASS = re.compile(r'<body[^>]*class="([^"]*)"')
POST_TITLE = re.compile(r'<h1[^>]*class="[^"]*wp-block-post-title[^"]*"[^>]*>(.*?)</h1>', re.S)
POST_TIME = re.compile(r'<time datetime="([^"]+)"')


def site_pages(kind: str) -> dict[str, Path]:
    """URL paths of the export's pages whose body class marks them as `kind` (single-post, page)."""
    pages = {}
    for path in BALDR.rglob("index.html"):
        match = BODY_CLASS.search(path.read_text(encoding="utf-8", errors="replace"))
        if match and kind in match.group(1).split():
            pages["/" + str(path.parent.relative_to(BALDR)) + "/"] = path
    return pages


@pytest.fixture(scope="module")
def baldr_url() -> Iterator[str]:
    server = subprocess.Popen(
        [sys.executable, str(SERVE_SITE), str(BALDR), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    match = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
    assert match, line
    yield match.group(1)
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def baldr_archive(baldr_url, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("baldr") / "archive.db"
    result = crawl(db, f"{baldr_url}/")
    assert result.returncode == 0, result.stderr[-3000:]
    return db


def stored(db_path: Path, base: str) -> dict[str, dict]:
    return {row["url"].removeprefix(base): row for row in Database(db_path)["articles"].rows}


def test_every_post_is_stored_with_its_title_and_date(baldr_archive, baldr_url):
    posts = site_pages("single-post")
    assert len(posts) == 44
    rows = stored(baldr_archive, baldr_url)
    for url_path, page in posts.items():
        source = page.read_text(encoding="utf-8")
        title = html.unescape(re.sub(r"<[^>]+>", "", POST_TITLE.search(source).group(1))).strip()
        date = POST_TIME.search(source).group(1)
        assert url_path in rows, url_path
        assert rows[url_path]["title"] == title
        assert rows[url_path]["published"][:10] == date[:10]


def test_no_listing_pages_are_stored(baldr_archive, baldr_url):
    allowed = set(site_pages("single-post")) | set(site_pages("page"))
    for url_path in stored(baldr_archive, baldr_url):
        assert url_path in allowed, f"{url_path} is neither a post nor a static page"
        assert not re.search(r"/(category|page|feed|author|tag)/|^/$", url_path)


@pytest.mark.parametrize(
    "furniture", ["Proudly powered by", "Meeborrelen\n", "Instagram\n", "Privacybeleid"]
)
def test_text_is_clean_of_site_furniture(baldr_archive, baldr_url, furniture):
    for url_path, row in stored(baldr_archive, baldr_url).items():
        assert row["word_count"] > 0, url_path
        if url_path in site_pages("single-post"):
            assert furniture not in row["text"] + "\n", url_path
