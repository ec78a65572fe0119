"""Revision history (article_versions), correction flags, and takedowns."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from archive.db import migrate, save_articles
from archive.revisions import has_correction, versions_of
from archive.takedown import NotInArchive, exclude_from_replay, fts_tables, remove_article
from archive.verify import check_search_indexes
from tests.conftest import REPO, crawl_demo, run_newsarchive

URL = "https://www.example.be/brug-dicht/"


def record(text: str, title: str = "Brug dicht", **extra: object) -> dict:
    return {"url": URL, "title": title, "text": text, "author": "Jan Peeters", **extra}


@pytest.mark.parametrize(
    ("title", "text", "flag"),
    [
        ("Brug dicht", "De brug is dicht.\nRechtzetting: de brug gaat pas maandag dicht.", True),
        ("Brug dicht", "De brug is dicht.\nUpdate: de brug is weer open.", True),
        ("Brug dicht", "De brug is dicht.\nCorrectie – de datum was fout.", True),
        ("Brug dicht", "In een eerdere versie van dit artikel stond een fout.", True),
        ("Brug dicht (update)", "De brug is dicht.", True),
        ("Brug dicht", "De update van de software verliep vlot.", False),
        ("Brug dicht", "De brug is dicht voor alle verkeer.", False),
    ],
)
def test_has_correction(title, text, flag):
    assert has_correction(title, text) is flag


def test_changed_content_keeps_the_old_version(db):
    save_articles(db, [record("De brug is dicht.", warc_file="a.warc.gz", warc_offset=10)])
    save_articles(db, [record("De brug is dicht.")])  # unchanged: no new version
    save_articles(db, [record("De brug is dicht.\nUpdate: de brug is weer open.")])
    versions = versions_of(db, URL)
    assert [v["text"] for v in versions] == [
        "De brug is dicht.",
        "De brug is dicht.\nUpdate: de brug is weer open.",
    ]
    assert [v["has_correction"] for v in versions] == [0, 1]
    assert versions[0]["warc_file"] == "a.warc.gz"
    assert versions[0]["warc_offset"] == 10
    row = db.execute("SELECT content_hash, has_correction FROM articles").fetchone()
    assert row == (versions[-1]["content_hash"], 1)


def test_migrations_apply_twice_and_backfill_versions(tmp_path):
    database = Database(tmp_path / "archive.db")
    migrate(database)
    migrate(database)
    for table in ("url_state", "article_versions", "takedowns"):
        assert database[table].exists()
    assert {"warc_file", "has_correction"} <= set(database["articles"].columns_dict)
    assert {"warnings", "not_modified", "warc_files"} <= set(database["crawls"].columns_dict)


def test_remove_takes_an_article_out_everywhere_and_keeps_an_audit_row(db):
    save_articles(db, [record("Een uniek woord: zeppelinhangar.")])
    save_articles(db, [record("Een uniek woord: zeppelinhangar. Update: open.")])
    removed = remove_article(db, URL, reason="court order", who="editor")
    assert removed.versions == 2
    assert "articles_fts" in removed.fts_tables
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 0
    for table in fts_tables(db):
        columns = [c[1] for c in db.execute(f"PRAGMA table_info([{table}])").fetchall()]
        if "text" in columns:
            hits = db.execute(
                f"SELECT count(*) FROM [{table}] WHERE [{table}] MATCH 'zeppelinhangar'"
            ).fetchone()[0]
            assert hits == 0, table
    assert check_search_indexes(db) == []
    audit = db.execute("SELECT url, reason, who FROM takedowns").fetchall()
    assert audit == [(URL, "court order", "editor")]
    # A later crawl that extracts it again does not store it.
    counts = save_articles(db, [record("Een uniek woord: zeppelinhangar.")])
    assert (counts.new, counts.updated) == (0, 0)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    with pytest.raises(NotInArchive):
        remove_article(db, "https://www.example.be/nooit-gezien/", reason="x", who="y")


def test_exclusion_list_for_replay(tmp_path):
    path = exclude_from_replay(tmp_path, URL)
    exclude_from_replay(tmp_path, URL)
    (line,) = path.read_text().splitlines()
    key, _, rule = line.split(" ", 2)
    assert key.startswith("be,example)/brug-dicht")
    assert json.loads(rule) == {"access": "exclude", "url": URL}


def test_remove_command_and_recrawl(tmp_path, demo_site):
    db = tmp_path / "archive.db"
    assert crawl_demo(db, f"{demo_site.url}/").returncode == 0
    url = Database(db).execute("SELECT url FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    result = run_newsarchive("remove", url, "--reason", "privacy request", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Removed" in result.stdout
    assert crawl_demo(db, f"{demo_site.url}/", extra=("--full",)).returncode == 0
    archive = Database(db)
    assert archive.execute("SELECT count(*) FROM articles WHERE url = ?", [url]).fetchone()[0] == 0
    row = archive.execute("SELECT reason, who FROM takedowns WHERE url = ?", [url]).fetchone()
    assert row[0] == "privacy request"
    assert row[1]
    missing = run_newsarchive("remove", url + "nope/", "--reason", "x", "--db", str(db))
    assert missing.returncode == 1
    assert "not in the archive" in missing.stderr


def test_versions_table_is_described_for_datasette():
    metadata = json.loads((REPO / "metadata.json").read_text())
    tables = metadata["databases"]["archive"]["tables"]
    versions = tables["article_versions"]
    assert versions["description"]
    for column in ("article_id", "captured_at", "content_hash", "has_correction", "warc_file"):
        assert column in versions["columns"], column
    assert "has_correction" in tables["articles"]["columns"]
    assert "takedowns" in tables
