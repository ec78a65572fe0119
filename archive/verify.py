"""`newsarchive verify`: is the archive whole? SQLite, full-text indexes, WARC files, pointers."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from archive.db import check_integrity
from archive.takedown import fts_tables
from archive.warcs import WarcError, read_capture, verify_warc_file, warc_files


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
