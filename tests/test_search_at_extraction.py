"""The Dutch search index analyzed where articles are extracted, written as is by the writer.

The index must come out exactly as `sync_search_index` would write it from the stored rows:
every test compares `articles_nl` (and the vocabulary) with a rebuild of the same rows.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from archive import search
from archive.db import SEARCH_ENTRY_KEY, open_archive, save_articles, search_entry
from archive.ingest import decode_item, encode_item
from crawler.workers import extract_page
from tests.conftest import DEMO_ARTICLES, PAGES, crawl_demo

ARTICLE_PAGES = ("byline-article.html", "photo-credit.html", "hyphen-dateline.html")


def index_rows(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute("SELECT rowid, * FROM articles_nl ORDER BY rowid").fetchall()


def vocabulary(conn: sqlite3.Connection) -> set[tuple]:
    return set(conn.execute("SELECT word, stem FROM articles_nl_words"))


def rebuilt(conn: sqlite3.Connection) -> tuple[list[tuple], set[tuple]]:
    """The index and vocabulary that sync_search_index makes of the same rows."""
    search.rebuild_search_index(conn)
    return index_rows(conn), vocabulary(conn)


def extracted(name: str, url: str) -> dict:
    """A saved page through the extraction workers' own function, as a crawl's record."""
    outcome = extract_page((PAGES / name).read_bytes(), url, None, None, {}, 30.0)
    assert outcome.kind == "article", outcome.reason
    assert outcome.record is not None
    return outcome.record


@pytest.fixture
def records() -> list[dict]:
    return [
        extracted(name, f"https://www.example.be/nieuws/{number}/")
        for number, name in enumerate(ARTICLE_PAGES)
    ]


def test_saving_writes_the_workers_analysis_and_analyzes_nothing(db: Database, records):
    assert all(
        record[SEARCH_ENTRY_KEY]["analyzer"] == search.ANALYZER_VERSION for record in records
    )
    counts = save_articles(db, records, site="example")
    assert (counts.new, counts.search_preanalyzed, counts.search_analyzed) == (3, 3, 0)
    assert db.execute("SELECT count(*) FROM articles_nl_pending").fetchone()[0] == 0
    saved = index_rows(db.conn), vocabulary(db.conn)
    assert len(saved[0]) == 3
    assert saved == rebuilt(db.conn)


def test_a_changed_article_is_indexed_again_from_its_new_entry(db: Database, records):
    save_articles(db, records, site="example")
    changed = {**records[0], "text": records[0]["text"] + "\nDe brandweer blust een tweede brand."}
    changed[SEARCH_ENTRY_KEY] = search_entry(changed)
    counts = save_articles(db, [changed], site="example")
    assert (counts.updated, counts.search_preanalyzed, counts.search_analyzed) == (1, 1, 0)
    (row,) = db.execute(
        "SELECT text FROM articles_nl WHERE rowid = (SELECT id FROM articles WHERE url = ?)",
        [changed["url"]],
    ).fetchall()
    assert search.analyzed("tweede") in row[0].split()
    saved = index_rows(db.conn), vocabulary(db.conn)
    assert saved == rebuilt(db.conn)


def _title_changed_after_analysis(record: dict) -> None:
    record["title"] = "Een andere titel, gezet na de analyse"


def _other_analyzer(record: dict) -> None:
    record[SEARCH_ENTRY_KEY] = {**record[SEARCH_ENTRY_KEY], "analyzer": "dutch_porter:0"}


def _columns_missing(record: dict) -> None:
    record[SEARCH_ENTRY_KEY] = {**record[SEARCH_ENTRY_KEY], "columns": ["te", "weinig"]}


def _not_an_entry(record: dict) -> None:
    record[SEARCH_ENTRY_KEY] = "geen analyse"


def _no_entry(record: dict) -> None:
    del record[SEARCH_ENTRY_KEY]


@pytest.mark.parametrize(
    "spoil",
    [_title_changed_after_analysis, _other_analyzer, _columns_missing, _not_an_entry, _no_entry],
)
def test_a_record_without_a_usable_entry_is_analyzed_on_saving(db: Database, records, spoil):
    spoil(records[1])
    counts = save_articles(db, records, site="example")
    assert (counts.search_preanalyzed, counts.search_analyzed) == (2, 1)
    saved = index_rows(db.conn), vocabulary(db.conn)
    assert len(saved[0]) == 3
    assert saved == rebuilt(db.conn)


def test_the_entry_travels_through_the_distributed_queue(db: Database, records):
    """Workers queue records as JSON for `newsarchive ingest`, which saves what it decodes."""
    queued = [
        decode_item(encode_item(record, site="example", job="test", worker="w-1")).record
        for record in records
    ]
    counts = save_articles(db, queued, site="example")
    assert (counts.search_preanalyzed, counts.search_analyzed) == (3, 0)
    saved = index_rows(db.conn), vocabulary(db.conn)
    assert saved == rebuilt(db.conn)


def test_a_crawl_indexes_what_its_workers_analyzed(demo_site, tmp_path: Path):
    db_path = tmp_path / "archive.db"
    result = crawl_demo(db_path, f"{demo_site.url}/")
    assert result.returncode == 0, result.stderr[-3000:]
    # the crawl's stats, dumped in its log: every article indexed from its worker's analysis
    stats = dict(re.findall(r"'newsarchive/search/(\w+)': (\d+)", result.stderr))
    assert stats.get("preanalyzed") == str(DEMO_ARTICLES), stats
    assert "analyzed_on_save" not in stats, stats
    archive = open_archive(db_path)
    copy = sqlite3.connect(":memory:")
    try:
        assert archive.execute("SELECT count(*) FROM articles").fetchone()[0] == DEMO_ARTICLES
        assert archive.execute("SELECT count(*) FROM articles_nl_pending").fetchone()[0] == 0
        crawled = index_rows(archive.conn), vocabulary(archive.conn)
        archive.conn.backup(copy)
        assert crawled == rebuilt(copy)
    finally:
        archive.close()
        copy.close()
    assert len(crawled[0]) == DEMO_ARTICLES
