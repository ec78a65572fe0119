"""The research pages in-process: search page, article page, chart, facets, Atom feed, home page,
the SQL switch, and a stored XSS probe that must come out inert in HTML, JSON, CSV and Atom."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest

from archive.db import open_archive, save_articles
from archive.publish import make_datasette
from archive.research.capture import ReplayConfigError
from archive.research.versions import word_diff
from archive.warcs import default_warc_dir
from demosite import DemoSite
from tests.conftest import demo_record

ARTICLES = 60
PROBE_WORD = "xssprobe"
PROBE = {
    "url": 'http://127.0.0.1/probe/?"><script>window.__xss=1</script>',
    "title": f'<script>window.__xss=2</script><img src=x onerror="window.__xss=3"> {PROBE_WORD}',
    "author": '"><svg onload="window.__xss=4">',
    "authors": ['"><svg onload="window.__xss=4">'],
    "place": '<iframe src="javascript:window.__xss=5"></iframe>',
    "description": f"</title><script>window.__xss=6</script> {PROBE_WORD}",
    "text": f"{PROBE_WORD} <script>window.__xss=7</script> <img src=x onerror=window.__xss=8>",
    "body_html": (
        f'<p>{PROBE_WORD} <a href="javascript:window.__xss=9">klik</a>'
        '<img src="http://evil.example/x.png" onerror="window.__xss=10">'
        "<script>window.__xss=11</script><style>p{background:url(http://evil.example/b)}</style>"
        '<a href="http://evil.example/" onclick="window.__xss=12" style="color:red">link</a>'
        '<iframe src="http://evil.example/"></iframe><form action="http://evil.example/">'
        '<input name="x"></form><svg><script>window.__xss=13</script></svg></p>'
    ),
    "published": "2024-06-21T10:00:00+02:00",
    "categories": ['<b onmouseover="window.__xss=14">Kempen</b>'],
    "tags": ["<script>window.__xss=15</script>"],
    "language": "nl",
}


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("research") / "archive.db"
    site = DemoSite(articles=ARTICLES)
    db = open_archive(path)
    save_articles(db, [demo_record(site, i) for i in range(ARTICLES)], site="antwerpspersbureau")
    save_articles(db, [PROBE], site="antwerpspersbureau")
    db.close()
    return path


@pytest.fixture(scope="module")
def datasette(archive_path):
    return make_datasette(archive_path)


@pytest.fixture(scope="module")
def probe_id(archive_path):
    db = open_archive(archive_path)
    try:
        return db.execute("SELECT id FROM articles WHERE url = ?", [PROBE["url"]]).fetchone()[0]
    finally:
        db.close()


def get(datasette, path: str, status: int = 200, follow: bool = True):
    response = asyncio.run(datasette.client.get(path, follow_redirects=follow))
    assert response.status_code == status, f"{path}: {response.status_code} {response.text[:300]}"
    return response


class _Inspector(HTMLParser):
    """Collects everything in a page that could run code or load a resource from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.in_script = True
        if tag in ("img", "iframe", "object", "embed", "form", "input") and any(
            "evil" in (value or "") or "__xss" in (value or "") for _, value in attrs
        ):
            self.problems.append(f"<{tag}> {attrs}")
        if tag in ("iframe", "object", "embed"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("src", "action") and "evil.example" in value:
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "__xss" in data:
            self.problems.append(f"script: {data[:80]!r}")


def assert_inert(page: str) -> None:
    inspector = _Inspector()
    inspector.feed(page)
    assert inspector.problems == []


# ---------------------------------------------------------------------------- pages


def test_home_page_describes_the_archive(datasette):
    page = get(datasette, "/").text
    assert f"{ARTICLES + 1} articles" in page
    # the site the archive holds, from its own rows
    assert 'href="https://www.antwerpspersbureau.be" rel="noopener noreferrer nofollow"' in page
    for link in ('href="/search"', 'href="/counts"', 'href="/api"', 'href="/archive/articles"'):
        assert link in page
    assert 'action="/search"' in page


def test_search_page_shows_results_with_highlights(datasette):
    page = get(datasette, "/search?q=zegt").text
    assert '<ol class="results"' in page
    assert "<mark>zegt</mark>" in page
    assert 'rel="next"' in page
    assert 'href="/article/' in page
    assert 'type="application/atom+xml"' in page


def test_search_page_filters_and_sorts(datasette):
    query = urlencode({"q": "zegt", "place": "Mechelen"})
    page = get(datasette, f"/search?{query}").text
    assert 'value="Mechelen"' in page
    rows = get(datasette, f"/search.json?{query}").json()["rows"]
    assert rows
    assert {row["place"] for row in rows} == {"Mechelen"}
    assert page.count('class="result"') == len(rows)
    newest = get(datasette, "/search.json?q=zegt&sort=newest").json()["rows"]
    dates = [row["published"] for row in newest]
    assert dates == sorted(dates, reverse=True)
    second = get(datasette, "/search?q=zegt&page=2").text
    assert 'rel="prev"' in second


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=de",
        "/search?q=NOT+zegt",
        "/search?q=%22unbalanced",
        "/search?q=(((",
        "/search?q=*a",
    ],
)
def test_search_page_survives_odd_queries(datasette, path):
    get(datasette, path)


