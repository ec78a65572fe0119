"""A real browser against `newsarchive serve`: Debian's Chromium driven by Playwright.

Searches from the home page, opens an article, looks at the chart, follows a facet, and visits
every page that shows a stored XSS probe, proving that nothing in it runs (no dialog, no console
marker, no `window.__xss`) and that no request leaves 127.0.0.1. `bash scripts/install.sh test`
installs Chromium (apt) and Playwright (pip); the browser Playwright would download is never used.

Set NEWSARCHIVE_UPDATE_SCREENSHOTS=1 to refresh the screenshots in docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from archive.db import open_archive, save_articles
from archive.warcs import default_warc_dir
from tests.conftest import REPO, free_port

CHROMIUM = Path(os.environ.get("NEWSARCHIVE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = REPO / "docs" / "screenshots"
MARKER = "xss-marker"
PROBE_WORD = "xssprobe"
_RUN = f"window.__xss=1;alert(1);console.log('{MARKER}')"
PROBE = {
    "url": f'http://127.0.0.1/probe/?"><script>{_RUN}</script>',
    "title": f'<script>{_RUN}</script><img src=x onerror="{_RUN}"> {PROBE_WORD}',
    "author": f'"><svg onload="{_RUN}">',
    "authors": [f'"><svg onload="{_RUN}">'],
    "place": f'<iframe src="javascript:{_RUN}"></iframe>',
    "description": f"</title><script>{_RUN}</script> {PROBE_WORD}",
    "text": f'{PROBE_WORD} <script>{_RUN}</script> <img src=x onerror="{_RUN}">',
    "body_html": (
        f'<p>{PROBE_WORD} <a id="js-link" href="javascript:{_RUN}">klik</a>'
        f'<img src="http://evil.example/x.png" onerror="{_RUN}"><script>{_RUN}</script>'
        "<style>p{background:url(http://evil.example/b.png)}</style>"
        f'<a id="evil-link" href="http://evil.example/" onmouseover="{_RUN}">link</a>'
        '<iframe src="http://evil.example/"></iframe></p>'
    ),
    "published": "2024-06-21T10:00:00+02:00",
    "categories": [f'<b onmouseover="{_RUN}">Kempen</b>'],
    "tags": [f"<script>{_RUN}</script>"],
    "language": "nl",
}


REPLAY_BASE = "http://127.0.0.1:9/replay"
REVISED_MARK = "Rechtzetting: de vergadering vindt plaats op dinsdag."


def revised(db) -> dict:
    """The first archived article again, corrected: a second version, same WARC record."""
    cursor = db.execute("SELECT * FROM articles WHERE warc_record_id IS NOT NULL ORDER BY id")
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    record = {key: value for key, value in row.items() if key not in ("id", "year", "month")}
    for column in ("authors", "categories", "tags"):
        record[column] = json.loads(record[column] or "[]")
    record["text"] = f"{row['text']}\n{REVISED_MARK}"
    return record


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # not a skip: the browser tests are part of the suite
        pytest.fail(f"Playwright is missing ({error}): run 'bash scripts/install.sh test'")
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run 'bash scripts/install.sh test'")
    return sync_playwright


@pytest.fixture(scope="module")
def archive_url(demo_archive, tmp_path_factory) -> Iterator[str]:
    """`newsarchive serve` on a copy of the demo archive with the XSS probe added."""
    path = tmp_path_factory.mktemp("browser") / "archive.db"
    source = sqlite3.connect(demo_archive)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    shutil.copytree(default_warc_dir(demo_archive), default_warc_dir(path))
    db = open_archive(path)
    save_articles(db, [PROBE], site="antwerpspersbureau")
    save_articles(db, [revised(db)], site="antwerpspersbureau")
    db.close()
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "NEWSARCHIVE_ALLOW_SQL"}
    env["NEWSARCHIVE_REPLAY_URL"] = REPLAY_BASE
    server = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "serve", "--db", str(path), "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read().decode()[-3000:]
            try:
                httpx.get(f"{url}/-/versions.json", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "newsarchive serve did not start"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass
class Watch:
    """What the browser did that it should not have: dialogs, markers, off-site requests."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    requests: int = 0

    def check(self) -> None:
        assert self.dialogs == []
        assert [message for message in self.console if MARKER in message] == []
        assert self.offsite == []
        assert self.requests > 0


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory) -> Iterator:
    sync_playwright = _playwright()
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900},
            service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context):
    watch = Watch()
    page = browser_context.new_page()

    def on_request(request) -> None:
        watch.requests += 1
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            watch.offsite.append(request.url)

    def on_dialog(dialog) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    browser_context.on("request", on_request)
    page.on("dialog", on_dialog)
    page.on("console", lambda message: watch.console.append(message.text))
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.watch = watch
    yield page
    browser_context.remove_listener("request", on_request)
    page.close()


