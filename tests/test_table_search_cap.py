"""The articles table's search bounded to its most recent matches when a word matches too many.

A real archive of demo articles served by a real Datasette; the window is made small so that a
common word exceeds it.
"""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
import sqlite3

import pytest
from datasette.utils import escape_fts

from archive.db import open_archive, save_articles
from archive.publish import make_datasette
from archive.research import table
from demosite import DemoSite
from tests.conftest import demo_record

ARTICLES = 300
WINDOW = 40
COMMON = "zegt"  # in 260 of the 300 articles


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("search-cap") / "archive.db"
    site = DemoSite(articles=ARTICLES)
    db = open_archive(path)
    save_articles(db, [demo_record(site, i) for i in range(ARTICLES)], site="antwerpspersbureau")
    db.close()
    return path


@pytest.fixture(scope="module")
def datasette(archive_path):
    return make_datasette(archive_path)


@pytest.fixture(autouse=True)
def small_window(monkeypatch):
    monkeypatch.setattr(table, "TABLE_SEARCH_WINDOW", WINDOW)


def get(datasette, path: str, follow: bool = False):
    response = asyncio.run(datasette.client.get(path, follow_redirects=follow))
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response


def by_date(archive_path, ids) -> list[int]:
    """The ids, newest publication first, as Datasette orders the table (sort_desc published)."""
    with sqlite3.connect(archive_path) as conn:
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id FROM articles WHERE id IN ({marks}) ORDER BY published DESC, id"
        return [row[0] for row in conn.execute(sql, list(ids))]


def matching_ids(archive_path, words: str, raw: bool = False) -> list[int]:
    """Every article the plain index matches, most recently archived first."""
    with sqlite3.connect(archive_path) as conn:
        sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC"
        match = words if raw else escape_fts(words)
        return [row[0] for row in conn.execute(sql, [match])]


def exact_answer(archive_path, words: str) -> list[int]:
    return by_date(archive_path, matching_ids(archive_path, words))


def window_answer(archive_path, words: str, raw: bool = False) -> list[int]:
    return by_date(archive_path, matching_ids(archive_path, words, raw)[:WINDOW])


def row_ids(answer: dict) -> list[int]:
    return [row["id"] for row in answer["rows"]]


def table_json(datasette, query: str) -> dict:
    """The table's JSON with rows as objects."""
    return get(datasette, f"/archive/articles.json?{query}&_shape=objects").json()