def test_search_page_without_query_lists_newest(datasette):
    page = get(datasette, "/search").text
    assert page.count('class="result"') == 20


def test_article_page(datasette, archive_path):
    db = open_archive(archive_path)
    row = dict(
        zip(
            ("id", "title", "author", "place", "url", "first_seen"),
            db.execute(
                "SELECT id, title, author, place, url, first_seen FROM articles "
                "WHERE url LIKE 'https://%' LIMIT 1"
            ).fetchone(),
            strict=True,
        )
    )
    db.close()
    page = get(datasette, f"/article/{row['id']}").text
    assert f"<h1>{html.escape(row['title'])}</h1>" in page
    assert html.escape(row["author"]) in page
    assert row["place"] in page
    assert f'href="{row["url"]}"' in page
    assert row["first_seen"][:10] in page
    assert '<div class="article-body"><p>' in page


def test_missing_article_is_404(datasette):
    get(datasette, "/article/999999", status=404)


def test_counts_chart_and_table(datasette):
    page = get(datasette, "/counts").text
    assert "<svg" in page
    assert page.count("<rect") >= 12
    data = get(datasette, "/counts.json").json()
    assert sum(month["articles"] for month in data["months"]) == ARTICLES + 1
    searched = get(datasette, "/counts.json?q=zegt").json()
    assert 0 < sum(m["articles"] for m in searched["months"]) < ARTICLES + 1
    canned = get(datasette, "/archive/articles_per_month.json?_shape=array&q=").json()
    assert sum(row["articles"] for row in canned) == ARTICLES + 1


def test_default_facets(datasette):
    data = get(datasette, "/archive/articles.json?_size=1").json()
    assert {"place", "author", "categories", "tags", "year", "month"} <= set(data["facet_results"])
    years = get(datasette, "/archive/articles.json?year=2024&_shape=array&_size=max").json()
    assert years
    assert all(row["published"].startswith("2024") for row in years)
    assert all(row["month"].startswith("2024-") for row in years)


def test_atom_feed_for_a_search(datasette):
    response = get(datasette, "/search.atom?q=zegt")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert 0 < len(entries) <= 50
    published = [entry.find("a:published", ns).text for entry in entries]
    assert published == sorted(published, reverse=True)
    assert feed.find("a:link[@rel='self']", ns).get("href").endswith("/search.atom?q=zegt")


def test_json_api_and_csv_export(datasette):
    rows = get(datasette, "/archive/articles.json?_shape=array&_size=5").json()
    assert len(rows) == 5
    csv_text = get(datasette, "/archive/articles.csv?_size=5").text
    assert next(csv.reader(io.StringIO(csv_text)))[:3] == ["id", "url", "title"]
    canned_csv = get(datasette, "/archive/search.csv?q=zegt").text
    assert "snippet_html" in canned_csv.splitlines()[0]


def test_arbitrary_sql_is_a_setting(archive_path, monkeypatch):
    monkeypatch.delenv("NEWSARCHIVE_ALLOW_SQL", raising=False)
    get(make_datasette(archive_path), "/archive.json?sql=select+1", status=403)
    get(make_datasette(archive_path, allow_sql=True), "/archive.json?sql=select+1")
    monkeypatch.setenv("NEWSARCHIVE_ALLOW_SQL", "1")
    get(make_datasette(archive_path), "/archive.json?sql=select+1")


