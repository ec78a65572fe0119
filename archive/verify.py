"""`newsarchive verify`: is the archive whole? SQLite, full-text indexes, WARC files, pointers.

`newsarchive verify --repair` also cuts WARC files truncated by a crash back to their last
whole record (`repair_archive`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from archive.db import check_integrity
from archive.takedown import fts_tables
from archive.warcs import (
    WarcError,
    WarcRepair,
    read_capture,
    reindex_crawl,
    repair_warc_file,
    verify_warc_file,
    warc_files,
)


@dataclass
class VerifyReport:
    """What was checked and what is wrong (an empty `problems`: all is well)."""

    warc_files: int = 0
    pointers: int = 0
    problems: list[str] = field(default_factory=list)
    damaged_files: list[str] = field(default_factory=list)


def check_search_indexes(db: Database) -> list[str]:
    """FTS5 integrity check of every full-text index (articles_fts and any other)."""
    problems = []
    for table in fts_tables(db):
        try:
            db.execute(f"INSERT INTO [{table}]([{table}]) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as error:
            problems.append(f"{table}: {error}")
    return problems


def verify_archive(
    db: Database, warc_dir: str | Path, *, progress: Callable[[int], None] | None = None
) -> VerifyReport:
    """Check the database, every WARC file and every article's WARC pointer."""
    report = VerifyReport()
    report.problems += [f"database: {problem}" for problem in check_integrity(db)]
    known = set(report.problems)
    report.problems += [
        f"database: {problem}"
        for problem in check_search_indexes(db)
        if f"database: {problem}" not in known
    ]
    files = warc_files(warc_dir)
    report.warc_files = len(files)
    for path in files:
        problems = verify_warc_file(path)
        if problems:
            report.damaged_files.append(path.name)
        report.problems += problems
        if progress is not None:
            progress(1)
    rows = db.execute(
        "SELECT url, warc_file, warc_offset, warc_record_id FROM articles "
        "WHERE warc_file IS NOT NULL ORDER BY warc_file, warc_offset"
    ).fetchall()
    for url, file, offset, record_id in rows:
        report.pointers += 1
        try:
            capture = read_capture(warc_dir, file, offset)
        except WarcError as error:
            report.problems.append(f"{url}: {error}")
            continue
        if capture.record_id != record_id:
            report.problems.append(
                f"{url}: the record at {file}:{offset} is {capture.record_id}, not {record_id}"
            )
    return report


@dataclass
class LostPointer:
    """An article whose WARC record was cut off by a repair: fetched again by the next crawl."""

    article_id: int
    url: str
    file: str
    offset: int


@dataclass
class RepairReport:
    """What `repair_archive` cut, re-indexed and unlinked."""

    repairs: list[WarcRepair] = field(default_factory=list)
    indexes: list[Path] = field(default_factory=list)
    lost: list[LostPointer] = field(default_factory=list)


# Forget how a URL was fetched, so that the next incremental crawl fetches it as new
# (crawler/incremental.py reads only rows with a last_fetched), unconditionally: a 304 would
# not bring the record back.
_FORGET_FETCH = """
    UPDATE url_state
    SET last_fetched = NULL, etag = NULL, last_modified = NULL, content_hash = NULL
    WHERE url = :url
       OR url IN (SELECT url FROM url_aliases WHERE alias = :url)
       OR url IN (SELECT alias FROM url_aliases WHERE url = :url)
"""


def repair_archive(db: Database, warc_dir: str | Path) -> RepairReport:
    """Cut WARC files damaged at their end back to their last whole record, re-index them, and
    unlink the articles whose record was cut off, so the next crawl fetches them again.

    Call while holding the archive's lock: a crawl must not be writing the files. Each
    unlinked article keeps its content; its pointer (and that of its versions into the lost
    part) is cleared, its content hash too (so that the new capture is stored with its
    pointer, as a new version), and its fetch state is forgotten.
    """
    directory = Path(warc_dir)
    report = RepairReport()
    for path in warc_files(directory):
        repair = repair_warc_file(path)
        if repair is None:
            continue
        report.repairs.append(repair)
        if repair.refused:
            continue
        if not repair.removed:
            report.indexes.append(reindex_crawl(directory, repair.crawl, repair.file))
        rows = db.execute(
            "SELECT id, url, warc_file, warc_offset FROM articles "
            "WHERE warc_file = ? AND warc_offset >= ? ORDER BY warc_offset",
            [repair.file, repair.kept],
        ).fetchall()
        lost = [LostPointer(int(row[0]), row[1], row[2], int(row[3])) for row in rows]
        with db.atomic():
            for pointer in lost:
                db.execute(
                    "UPDATE articles SET warc_file = NULL, warc_offset = NULL, "
                    "warc_record_id = NULL, warc_digest = NULL, content_hash = NULL "
                    "WHERE id = ?",
                    [pointer.article_id],
                )
                db.execute(_FORGET_FETCH, {"url": pointer.url})
            db.execute(
                "UPDATE article_versions SET warc_file = NULL, warc_offset = NULL, "
                "warc_record_id = NULL, warc_digest = NULL "
                "WHERE warc_file = ? AND warc_offset >= ?",
                [repair.file, repair.kept],
            )
        report.lost += lost
    return report