def local(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", html.unescape(url))


# ---------------------------------------------------------------------- below the window


@pytest.mark.parametrize("words", ["scholen", "brandweer", "polarisatie", "Mechelen"])
def test_below_the_window_datasette_searches_exactly(datasette, archive_path, words):
    expected = exact_answer(archive_path, words)
    assert 0 < len(expected) <= WINDOW
    answer = table_json(datasette, f"_search={words}&_size=100")
    assert row_ids(answer) == expected
    assert answer["filtered_table_rows_count"] == len(expected)
    assert answer["human_description_en"] == (
        f'where search matches "{words}" sorted by published descending'
    )
    assert "search_capped" not in answer
    assert "_recent_search" not in (answer["next_url"] or "")


def test_a_window_as_large_as_the_matches_changes_nothing(datasette, archive_path, monkeypatch):
    expected = exact_answer(archive_path, "scholen")
    monkeypatch.setattr(table, "TABLE_SEARCH_WINDOW", len(expected))
    answer = table_json(datasette, "_search=scholen&_size=100")
    assert row_ids(answer) == expected
    assert "search_capped" not in answer


def test_a_bounded_search_named_directly_with_few_matches_is_exact(datasette, archive_path):
    answer = table_json(datasette, "_recent_search=scholen&_size=100")
    assert row_ids(answer) == exact_answer(archive_path, "scholen")
    assert "search_capped" not in answer
    assert answer["human_description_en"].startswith('where search matches "scholen"')


def test_nothing_found_is_an_empty_answer(datasette):
    answer = table_json(datasette, "_search=qwertyuiop")
    assert answer["rows"] == []
    assert "search_capped" not in answer


# ---------------------------------------------------------------------- above the window


@pytest.mark.parametrize("words", [COMMON, "de"])
def test_above_the_window_the_json_is_the_windows_matches_by_date(datasette, archive_path, words):
    matches = len(matching_ids(archive_path, words))
    assert matches > WINDOW
    answer = table_json(datasette, f"_search={words}&_size=100")
    assert row_ids(answer) == window_answer(archive_path, words)
    assert answer["filtered_table_rows_count"] == WINDOW
    assert answer["search_capped"] == {"window": WINDOW, "matches": matches}
    assert answer["human_description_en"] == (
        f'where search matches "{words}" among the {WINDOW} most recently archived of its'
        f" {matches} matches (too many to sort by date) sorted by published descending"
    )
    assert all(isinstance(row["categories"], list) for row in answer["rows"])  # arrays kept


def test_the_window_holds_the_most_recently_archived_matches(datasette, archive_path):
    answer = table_json(datasette, f"_search={COMMON}&_size=100")
    shown = set(row_ids(answer))
    left_out = set(matching_ids(archive_path, COMMON)) - shown
    assert min(shown) > max(left_out)


def test_array_shape_gets_the_same_rows(datasette, archive_path):
    rows = get(datasette, f"/archive/articles.json?_search={COMMON}&_size=100&_shape=array").json()
    assert [row["id"] for row in rows] == window_answer(archive_path, COMMON)


def test_raw_search_mode_is_bounded_too(datasette, archive_path):
    answer = table_json(datasette, "_search=zeg*&_searchmode=raw&_size=100&_nofacet=1")
    matches = len(matching_ids(archive_path, "zeg*", raw=True))
    assert answer["search_capped"] == {"window": WINDOW, "matches": matches}
    assert row_ids(answer) == window_answer(archive_path, "zeg*", raw=True)


def test_facets_count_the_window(datasette):
    answer = table_json(datasette, f"_search={COMMON}&_facet=year")
    years = answer["facet_results"]["year"]["results"]
    assert sum(year["count"] for year in years) == WINDOW


# ---------------------------------------------------------------------- the page


def test_the_page_says_the_search_is_bounded_and_keeps_the_words(datasette, archive_path):
    page = html.unescape(get(datasette, f"/archive/articles?_search={COMMON}").text)
    matches = len(matching_ids(archive_path, COMMON))
    heading = " ".join(re.search(r"<h3>(.*?)</h3>", page, flags=re.DOTALL)[1].split())
    assert heading == (
        f'{WINDOW} rows where search matches "{COMMON}" among the {WINDOW} most recently'
        f" archived of its {matches} matches (too many to sort by date)"
        " sorted by published descending"
    )
    assert f'<input id="_search" type="search" name="_search" value="{COMMON}">' in page


def test_a_new_search_from_the_page_replaces_the_bounded_one(datasette, archive_path):
    # The form carries `_recent_search` along as a hidden field; the words typed win.
    answer = table_json(datasette, f"_search=scholen&_recent_search={COMMON}&_size=100")
    assert row_ids(answer) == exact_answer(archive_path, "scholen")
    assert "search_capped" not in answer


def test_emptying_the_search_box_ends_the_bounded_search(datasette):
    form = f"_search=&_filter_column=&_filter_op=exact&_filter_value=&_recent_search={COMMON}"
    page = get(datasette, f"/archive/articles?{form}", follow=True).text
    assert f"{ARTICLES} rows" in page
    assert "most recently archived" not in page


# ---------------------------------------------------------------------- next pages


def test_next_page_links_of_the_json_walk_the_window(datasette, archive_path):
    matches = len(matching_ids(archive_path, COMMON))
    path, seen, pages = f"/archive/articles.json?_search={COMMON}&_size=15&_shape=objects", [], 0
    while path:
        answer = get(datasette, path).json()
        assert answer["search_capped"] == {"window": WINDOW, "matches": matches}
        seen += row_ids(answer)
        pages += 1
        path = answer["next_url"] and local(answer["next_url"])
    assert pages == 3
    assert seen == window_answer(archive_path, COMMON)


def test_next_page_link_of_the_page_works(datasette, archive_path):
    page = get(datasette, f"/archive/articles?_search={COMMON}&_size=15").text
    links = re.findall(r'href="([^"]*_next=[^"]*)"', page)
    assert links, "the page links to the next page"
    assert all(f"_recent_search={COMMON}" in link for link in links)
    second = get(datasette, local(links[0])).text
    assert f"among the {WINDOW} most recently archived" in html.unescape(second)
    for article_id in window_answer(archive_path, COMMON)[15:30]:
        assert f'href="/article/{article_id}"' in second


# ---------------------------------------------------------------------- CSV


def test_csv_is_bounded_too(datasette, archive_path):
    text = get(datasette, f"/archive/articles.csv?_search={COMMON}&_size=100").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(row["id"]) for row in rows] == window_answer(archive_path, COMMON)


def test_csv_below_the_window_is_exact(datasette, archive_path):
    text = get(datasette, "/archive/articles.csv?_search=scholen&_size=100").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(row["id"]) for row in rows] == exact_answer(archive_path, "scholen")
