"""The crawl ledger's archiving columns: incremental counts, WARC output, quality warnings."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlite_utils import Database

from archive.quality import field_drift_warnings

logger = logging.getLogger(__name__)


def archiving_columns(db: Database, crawl_id: int, stats: dict[str, Any]) -> dict[str, Any]:
    """Ledger columns of a finished crawl, from Scrapy's stats and the archive itself."""

    def stat(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    started = db.execute("SELECT started FROM crawls WHERE id = ?", [crawl_id]).fetchone()[0]
    warnings = field_drift_warnings(db, started)
    for warning in warnings:
        logger.warning("FIELD DROP in crawl %s: %s", crawl_id, warning)
    files = stats.get("newsarchive/warc/files") or []
    return {
        "not_modified": stat("newsarchive/not_modified"),
        "skipped_unchanged": stat("newsarchive/incremental/skipped"),
        "warc_records": stat("newsarchive/warc/records"),
        "warc_bytes": stat("newsarchive/warc/bytes"),
        "warc_files": json.dumps(files) if files else None,
        "cdxj_index": stats.get("newsarchive/warc/index"),
        "warnings": json.dumps(warnings, ensure_ascii=False) if warnings else None,
    }


def close_abandoned_crawls(db: Database) -> int:
    """Mark crawls still 'running' as crashed; call only while holding the archive's lock.

    A crawl that holds the lock is the only one running, so any other 'running' row belongs to
    a process that died (killed, out of memory, power loss) before it could close its row.
    """
    with db.atomic():
        cursor = db.execute(
            "UPDATE crawls SET status = 'crashed', finish_reason = 'process died' "
            "WHERE status = 'running'"
        )
    if cursor.rowcount:
        logger.warning(
            "%d earlier crawl(s) had died without closing; marked crashed", cursor.rowcount
        )
    return int(cursor.rowcount)