def test_new_pages_carry_security_headers(datasette):
    paths = ("/search", "/article/1", "/counts", "/search.atom", "/search.json", "/api", "/crawls")
    for path in (*paths, "/coverage", "/crawls.json", "/coverage.json"):
        headers = get(datasette, path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_bookkeeping_tables_are_hidden(datasette):
    page = get(datasette, "/archive").text
    assert "articles_nl_pending" not in page.split("hidden tables")[0]


# ---------------------------------------------------------------------------- stored XSS probe


@pytest.mark.parametrize(
    "path",
    [
        f"/search?q={PROBE_WORD}",
        f"/search?q={PROBE_WORD}&sort=newest",
        "/search",
        "/article/{probe_id}",
        f"/counts?q={PROBE_WORD}",
        "/",
        f"/archive/articles?_search={PROBE_WORD}",
        f"/archive/articles?_search={PROBE_WORD}&_allcols=1",
        "/archive/articles/{probe_id}",
        f"/archive/search?q={PROBE_WORD}",
        "/archive/articles?_facet=place&_facet_array=categories&_facet=author",
        "/crawls",
        "/coverage?from=2024-06-01&to=2024-06-30",
    ],
)
def test_xss_probe_is_inert_in_html(datasette, probe_id, path):
    page = get(datasette, path.format(probe_id=probe_id)).text
    assert_inert(page)
    if "q=" in path or "probe_id" in path or "_search" in path:
        assert PROBE_WORD in page


def test_xss_probe_body_is_sanitised_on_the_article_page(datasette, probe_id):
    page = get(datasette, f"/article/{probe_id}").text
    body = page.split('<div class="article-body">')[1].split("</div>")[0]
    assert "<script" not in body
    assert "<img" not in body
    assert "<style" not in body
    assert "<iframe" not in body
    assert "<form" not in body
    assert "javascript:" not in body
    assert 'href="http://evil.example/"' in body  # a plain link stays a link…
    assert 'rel="noopener noreferrer nofollow"' in body  # …that tells nothing to its target


def test_xss_probe_in_json_is_data(datasette, probe_id):
    response = get(datasette, f"/search.json?q={PROBE_WORD}")
    assert response.headers["content-type"].startswith("application/json")
    (row,) = response.json()["rows"]
    assert row["title"] == PROBE["title"]
    assert row["author"] == PROBE["author"]
    assert "<script" not in row["snippet_html"]
    assert "&lt;script&gt;" in row["snippet_html"]
    table = get(datasette, f"/archive/articles/{probe_id}.json?_shape=array").json()
    assert table[0]["body_html"] == PROBE["body_html"]
    canned = get(datasette, f"/archive/search.json?q={PROBE_WORD}&_shape=array").json()
    assert "<script" not in canned[0]["snippet_html"]


def test_xss_probe_in_csv_is_plain_text(datasette):
    response = get(datasette, f"/archive/articles.csv?_search={PROBE_WORD}")
    assert response.headers["content-type"].startswith(("text/plain", "text/csv"))
    assert response.headers["x-content-type-options"] == "nosniff"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["title"] == PROBE["title"]


def test_xss_probe_in_atom_is_escaped(datasette):
    response = get(datasette, f"/search.atom?q={PROBE_WORD}")
    assert b"<script" not in response.content
    feed = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = feed.findall("a:entry", ns)
    assert entry.find("a:title", ns).text == PROBE["title"]
    content = entry.find("a:content", ns)
    assert content.get("type") == "html"
    assert_inert(content.text)
    for dangerous in ("<script", "<img", "<iframe", "<style", "javascript:", "onclick"):
        assert dangerous not in content.text
    assert json.dumps(entry.find("a:author/a:name", ns).text) == json.dumps(PROBE["author"])


def test_rows_written_behind_the_archives_back_are_indexed_at_startup(tmp_path):
    path = tmp_path / "archive.db"
    open_archive(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO articles (url, title, published) VALUES ('http://example.test/a/', "
        "'Ideeën voor de kermis', '2024-06-01')"
    )
    conn.commit()
    conn.close()
    datasette = make_datasette(path)
    asyncio.run(datasette.invoke_startup())
    rows = get(datasette, "/search.json?q=ideeen").json()["rows"]
    assert [row["title"] for row in rows] == ["Ideeën voor de kermis"]


# ---------------------------------------------------------------------------- search pickers


def test_search_pickers_list_the_archives_values_with_counts(datasette, archive_path):
    db = open_archive(archive_path)
    place, count = db.execute(
        "SELECT place, count(*) FROM articles WHERE place <> '' GROUP BY place "
        "ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    category = db.execute(
        "SELECT j.value FROM articles, json_each(articles.categories) j "
        "WHERE url LIKE 'https://%' LIMIT 1"
    ).fetchone()[0]
    author = db.execute("SELECT author FROM articles WHERE author LIKE 'A%' LIMIT 1").fetchone()
    db.close()
    page = get(datasette, "/search").text
    assert '<select name="place" class="picker" id="pick-place">' in page
    assert f'<option value="{html.escape(place)}">{html.escape(place)} ({count})</option>' in page
    assert f'<option value="{html.escape(category)}">' in page
    assert '<datalist id="authors">' in page
    if author:
        assert f'<option value="{html.escape(author[0])}" label=' in page
    chosen = get(datasette, "/search?" + urlencode({"place": place})).text
    assert f'<option value="{html.escape(place)}" selected>' in chosen


def test_search_highlights_title_and_author_and_says_where_it_matched(datasette, archive_path):
    db = open_archive(archive_path)
    title, author = db.execute(
        "SELECT title, author FROM articles WHERE author <> '' AND url LIKE 'https://%' LIMIT 1"
    ).fetchone()
    db.close()
    surname = author.split()[-1]
    page = get(datasette, "/search?" + urlencode({"q": surname})).text
    assert (
        f'<span class="author">{html.escape(author).replace(surname, f"<mark>{surname}</mark>")}'
        in page
    )
    assert "matched in: author" in page
    word = max(title.split(), key=len).strip(".,:;!?'\"")
    page = get(datasette, "/search?" + urlencode({"q": word})).text
    first_title = page.split('<ol class="results"')[1].split("</h2>")[0]
    assert "<mark>" in first_title
    assert "matched in: title" in page


# ---------------------------------------------------------------------------- table defaults


def test_table_page_shows_the_browsing_columns_and_folds_descriptions(datasette):
    page = get(datasette, "/archive/articles", follow=False).text
    assert 'href="/archive/articles?_col=published&amp;_col=title' in page  # links keep them
    shown = re.findall(r'<th [^>]*data-column="([^"]+)"', page)
    assert shown == ["id", "published", "title", "place", "author", "categories"]
    assert 'data-column="body_html"' not in page
    assert '<details class="column-descriptions">' in page
    assert 'class="all-columns" href="/archive/articles?_allcols=1"' in page
    assert "_col=body_html" in page  # one click adds a hidden column
    everything = get(datasette, "/archive/articles?_allcols=1").text
    assert 'data-column="body_html"' in everything
    assert get(datasette, "/archive/articles?_nocol=text", follow=False).status_code == 200


def test_table_json_returns_list_columns_as_arrays(datasette, probe_id):
    rows = get(datasette, "/archive/articles.json?_shape=array&_size=3").json()
    assert all(isinstance(row[c], list) for row in rows for c in ("authors", "categories", "tags"))
    (row,) = get(datasette, f"/archive/articles/{probe_id}.json?_shape=array").json()
    assert row["categories"] == PROBE["categories"]
    assert row["tags"] == PROBE["tags"]
    searched = get(datasette, f"/search.json?q={PROBE_WORD}").json()["rows"][0]
    assert searched["categories"] == row["categories"]
    # an explicit _json keeps Datasette's own choice
    raw = get(datasette, "/archive/articles.json?_shape=array&_size=1&_json=tags").json()
    assert isinstance(raw[0]["tags"], list)
    assert isinstance(raw[0]["categories"], str)


# ---------------------------------------------------------------------------- crawls, coverage


def test_crawls_and_coverage_pages(tmp_path):
    path = tmp_path / "archive.db"
    db = open_archive(path)
    db["crawls"].insert_all(
        [
            {"id": 1, "started": "2024-06-01T08:00:00+00:00",
             "finished": "2024-06-01T08:03:05+00:00", "status": "finished",
             "trigger": "scheduled", "requests": 120, "articles_new": 3,
             "articles_updated": 1, "articles_unchanged": 2, "articles_failed": 1, "errors": 1,
             "warnings": json.dumps(["field author empty in 40 % of articles"])},
            {"id": 2, "started": "2024-06-05T08:00:00+00:00",
             "finished": "2024-06-05T08:00:09+00:00", "status": "finished",
             "trigger": "manual", "requests": 9, "articles_new": 0},
        ]
    )  # fmt: skip
    db["crawl_errors"].insert(
        {"crawl_id": 1, "at": "2024-06-01T08:01:00+00:00", "url": "http://x.test/", "status": 500}
    )
    db.close()
    conn = sqlite3.connect(path)
    for day in ("2024-06-01", "2024-06-03"):
        conn.execute(
            "INSERT INTO articles (url, title, published) VALUES (?, 'x', ?)",
            [f"https://site.test/{day}/", f"{day}T10:00:00+02:00"],
        )
        conn.execute(
            "INSERT INTO article_versions (article_id, captured_at, title) "
            "VALUES (last_insert_rowid(), '2024-06-01T08:02:00+00:00', 'x')"
        )
    conn.commit()
    conn.close()
    datasette = make_datasette(path)
    page = get(datasette, "/crawls").text
    row = page.split('id="crawl-1"')[1].split("</tr>")[0]
    assert "3 min 05 s" in row
    assert "scheduled" in row
    assert '<td class="number">120</td>' in row
    assert 'href="/archive/crawl_errors?crawl_id=1"' in row
    assert "field author empty" in row
    assert page.index('id="crawl-2"') < page.index('id="crawl-1"')  # newest first
    coverage = get(datasette, "/coverage.json?from=2024-06-01&to=2024-06-04").json()
    days = {day["day"]: day for day in coverage["days"]}
    assert days["2024-06-01"]["articles"] == 1
    assert days["2024-06-01"]["crawls"] == [1]
    assert days["2024-06-02"]["articles"] == 0
    assert coverage["gaps"] == 2
    html_page = get(datasette, "/coverage?from=2024-06-01&to=2024-06-04").text
    assert html_page.count('<tr class="gap">') == 2
    assert '<a href="/crawls#crawl-1">#1</a>' in html_page
    home = get(datasette, "/").text
    assert "Crawled <strong>2024-06-01 – 2024-06-05</strong>" in home
    assert '<a href="https://site.test" rel="noopener noreferrer nofollow">' in home


# ---------------------------------------------------------------------------- versions, capture


@pytest.fixture(scope="module")
def captured(demo_archive, tmp_path_factory):
    """A copy of the crawled demo archive (WARCs included) with one article revised."""
    folder = tmp_path_factory.mktemp("captured")
    path = folder / "archive.db"
    source, target = sqlite3.connect(demo_archive), sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    shutil.copytree(default_warc_dir(demo_archive), default_warc_dir(path))
    db = open_archive(path)
    cursor = db.execute("SELECT * FROM articles WHERE warc_record_id IS NOT NULL LIMIT 1")
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    record = {key: value for key, value in row.items() if key not in ("id", "year", "month")}
    for column in ("authors", "categories", "tags"):
        record[column] = json.loads(record[column] or "[]")
    record["title"] = row["title"] + " (update)"
    record["text"] = row["text"] + "\nRechtzetting: in een eerdere versie stond een fout."
    save_articles(db, [record], site=row["site"])
    db.close()
    return path, row


def test_article_page_lists_versions_with_a_word_diff(captured):
    path, row = captured
    page = get(make_datasette(path), f"/article/{row['id']}").text
    versions = page.split('<section class="versions" id="versions">')[1].split("</section>")[0]
    assert versions.count('<li class="version') == 2
    newest = versions.split('<li class="version')[1]
    assert "has-correction" in newest
    assert "title and text changed" in newest
    assert '<span class="correction-flag">correction notice</span>' in newest
    assert "Rechtzetting: in een eerdere versie stond een fout.</ins>" in newest
    assert "words unchanged" in newest  # the unchanged text is folded
    assert "first capture" in versions.split('<li class="version')[2]


def test_article_page_shows_the_capture_and_a_replay_link(captured):
    path, row = captured
    datasette = make_datasette(path, replay_url="http://127.0.0.1:8080/news")
    page = get(datasette, f"/article/{row['id']}").text
    capture = page.split('<section class="capture" id="capture">')[1].split("</section>")[0]
    assert html.escape(row["warc_record_id"]) in capture
    assert row["warc_digest"] in capture
    assert row["warc_file"] in capture
    assert 'class="replay-link" href="http://127.0.0.1:8080/news/20' in capture
    assert f"/{row['url']}" in capture
    assert f'href="/article/{row["id"]}/record.warc" download' in capture
    template = make_datasette(
        path, replay_url="https://replayweb.page/?source=x.wacz#view=pages&url={url}&ts={timestamp}"
    )
    page = get(template, f"/article/{row['id']}").text
    assert "#view=pages&amp;url=http%3A%2F%2F127.0.0.1" in page
    assert 'class="replay-link"' not in get(make_datasette(path), f"/article/{row['id']}").text


def test_warc_record_download_is_an_attachment(captured):
    path, row = captured
    response = get(make_datasette(path), f"/article/{row['id']}/record.warc")
    assert response.headers["content-type"] == "application/warc"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="article-{row["id"]}.warc"'
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content.startswith(b"WARC/1.1\r\n")
    assert f"WARC-Record-ID: {row['warc_record_id']}".encode() in response.content
    assert b"WARC-Type: response" in response.content


def test_a_missing_or_outside_warc_file_is_never_served(captured, tmp_path):
    path, row = captured
    copy = tmp_path / "archive.db"
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    source.backup(target)
    target.execute(
        "UPDATE articles SET warc_file = '../../../../etc/passwd' WHERE id = ?", [row["id"]]
    )
    target.commit()
    source.close()
    target.close()
    shutil.copytree(default_warc_dir(path), default_warc_dir(copy))
    datasette = make_datasette(copy)
    get(datasette, f"/article/{row['id']}/record.warc", status=404)
    assert "not on this server" in get(datasette, f"/article/{row['id']}").text
    shutil.rmtree(default_warc_dir(copy))
    other = make_datasette(copy)
    get(other, f"/article/{row['id']}/record.warc?version=999999", status=404)


@pytest.mark.parametrize("base", ["javascript:alert(1)", "ftp://example.test/", "file:///etc/"])
def test_a_replay_url_that_is_not_http_is_refused(archive_path, monkeypatch, base):
    with pytest.raises(ReplayConfigError, match="not an http"):
        make_datasette(archive_path, replay_url=base)
    monkeypatch.setenv("NEWSARCHIVE_REPLAY_URL", base)
    with pytest.raises(ReplayConfigError):
        make_datasette(archive_path)


def test_tags_and_categories_link_to_their_searches(datasette, archive_path):
    db = open_archive(archive_path)
    article_id, categories, tags = db.execute(
        "SELECT id, categories, tags FROM articles WHERE tags <> '[]' AND url LIKE 'https://%' "
        "LIMIT 1"
    ).fetchone()
    db.close()
    page = get(datasette, f"/article/{article_id}").text
    tag = json.loads(tags)[0]
    category = json.loads(categories)[0]
    tag_query = urlencode({"q": '"' + tag + '"'})
    assert f'<a class="tag" href="/search?{tag_query}">' in page
    assert f'<a class="category" href="/search?{urlencode({"category": category})}">' in page


def test_word_diff_is_bounded():
    old = " ".join(f"w{i}" for i in range(20_000))
    new = " ".join(f"v{i}" for i in range(20_000))
    diff = word_diff(old, new)
    assert not diff.complete
    assert diff.deleted == 20_000
    assert sum(len(text) for _, text in diff.segments) < 200
    small = word_diff("de raad keurt het plan goed", "de raad keurt het nieuwe plan goed")
    assert small.complete
    assert ("ins", "nieuwe ") in small.segments
    assert small.inserted == 1
    assert small.deleted == 0
    long_same = " ".join(["x"] * 5000)
    tail = word_diff(long_same + " einde", long_same + " slot")
    assert tail.complete
    assert ("del", "einde") in tail.segments
    assert ("ins", "slot") in tail.segments


def test_serve_refuses_a_replay_url_that_is_not_http(archive_path):
    env = {**os.environ, "NEWSARCHIVE_REPLAY_URL": "javascript:alert(1)"}
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "serve", "--db", str(archive_path), "--port", "9"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "replay base URL 'javascript:alert(1)' is not an http(s) URL" in result.stderr
