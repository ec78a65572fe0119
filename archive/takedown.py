"""Takedown: remove an article from the archive for good, keeping only an audit row.

The article leaves `articles`, every full-text index built on it, `article_versions` and
`url_state`; `takedowns` records the URL, when, why and by whom (no content), and later crawls
neither fetch nor store the URL again. Deleted pages are overwritten (`secure_delete`) and the
full-text indexes are merged so no trace of the text stays in the database file. The WARC files
are evidence and stay as they are; the URL is added to an exclusion list that pywb reads
(`takedowns.aclj` in the WARC folder), so replay refuses it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from archive.db import ArchiveError, utc_now

logger = logging.getLogger(__name__)

ACL_FILE = "takedowns.aclj"


class NotInArchive(ArchiveError):
    """The URL to remove is not in the archive (and was not removed before)."""


@dataclass
class Takedown:
    """What a removal did."""

    url: str
    article_id: int | None
    versions: int
    fts_tables: list[str]


def fts_tables(db: Database) -> list[str]:
    """Every FTS5 virtual table of the archive (articles_fts and any other search index)."""
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
        " AND lower(sql) LIKE '%using fts5%'"
    ).fetchall()
    return [name for (name,) in rows]


def remove_article(db: Database, url: str, *, reason: str, who: str) -> Takedown:
    """Remove an article and its history; raises NotInArchive when there is nothing to remove."""
    db.execute("PRAGMA secure_delete = ON")
    with db.atomic():
        row = db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()
        already = db.execute("SELECT 1 FROM takedowns WHERE url = ?", [url]).fetchone()
        if row is None and already is None:
            raise NotInArchive(f"{url} is not in the archive")
        article_id = int(row[0]) if row else None
        versions = 0
        if article_id is not None:
            versions = db.execute(
                "DELETE FROM article_versions WHERE article_id = ?", [article_id]
            ).rowcount
            # The delete triggers take the row out of articles_fts and the other search indexes.
            db.execute("DELETE FROM articles WHERE id = ?", [article_id])
        db.execute("DELETE FROM url_state WHERE url = ?", [url])
        audit = {"url": url, "removed_at": utc_now(), "reason": reason, "who": who}
        db.table("takedowns").insert(audit)
    tables = fts_tables(db)
    for table in tables:
        _purge_index(db, table)
    logger.warning("Removed %s from the archive (%s), by %s", url, reason, who)
    return Takedown(url=url, article_id=article_id, versions=versions, fts_tables=tables)


def _purge_index(db: Database, table: str) -> None:
    """Merge an FTS5 index so deleted rows' tokens leave its b-trees, then check it."""
    try:
        with db.atomic():
            db.execute(f"INSERT INTO [{table}]([{table}]) VALUES ('optimize')")
        db.execute(f"INSERT INTO [{table}]([{table}]) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as error:
        logger.warning("Search index %s needed a rebuild after the removal: %s", table, error)
        with db.atomic():
            db.execute(f"INSERT INTO [{table}]([{table}]) VALUES ('rebuild')")


def exclude_from_replay(warc_dir: str | Path, url: str) -> Path:
    """Add the URL to the pywb access-control list of the WARC folder (kept sorted)."""
    from surt import surt

    path = Path(warc_dir) / ACL_FILE
    lines = set(path.read_text(encoding="utf-8").splitlines()) if path.exists() else set()
    lines.add(f"{surt(url)} - {json.dumps({'access': 'exclude', 'url': url})}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in sorted(lines, reverse=True)), "utf-8")
    return path
