"""Revision history: every distinct content an article had, and the corrections it carries.

`article_versions` holds one row per distinct content of an article (its first capture
included), with when it was captured and the WARC record it came from; the `articles` row is
always the newest version. A re-crawl that finds the same content adds nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

logger = logging.getLogger(__name__)

# A correction notice in a Flemish article: "Rechtzetting: ...", "Update: ...", "Correctie - ...",
# "Naschrift: ...", or the phrase that announces a fixed error.
CORRECTION_NOTICE = re.compile(
    r"(?:^|\n)\s*(?:rechtzetting|correctie|update|naschrift|erratum)\s*[:–—-]"
    r"|in een eerdere versie van dit artikel"
    r"|\((?:update|rechtzetting)\)\s*$",
    re.IGNORECASE,
)

VERSION_COLUMNS = (
    "title",
    "text",
    "content_hash",
    "has_correction",
    "warc_file",
    "warc_offset",
    "warc_record_id",
    "warc_digest",
)


def has_correction(title: str | None, text: str | None) -> bool:
    """True when the title or body carries a correction or update notice."""
    return bool(CORRECTION_NOTICE.search(text or "") or CORRECTION_NOTICE.search(title or ""))


def archive_columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """The archiving columns of an articles row: WARC pointer and correction flag."""
    return {
        "warc_file": record.get("warc_file"),
        "warc_offset": record.get("warc_offset"),
        "warc_record_id": record.get("warc_record_id"),
        "warc_digest": record.get("warc_digest"),
        "has_correction": int(has_correction(record.get("title"), record.get("text"))),
    }


def record_versions(db: Database, rows: Iterable[Mapping[str, Any]], captured_at: str) -> int:
    """Add a version for each row whose content is new (call inside the saving transaction)."""
    rows = list(rows)
    if not rows:
        return 0
    ids = article_values(db, [row["url"] for row in rows], "id")
    versions = []
    for row in rows:
        article_id = ids.get(row["url"])
        if article_id is None:
            continue
        version = {column: row.get(column) for column in VERSION_COLUMNS}
        version.update(article_id=article_id, captured_at=captured_at)
        versions.append(version)
    if versions:
        db.table("article_versions").insert_all(versions)
    return len(versions)


def article_values(db: Database, urls: list[str], column: str) -> dict[str, Any]:
    """One column of the stored articles with these URLs, by URL (absent URLs left out)."""
    found: dict[str, Any] = {}
    # Stay well under SQLite's bound-parameter limit.
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        placeholders = ", ".join("?" for _ in chunk)
        sql = f"SELECT url, [{column}] FROM articles WHERE url IN ({placeholders})"
        found.update(dict(db.execute(sql, chunk).fetchall()))
    return found


def taken_down(db: Database, urls: list[str]) -> set[str]:
    """Those of `urls` that were removed from the archive and must not come back."""
    found: set[str] = set()
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        placeholders = ", ".join("?" for _ in chunk)
        sql = f"SELECT url FROM takedowns WHERE url IN ({placeholders})"
        found.update(url for (url,) in db.execute(sql, chunk).fetchall())
    return found


def versions_of(db: Database, url: str) -> list[dict[str, Any]]:
    """An article's versions, oldest first."""
    sql = """
        SELECT article_versions.* FROM article_versions
        JOIN articles ON articles.id = article_versions.article_id
        WHERE articles.url = ? ORDER BY captured_at, article_versions.id
    """
    cursor = db.execute(sql, [url])
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def move_articles(db: Database, moves: Iterable[tuple[str, str]], moved_at: str) -> int:
    """Follow articles whose URL moved for good (a changed slug answering 301); returns how many.

    The archive keeps one row per article, under its current URL: a row under the old URL is
    renamed, or, when the new URL already has its own row, merged into it (its versions are
    kept and attached to the new row). The old URL is remembered in `url_aliases`.
    """
    moved = 0
    with db.atomic():
        for old, new in moves:
            if old == new:
                continue
            ids = article_values(db, [old, new], "id")
            if old not in ids:
                continue
            if new in ids:
                db.execute(
                    "UPDATE article_versions SET article_id = ? WHERE article_id = ?",
                    [ids[new], ids[old]],
                )
                db.execute("DELETE FROM articles WHERE id = ?", [ids[old]])
            else:
                db.execute("UPDATE articles SET url = ? WHERE id = ?", [new, ids[old]])
            db.execute(
                "INSERT INTO url_aliases (alias, url, learned_at) VALUES (?, ?, ?) "
                "ON CONFLICT(alias) DO UPDATE SET url = excluded.url, "
                "learned_at = excluded.learned_at",
                [old, new, moved_at],
            )
            logger.info("Article moved from %s to %s: kept as one row", old, new)
            moved += 1
    return moved


def forget_warc_versions(db: Database, url: str) -> str | None:
    """Before rebuilding an article from the WARCs: drop the versions they will give again.

    Clearing its content hash makes its first re-extracted capture count as a change, so the
    rebuilt history starts with it; versions from before WARC capture (no pointer) are kept.
    Returns the content hash it had.
    """
    with db.atomic():
        row = db.execute("SELECT id, content_hash FROM articles WHERE url = ?", [url]).fetchone()
        if row is None:
            return None
        db.execute(
            "DELETE FROM article_versions WHERE article_id = ? AND warc_record_id IS NOT NULL",
            [row[0]],
        )
        db.execute("UPDATE articles SET content_hash = NULL WHERE id = ?", [row[0]])
    return str(row[1])


def rebuilt_state(db: Database, url: str) -> tuple[str | None, int] | None:
    """An article's content hash and its number of WARC-derived versions; None if not stored."""
    row = db.execute(
        "SELECT content_hash, (SELECT count(*) FROM article_versions v "
        "WHERE v.article_id = articles.id AND v.warc_record_id IS NOT NULL) "
        "FROM articles WHERE url = ?",
        [url],
    ).fetchone()
    return None if row is None else (row[0], int(row[1]))