def screenshot(page, name: str, tmp_path: Path) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("NEWSARCHIVE_UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOTS / name)


def test_search_from_the_home_page_and_open_an_article(page, archive_url, tmp_path):
    page.goto(f"{archive_url}/")
    page.fill("#home-q", "scholen")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?q=scholen")
    results = page.locator("li.result")
    assert results.count() > 0
    assert page.locator("li.result mark").count() > 0
    screenshot(page, "search.png", tmp_path)

    title = results.first.locator("h2 a").inner_text()
    results.first.locator("h2 a").click()
    page.wait_for_url("**/article/*")
    assert page.locator("article h1").inner_text() == title
    assert page.locator(".article-body p").count() > 0
    assert page.get_by_text("Original article").count() == 1
    screenshot(page, "article.png", tmp_path)
    page.watch.check()


def test_the_chart(page, archive_url, tmp_path):
    page.goto(f"{archive_url}/counts?q=zegt")
    assert page.locator("svg.chart rect").count() >= 12
    assert page.locator("table.counts tbody tr").count() >= 12
    box = page.locator("svg.chart").bounding_box()
    assert box["width"] > 600
    screenshot(page, "chart.png", tmp_path)
    page.locator("table.counts tbody tr a").first.click()
    page.wait_for_url("**/search?*from=*")
    page.watch.check()


def test_follow_a_facet(page, archive_url):
    page.goto(f"{archive_url}/archive/articles")
    facet = page.locator("[data-column=place] ul li a").first
    place = facet.inner_text()
    facet.click()
    page.wait_for_url("**place=*")
    shown = page.locator("td.col-place").all_inner_texts()
    assert shown
    assert set(shown) == {place}
    page.watch.check()


@pytest.mark.parametrize(
    "path",
    [
        f"/search?q={PROBE_WORD}",
        "/article/{probe}",
        f"/counts?q={PROBE_WORD}",
        "/",
        f"/archive/articles?_search={PROBE_WORD}",
        "/archive/articles/{probe}",
        f"/archive/search?q={PROBE_WORD}",
        "/archive/articles?_sort_desc=id&_facet=place&_facet=author",
        f"/archive/articles?_search={PROBE_WORD}&_allcols=1",
        f"/search.atom?q={PROBE_WORD}",
        "/crawls",
        "/coverage?from=2024-06-01&to=2024-06-30",
    ],
)
def test_xss_probe_runs_nowhere(page, archive_url, path):
    probe = httpx.get(f"{archive_url}/search.json?q={PROBE_WORD}").json()["rows"][0]["id"]
    page.goto(archive_url + path.format(probe=probe))
    page.wait_for_load_state("load")
    if not path.startswith("/search.atom"):
        assert (
            path in ("/", "/crawls") or path.startswith("/coverage") or PROBE_WORD in page.content()
        )
        for selector in ("a", "td", "li", "p", "h1", "h2"):
            for element in page.locator(selector).all()[:200]:
                if "onmouseover" in (element.inner_html() or ""):
                    element.hover(timeout=2000)
    if page.locator("#js-link").count():
        page.locator("#js-link").click(timeout=2000)
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.watch.check()


# --- the archive's own elements: versions, capture, pickers, highlights, table, crawls, phone ---


def _revised_id(archive_url: str) -> int:
    rows = httpx.get(
        f"{archive_url}/search.json", params={"q": '"vergadering vindt plaats op dinsdag"'}
    ).json()
    return rows["rows"][0]["id"]


def test_article_versions_and_word_diff(page, archive_url, tmp_path):
    page.goto(f"{archive_url}/article/{_revised_id(archive_url)}")
    versions = page.locator("section.versions li.version")
    assert versions.count() == 2
    newest = versions.first
    assert newest.locator(".correction-flag").is_visible()
    assert "text changed" in newest.locator(".version-head").inner_text()
    inserted = newest.locator(".diff-body ins")
    assert inserted.count() == 1
    assert REVISED_MARK in inserted.inner_text()
    assert inserted.is_visible()
    assert newest.locator(".diff-fold").count() >= 1
    page.locator("section.versions").scroll_into_view_if_needed()
    screenshot(page, "versions.png", tmp_path)
    page.watch.check()


def test_capture_block_replay_link_and_warc_download(page, archive_url):
    article = _revised_id(archive_url)
    page.goto(f"{archive_url}/article/{article}")
    capture = page.locator("section.capture")
    assert "urn:uuid:" in capture.locator(".capture-facts").inner_text()
    assert "sha1:" in capture.locator(".capture-facts").inner_text()
    replay = capture.locator("a.replay-link").get_attribute("href")
    assert replay.startswith(f"{REPLAY_BASE}/20")
    with page.expect_download() as info:
        capture.locator("a.warc-download").click()
    download = info.value
    assert download.suggested_filename == f"article-{article}.warc"
    assert Path(download.path()).read_bytes().startswith(b"WARC/1.1")
    response = httpx.get(f"{archive_url}/article/{article}/record.warc")
    assert response.headers["content-type"] == "application/warc"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    page.watch.check()


def test_search_pickers_and_aligned_filter_row(page, archive_url):
    page.goto(f"{archive_url}/search")
    places = page.locator("select#pick-place option")
    assert places.count() > 10
    label = places.nth(1).inner_text()
    assert label.endswith(")")  # "Mechelen (12)"
    assert page.locator("select#pick-category option").count() > 3
    assert page.locator("datalist#authors option").count() > 3
    boxes = [
        page.locator(selector).bounding_box()
        for selector in (
            "input[name=from]", "input[name=to]", "select[name=place]",
            "select[name=category]", "input[name=author]", "select[name=sort]",
        )
    ]  # fmt: skip
    assert len({round(box["y"]) for box in boxes}) == 1  # one row
    assert len({round(box["height"]) for box in boxes}) == 1  # the same height
    assert len({round(box["width"]) for box in boxes}) == 1  # and width
    value = places.nth(1).get_attribute("value")
    page.select_option("select#pick-place", value)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url("**/search?*place=*")
    shown = page.locator("li.result .meta a").first.inner_text()
    assert shown == value
    page.watch.check()


def test_highlights_in_title_and_author(page, archive_url):
    page.goto(f"{archive_url}/search?q=Marien")
    results = page.locator("li.result")
    assert results.count() > 0
    assert page.locator("li.result .author mark").count() > 0
    assert "author" in results.first.locator(".matched-in").inner_text()
    page.goto(f"{archive_url}/search?q=scholen")
    assert page.locator("li.result h2 mark").count() > 0
    assert page.locator("li.result .matched-in").first.inner_text().startswith("matched in:")
    page.watch.check()


def test_table_page_default_columns(page, archive_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{archive_url}/archive/articles")
    headers = page.locator("table.rows-and-columns th").all_inner_texts()
    assert [h.split()[0] for h in headers] == [
        "id",
        "published",
        "title",
        "place",
        "author",
        "categories",
    ]
    assert page.locator("details.column-descriptions").get_attribute("open") is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.evaluate("document.documentElement.scrollHeight") < 12000
    page.locator("a.all-columns").click()
    page.wait_for_url("**_allcols=1")
    assert page.locator("table.rows-and-columns th").count() > 20
    page.watch.check()


def test_crawls_and_coverage_pages(page, archive_url):
    page.goto(f"{archive_url}/crawls")
    rows = page.locator("table.crawls-table tbody tr")
    assert rows.count() >= 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0].startswith("#")
    assert int(cells[5]) > 0  # requests
    page.goto(f"{archive_url}/coverage")
    assert page.locator("table.coverage-table tbody tr").count() == 60
    gaps = page.locator("table.coverage-table tr.gap")
    assert gaps.count() == int(page.locator(".gap-count").inner_text())
    assert page.locator("table.coverage-table tr.covered td a[href^='/crawls#crawl-']").count() > 0
    page.watch.check()


def test_home_page_names_the_site_it_holds(page, archive_url):
    page.goto(f"{archive_url}/")
    sites = page.locator(".held-sites a").all_inner_texts()
    assert any(site.startswith("http://127.0.0.1:") for site in sites)  # the demo site's port
    assert "antwerpspersbureau.be" not in page.locator("p.facts").inner_text()
    assert page.locator(".crawl-period").inner_text().startswith("Crawled ")
    assert page.locator(".crawl-period a[href='/crawls']").count() == 1
    page.watch.check()


def test_phone_viewport_is_one_column(page, archive_url, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{archive_url}/search?q=scholen")
    fields = page.locator(".search-fields .field")
    boxes = [fields.nth(i).bounding_box() for i in range(fields.count())]
    assert len(boxes) == 6
    assert len({round(box["x"]) for box in boxes}) == 1  # one column
    assert all(box["width"] > 300 for box in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "search-phone.png", tmp_path)
    page.watch.check()
