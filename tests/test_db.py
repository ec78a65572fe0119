"""The archive database: migrations, upserts by canonical URL, the ledger and search."""

import json

import pytest

from archive.db import (
    check_integrity,
    finish_crawl,
    get_crawl,
    migrate,
    migrations,
    open_archive,
    record_crawl_error,
    save_articles,
    search_articles,
    start_crawl,
)


def make_record(n: int, **changes):
    record = {
        "url": f"http://example.test/artikel-{n}/",
        "title": f"Titel {n}",
        "text": f"Tekst van artikel {n} over Mechelen.",
        "published": "2024-06-20T09:00:00+02:00",
        "author": "Edwin Mariën",
        "authors": ["Edwin Mariën"],
        "place": "Mechelen",
        "categories": ["Mechelen"],
        "tags": ["polarisatie"],
        "description": "Samenvatting",
        "language": "nl",
        "image": None,
        "word_count": 6,
    }
    record.update(changes)
    return record


def test_migrations_can_be_applied_twice(tmp_path):
    path = tmp_path / "archive.db"
    open_archive(path).close()
    database = open_archive(path)
    migrate(database)
    applied = [m.name for m in migrations.applied(database)]
    assert len(applied) == len(set(applied)) == len(migrations._migrations)
    assert {"articles", "articles_fts", "crawls", "crawl_errors"} <= set(database.table_names())
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_save_counts_new_unchanged_and_updated(db):
    first = save_articles(db, [make_record(1), make_record(2)], site="demo")
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    again = save_articles(db, [make_record(1), make_record(2, text="Nieuwe tekst.")])
    assert (again.new, again.updated, again.unchanged) == (0, 1, 1)
    assert db["articles"].count == 2
    row = next(db["articles"].rows_where("url = ?", ["http://example.test/artikel-2/"]))
    assert row["text"] == "Nieuwe tekst."
    assert json.loads(row["categories"]) == ["Mechelen"]
    assert row["first_seen"] <= row["last_seen"]


def test_same_url_twice_in_one_batch_is_stored_once(db):
    counts = save_articles(db, [make_record(1), make_record(1, title="Later")])
    assert counts.new == 1
    assert db["articles"].count == 1
    assert next(db["articles"].rows)["title"] == "Later"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Marien", 1),  # diacritics folded
        ("Mariën", 1),
        ("mechelen", 2),
        ('"artikel 2"', 1),
        ("Titel AND NOT Mechelen", 0),
        ("art*", 2),
        ("(unbalanced", 0),  # invalid FTS syntax falls back to plain words
    ],
)
def test_search(db, query, expected):
    save_articles(db, [make_record(1), make_record(2, author="Jan Peeters")])
    assert len(search_articles(db, query)) == expected


def test_fts_stays_in_sync_after_update(db):
    save_articles(db, [make_record(1)])
    save_articles(db, [make_record(1, text="Helemaal andere inhoud over Lier.")])
    assert search_articles(db, "Lier")
    assert not search_articles(db, "Mechelen AND Tekst")
    assert check_integrity(db) == []


def test_crawl_ledger(db):
    crawl_id = start_crawl(db, site="demo", start_urls=["http://example.test/"])
    record_crawl_error(db, crawl_id, url="http://example.test/x", status=404, reason="HTTP 404")
    finish_crawl(db, crawl_id, status="finished", pages_fetched=3, errors=1)
    crawl = get_crawl(db, crawl_id)
    assert crawl["status"] == "finished"
    assert crawl["pages_fetched"] == 3
    assert crawl["finished"] >= crawl["started"]
    assert db["crawl_errors"].count == 1
